"""Profiling on a Dask cluster (``lin compress --workers N`` /
``--scheduler ADDRESS``): the calibration data is split into shards of whole
batches, each shard is profiled by ``lin-opt --linearity-profile`` on a
worker, and the profiled copies come back to the client, where
``lin-opt --linearity-merge-profiles`` merges them.

Profiles are sums and extrema over samples, and every shard holds whole
batches of the single run (the same samples in the same batches give the
same pre-activations), so the merged profile, and the fold of it, are
bit-identical to one profiling run over all the data, provided every
lin-opt computes the same floats: the same lin build and the same OpenBLAS
thread count (``OPENBLAS_NUM_THREADS``; OpenBLAS's sgemm rounds differently
with 1 and 2 threads, which changed the last bits of profile extrema on the
Fashion-MNIST MLP). Workers therefore run lin-opt with OpenBLAS's default,
as the single run does: on machines with other core counts, set
``OPENBLAS_NUM_THREADS`` alike on the client and the workers.

Workers need lin-opt (found as on the client: next to the package, on PATH,
or ``$LIN_BUILD_DIR``) and the Python packages ``lin_cli`` imports; they do
not need the client's files: the model and the shards travel with the
tasks, the profiled copies come back as bytes.
"""

from __future__ import annotations

import logging
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Sequence

import numpy as np

from .errors import CliError
from .tools import run_lin_tool

__all__ = ["ShardTiming", "profile_on_cluster", "shard_ranges"]


def shard_ranges(samples: int, shards: int, batch: int) -> List[tuple]:
    """``[begin, end)`` row ranges that split ``samples`` rows into at most
    ``shards`` contiguous shards of whole ``batch``-row batches (the last
    batch may be short, as in a single run), as even as batches allow."""
    batches = -(-samples // batch)
    shards = max(1, min(shards, batches))
    ranges = []
    for k in range(shards):
        first = batches * k // shards
        last = batches * (k + 1) // shards
        ranges.append((first * batch, min(last * batch, samples)))
    return ranges


def _profile_shard(model: bytes, data: "np.ndarray", batch: int) -> tuple:
    """A worker's task: profiles ``model`` (bytecode or text) on ``data``
    and returns the profiled copy as bytecode and the seconds it took."""
    from lin_cli.tools import lin_tool

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lin-shard-") as tmp:
        work = Path(tmp)
        (work / "model.mlirbc").write_bytes(model)
        np.save(work / "shard.npy", data)
        proc = subprocess.run(
            [lin_tool("lin-opt"), str(work / "model.mlirbc"),
             f"--linearity-profile=data={work / 'shard.npy'} batch={batch} quiet=1",
             "-emit-bytecode", "-o", str(work / "profiled.mlirbc")],
            capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"lin-opt --linearity-profile failed on a shard: "
                               f"{proc.stderr.strip()[-2000:]}")
        return (work / "profiled.mlirbc").read_bytes(), time.perf_counter() - start


@dataclass
class ShardTiming:
    """Where the time of a cluster profile went (seconds)."""
    shards: List[tuple] = field(default_factory=list)
    profile: float = 0.0        # submitting the shards until the last came back
    shard_seconds: List[float] = field(default_factory=list)  # each worker's lin-opt
    merge: float = 0.0          # lin-opt --linearity-merge-profiles on the client


def profile_on_cluster(model: Path, calib: Path, out: Path, *, workers: Optional[int] = None,
                       scheduler: Optional[str] = None, batch: int = 512,
                       timing: Optional[ShardTiming] = None) -> Path:
    """Profiles ``model`` on ``calib`` in shards on a Dask cluster and writes
    the merged profiled model (bytecode) to ``out``.

    ``scheduler``: the address of a running cluster (``tcp://host:8786``),
    whose workers each take a shard (``workers`` shards, if given); without
    it, a local cluster of ``workers`` worker threads, each running a lin-opt
    process."""
    try:
        from distributed import Client, LocalCluster
        # The scheduler's and workers' INFO lines say nothing a user acts on.
        logging.getLogger("distributed").setLevel(logging.WARNING)
    except ImportError:
        raise CliError("--workers / --scheduler need Dask: pip install dask distributed "
                       "(python/requirements.txt pins them)") from None
    data = np.load(calib, mmap_mode="r")
    model_bytes = Path(model).read_bytes()
    timing = timing if timing is not None else ShardTiming()

    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="30s")
            count = workers or len(client.scheduler_info()["workers"]) or 1
        else:
            count = max(1, int(workers or 1))
            # Each task waits on a lin-opt process: worker threads in this
            # process suffice, and start in milliseconds, not seconds.
            cluster = LocalCluster(n_workers=count, threads_per_worker=1, processes=False,
                                   dashboard_address=None)
            client = Client(cluster)
    except OSError as e:
        raise CliError(f"cannot reach the Dask scheduler {scheduler}: {e}") from None
    try:
        timing.shards = shard_ranges(len(data), count, batch)
        start = time.perf_counter()
        # Scattered, not embedded in the task graph: the model goes to every
        # worker once, each shard to one.
        model_future = client.scatter(model_bytes, broadcast=True)
        shard_futures = [client.scatter(np.ascontiguousarray(data[b:e]))
                         for b, e in timing.shards]
        futures = [client.submit(_profile_shard, model_future, shard, batch, pure=False)
                   for shard in shard_futures]
        try:
            results = client.gather(futures)
        except RuntimeError as e:
            raise CliError(str(e)) from None
        timing.profile = time.perf_counter() - start
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    timing.shard_seconds = [seconds for _, seconds in results]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lin-shards-") as tmp:
        paths = []
        for k, (profiled, _) in enumerate(results):
            path = Path(tmp) / f"shard{k}.mlirbc"
            path.write_bytes(profiled)
            paths.append(str(path))
        run_lin_tool(["lin-opt", model, f"--linearity-merge-profiles=shards={','.join(paths)}",
                      "-emit-bytecode", "-o", out])
    timing.merge = time.perf_counter() - start
    return out
