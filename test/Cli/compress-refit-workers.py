# The sharded refit (`lin compress --refit --workers N`) writes the same
# model, byte for byte, as the single-process `lin compress --refit`, on an
# MLP 8 -> 24 -> 24 -> 24 -> 4 whose biases spread its neurons from mostly
# dead to mostly active, so that at threshold 0.9 three consumers are
# refitted (fc 2, 4 and the output; fc 0 is exact): on 2 workers of a
# running cluster reached by its scheduler's address and 3 of a local one
# (shards of whole 8192-sample blocks of 20,000 samples:
# [0, 8192) + [8192, 20000), and one block each), the held-out slice of
# refit-ridge=auto starting inside a block (at sample 16,000); its report
# equals the single run's too. The rounds are one per refit candidate (and
# one that finds nothing left). The command does the same, also on the model
# exported with a static batch size (blocks of whole batches of it), and
# with other blocks (--refit-block).
#
# REQUIRES: torch-mlir
# RUN: %python %s

import tempfile
from pathlib import Path

import numpy as np
import torch

from lin_frontend import export_torch
from lin_testing.cli import run_lin
from lin_cli.calibrate import profile_model
from lin_cli.fold import FoldOptions, fold_model
from lin_cli.scaleout import RefitTiming, refit_block_samples, refit_on_cluster

SAMPLES = 20000


def compress(d, out, *extra, model="model.mlir"):
    result = run_lin(["compress", model, "--calib", "big.npy", "--threshold", "0.9",
                      "--refit", "-q", "-o", out, *extra], cwd=d)
    assert result.returncode == 0, result.stderr
    return (d / out).read_bytes()


def check_sharded(d, workers, timing, sharded, single, consumers):
    """The sharded refit's shards, rounds, report and model against the
    single run's."""
    assert timing.shards == ([(0, 8192), (8192, SAMPLES)] if workers == 2 else
                             [(0, 8192), (8192, 16384), (16384, SAMPLES)]), timing.shards
    assert sharded == single, (sharded, single)
    assert (d / f"r{workers}.json").read_bytes() == (d / "single.json").read_bytes()
    assert (d / f"r{workers}.mlir").read_bytes() == (d / "single.mlir").read_bytes()
    # One round per refit candidate (the consumers that reached a
    # fit), the last one also says no consumer is left.
    candidates = sum(c["refitted"] or c["why_not"] in (
        "the refit did not reduce the calibration error",
        "the algebraic fold is exact on the calibration data") for c in consumers)
    assert len(timing.rounds) in (candidates, candidates + 1), (timing.rounds, consumers)
    assert sum(r.consumers for r in timing.rounds) == len(consumers)
    refitted = sum(c["refitted"] for c in consumers)
    print(f"{workers} workers: {len(timing.rounds)} rounds, "
          f"{refitted} of {len(consumers)} consumers refitted, identical")


def main():
    assert refit_block_samples() == 8192
    assert refit_block_samples(8192, 3) == 8193

    d = Path(tempfile.mkdtemp())
    torch.manual_seed(0)
    layers = [torch.nn.Linear(8, 24), torch.nn.ReLU(), torch.nn.Linear(24, 24), torch.nn.ReLU(),
              torch.nn.Linear(24, 24), torch.nn.ReLU(), torch.nn.Linear(24, 4)]
    with torch.no_grad():
        for linear in layers[0:5:2]:
            linear.bias += torch.linspace(-1.5, 1.5, 24)
    model = torch.nn.Sequential(*layers).eval()
    (d / "model.mlir").write_text(export_torch(model, torch.zeros(2, 8)))
    np.save(d / "big.npy",
            np.random.default_rng(2).normal(size=(SAMPLES, 8)).astype(np.float32))

    # The library calls: the rounds and the report.
    profile_model(d / "model.mlir", [d / "big.npy"], d / "profiled.mlirbc", quiet=True)
    options = FoldOptions(threshold=0.9, refit=True)
    single = fold_model(d / "profiled.mlirbc", [d / "big.npy"], d / "single.mlir",
                        d / "single.json", options)
    consumers = single["functions"][0]["refit"]["consumers"]
    refitted = sum(c["refitted"] for c in consumers)
    assert refitted == 3, consumers
    # 2 workers of a running cluster reached by its scheduler's address
    # (tasks and results over TCP), 3 of a local one.
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp",
                      dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        for workers in (2, 3):
            timing = RefitTiming()
            sharded = refit_on_cluster(d / "profiled.mlirbc", d / "big.npy",
                                       d / f"r{workers}.mlir", d / f"r{workers}.json", options,
                                       workers=workers, timing=timing,
                                       scheduler=address if workers == 2 else None)
            check_sharded(d, workers, timing, sharded, single, consumers)

    # The command: the same model bytes with and without workers (2
    # workers: the library calls above), here on the model exported with a
    # static batch of 3: lin-opt's batches are of 3 samples, blocks of
    # 8193 (whole batches), shards of them [0, 8193) + [8193, 16386) +
    # [16386, 20000).
    program = torch.export.export(model, (torch.zeros(3, 8),))
    torch.export.save(program, str(d / "static.pt2"))
    expected = compress(d, "single-cli.mlir", model="static.pt2")
    assert "tensor<3x8xf32>" in (d / "single-cli.mlir").read_text()
    assert compress(d, "three-cli.mlir", "--workers", "3", model="static.pt2") == expected
    # Smaller blocks: 5 of 4096 samples, 3 shards; the model depends on the
    # block size (summation order), not on the workers.
    expected = compress(d, "single-4096.mlir", "--refit-block", "4096")
    assert compress(d, "three-4096.mlir", "--workers", "3", "--refit-block", "4096") == expected
    result = run_lin(["compress", "model.mlir", "--calib", "big.npy", "--refit-block", "4096",
                      "-o", "x.mlir"], cwd=d)
    assert result.returncode == 2 and "--refit-block needs --refit" in result.stderr, result
    print("ok: lin compress --refit --workers N writes the single run's bytes")


if __name__ == "__main__":
    main()
