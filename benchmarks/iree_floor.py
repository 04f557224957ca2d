#!/usr/bin/env python3
"""The floor of a call under IREE: what bounds the speedup of a small model.

Issue 11 asks every compressed model to run at batch 256 at least 0.8 x
(original parameters / compressed parameters) times faster than the
original. On the tabular models (12-130 thousand weights, 0.1-0.5 ms per
call) a call costs mostly what does not depend on the weights: the
runtime's call overhead, one dispatch per matmul, reading the input and
writing the output. This script measures that floor: for every cached model
(paper_tables.py's cache) and every dispatch count D from 1 to the largest
of its IREE table, a "floor" model with D dispatches and almost no weights, a
chain of D dense layers of widths n_in -> 1 -> ... -> 1 -> n_out (ReLU
between; D = 1 is the direct linear map n_in -> n_out, the smallest model
that reads the input and writes the output), written the way torch-mlir
writes nn.Linear (lin_testing.mlp_ir). No compressed model with D
dispatches can be faster than it, so t_original / t_floor(D) bounds the
speedup of every compressed model with D dispatches.

The original and its floors are timed interleaved, round by round, in one
process (lin_toolchain.timing.latency; the median over rounds of original
time / floor time) at batch 1, 16 and 256 (as in the IREE table, 256
means the whole test set where that is smaller: iris 30 rows, wine 35,
breast cancer 114), after every model has run the test set. Then every compressed model of the IREE table
(results/<model>.json, ``iree``) is set against the floor of its dispatch
count: ``needed`` is issue 11's batch-256 target (0.8 x the parameter
ratio, on the row's parameters as the tables count them), ``bound`` the
floor's speedup; ``needed > bound`` means the target cannot be met by any
model with that many dispatches on this machine.

Usage (after paper_tables.py has filled the cache and results):
  .venv/bin/python benchmarks/iree_floor.py [--models wine,iris] [--budget 3]
Writes results/iree_floor.json and prints a Markdown table.
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

from lin_testing.mlp_ir import Activation, Dense, Mlp  # noqa: E402
from lin_toolchain.iree import compile_iree, count_dispatches, run_in_batches  # noqa: E402
from lin_toolchain.timing import latency  # noqa: E402

BATCHES = (1, 16, 256)
MODELS = ("breast_cancer", "wine", "digits", "iris", "titanic", "digits_leaky", "digits_relu6",
          "digits_onnx", "fmnist_paper", "fmnist_adam")


def floor_model(n_in: int, n_out: int, dispatches: int) -> str:
    """D dense layers n_in -> 1 -> ... -> 1 -> n_out in torch-mlir's form,
    with small random weights (the values do not matter for the time)."""
    rng = np.random.default_rng(0)
    widths = [n_in] + [1] * (dispatches - 1) + [n_out]
    layers = []
    for i in range(dispatches):
        weight = rng.normal(0, 0.1, size=(widths[i + 1], widths[i])).astype(np.float32)
        bias = np.zeros(widths[i + 1], dtype=np.float32)
        act = Activation.relu("maximumf") if i < dispatches - 1 else None
        layers.append(Dense(weight, bias, act, form="torch", weight_encoding="resource",
                            bias_encoding="resource"))
    return Mlp(layers).to_mlir()


def bench_model(d: Path, budget: float, most_dispatches: int = 0) -> dict:
    """The original and its floors of 1 to max(the original's,
    ``most_dispatches``) dispatches, timed interleaved."""
    original = (d / "model.mlir").read_text()
    x = np.load(d / "test_x.npy").astype(np.float32)
    calls = {"original": compile_iree(original, target_cpu="host", generalize_on_error=True)}
    n_out = run_in_batches(calls["original"], x[:2], None).shape[1]
    dispatches = {"original": count_dispatches(original, generalize_on_error=True)}
    for count in range(1, max(dispatches["original"], most_dispatches) + 1):
        text = floor_model(x.shape[1], n_out, count)
        key = f"floor{count}"
        calls[key] = compile_iree(text, target_cpu="host")
        dispatches[key] = count_dispatches(text)
    for call in calls.values():       # local-task is slow before a large batch
        run_in_batches(call, x, 1000)
    out = {"model": d.name, "inputs": int(x.shape[1]), "outputs": int(n_out), "dispatches": dispatches,
           "median_seconds": {}, "speedup": {}}
    loads = [os.getloadavg()[0]]
    for batch in BATCHES:
        lat = latency(calls, x, min(batch, len(x)), budget, reference="original")
        out.setdefault("batch_rows", {})[f"batch{batch}"] = min(batch, len(x))
        out["median_seconds"][f"batch{batch}"] = lat["median"]
        out["speedup"][f"batch{batch}"] = lat["round_ratio"]
        loads.append(os.getloadavg()[0])
    out["loadavg_1min"] = [round(min(loads), 2), round(max(loads), 2)]
    return out


def against_table(floor: dict, results: Path) -> list:
    """Each compressed model of the model's IREE table against the floor of
    its dispatch count at batch 256."""
    path = results / f"{floor['model']}.json"
    if not path.exists():
        return []
    res = json.loads(path.read_text())
    iree = res.get("iree", {}).get("models", {})
    rows = []
    for key, m in iree.items():
        if key == "original" or m.get("same_ir_as"):
            continue
        count = m["dispatches"]
        bound = floor["speedup"]["batch256"].get(f"floor{count}")
        needed = 0.8 * res["params"] / m["row_params"]
        measured = res["iree"]["latency"]["batch256"]["speedup_rounds"].get(key)
        rows.append({"row": key, "dispatches": count, "row_params": m["row_params"],
                     "needed_batch256": round(needed, 2),
                     "bound_batch256": None if bound is None else round(bound, 2),
                     "measured_batch256": None if measured is None else round(measured, 2),
                     "attainable": None if bound is None else bound >= needed})
    return rows


def table(results: list) -> str:
    lines = ["| model | original b1 / b16 / b256 | floor speedup by dispatches (b256) | "
             "table rows: needed vs bound at b256 |",
             "| --- | --- | --- | --- |"]
    for r in results:
        orig = " / ".join(f"{r['median_seconds'][f'batch{b}']['original'] * 1e3:.3f}" for b in BATCHES)
        floors = ", ".join(f"{k[5:]}: {v:.2f}x" for k, v in r["speedup"]["batch256"].items())
        rows = "; ".join(f"{t['row']} ({t['dispatches']} disp.) {t['needed_batch256']:g}x vs "
                         f"{t['bound_batch256']}x" for t in r["table_rows"])
        lines.append(f"| {r['model']} | {orig} ms | {floors} | {rows} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=HERE / ".cache", help="paper_tables.py's model cache")
    parser.add_argument("--results", type=Path, default=HERE / "results",
                        help="paper_tables.py's results (the IREE table rows)")
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated cache entries")
    parser.add_argument("--budget", type=float, default=3.0, help="seconds of timing per batch size and model")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "iree_floor.json")
    args = parser.parse_args()
    results = []
    for name in args.models.split(","):
        table_path = args.results / f"{name}.json"
        table_dispatches = [m["dispatches"] for m in json.loads(table_path.read_text())
                            .get("iree", {}).get("models", {}).values()] if table_path.exists() else []
        r = bench_model(args.cache / name, args.budget, max(table_dispatches, default=0))
        r["table_rows"] = against_table(r, args.results)
        results.append(r)
        print(f"{name}: floor speedups at b256 {r['speedup']['batch256']}", flush=True)
    summary = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "budget_seconds": args.budget,
               "results": results}
    args.out.write_text(json.dumps(summary, indent=1) + "\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
