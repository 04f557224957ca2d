#!/usr/bin/env python3
"""Why the folded Fashion-MNIST CNN runs slower on IREE: fold variants timed
interleaved in one process.

    .venv/bin/python benchmarks/iree_cnn_variants.py [--budget 6]

Reads benchmarks/.cache/fmnist_cnn/work/profiled.mlir (issue12_models.py's
profile of the calibration set) and folds it at threshold 1.0 with the
profile of some activations edited so that the fold keeps chosen neurons:
a neuron whose counts say "in both pieces" is kept, and keeping a neuron
(even a constant one) is always exact. Variants:

* original: the unfolded model;
* both: the fold of the whole profile (issue12_models.py's t1);
* conv only / dense only: the other part's profile made mixed;
* conv 64/120 + dense: conv2 kept at 64 channels and conv3 at 120 (five of
  its removable channels kept), the channel counts multiples of 8;
* conv only, 64/120: the same without the dense fold;
* conv 63/120 + dense, conv 64/115 + dense: one of the two odd counts kept;
* lin align=16 (default), lin align=8: the unedited profile folded with the
  conv fold's alignment (channel counts rounded up to multiples of align by
  keeping constant channels).

Every variant is compiled for the host CPU, checked against the original's
logits on the test images and timed at batch 1 and 16 (median over rounds of
original / variant). Writes benchmarks/results/iree_cnn_variants.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "python"))
sys.path.insert(0, str(HERE))

import paper_tables as tables  # noqa: E402
from lin_toolchain import run_tool  # noqa: E402
from lin_toolchain.iree import count_dispatches, load_module, run_in_batches  # noqa: E402

CACHE = REPO / "benchmarks" / ".cache" / "fmnist_cnn"
THRESHOLD_1 = "policy=cost merge-threshold=1.0 remove-threshold=1.0"
# Activations in program order: relu_0..2 follow conv 1..3, relu_3 the dense layer.
CONV, DENSE = (1, 2), (3,)
_PROFILE = re.compile(r"#lin\.profile<relu, \w+, samples = (\d+), [^>]*>")
_LIST = re.compile(r"(counts|minimum|maximum) = \[([^\]]*)\]")


def edit_profile(text: str, keep: dict) -> str:
    """``text`` with the ReLU profile of activation ``i`` (program order) made
    mixed for the neurons ``keep[i]`` (``"all"`` or a count of removable
    neurons, kept from the first): one sample of a neuron always in one piece
    moves to the other (counts are [piece][neuron]) and its range is widened
    across 0, so the fold keeps that neuron as it is."""
    index = -1

    def edit(m):
        nonlocal index
        index += 1
        if index not in keep:
            return m.group(0)
        samples = int(m.group(1))
        lists = {k: v.split(", ") for k, v in _LIST.findall(m.group(0))}
        counts = [int(c) for c in lists["counts"]]
        n = len(counts) // 2
        budget = n if keep[index] == "all" else keep[index]
        for j in range(n):
            if budget and samples in (counts[j], counts[n + j]):
                low = counts[j] == samples
                counts[j] += -1 if low else 1
                counts[n + j] += 1 if low else -1
                lists["minimum"][j], lists["maximum"][j] = "-1.0", "1.0"
                budget -= 1
        lists["counts"] = [str(c) for c in counts]
        return _LIST.sub(lambda l: f"{l.group(1)} = [{', '.join(lists[l.group(1)])}]", m.group(0))

    return _PROFILE.sub(edit, text)


# name -> (profile edit, fold options besides THRESHOLD_1). The hand-made
# variants fold with align=1, so the conv fold leaves the counts they spell.
VARIANTS = {
    "both": {},
    "conv only": {3: "all"},
    "dense only": {1: "all", 2: "all"},
    "conv 64/120 + dense": {1: "all", 2: 5},
    "conv only, 64/120": {1: "all", 2: 5, 3: "all"},
    "conv 63/120 + dense": {2: 5},
    "conv 64/115 + dense": {1: "all"},
}
VARIANTS = {name: (keep, "align=1") for name, keep in VARIANTS.items()}
# What lin does by itself: the conv fold honours align (16 by default).
VARIANTS |= {"lin align=16 (default)": ({}, "align=16"), "lin align=8": ({}, "align=8")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lin-opt", default=str(REPO / "build" / "bin" / "lin-opt"))
    parser.add_argument("--cache", type=Path, default=CACHE, help="the fmnist_cnn cache directory")
    parser.add_argument("--budget", type=float, default=6.0, help="seconds of timing per batch size")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "iree_cnn_variants.json")
    args = parser.parse_args()

    work = Path(os.environ.get("TMPDIR", "/tmp")) / "lin_iree_cnn_variants"
    work.mkdir(exist_ok=True)
    cache = args.cache
    profiled = (cache / "work" / "profiled.mlir").read_text()
    paths, layers = {"original": cache / "model.mlir"}, {}
    for name, (keep, options) in VARIANTS.items():
        stem = re.sub(r"\W+", "_", name)
        src, out, rep = work / f"{stem}.in.mlir", work / f"{stem}.mlir", work / f"{stem}.json"
        src.write_text(edit_profile(profiled, keep))
        run_tool([args.lin_opt, src, f"--linearity-fold={THRESHOLD_1} {options} report={rep}",
                  "--canonicalize", "--cse", "-o", out])
        report = json.loads(rep.read_text())
        layers[name] = {"params": report["functions"][0]["params_after"],
                        "widths": [layer["emitted_width"] for layer in report["layers"]]}
        paths[name] = out
        print(f"{name}: {layers[name]}", flush=True)

    x = np.load(cache / "test_x.npy")
    texts = {k: p.read_text() for k, p in paths.items()}
    vmfbs, _ = tables.compile_interleaved(texts, 1, "host")
    calls = {k: load_module(v) for k, v in vmfbs.items()}
    logits = {k: run_in_batches(c, x, 500) for k, c in calls.items()}
    result = {"load_before": os.getloadavg()[0], "variants": {}}
    for key in paths:
        result["variants"][key] = layers.get(key, {}) | {
            "dispatches": count_dispatches(texts[key], target_cpu="host", generalize_on_error=True),
            "max_abs_logit_diff_vs_original": float(np.abs(logits[key] - logits["original"]).max())}
    result["latency"] = tables.timed_batches(calls, x, (1, 16), args.budget)
    result["load_after"] = os.getloadavg()[0]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    for batch, lat in result["latency"].items():
        for key, ratio in lat["speedup_rounds"].items():
            print(f"{batch} {key}: {ratio:.2f}x", flush=True)


if __name__ == "__main__":
    main()
