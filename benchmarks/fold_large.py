#!/usr/bin/env python3
"""Fold time and peak memory of --linearity-fold on a large MLP.

The model: 8 dense layers of 4096 x 4096 (134M parameters, 537 MB of f32
weights) in torch-mlir's form (weights stored [out, in], linalg.transpose,
linalg.matmul into a zero fill, broadcast bias add, ReLU as cmpf + select),
stored as MLIR bytecode. Every hidden activation carries a #lin.profile in
which 55 % of the neurons are always active, 20 % always inactive and the
rest mixed: the fold merges and removes neurons in every layer (merging pays
in a square layer once more than about half of the neurons merge), and skips
reach across the chain.

In one run, on the same file, it measures:
  * parse + print: upstream mlir-opt reading the bytecode and writing it back
    (-allow-unregistered-dialect, as mlir-opt does not know lin attributes);
  * fold: lin-opt --linearity-fold on the same file, writing bytecode;
  * GEMM: OpenBLAS (the system libopenblas, through ctypes) computing the
    merged matrices of the same fold alone, shape by shape;
  * peak resident memory of the fold run (GNU time).
Target: fold - (parse + print) <= 2 x GEMM, peak memory <= 3 x weights.

Usage:  .venv/bin/python benchmarks/fold_large.py [--width 4096] [--layers 8]
Writes benchmarks/results/fold_large.json.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "benchmarks" / ".cache"
LIN_OPT = REPO / "build" / "bin" / "lin-opt"
MLIR_OPT = Path("/usr/lib/llvm-22/bin/mlir-opt")
ID = "affine_map<(d0, d1) -> (d0, d1)>"
ROW = "affine_map<(d0, d1) -> (d1)>"


def write_model(path: Path, width: int, layers: int, seed: int) -> dict:
    """Writes the text IR (hex dense_resource blobs) and returns the plan of
    always-active / always-inactive neurons per hidden layer."""
    rng = np.random.default_rng(seed)
    plan = {}
    with open(path, "w") as f:
        t = f"tensor<?x{width}xf32>"
        f.write(f"func.func @main(%x: {t}) -> {t} {{\n")
        f.write("  %zero = arith.constant 0.0 : f32\n  %c0 = arith.constant 0 : index\n")
        f.write(f"  %n = tensor.dim %x, %c0 : {t}\n")
        h = "%x"
        for i in range(layers):
            f.write(f"  %wt{i} = arith.constant dense_resource<w{i}> : tensor<{width}x{width}xf32>\n")
            f.write(f"  %b{i} = arith.constant dense_resource<b{i}> : tensor<{width}xf32>\n")
            f.write(f"  %te{i} = tensor.empty() : tensor<{width}x{width}xf32>\n")
            f.write(f"  %w{i} = linalg.transpose ins(%wt{i} : tensor<{width}x{width}xf32>) outs(%te{i} : tensor<{width}x{width}xf32>) permutation = [1, 0]\n")
            f.write(f"  %e{i} = tensor.empty(%n) : {t}\n")
            f.write(f"  %f{i} = linalg.fill ins(%zero : f32) outs(%e{i} : {t}) -> {t}\n")
            f.write(f"  %m{i} = linalg.matmul ins({h}, %w{i} : {t}, tensor<{width}x{width}xf32>) outs(%f{i} : {t}) -> {t}\n")
            f.write(f"  %z{i} = linalg.generic {{indexing_maps = [{ID}, {ROW}, {ID}], iterator_types = [\"parallel\", \"parallel\"]}} ins(%m{i}, %b{i} : {t}, tensor<{width}xf32>) outs(%e{i} : {t}) {{\n")
            f.write("  ^bb0(%in: f32, %bias: f32, %out: f32):\n    %s = arith.addf %in, %bias : f32\n    linalg.yield %s : f32\n")
            f.write(f"  }} -> {t}\n")
            if i == layers - 1:
                h = f"%z{i}"
                break
            # 0 dead (20 %), 1 always active (55 %: merging pays when more
            # than about half of a square layer's neurons merge), 2 mixed.
            piece = rng.choice([0, 1, 2], p=[0.2, 0.55, 0.25], size=width)
            plan[i] = piece
            samples = 100
            inactive = np.where(piece == 0, samples, np.where(piece == 1, 0, 50))
            counts = ", ".join(map(str, np.concatenate([inactive, samples - inactive])))
            mins = ", ".join("-1.0" if p != 1 else "0.5" for p in piece)
            maxs = ", ".join("1.0" if p != 0 else "-0.5" for p in piece)
            profile = (f"#lin.profile<relu, observed, samples = {samples}, counts = [{counts}], "
                       f"minimum = [{mins}], maximum = [{maxs}]>")
            f.write(f"  %a{i} = linalg.generic {{indexing_maps = [{ID}, {ID}], iterator_types = [\"parallel\", \"parallel\"]}} ins(%z{i} : {t}) outs(%e{i} : {t}) attrs = {{lin.profile = {profile}}} {{\n")
            f.write("  ^bb0(%in: f32, %out: f32):\n    %c = arith.cmpf ugt, %in, %zero : f32\n    %r = arith.select %c, %in, %zero : f32\n    linalg.yield %r : f32\n")
            f.write(f"  }} -> {t}\n")
            h = f"%a{i}"
        f.write(f"  return {h} : {t}\n}}\n")
        f.write("\n{-#\n  dialect_resources: {\n    builtin: {\n")
        for i in range(layers):
            w = rng.normal(0, 1 / np.sqrt(width), size=(width, width)).astype("<f4")
            b = rng.normal(0, 0.1, size=width).astype("<f4")
            f.write(f"      w{i}: \"0x04000000{w.tobytes().hex()}\",\n")
            f.write(f"      b{i}: \"0x04000000{b.tobytes().hex()}\"{',' if i < layers - 1 else ''}\n")
        f.write("    }\n  }\n#-}\n")
    return plan


def timed(args: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of a command, via GNU time."""
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M"] + args,
                            capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{result.stderr[-2000:]}")
    rss = int(result.stderr.strip().splitlines()[-1])
    return seconds, rss


def gemm_seconds(shapes: list[tuple[int, int, int]], repeats: int = 3) -> float:
    """Best-of time of the merged GEMMs on the system OpenBLAS."""
    lib = ctypes.CDLL(ctypes.util.find_library("openblas") or "libopenblas.so.0")
    sgemm = lib.cblas_sgemm
    sgemm.restype = None
    f32p = ctypes.POINTER(ctypes.c_float)
    sgemm.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                      ctypes.c_int, ctypes.c_int, ctypes.c_float, f32p, ctypes.c_int,
                      f32p, ctypes.c_int, ctypes.c_float, f32p, ctypes.c_int]
    buffers = []
    for m, k, n in shapes:
        a = np.random.rand(m, k).astype(np.float32)
        b = np.random.rand(k, n).astype(np.float32)
        c = np.zeros((m, n), np.float32)
        buffers.append((m, k, n, a, b, c))
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for m, k, n, a, b, c in buffers:
            sgemm(101, 111, 111, m, n, k, 1.0, a.ctypes.data_as(f32p), k,
                  b.ctypes.data_as(f32p), n, 0.0, c.ctypes.data_as(f32p), n)
        best = min(best, time.perf_counter() - start)
    return best


def merged_gemm_shapes(report: dict, width: int) -> list[tuple[int, int, int]]:
    """The products the fold computes: when layer l merges k neurons, the
    skip into its consumer is (terms of z_l)[:, merged] @ M[merged, :], one
    product per root of z_l; z_l reaches back through every merged layer
    before it."""
    shapes = []
    reach = [width]  # rows of the terms of z_l, one per root
    for row in report["layers"]:
        merged, kept = row["folded"], row["kept"]
        if merged:
            shapes += [(rows, merged, width) for rows in reach]
            reach = [kept] + reach
        else:
            reach = [kept]
    return shapes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--width", type=int, default=4096)
    parser.add_argument("--layers", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "fold_large.json")
    args = parser.parse_args()

    CACHE.mkdir(parents=True, exist_ok=True)
    stem = CACHE / f"fold_large_{args.layers}x{args.width}"
    text, bytecode = stem.with_suffix(".mlir"), stem.with_suffix(".mlirbc")
    plan_file = stem.with_suffix(".plan.npz")
    if not bytecode.exists():
        print(f"writing {text} ...", flush=True)
        plan = write_model(text, args.width, args.layers, args.seed)
        np.savez(plan_file, **{str(k): v for k, v in plan.items()})
        subprocess.run([str(LIN_OPT), str(text), "-emit-bytecode", "-o", str(bytecode)], check=True)
        text.unlink()
    weights_bytes = args.layers * (args.width * args.width + args.width) * 4

    folded = stem.with_suffix(".folded.mlirbc")
    report = stem.with_suffix(".report.json")
    parse_cmd = [str(MLIR_OPT), str(bytecode), "-allow-unregistered-dialect",
                 "-emit-bytecode", "-o", "/dev/null"]
    fold_cmd = [str(LIN_OPT), str(bytecode), "-emit-bytecode", "-o", str(folded),
                f"--linearity-fold=report={report}"]
    # The machine is shared and noisy: interleave the measurements and keep
    # the best of each, so that all three see the same conditions.
    parse_s = fold_s = gemm_s = float("inf")
    parse_rss = fold_rss = 0
    shapes = None
    for round_ in range(args.rounds):
        print(f"round {round_ + 1}/{args.rounds}: parse + print, fold, GEMMs", flush=True)
        seconds, rss = timed(parse_cmd)
        parse_s, parse_rss = min(parse_s, seconds), max(parse_rss, rss)
        seconds, rss = timed(fold_cmd)
        fold_s, fold_rss = min(fold_s, seconds), max(fold_rss, rss)
        if shapes is None:
            shapes = merged_gemm_shapes(json.loads(report.read_text()), args.width)
        gemm_s = min(gemm_s, gemm_seconds(shapes, repeats=1))
    data = json.loads(report.read_text())

    result = {
        "model": f"{args.layers} x {args.width}x{args.width} dense + ReLU",
        "parameters": data["params_before"],
        "parameters_after": data["params_after"],
        "weights_bytes": weights_bytes,
        "bytecode_bytes": bytecode.stat().st_size,
        "parse_print_seconds_mlir_opt": round(parse_s, 3),
        "fold_seconds": round(fold_s, 3),
        "merged_gemm_seconds": round(gemm_s, 3),
        "merged_gemm_shapes": shapes,
        "fold_overhead_over_gemm": round((fold_s - parse_s) / gemm_s, 3),
        "fold_peak_rss_bytes": fold_rss * 1024,
        "parse_peak_rss_bytes": parse_rss * 1024,
        "peak_over_weights": round(fold_rss * 1024 / weights_bytes, 3),
        "targets": {"fold_overhead_over_gemm <=": 2.0, "peak_over_weights <=": 3.0},
        "threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
        "cores": os.cpu_count(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
