#!/usr/bin/env python3
"""IREE latency of a folded model with lin's weight layout vs the transposed one.

lin's fold emits every dense layer as ``linalg.matmul ins(%x, %W)`` with a
constant ``W : [in, out]``. torch-mlir's original emits ``W : [out, in]`` plus
a ``linalg.transpose``, which IREE fuses into a matmul with a transposed B
operand. This script rewrites a folded model's matmuls to the transposed form
(``W^T : [out, in]`` read through transposed indexing maps: same function,
same numbers) and times original, folded and folded-transposed in IREE the
way paper_tables.py does (each model first runs the whole test set, then
batch 1 and 256 are timed interleaved; best and median of the rounds).

Usage (after paper_tables.py has filled the cache):
  .venv/bin/python benchmarks/iree_layout.py benchmarks/.cache/fmnist_paper paper-m0.8-r0.99
Writes results/iree_layout_<model>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "python"))

from lin_toolchain.iree import compile_iree, run_in_batches  # noqa: E402
from paper_tables import latency  # noqa: E402

TRANSPOSED_B = ("indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, "
                "affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]")


def transpose_b(text: str) -> tuple[str, int]:
    """Store every constant B operand of a plain linalg.matmul transposed."""
    consts = {m[0]: (m[1], m[2]) for m in re.findall(
        r"(%cst_\d+|%cst) = arith.constant dense_resource<(\w+)> : tensor<(\d+x\d+)xf32>", text)}
    blobs = dict(re.findall(r'(\w+): "0x([0-9A-Fa-f]+)"', text))
    done = set()

    def fix(m):
        a, b, ta, k, n = m.groups()
        if b not in consts:
            return m.group(0)
        done.add(b)
        return f"linalg.matmul {TRANSPOSED_B} ins({a}, {b} : {ta}, tensor<{n}x{k}xf32>)"

    text = re.sub(r"linalg.matmul ins\((%\w+), (%\w+) : (tensor<\?x\d+xf32>), tensor<(\d+)x(\d+)xf32>\)",
                  fix, text)
    for c in done:
        name, shape = consts[c]
        k, n = map(int, shape.split("x"))
        raw = bytes.fromhex(blobs[name])
        w = np.frombuffer(raw[4:], "<f4").reshape(k, n)
        text = text.replace(f"{c} = arith.constant dense_resource<{name}> : tensor<{k}x{n}xf32>",
                            f"{c} = arith.constant dense_resource<{name}> : tensor<{n}x{k}xf32>")
        text = text.replace(f'{name}: "0x{blobs[name]}"',
                            f'{name}: "0x{raw[:4].hex().upper()}{np.ascontiguousarray(w.T).tobytes().hex().upper()}"')
    return text, len(done)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model_dir", type=Path, help="a paper_tables.py cache entry, e.g. benchmarks/.cache/fmnist_paper")
    parser.add_argument("config", help="a folded configuration in its work/, e.g. paper-m0.8-r0.99")
    args = parser.parse_args()
    d, cfg = args.model_dir, args.config
    folded = (d / "work" / f"{cfg}.mlir").read_text()
    transposed, n = transpose_b(folded)
    (d / "work" / f"{cfg}.transposed.mlir").write_text(transposed)
    x, y = np.load(d / "test_x.npy"), np.load(d / "test_y.npy")
    texts = {"original": (d / "model.mlir").read_text(), "folded": folded, "folded_transposed_b": transposed}
    calls, out = {}, {"model": d.name, "config": cfg, "matmuls_rewritten": n, "accuracy": {}, "latency_ms": {}}
    for k, t in texts.items():
        calls[k] = compile_iree(t, target_cpu="host", generalize_on_error=True)
        out["accuracy"][k] = float((run_in_batches(calls[k], x, 1000).argmax(1) == y).mean())
    for b in (1, 256):
        lat = latency(calls, x, b, 5.0)
        out["latency_ms"][f"batch{b}"] = {k: round(lat[k] * 1e3, 3) for k in calls}
        out["latency_ms"][f"batch{b}_median"] = {k: round(v * 1e3, 3) for k, v in lat["median"].items()}
    out["loadavg_1min"] = round(os.getloadavg()[0], 2)
    out["date"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    print(json.dumps(out, indent=1))
    (HERE / "results" / f"iree_layout_{d.name}.json").write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
