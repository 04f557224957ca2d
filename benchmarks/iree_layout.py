#!/usr/bin/env python3
"""IREE latency of a folded model with lin's two weight layouts.

lin's fold emits dense layers as ``linalg.matmul ins(%x, %W)`` with a
constant ``W : [in, out]`` (``weight-layout=in-out``, the default) or, with
``weight-layout=out-in``, a constant ``W^T : [out, in]`` (torch-mlir's
nn.Linear layout) read through a transposed indexing map: same function,
same numbers. This script folds a cached, profiled model both ways with the
configuration's options and times original and both folded forms in IREE
the way paper_tables.py does (each model first runs the whole test set, then
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

from lin_toolchain import find_tool, run_tool  # noqa: E402
from lin_toolchain.iree import compile_iree, run_in_batches  # noqa: E402
from paper_tables import latency  # noqa: E402


def fold_options(config: str) -> str:
    """The --linearity-fold options of a paper_tables configuration name
    (``<policy>-m<merge>-r<remove>`` or ``<policy>-ts<target>-r<remove>``)."""
    match = re.fullmatch(r"(\w+)-(m|ts)([0-9.]+)-r([0-9.]+)", config)
    if not match:
        raise SystemExit(f"not a paper_tables configuration name: {config}")
    policy, kind, value, remove = match.groups()
    key = "merge-threshold" if kind == "m" else "target-size"
    return f"policy={policy} {key}={value} remove-threshold={remove}"


def fold(profiled: Path, options: str, layout: str) -> str:
    return run_tool([find_tool("lin-opt"), str(profiled),
                     f"--linearity-fold={options} weight-layout={layout}",
                     "--canonicalize", "--cse"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model_dir", type=Path, help="a paper_tables.py cache entry, e.g. benchmarks/.cache/fmnist_paper")
    parser.add_argument("config", help="a folded configuration in its work/, e.g. paper-m0.8-r0.99")
    args = parser.parse_args()
    d, cfg = args.model_dir, args.config
    options = fold_options(cfg)
    profiled = d / "work" / "profiled.mlirbc"
    x, y = np.load(d / "test_x.npy"), np.load(d / "test_y.npy")
    texts = {"original": (d / "model.mlir").read_text(),
             "folded": fold(profiled, options, "in-out"),
             "folded_transposed_b": fold(profiled, options, "out-in")}
    calls, out = {}, {"model": d.name, "config": cfg, "fold_options": options,
                      "accuracy": {}, "latency_ms": {}}
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
