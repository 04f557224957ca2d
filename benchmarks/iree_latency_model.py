#!/usr/bin/env python3
"""Calibrate the batch-1 latency model behind lin's ``objective=latency``.

lin's latency objective prices a fold as weight elements + dispatch-cost x
matmul dispatches, so a fold that saves a few parameters but adds a skip
matmul is not taken when the model runs at batch 1. This script measures
what a dispatch costs in weight elements on this machine with IREE
(llvm-cpu, host CPU): it fits

    seconds per call = a * weight bytes + c * dispatches + d

by least squares over generated ReLU MLPs whose weight bytes and dispatch
counts vary independently (deep chains of narrow layers: many dispatches,
few bytes; a few wide layers: the reverse; skip matmuls: one more dispatch
each, at the same depth), all timed at batch 1, interleaved round by round
in one process (lin_toolchain.timing.latency). The models are emitted the
way lin emits folded layers (``weight-layout=out-in``: one matmul per root
into the consumer's accumulator, bias and ReLU in one generic, widths
multiples of 16); dispatches are counted on IREE's flow level
(lin_toolchain.iree.count_dispatches), not assumed.

The result, ``dispatch_cost_elements = c / (4 bytes * a)``, is the default
``dispatch-cost`` of ``lin-opt --linearity-fold="objective=latency"``.

Usage: .venv/bin/python benchmarks/iree_latency_model.py [--budget 40] [--out benchmarks/results/iree_latency_model.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "python"))

from lin_toolchain.iree import compile_module, count_dispatches, load_module  # noqa: E402
from lin_toolchain.timing import latency  # noqa: E402

INPUT_WIDTH = 784    # Fashion-MNIST's, as the benchmark models
OUTPUT_WIDTH = 10
F32_BYTES = 4


@dataclass
class Mlp:
    """A generated model: hidden widths, and for each hidden layer i >= 1
    whether it also reads layer i - 2's output (the input for i = 1) through a
    skip matmul, as a consumer of a folded layer does."""
    name: str
    hidden: tuple
    skips: tuple = ()
    weights: list = field(default_factory=list)   # filled by emit()


def design() -> list:
    """Models whose bytes and dispatch counts are far from proportional:
    depth at fixed width, width at fixed depth, and skips at fixed widths."""
    models = []
    for width in (16, 64):                                  # dispatch-bound
        for depth in (1, 4, 16, 48):
            models.append(Mlp(f"w{width}_d{depth}", (width,) * depth))
    for width in (256, 512, 1024):                          # byte-bound (<= 12 MB, as the benchmarks)
        for depth in (1, 3):
            models.append(Mlp(f"w{width}_d{depth}", (width,) * depth))
    for width, depth in ((16, 16), (128, 8), (512, 4)):     # + skip matmuls
        models.append(Mlp(f"w{width}_d{depth}_skips", (width,) * depth,
                          tuple(i >= 1 for i in range(depth))))
    models.append(Mlp("paper_like", (1024, 1024, 512, 512, 256, 256)))
    return models


def dense_hex(a: np.ndarray) -> str:
    """A dense f32 attribute as MLIR's hex form (raw little-endian bytes):
    compact, and exact."""
    return f'dense<"0x{np.ascontiguousarray(a, dtype="<f4").tobytes().hex().upper()}"> : tensor<{"x".join(map(str, a.shape))}xf32>'


_MATMUL_OUT_IN = ("linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, "
                  "affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]")


def emit(mlp: Mlp, rng: np.random.Generator) -> str:
    """The model as linalg on tensors in lin's out-in per-root form; records
    its weight arrays in ``mlp.weights``."""
    widths = (INPUT_WIDTH, *mlp.hidden, OUTPUT_WIDTH)
    lines = ["#id = affine_map<(d0, d1) -> (d0, d1)>", "#row = affine_map<(d0, d1) -> (d1)>",
             "func.func @main(%x: tensor<?x784xf32>) -> tensor<?x10xf32> {",
             "  %c0 = arith.constant 0 : index", "  %zero = arith.constant 0.0 : f32",
             "  %n = tensor.dim %x, %c0 : tensor<?x784xf32>"]
    values = ["%x"]                       # output of layer i (i = 0: the input)
    mlp.weights = []
    for i, (k, m) in enumerate(zip(widths, widths[1:])):
        roots = [(values[-1], k)]
        if 1 <= i < len(mlp.skips) and mlp.skips[i]:
            roots.append((values[-2], widths[i - 1]))
        lines += [f"  %e{i} = tensor.empty(%n) : tensor<?x{m}xf32>",
                  f"  %acc{i}_0 = linalg.fill ins(%zero : f32) outs(%e{i} : tensor<?x{m}xf32>) -> tensor<?x{m}xf32>"]
        for j, (src, kw) in enumerate(roots):
            w = (rng.standard_normal((m, kw)) / np.sqrt(kw)).astype(np.float32)
            mlp.weights.append(w)
            lines += [f"  %w{i}_{j} = arith.constant {dense_hex(w)}",
                      f"  %acc{i}_{j + 1} = {_MATMUL_OUT_IN} ins({src}, %w{i}_{j} : tensor<?x{kw}xf32>, "
                      f"tensor<{m}x{kw}xf32>) outs(%acc{i}_{j} : tensor<?x{m}xf32>) -> tensor<?x{m}xf32>"]
        bias = (0.01 * rng.standard_normal(m)).astype(np.float32)
        mlp.weights.append(bias)
        relu = i < len(widths) - 2
        body = ("    %s = arith.addf %a, %b : f32\n"
                + ("    %r = arith.maximumf %s, %zero : f32\n    linalg.yield %r : f32\n" if relu
                   else "    linalg.yield %s : f32\n"))
        lines += [f"  %b{i} = arith.constant {dense_hex(bias)}",
                  f"  %h{i} = linalg.generic {{indexing_maps = [#id, #row, #id], iterator_types = "
                  f"[\"parallel\", \"parallel\"]}} ins(%acc{i}_{len(roots)}, %b{i} : tensor<?x{m}xf32>, "
                  f"tensor<{m}xf32>) outs(%e{i} : tensor<?x{m}xf32>) {{\n"
                  f"  ^bb0(%a: f32, %b: f32, %o: f32):\n{body}  }} -> tensor<?x{m}xf32>"]
        values.append(f"%h{i}")
    lines += [f"  return {values[-1]} : tensor<?x10xf32>", "}"]
    return "\n".join(lines) + "\n"


def fit(bytes_: np.ndarray, dispatches: np.ndarray, seconds: np.ndarray) -> dict:
    """Least squares of seconds = a * bytes + c * dispatches + d, each model's
    equation divided by its time: relative errors count alike, so the
    largest models (milliseconds) do not drown the dispatch-bound ones
    (tens of microseconds) that decide c. Returns the coefficients in
    readable units, the dispatch cost in f32 weight elements and every
    model's relative residual."""
    design_matrix = np.column_stack([bytes_, dispatches, np.ones_like(bytes_)])
    (a, c, d), *_ = np.linalg.lstsq(design_matrix / seconds[:, None], np.ones_like(seconds), rcond=None)
    predicted = design_matrix @ np.array([a, c, d])
    relative = (seconds - predicted) / seconds
    ss_res = float(((seconds - predicted) ** 2).sum())
    ss_tot = float(((seconds - seconds.mean()) ** 2).sum())
    return {"a_seconds_per_byte": float(a), "c_seconds_per_dispatch": float(c), "d_seconds": float(d),
            "us_per_MB": float(a) * 1e12, "us_per_dispatch": float(c) * 1e6, "us_per_call": float(d) * 1e6,
            "GB_per_s": 1e-9 / float(a) if a > 0 else None,
            "dispatch_cost_elements": float(c / (F32_BYTES * a)) if a > 0 else None,
            "r2": 1 - ss_res / ss_tot, "rms_relative_residual": float(np.sqrt((relative ** 2).mean())),
            "max_abs_relative_residual": float(np.abs(relative).max()),
            "relative_residuals": [round(float(r), 4) for r in relative]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--budget", type=float, default=40.0, help="seconds of interleaved timing in all")
    parser.add_argument("--driver", default="local-task", help="IREE runtime driver (the toolchain's default)")
    parser.add_argument("--target-cpu", default="host", help="--iree-llvmcpu-target-cpu")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "iree_latency_model.json")
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    models = design()
    calls, rows = {}, []
    warm = np.asarray(rng.standard_normal((256, INPUT_WIDTH)), dtype=np.float32)
    for mlp in models:
        text = emit(mlp, rng)
        calls[mlp.name] = load_module(compile_module(text, target_cpu=args.target_cpu), driver=args.driver)
        calls[mlp.name](warm)   # local-task's batch-1 calls are slow until a large batch has run
        rows.append({"name": mlp.name, "hidden": list(mlp.hidden), "skips": sum(mlp.skips),
                     "weight_bytes": F32_BYTES * sum(w.size for w in mlp.weights),
                     "dispatches": count_dispatches(text, target_cpu=args.target_cpu)})
        print(f"{mlp.name:18s} {rows[-1]['weight_bytes'] / 1e6:8.3f} MB {rows[-1]['dispatches']:3d} dispatches",
              flush=True)
    load_before = os.getloadavg()
    lat = latency(calls, warm, 1, args.budget, max_rounds=5000)
    load_after = os.getloadavg()
    for r in rows:
        r["best_us"] = round(lat[r["name"]] * 1e6, 2)
        r["median_us"] = round(lat["median"][r["name"]] * 1e6, 2)
    b = np.array([r["weight_bytes"] for r in rows], dtype=float)
    n = np.array([r["dispatches"] for r in rows], dtype=float)
    out = {
        "model": "seconds per call at batch 1 = a * weight bytes + c * dispatches + d "
                 "(least squares of relative errors)",
        "fit_median": fit(b, n, np.array([r["median_us"] for r in rows]) * 1e-6),
        "fit_best": fit(b, n, np.array([r["best_us"] for r in rows]) * 1e-6),
        "models": rows,
        "rounds": lat["rounds"],
        "driver": args.driver, "target_cpu": args.target_cpu, "batch": 1,
        "form": "batch-major activations, weight-layout=out-in, one matmul per root, bias+ReLU generic",
        "loadavg": {"before": [round(v, 2) for v in load_before], "after": [round(v, 2) for v in load_after]},
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    for key in ("fit_median", "fit_best"):
        f = out[key]
        print(f"{key}: {f['us_per_MB']:.1f} us/MB, {f['us_per_dispatch']:.2f} us/dispatch, "
              f"{f['us_per_call']:.1f} us/call, dispatch = {f['dispatch_cost_elements']:.0f} elements, "
              f"R2 {f['r2']:.3f}, rms rel. residual {f['rms_relative_residual']:.3f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
