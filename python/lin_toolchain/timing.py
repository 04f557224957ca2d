"""Interleaved latency of several callables on the same input.

On a shared machine the load changes from second to second, so timing one
model after another compares machine states, not models. Here every round
calls each model once, in a shuffled order, and the statistics that compare
models are taken per round: the median over rounds of reference time /
model time is the speedup least affected by load drifting during the run.

    lat = latency({"original": f, "folded": g}, x, batch=1, budget=5.0,
                  reference="original")
    lat["folded"]                  # best seconds per call
    lat["median"]["folded"]        # median seconds per call
    lat["round_ratio"]["folded"]   # median over rounds of t_original / t_folded
"""

from __future__ import annotations

import random
import time
from typing import Callable, Mapping, Optional

import numpy as np

__all__ = ["latency"]


def latency(calls: Mapping[str, Callable], x: np.ndarray, batch: int, budget: float,
            reference: Optional[str] = None, *, max_rounds: int = 2000, min_rounds: int = 10,
            seed: int = 0) -> dict:
    """Times each callable on ``x[:batch]`` for about ``budget`` seconds in all
    (at least ``min_rounds`` rounds, at most ``max_rounds``).

    Returns ``{name: best seconds}`` plus ``"median"`` (``{name: median
    seconds}``), ``"rounds"`` and, with ``reference``, ``"round_ratio"``
    (``{name: median over rounds of t_reference / t_name}``: above 1 is
    faster than the reference). Each callable is warmed up with three calls
    first; the caller is responsible for any heavier warm-up a runtime needs.
    """
    xb = np.ascontiguousarray(x[:batch])
    names = list(calls)
    for c in calls.values():
        for _ in range(3):
            c(xb)
    t0 = time.perf_counter()
    for c in calls.values():
        c(xb)
    per_round = max(time.perf_counter() - t0, 1e-6)
    rounds = int(min(max_rounds, max(min_rounds, budget / per_round)))
    order = random.Random(seed)
    samples = {k: np.empty(rounds) for k in names}
    for r in range(rounds):
        order.shuffle(names)
        for k in names:
            t = time.perf_counter()
            calls[k](xb)
            samples[k][r] = time.perf_counter() - t
    out = {k: float(v.min()) for k, v in samples.items()}
    out["median"] = {k: float(np.median(v)) for k, v in samples.items()}
    out["rounds"] = rounds
    if reference is not None:
        out["round_ratio"] = {k: float(np.median(samples[reference] / v))
                              for k, v in samples.items() if k != reference}
    return out
