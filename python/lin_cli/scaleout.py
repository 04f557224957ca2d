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

The refit (``--refit``) is sharded too (:func:`refit_on_cluster`): its
statistics are summed per block of ``refit-block`` samples and then block by
block in order, so shards of whole blocks give the same doubles as one run
(docs/reference/Passes.md, linearity-fold, "Sharded refit"). A consumer's
inputs depend on the refits before it, so the refit runs in rounds, one per
refit candidate: each worker runs ``lin-opt --linearity-fold="...
data=SHARD refit-sample-offset=K refit-total-samples=N refit-decisions=D
refit-statistics-out=S"`` (replays the decisions so far, computes the
statistics of its blocks up to the next candidate), the client merges the
shards' statistics in block order and decides (``refit-statistics-in=S1,...
refit-decisions-out=D2``), and a last run applies the complete decisions
(``refit-decisions=D``, no data) and writes the same model and report as
the single run. Workers hold their shard's recorded values only. With
``--budget``, the candidates' refits stay on the client (one fold run over
all the data, as without workers).

Workers need lin-opt (found as on the client: next to the package, on PATH,
or ``$LIN_BUILD_DIR``) and the Python packages ``lin_cli`` imports; they do
not need the client's files: the model and the shards travel with the
tasks, the profiled copies and statistics come back as bytes.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np

from .errors import CliError
from .fold import FoldOptions, run_fold
from .tools import run_lin_tool

__all__ = ["RefitTiming", "ShardTiming", "profile_on_cluster", "refit_on_cluster",
           "refit_block_samples", "shard_ranges"]

# linearity-fold's default refit-block and batch: the blocks a worker's
# shard must consist of.
REFIT_BLOCK = 8192
BATCH = 512


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


@contextlib.contextmanager
def _dask_client(workers: Optional[int], scheduler: Optional[str]):
    """A Dask client and the number of shards to cut: on the cluster at
    ``scheduler`` (one per worker, or ``workers``), or on a local cluster of
    ``workers`` worker threads (each task waits on a lin-opt process, so
    threads suffice and start in milliseconds)."""
    try:
        from distributed import Client, LocalCluster
        # The scheduler's and workers' INFO lines say nothing a user acts on.
        logging.getLogger("distributed").setLevel(logging.WARNING)
    except ImportError:
        raise CliError("--workers / --scheduler need Dask: pip install dask distributed "
                       "(python/requirements.txt pins them)") from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="30s")
            count = workers or len(client.scheduler_info()["workers"]) or 1
        else:
            count = max(1, int(workers or 1))
            cluster = LocalCluster(n_workers=count, threads_per_worker=1, processes=False,
                                   dashboard_address=None)
            client = Client(cluster)
    except OSError as e:
        raise CliError(f"cannot reach the Dask scheduler {scheduler}: {e}") from None
    try:
        yield client, count
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _gather(client, futures) -> list:
    try:
        return client.gather(futures)
    except RuntimeError as e:
        raise CliError(str(e)) from None


def profile_on_cluster(model: Path, calib: Path, out: Path, *, workers: Optional[int] = None,
                       scheduler: Optional[str] = None, batch: int = BATCH,
                       timing: Optional[ShardTiming] = None) -> Path:
    """Profiles ``model`` on ``calib`` in shards on a Dask cluster and writes
    the merged profiled model (bytecode) to ``out``.

    ``scheduler``: the address of a running cluster (``tcp://host:8786``),
    whose workers each take a shard (``workers`` shards, if given); without
    it, a local cluster of ``workers`` worker threads, each running a lin-opt
    process."""
    data = np.load(calib, mmap_mode="r")
    model_bytes = Path(model).read_bytes()
    timing = timing if timing is not None else ShardTiming()

    with _dask_client(workers, scheduler) as (client, count):
        timing.shards = shard_ranges(len(data), count, batch)
        start = time.perf_counter()
        # Scattered, not embedded in the task graph: the model goes to every
        # worker once, each shard to one.
        model_future = client.scatter(model_bytes, broadcast=True)
        shard_futures = [client.scatter(np.ascontiguousarray(data[b:e]))
                         for b, e in timing.shards]
        futures = [client.submit(_profile_shard, model_future, shard, batch, pure=False)
                   for shard in shard_futures]
        results = _gather(client, futures)
        timing.profile = time.perf_counter() - start

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


def refit_block_samples(block: int = REFIT_BLOCK, batch: int = BATCH) -> int:
    """The samples of a refit statistics block: ``refit-block`` rounded up
    to whole batches, as linearity-fold rounds it."""
    return -(-block // batch) * batch


def _read_directory(directory: Path) -> Dict[str, bytes]:
    """The files of a statistics or decisions directory, as bytes."""
    return {path.name: path.read_bytes() for path in directory.iterdir()}


def _write_directory(directory: Path, files: Dict[str, bytes]) -> Path:
    directory.mkdir(parents=True)
    for name, content in files.items():
        (directory / name).write_bytes(content)
    return directory


def _refit_shard(model: bytes, data: "np.ndarray", decisions: Optional[Dict[str, bytes]],
                 options: str) -> tuple:
    """A worker's task in a refit round: runs the worker run of
    ``--linearity-fold`` (``options`` name the shard's offset, the total,
    the plan) on ``data`` after the ``decisions`` so far (the files of the
    client's decisions directory), and returns the statistics directory as
    ``{file name: bytes}`` and the seconds it took."""
    from lin_cli.tools import lin_tool

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lin-refit-shard-") as tmp:
        work = Path(tmp)
        (work / "model.mlirbc").write_bytes(model)
        np.save(work / "shard.npy", data)
        replay = ""
        if decisions is not None:
            replay = f" refit-decisions={_write_directory(work / 'decisions', decisions)}"
        proc = subprocess.run(
            [lin_tool("lin-opt"), str(work / "model.mlirbc"),
             f"--linearity-fold={options} data={work / 'shard.npy'}{replay} "
             f"refit-statistics-out={work / 'statistics'}",
             "-emit-bytecode", "-o", os.devnull],
            capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"lin-opt --linearity-fold (refit statistics) failed on a "
                               f"shard: {proc.stderr.strip()[-2000:]}")
        return _read_directory(work / "statistics"), time.perf_counter() - start


@dataclass
class RefitRound:
    """One round of a sharded refit (seconds)."""
    consumers: int = 0          # consumers decided in the round
    workers: float = 0.0        # submitting the shards' runs until the last came back
    shard_seconds: List[float] = field(default_factory=list)  # each worker's lin-opt
    client: float = 0.0         # the client run: merge the blocks, solve, decide


@dataclass
class RefitTiming:
    """Where the time of a sharded refit went (seconds)."""
    shards: List[tuple] = field(default_factory=list)
    rounds: List[RefitRound] = field(default_factory=list)
    final: float = 0.0          # applying the decisions: the compressed model


def refit_on_cluster(profiled: Path, calib: Path, out: Path, report: Path,
                     options: FoldOptions, *, workers: Optional[int] = None,
                     scheduler: Optional[str] = None, batch: int = BATCH,
                     timing: Optional[RefitTiming] = None) -> dict:
    """Folds the profiled model with the refit's statistics computed in
    shards of whole blocks on a Dask cluster (``workers`` / ``scheduler``
    as for :func:`profile_on_cluster`); writes the compressed model (MLIR
    text, canonicalized) to ``out`` and the report to ``report`` and returns
    the report: the same bytes as :func:`~lin_cli.fold.fold_model` with
    ``options.refit`` on all the data. The shards are whole blocks of
    ``options.refit_block`` samples (linearity-fold's default, 8192, when
    None)."""
    assert options.refit and options.budget is None, "a sharded refit without a budget"
    data = np.load(calib, mmap_mode="r")
    total = len(data)
    model_bytes = Path(profiled).read_bytes()
    timing = timing if timing is not None else RefitTiming()
    block = options.refit_block or REFIT_BLOCK
    common = " ".join([*options.plan_options(), "refit=lstsq", f"batch={batch}",
                       f"refit-block={block}", "quiet=1"])

    with tempfile.TemporaryDirectory(prefix="lin-refit-") as tmp:
        work = Path(tmp)
        decisions: Optional[Path] = None
        with _dask_client(workers, scheduler) as (client, count):
            timing.shards = shard_ranges(total, count, refit_block_samples(block, batch))
            model_future = client.scatter(model_bytes, broadcast=True)
            shard_futures = [client.scatter(np.ascontiguousarray(data[b:e]))
                             for b, e in timing.shards]
            finished = False
            while not finished:
                round_ = RefitRound()
                start = time.perf_counter()
                # In a list: scatter would send a dict's values apart.
                decided = (client.scatter([_read_directory(decisions)], broadcast=True)[0]
                           if decisions else None)
                futures = [client.submit(_refit_shard, model_future, shard, decided,
                                         f"{common} refit-sample-offset={b} "
                                         f"refit-total-samples={total}", pure=False)
                           for shard, (b, _) in zip(shard_futures, timing.shards)]
                results = _gather(client, futures)
                round_.workers = time.perf_counter() - start
                round_.shard_seconds = [seconds for _, seconds in results]

                start = time.perf_counter()
                number = len(timing.rounds)
                directories = [str(_write_directory(work / f"round{number}" / f"shard{k}", files))
                               for k, (files, _) in enumerate(results)]
                manifest = json.loads((Path(directories[0]) / "manifest.json").read_text())
                finished = manifest["finished"]
                round_.consumers = len(manifest["consumers"])
                decided_out = work / f"decisions{number}"
                replay = f" refit-decisions={decisions}" if decisions else ""
                run_lin_tool(["lin-opt", profiled,
                              f"--linearity-fold={common}{replay} "
                              f"refit-statistics-in={','.join(directories)} "
                              f"refit-decisions-out={decided_out}",
                              "-emit-bytecode", "-o", os.devnull])
                decisions = decided_out
                round_.client = time.perf_counter() - start
                timing.rounds.append(round_)

        start = time.perf_counter()
        result = run_fold(profiled, f"{common} refit-decisions={decisions} report={report}",
                          out, report)
        timing.final = time.perf_counter() - start
    return result
