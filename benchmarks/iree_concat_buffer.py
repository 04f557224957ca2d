#!/usr/bin/env python3
"""Buffer copies of feature-major concatenations under IREE, and one
activation buffer instead (lin's `concat-buffer`).

lin's feature-major emission reads every consumer's inputs with one matmul
over its inputs concatenated along the features. With `concat-buffer=0` each
consumer has a `tensor.concat`, and IREE turns each member of each
concatenation into a buffer copy (`flow.tensor.update`, at run time a
`copy_buffer` command and a barrier): a layer that every later layer reads
is copied once per reader. On a small model, whose call takes 50-100 µs,
those commands are what was left between the compressed model and the
original at batch 1 (breast cancer's lossless fold ran 0.89-0.96x its
original with as many dispatches). With `concat-buffer=1` (the default),
when every concatenation is a suffix of the longest, they all live in one
flat buffer (placeConcatenationsInOneBuffer, ConcatBuffer.h), each member
written once.

For one row of a model's IREE table (paper_tables.py's results and cache),
the script folds the row again as the table did (same profile, options and
data) with `concat-buffer=0` and `=1`, compiles both and the original for
the host CPU, counts their dispatches (lin_toolchain.iree.count_dispatches)
and the commands of their command buffers (`hal.command_buffer.*` in the
HAL-level IR), checks that the two folds compute the same outputs, and times
the three interleaved (lin_toolchain.timing.latency, median of per-round
speedups over the original) at batch 1, 16 and 256 on the model's test set.

Usage: .venv/bin/python benchmarks/iree_concat_buffer.py [--model breast_cancer] [--row lossless]
Writes results/iree_concat_buffer_MODEL_ROW.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "python"))
sys.path.insert(0, str(HERE))

import paper_tables  # noqa: E402
from lin_toolchain.iree import _compile, compile_iree, count_dispatches, run_in_batches  # noqa: E402
from lin_toolchain.timing import latency  # noqa: E402

BATCHES = (1, 16, 256)
def commands(text: str) -> dict:
    """The hal.command_buffer ops of the public function at IREE's HAL level."""
    hal = _compile(text, "host", ("--compile-to=hal", "--mlir-elide-elementsattrs-if-larger=16",
                                  "--mlir-elide-resource-strings-if-larger=16"), False).decode()
    body = hal[hal.index("util.func public @main("):]
    counts = Counter(re.findall(r"hal\.command_buffer\.(\w+)", body))
    return {k: counts[k] for k in ("dispatch", "copy_buffer", "execution_barrier")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=HERE / ".cache", help="paper_tables.py's model cache")
    parser.add_argument("--results", type=Path, default=HERE / "results", help="paper_tables.py's results")
    parser.add_argument("--model", default="breast_cancer")
    parser.add_argument("--row", default="lossless", help="a compiled row of the model's IREE table")
    parser.add_argument("--budget", type=float, default=4.0, help="seconds of timing per batch size")
    parser.add_argument("--out", type=Path,
                        help="JSON results (default: results/iree_concat_buffer_MODEL_ROW.json)")
    args = parser.parse_args()
    args.out = args.out or HERE / "results" / f"iree_concat_buffer_{args.model}_{args.row}.json"
    cache = args.cache / args.model
    res = json.loads((args.results / f"{args.model}.json").read_text())
    row = paper_tables.iree_rows(res)[args.row]
    tools = paper_tables.Tools(None, args.cache / "bin-snapshot")
    work = cache / "work"
    split = paper_tables.split_calibration(cache, work, cache / "model.mlir", tools)
    texts = {"original": (cache / "model.mlir").read_text()}
    reports = {}
    with tempfile.TemporaryDirectory() as tmp:
        for setting in (0, 1):
            extra = f" concat-buffer={setting}"
            out, report = Path(tmp) / f"buffer{setting}.mlir", Path(tmp) / f"buffer{setting}.json"
            if row["kind"] == "budget":
                tools.compress(cache / "model.mlir",
                               paper_tables.budget_options(row["budget"], split, None) + extra, out, report)
            else:
                profiled = work / ("profiled_fit.mlirbc" if row["kind"] == "refit" else "profiled.mlirbc")
                tools.fold(profiled, paper_tables.options(row, split["fit_x"]) + extra, out, report,
                           bytecode=False)
            texts[f"concat-buffer={setting}"] = out.read_text()
            reports[setting] = json.loads(report.read_text())["params_after"]
    x = np.load(cache / "test_x.npy").astype(np.float32)
    calls = {k: compile_iree(t, target_cpu="host") for k, t in texts.items()}
    outputs = {k: run_in_batches(c, x, 64) for k, c in calls.items()}
    result = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "model": args.model, "row": args.row,
              "params": reports,
              "max_abs_diff_buffer_vs_concat": float(
                  np.abs(outputs["concat-buffer=1"] - outputs["concat-buffer=0"]).max()),
              "dispatches": {k: count_dispatches(t) for k, t in texts.items()},
              "commands": {k: commands(t) for k, t in texts.items()},
              "speedup": {}, "original_median_us": {}, "loadavg_1min": [os.getloadavg()[0]]}
    for batch in BATCHES:
        lat = latency(calls, x, min(batch, len(x)), args.budget, reference="original")
        result["speedup"][f"batch{batch}"] = lat["round_ratio"]
        result["original_median_us"][f"batch{batch}"] = lat["median"]["original"] * 1e6
    result["loadavg_1min"].append(os.getloadavg()[0])
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"{args.model} {args.row} ({reports[1]} parameters); concat-buffer=1 vs 0: max |diff| "
          f"{result['max_abs_diff_buffer_vs_concat']:.2e}; load {result['loadavg_1min']}\n")
    print("| form | dispatches | copies / barriers per call | b1 / b16 / b256 vs original |")
    print("| --- | ---: | --- | --- |")
    for k in texts:
        c = result["commands"][k]
        speed = "1" if k == "original" else " / ".join(
            f"{result['speedup'][f'batch{b}'][k]:.2f}x" for b in BATCHES)
        print(f"| {k} | {result['dispatches'][k]} | {c['copy_buffer']} / {c['execution_barrier']} | {speed} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
