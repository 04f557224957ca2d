#!/usr/bin/env python3
"""Sharded profiling on Dask (``lin compress --workers N``) against one run.

The paper's Fashion-MNIST MLP (benchmarks/.cache/fmnist_paper, made by
python/train_models.py: 784-1024-1024-512-512-256-256-10, ReLU) profiled on
its 10,000 calibration images in batches of 512, measured in one run:

* single: ``lin-opt --linearity-profile`` on all the data (lin_cli's
  profile step, OpenBLAS on every core);
* N local workers (``lin_cli.scaleout.profile_on_cluster``), N = 1, 2: the
  whole sharded profile as the client sees it: cluster start, shipping the
  model and the shards, the workers' lin-opt runs (each with cores / N
  OpenBLAS threads), the copies coming back, and the merge
  (``lin-opt --linearity-merge-profiles``), whose cost is also given alone,
  as is the slowest worker's lin-opt run (shard file written to profiled
  copy read back).

Every sharded profile is checked to be byte-identical to the single one.
The model is profiled from bytecode (what lin compress hands the workers).
Each figure is the best of --repeats interleaved rounds (the machine may be
shared). On one machine the workers share its cores, so the speedup shows
what the sharding costs more than what a cluster gains: with W machines
each worker has a machine's cores.

Usage: .venv/bin/python benchmarks/scaleout.py [--cache DIR] [--repeats N]
Writes benchmarks/results/scaleout.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "python"))

from lin_cli.calibrate import profile_model  # noqa: E402
from lin_cli.scaleout import ShardTiming, profile_on_cluster  # noqa: E402
from lin_cli.tools import run_lin_tool  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=ROOT / "benchmarks" / ".cache")
    parser.add_argument("--model", default="fmnist_paper")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--output", type=Path,
                        default=ROOT / "benchmarks" / "results" / "scaleout.json")
    args = parser.parse_args()
    directory = args.cache / args.model
    if not (directory / "model.mlir").is_file():
        sys.exit(f"{directory}/model.mlir missing: python/train_models.py makes it")

    with tempfile.TemporaryDirectory(prefix="lin-scaleout-") as tmp:
        work = Path(tmp)
        model = work / "model.mlirbc"
        run_lin_tool(["lin-opt", directory / "model.mlir", "-emit-bytecode", "-o", model])
        calib = directory / "calib_x.npy"
        best = {"single": float("inf")}
        merge = {n: float("inf") for n in args.workers}
        worker = {n: float("inf") for n in args.workers}
        shards = {}
        for _ in range(args.repeats):
            start = time.perf_counter()
            profile_model(model, [calib], work / "single.mlirbc", quiet=True)
            best["single"] = min(best["single"], time.perf_counter() - start)
            reference = (work / "single.mlirbc").read_bytes()
            for n in args.workers:
                timing = ShardTiming()
                start = time.perf_counter()
                profile_on_cluster(model, calib, work / f"sharded{n}.mlirbc", workers=n,
                                   timing=timing)
                seconds = time.perf_counter() - start
                if (work / f"sharded{n}.mlirbc").read_bytes() != reference:
                    sys.exit(f"{n} workers: the merged profile differs from the single run")
                best[n] = min(best.get(n, float("inf")), seconds)
                merge[n] = min(merge[n], timing.merge)
                worker[n] = min(worker[n], max(timing.shard_seconds))
                shards[n] = timing.shards
    result = {
        "model": args.model,
        "samples": shards[args.workers[0]][-1][1],
        "batch": 512,
        "cores": os.cpu_count(),
        "repeats": args.repeats,
        "single_seconds": round(best["single"], 3),
        "sharded": [{"workers": n, "shards": shards[n], "seconds": round(best[n], 3),
                     "speedup": round(best["single"] / best[n], 3),
                     "slowest_worker_seconds": round(worker[n], 3),
                     "merge_seconds": round(merge[n], 3), "bit_identical": True}
                    for n in args.workers],
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
