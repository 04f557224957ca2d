#!/usr/bin/env python3
"""IREE latency of the forms lin can emit a fold in: what chose its defaults.

The same fold of a cached, profiled model (paper_tables.py's cache) is
emitted in each form of FORMS (same function, same numbers, same weights
apart from the padding) and timed in IREE against the original: every model
first runs the whole test set (IREE's local-task runtime is slow on its
first batch-1 calls), then batch 1, 16 and 256 are timed with all models
interleaved round by round in one process (lin_toolchain.timing.latency);
the speedup is the median over rounds of original time / form time. Also
the dispatches of each compiled module (lin_toolchain.iree.count_dispatches).

Usage (after paper_tables.py has filled the cache):
  .venv/bin/python benchmarks/iree_layout.py benchmarks/.cache/fmnist_paper benchmarks/.cache/fmnist_adam
Writes results/iree_layout.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "python"))

from lin_toolchain import find_tool, run_tool  # noqa: E402
from lin_toolchain.iree import compile_iree, count_dispatches, run_in_batches  # noqa: E402
from lin_toolchain.timing import latency  # noqa: E402

# The emission forms, as fold options; the last is lin's default.
FORMS = {
    "batch-major in-out, unpadded": "activation-layout=batch-major weight-layout=in-out align=1",
    "batch-major in-out": "activation-layout=batch-major weight-layout=in-out",
    "batch-major out-in": "activation-layout=batch-major weight-layout=out-in",
    "feature-major (default)": "",
}
# The folds: a lossless algebraic one and a refitted one (paper_tables'
# refit split: profiled and refitted on work/fit_x.npy).
FOLDS = {
    "threshold 1.0": ("profiled.mlirbc", "threshold=1.0"),
    "refit m0.4 r0.9": ("profiled_fit.mlirbc", "merge-threshold=0.4 remove-threshold=0.9 refit=lstsq "
                        "data={work}/fit_x.npy quiet=1"),
}
BATCHES = (1, 16, 256)


def fold(work: Path, profiled: str, options: str) -> str:
    return run_tool([find_tool("lin-opt"), str(work / profiled),
                     f"--linearity-fold={options}", "--canonicalize", "--cse"])


def bench_model(d: Path, budget: float) -> dict:
    """Every fold of FOLDS in every form of FORMS, timed against the original."""
    work = d / "work"
    x, y = np.load(d / "test_x.npy"), np.load(d / "test_y.npy")
    texts = {"original": (d / "model.mlir").read_text()}
    for fold_name, (profiled, options) in FOLDS.items():
        for form, form_options in FORMS.items():
            texts[f"{fold_name} | {form}"] = fold(work, profiled,
                                                 f"{options.format(work=work)} {form_options}")
    calls, out = {}, {"model": d.name, "forms": FORMS, "folds": {k: v[1] for k, v in FOLDS.items()},
                      "accuracy": {}, "dispatches": {}, "speedup": {}}
    for key, text in texts.items():
        calls[key] = compile_iree(text, target_cpu="host", generalize_on_error=True)
        out["accuracy"][key] = float((run_in_batches(calls[key], x, 1000).argmax(1) == y).mean())
        out["dispatches"][key] = count_dispatches(text, generalize_on_error=True)
    loads = [os.getloadavg()[0]]
    for batch in BATCHES:
        lat = latency(calls, x, batch, budget, reference="original")
        out["speedup"][f"batch{batch}"] = lat["round_ratio"]
        loads.append(os.getloadavg()[0])
    out["loadavg_1min"] = [round(min(loads), 2), round(max(loads), 2)]
    return out


def table(results: list) -> str:
    lines = ["| model | fold | form | dispatches | b1 / b16 / b256 |", "| --- | --- | --- | ---: | --- |"]
    for r in results:
        lines.append(f"| {r['model']} | original | | {r['dispatches']['original']} | 1 |")
        for key in r["speedup"]["batch1"]:
            fold_name, form = key.split(" | ")
            speed = " / ".join(f"{r['speedup'][f'batch{b}'][key]:.2f}x" for b in BATCHES)
            lines.append(f"| | {fold_name} | {form} | {r['dispatches'][key]} | {speed} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model_dirs", type=Path, nargs="+",
                        help="paper_tables.py cache entries, e.g. benchmarks/.cache/fmnist_paper")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds of timing per batch size")
    args = parser.parse_args()
    results = [bench_model(d, args.budget) for d in args.model_dirs]
    summary = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "results": results}
    (HERE / "results" / "iree_layout.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
