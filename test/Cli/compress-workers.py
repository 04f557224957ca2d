# Sharded profiling on Dask (`lin compress --workers N`, `--scheduler
# ADDRESS`) is bit-identical to one profiling run: the profiled model byte
# for byte (bytecode), and the compressed model `lin compress` writes, on a
# local cluster of 2 workers and on a running cluster reached by its
# scheduler's address. (The refit reads the whole data in the fold, after
# the profile, as without workers.)
#
# REQUIRES: torch-mlir
# RUN: %python %s

import sys
import tempfile

import numpy as np
import torch

from lin_frontend import export_torch
from lin_testing.cli import make_tiny_model, run_lin
from lin_cli.calibrate import profile_model
from lin_cli.scaleout import ShardTiming, profile_on_cluster, shard_ranges


def compress(d, out, *extra):
    result = run_lin(["compress", "model.mlir", "--calib", "big.npy", "--threshold", "0.9", "-q",
                      "-o", out, *extra], cwd=d)
    assert result.returncode == 0, result.stderr
    return (d / out).read_bytes()


def main():
    # Whole batches per shard, as even as batches allow; the short last
    # batch stays last.
    assert shard_ranges(1500, 2, 512) == [(0, 512), (512, 1500)]
    assert shard_ranges(2048, 2, 512) == [(0, 1024), (1024, 2048)]
    assert shard_ranges(100, 4, 512) == [(0, 100)]
    assert shard_ranges(5, 3, 1) == [(0, 1), (1, 3), (3, 5)]

    d = make_tiny_model(tempfile.mkdtemp(), onnx=False)
    sys.path.insert(0, str(d))
    model = torch.load(d / "model.pt", weights_only=False)
    (d / "model.mlir").write_text(export_torch(model, torch.zeros(2, 6)))
    np.save(d / "big.npy", np.random.default_rng(1).normal(size=(2000, 6)).astype(np.float32))

    profile_model(d / "model.mlir", [d / "big.npy"], d / "single.mlirbc", quiet=True)
    timing = ShardTiming()
    profile_on_cluster(d / "model.mlir", d / "big.npy", d / "sharded.mlirbc", workers=2,
                       timing=timing)
    assert timing.shards == [(0, 1024), (1024, 2000)], timing.shards
    assert (d / "single.mlirbc").read_bytes() == (d / "sharded.mlirbc").read_bytes()

    single = compress(d, "single.mlir")
    assert compress(d, "local.mlir", "--workers", "2") == single

    # A running cluster: its scheduler's address (workers in this process).
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp",
                      dashboard_address=None) as cluster:
        assert compress(d, "remote.mlir", "--scheduler", cluster.scheduler_address) == single

    result = run_lin(["compress", "model.mlir", "--calib", "big.npy", "--workers", "0",
                      "-o", "x.mlir"], cwd=d)
    assert result.returncode == 2 and "expected a whole number >= 1" in result.stderr
    print("ok: sharded profiles and compressed models are bit-identical")


if __name__ == "__main__":
    main()
