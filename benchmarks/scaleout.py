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

The sharded refit (``lin compress --refit --workers N``,
``lin_cli.scaleout.refit_on_cluster``) against the single fold with refit
(lin_cli's fold step, ``lin-opt --linearity-fold="... refit=lstsq
data=calib.npy"``), on the profiled model and the same 10,000 images, at
merge and remove thresholds --refit-threshold (0.95: six of seven consumers
refitted): the whole sharded refit as the client sees it, and per round
(one per refit candidate, and one that finds nothing left) the workers' wall
time (submit to gather: each worker's lin-opt parses the model, folds,
records its shard, replays the decisions so far and writes its blocks'
statistics), the slowest worker's lin-opt, and the client run (reads the
shards' statistics, merges the blocks in order, solves, decides), then the
final run that applies the decisions; and, for what a client run costs
besides the statistics, one lin-opt fold of the model without refit. Every sharded refit is checked to
write the single run's model and report byte for byte. Best of
--refit-repeats.

Usage: .venv/bin/python benchmarks/scaleout.py [--cache DIR] [--repeats N]
           [--refit-repeats N] [--no-refit]
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
from lin_cli.fold import FoldOptions, fold_model  # noqa: E402
from lin_cli.scaleout import (RefitTiming, ShardTiming, profile_on_cluster,  # noqa: E402
                              refit_on_cluster)
from lin_cli.tools import run_lin_tool  # noqa: E402


def measure_refit(profiled: Path, calib: Path, work: Path, workers, repeats: int,
                  threshold: float) -> dict:
    """The single fold with refit against the sharded refit (see the module
    docstring); exits when a sharded refit's model or report differs."""
    options = FoldOptions(threshold=threshold, merge_threshold=threshold,
                          remove_threshold=threshold, refit=True)
    single = float("inf")
    best = {n: (float("inf"), None) for n in workers}
    report = None
    for _ in range(repeats):
        start = time.perf_counter()
        report = fold_model(profiled, [calib], work / "refit-single.mlir",
                            work / "refit-single.json", options)
        single = min(single, time.perf_counter() - start)
        for n in workers:
            timing = RefitTiming()
            start = time.perf_counter()
            refit_on_cluster(profiled, calib, work / f"refit{n}.mlir", work / f"refit{n}.json",
                             options, workers=n, timing=timing)
            seconds = time.perf_counter() - start
            for suffix in ("mlir", "json"):
                if ((work / f"refit{n}.{suffix}").read_bytes()
                        != (work / f"refit-single.{suffix}").read_bytes()):
                    sys.exit(f"{n} workers: the sharded refit's {suffix} differs from the "
                             f"single run's")
            if seconds < best[n][0]:
                best[n] = (seconds, timing)
    # What every client run does besides the statistics: parse the model,
    # plan and fold (here without refit, output discarded).
    fold_only = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run_lin_tool(["lin-opt", profiled,
                      f"--linearity-fold={' '.join(options.plan_options())} quiet=1",
                      "-emit-bytecode", "-o", os.devnull])
        fold_only = min(fold_only, time.perf_counter() - start)
    consumers = report["functions"][0]["refit"]["consumers"]
    sharded = []
    for n in workers:
        seconds, timing = best[n]
        sharded.append({
            "workers": n, "shards": timing.shards, "seconds": round(seconds, 3),
            "speedup": round(single / seconds, 3), "rounds": len(timing.rounds),
            "round_workers_seconds": [round(r.workers, 3) for r in timing.rounds],
            "round_slowest_worker_seconds": [round(max(r.shard_seconds), 3)
                                             for r in timing.rounds],
            "round_client_seconds": [round(r.client, 3) for r in timing.rounds],
            "client_seconds_total": round(sum(r.client for r in timing.rounds), 3),
            "final_seconds": round(timing.final, 3),
            "bit_identical": True})
    return {"merge_threshold": threshold, "remove_threshold": threshold,
            "params_after": report["params_after"],
            "consumers": len(consumers),
            "refitted": sum(c["refitted"] for c in consumers),
            "max_features": max(c["features"] for c in consumers),
            "repeats": repeats, "single_seconds": round(single, 3),
            "fold_without_refit_seconds": round(fold_only, 3), "sharded": sharded}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=ROOT / "benchmarks" / ".cache")
    parser.add_argument("--model", default="fmnist_paper")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--refit-repeats", type=int, default=1)
    parser.add_argument("--refit-threshold", type=float, default=0.95)
    parser.add_argument("--no-refit", action="store_true", help="measure the profile only")
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
        refit = None if args.no_refit else measure_refit(
            work / "single.mlirbc", calib, work, args.workers, args.refit_repeats,
            args.refit_threshold)
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
    if refit is not None:
        result["refit"] = refit
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
