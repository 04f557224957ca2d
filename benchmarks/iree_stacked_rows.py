#!/usr/bin/env python3
"""IREE time of a stacked input matmul by its number of rows.

When the fold merges neurons of several layers, the model's input feeds all
of them through one stacked matmul, [rows x inputs] . x^T -> [rows x batch]
(feature-major emission, FoldEmission.h). fmnist_paper's refit 1 pt model
stacks 113 rows on 784 inputs, and IREE's per-dispatch times
(`iree-benchmark-module --device_profiling_mode=host-execution`, then
`iree-profile statistics`) put 1.37 ms of its 1.5 ms call at batch 256 in
that one dispatch, at a quarter of the FLOP rate of the original's matmuls.
This script times that matmul alone, with random weights, for row counts
around it, and on 64 inputs (the tabular models' layers: breast cancer's
lossless fold has layers of 59 and 51 neurons) for odd counts and the even
ones a row more, each module compiled for the host CPU and timed
interleaved with the others of its input width in one process
(lin_toolchain.timing.latency, median seconds per call), and reports
GFLOP/s. The fold pads by what it shows (FoldAlignment.h): to a multiple
of `align` from 8,192 weight elements on, to an even width above 16 rows.

Usage: .venv/bin/python benchmarks/iree_stacked_rows.py [--budget 4]
Writes results/iree_stacked_rows.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "python"))

from lin_toolchain.iree import compile_module, load_module  # noqa: E402
from lin_toolchain.timing import latency  # noqa: E402

# Rows timed together, by the number of inputs.
SHAPES = {784: (97, 104, 112, 113, 114, 116, 120, 128),
          64: (7, 8, 15, 16, 31, 32, 51, 52, 59, 60)}
BATCHES = (1, 16, 256)


def stacked_matmul(rows: int, inputs: int, rng: np.random.Generator) -> str:
    """A module of the stacked matmul as lin emits it: a [rows x inputs]
    constant, the batch-major argument read through a transposed map."""
    blob = "0x04000000" + (rng.standard_normal((rows, inputs)).astype("<f4") * 0.1).tobytes().hex()
    maps = ("affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, "
            "affine_map<(d0, d1, d2) -> (d0, d1)>")
    return f"""module {{
  func.func @main(%x: tensor<?x{inputs}xf32>) -> tensor<{rows}x?xf32> {{
    %c0 = arith.constant 0 : index
    %zero = arith.constant 0.0 : f32
    %n = tensor.dim %x, %c0 : tensor<?x{inputs}xf32>
    %w = arith.constant dense_resource<w> : tensor<{rows}x{inputs}xf32>
    %e = tensor.empty(%n) : tensor<{rows}x?xf32>
    %f = linalg.fill ins(%zero : f32) outs(%e : tensor<{rows}x?xf32>) -> tensor<{rows}x?xf32>
    %r = linalg.matmul indexing_maps = [{maps}] ins(%w, %x : tensor<{rows}x{inputs}xf32>, tensor<?x{inputs}xf32>) outs(%f : tensor<{rows}x?xf32>) -> tensor<{rows}x?xf32>
    return %r : tensor<{rows}x?xf32>
  }}
}}
{{-#
  dialect_resources: {{ builtin: {{ w: "{blob}" }} }}
#-}}
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--budget", type=float, default=4.0, help="seconds of timing per batch size")
    ap.add_argument("--out", default=str(HERE / "results" / "iree_stacked_rows.json"))
    args = ap.parse_args(argv)
    rng = np.random.default_rng(0)
    out = {"shapes": {}}
    for inputs, rows in SHAPES.items():
        calls = {str(r): load_module(compile_module(stacked_matmul(r, inputs, rng), target_cpu="host"))
                 for r in rows}
        x = rng.standard_normal((max(BATCHES), inputs)).astype(np.float32)
        for call in calls.values():  # local-task's first small calls are slow before a large one
            call(x)
        shape = out["shapes"][str(inputs)] = {"rows": list(rows), "batches": {}}
        for batch in BATCHES:
            load = os.getloadavg()[0]
            lat = latency(calls, x, batch, args.budget)
            shape["batches"][str(batch)] = {
                "rounds": lat["rounds"], "loadavg_1min": [round(load, 2), round(os.getloadavg()[0], 2)],
                "median_seconds": lat["median"],
                "gflops": {k: 2 * int(k) * inputs * batch / v / 1e9 for k, v in lat["median"].items()}}
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n")
    print("| inputs | rows | " + " | ".join(f"batch {b}: µs (GFLOP/s)" for b in BATCHES) + " |")
    print("| ---: | ---: | " + " | ".join("---:" for _ in BATCHES) + " |")
    for inputs, rows in SHAPES.items():
        shape = out["shapes"][str(inputs)]["batches"]
        for r in rows:
            cells = [f"{shape[str(b)]['median_seconds'][str(r)] * 1e6:.1f} "
                     f"({shape[str(b)]['gflops'][str(r)]:.1f})" for b in BATCHES]
            print(f"| {inputs} | {r} | " + " | ".join(cells) + " |")
        print(f"load ({inputs} inputs): " + ", ".join(f"b{b} {shape[str(b)]['loadavg_1min']}" for b in BATCHES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
