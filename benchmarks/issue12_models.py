#!/usr/bin/env python3
"""Issue 12's benchmark: lin on a CNN and a transformer, checked with IREE and PyTorch.

One command (from the repository root; trains the models first if the cache
is empty, see python/train_models.py):

    .venv/bin/python benchmarks/issue12_models.py

Models (lin_models.benchmark.MODELS, trained from scratch into
benchmarks/.cache/<name>/ and exported through torch.export + torch-mlir):

* fmnist_cnn: conv 32-64-128 (3x3, ReLU, 2x2 max pooling), dense 256, on
  Fashion-MNIST images [N, 1, 28, 28];
* char_transformer: 2 post-norm encoder layers (d_model 64, 4 heads, ReLU
  FFN 256) predicting the next character of licence text, one-hot windows
  [N, 32, 47].

Per model, on the tools this checkout builds (whatever they can do today;
a step lin refuses is recorded with lin's message and the rest goes on):

* the original: parameters counted on its IR (the fold's report of an
  unprofiled run), test accuracy with PyTorch (the exported .pt2), IREE
  (and its largest logit difference to PyTorch) and lin-run;
* linearity: ``--linearity-profile`` on the calibration set, then
  ``--linearity-summary``: per activation the neurons (channels of a
  convolution, features of a token FFN) always in the identity piece
  ("active"), always in the constant piece ("inactive") and in one piece on
  at least 99 % of the samples, samples counting every image position or
  token;
* compressed models: ``--linearity-fold`` at threshold 1.0 (policy cost) on
  that profile; the same with ``refit=lstsq`` and, with budgets of 0.5, 1
  and 2 points, ``--linearity-compress ... refit=lstsq budget=<points>``,
  both profiled and refitted on the first 80 % of the calibration set and
  (the budget) chosen on its last 20 % (validation); each with its
  parameters (lin's report: the weights of the IR it wrote), lin-run test
  and validation accuracy, and the fold's remarks (why an activation was
  left alone);
* IREE (llvm-cpu, host CPU): the original and every distinct compressed
  model compiled (interleaved repeats), test accuracy, agreement of the
  predictions with the original's, dispatches, and latency at batch 1 and
  16, all models interleaved in one process (speedup = median over rounds
  of original / compressed).

Picks are made on validation data, figures reported on test. Writes
benchmarks/results/issue12_models/<model>.json, summary.md, summary.json
and the section between the issue12 markers of benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Optional

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "python"))
sys.path.insert(0, str(HERE))

import paper_tables as tables  # noqa: E402
from lin_models import DEFAULT_CACHE, ensure_models  # noqa: E402
from lin_toolchain import ToolError, run_measured, run_tool  # noqa: E402
from lin_toolchain.iree import count_dispatches, load_module, run_in_batches  # noqa: E402

MODEL_NAMES = ("fmnist_cnn", "char_transformer")
BUDGETS = (0.5, 1.0, 2.0)          # accuracy points on the validation part
LATENCY_BATCHES = (1, 16)
# What the neurons of an activation of each rank are: dimension 1 of an NCHW
# value, else the last dimension (over tokens for rank 3).
NEURONS_ARE = {4: "channels", 3: "features per token", 2: "features"}
SUMMARY_SHARE = 0.99               # the summary's last column: in one piece on >= 99 % of the samples
THRESHOLD_1 = "policy=cost merge-threshold=1.0 remove-threshold=1.0"
RESULTS = REPO / "benchmarks" / "results" / "issue12_models"
# The branches that build what this benchmark measures (interpreter, token
# FFN folds, convolutions), merged in before the final run.
HELPER_BRANCHES = ("i12-interp", "i12-fold", "i12-conv")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def attempt(res: dict, step: str, fn: Callable):
    """``fn()``, or None when a lin tool refuses: the first lines of its
    message go to ``res["errors"][step]``, and the benchmark goes on."""
    try:
        return fn()
    except ToolError as e:
        lines = [line.replace(f"{REPO}/", "") for line in str(e).splitlines()[1:] if line.strip()]
        message = "\n".join(lines[:6])
        res.setdefault("errors", {})[step] = message
        log(f"{res['model']}: {step} failed: {lines[0] if lines else e}")
        return None


def remarks(stderr: str) -> list:
    """The distinct remark and warning texts lin printed (without locations),
    in order: why activations were left alone."""
    seen = []
    for m in re.finditer(r"(remark|warning): (.*)", stderr):
        text = f"{m.group(1)}: {m.group(2).strip()}"
        if text not in seen:
            seen.append(text)
    return seen


# ---------------------------------------------------------------------------
# PyTorch and IREE references
# ---------------------------------------------------------------------------


def torch_logits(d: Path, x: np.ndarray) -> np.ndarray:
    """Logits of the exported program (model.pt2) on ``x``, one thread."""
    import torch

    torch.set_num_threads(1)
    module = torch.export.load(d / "model.pt2").module()
    with torch.no_grad():
        return torch.cat([module(torch.from_numpy(x[i:i + 500])) for i in range(0, len(x), 500)]).numpy()


def accuracy(logits: np.ndarray, y: np.ndarray) -> float:
    return float((logits.argmax(1) == y).mean())


# ---------------------------------------------------------------------------
# Linearity
# ---------------------------------------------------------------------------


def torch_linearity(info: dict, x: np.ndarray) -> list:
    """The linearity figures of :func:`linearity` computed with PyTorch, as an
    independent check of lin's profile (and the figures where lin cannot
    profile yet): per ReLU, in forward order, the pre-activations on ``x``
    counted per neuron (dimension 1 of an NCHW value, else the last) over
    every other position; a pre-activation <= 0 is in the constant piece (a
    value at the breakpoint belongs to the piece below, lin's convention)."""
    import torch

    from lin_models import MODELS, load_split
    from lin_models.benchmark import _build

    spec = MODELS[info["name"]]
    model = _build(spec, load_split(spec))[1]
    model.load_state_dict(torch.load(Path(info["dir"]) / "weights.pt"))
    model.eval()
    counts = []      # per activation: [positive counts per neuron, samples per neuron]

    def observe(index: int, z: torch.Tensor) -> None:
        rank = z.dim()
        z = z.movedim(1, -1) if rank == 4 else z
        positive = (z > 0).reshape(-1, z.shape[-1]).sum(0).numpy().astype(np.int64)
        if len(counts) <= index:
            counts.append([np.zeros_like(positive), 0, NEURONS_ARE.get(rank, "features")])
        counts[index][0] += positive
        counts[index][1] += z.numel() // z.shape[-1]

    # The ReLU modules' inputs and, in the transformer, the FFN's pre-activation.
    hooked = [m for m in model.modules() if isinstance(m, torch.nn.ReLU)]
    hooks = [m.register_forward_pre_hook(lambda m, a, i=i: observe(i, a[0])) for i, m in enumerate(hooked)]
    ffn = [m for name, m in model.named_modules() if name.endswith("ffn_in")]
    hooks += [m.register_forward_hook(lambda m, a, out, i=i: observe(len(hooked) + i, out))
              for i, m in enumerate(ffn)]
    torch.set_num_threads(1)
    with torch.no_grad():
        for i in range(0, len(x), 250):
            model(torch.from_numpy(x[i:i + 250]))
    for h in hooks:
        h.remove()
    rows = []
    for positive, samples, neurons_are in counts:
        active, inactive = positive == samples, positive == 0
        one_piece = np.maximum(positive, samples - positive) >= SUMMARY_SHARE * samples
        rows.append({"neurons": len(positive), "neurons_are": neurons_are, "samples": int(samples),
                     "active_pct": float(active.mean() * 100), "inactive_pct": float(inactive.mean() * 100),
                     "one_piece_pct": float(one_piece.mean() * 100)})
    return rows

_PROFILE = re.compile(r"#lin\.profile<(\w+), \w+, samples = (\d+),[^>]*?(?:axis = (\d+))?>")
# The annotated generic's init, on the same line: its type is the result's.
_RESULT_TYPE = re.compile(r"outs\([^:]*:\s*tensor<([^>]*)>")


def linearity(tools: tables.Tools, profiled: Path, work: Path) -> list:
    """Per profiled activation, in program order: lin's summary row (neurons,
    samples, % always active / always inactive / in one piece on
    SUMMARY_SHARE of the samples) and what the neurons are (the profile's
    ``axis``: channels of an NCHW value, else features over every leading
    position)."""
    table = work / "summary.txt"
    run_tool([tools.lin_opt, profiled,
                     f"--linearity-summary=share={SUMMARY_SHARE} output={table}", "-o", os.devnull])
    rows = []
    for line in table.read_text().splitlines()[1:]:
        name, neurons, samples, active, inactive, one_piece = line.split()
        rows.append({"name": name, "neurons": int(neurons), "samples": int(samples),
                     "active_pct": float(active), "inactive_pct": float(inactive),
                     "one_piece_pct": float(one_piece)})
    text = work / "profiled.mlir"
    tools.to_text(profiled, text)
    shapes = []
    for line in text.read_text().splitlines():
        m = _PROFILE.search(line)
        if m:
            t = _RESULT_TYPE.search(line)
            shapes.append((m.group(1), int(m.group(3)) if m.group(3) else None,
                           t.group(1) if t else "?"))
    if len(shapes) == len(rows):
        for row, (kind, axis, shape) in zip(rows, shapes):
            rank = shape.count("x")
            row |= {"kind": kind, "shape": shape,
                    "neurons_are": NEURONS_ARE[4] if axis == 1 and rank == 4 else NEURONS_ARE.get(rank, "features")}
    return rows


# ---------------------------------------------------------------------------
# Compressed models
# ---------------------------------------------------------------------------


def fold_row(tools, key: str, profiled: Path, options: str, work: Path) -> dict:
    """``--linearity-fold`` (then canonicalize, cse) written as text, with its
    report and remarks."""
    out, rep = work / f"{key}.mlir", work / f"{key}.json"
    run = run_measured([tools.lin_opt, profiled, f"--linearity-fold={options} report={rep}",
                        "--canonicalize", "--cse", "-o", out])
    return {"key": key, "options": options, "file": out.name, "seconds": round(run.seconds, 2),
            "report": json.loads(rep.read_text()), "remarks": remarks(run.stderr)}


def budget_row(tools, key: str, model: Path, budget: float, split: dict, work: Path) -> dict:
    """``--linearity-compress`` from the original with ``budget`` points."""
    out, rep = work / f"{key}.mlir", work / f"{key}.json"
    options = tables.budget_options(budget, split, None)
    run = run_measured([tools.lin_opt, model, f"--linearity-compress={options} quiet=1 report={rep}",
                        "-o", out])
    report = json.loads(rep.read_text())
    outcome = report["functions"][0].get("budget", {})
    return {"key": key, "budget": budget, "options": options, "file": out.name,
            "seconds": round(run.seconds, 2), "report": report, "remarks": remarks(run.stderr),
            "chosen": {k: outcome.get(k) for k in ("merge_threshold", "remove_threshold", "original",
                                                    "chosen", "candidates", "evaluated", "seconds")}}


def describe_row(row: dict, tools, d: Path, split: dict, res: dict) -> None:
    """Adds parameters (lin's report) and lin-run test / validation accuracy."""
    rep = row.pop("report")
    row["params_before"], row["params_after"] = rep["params_before"], rep["params_after"]
    row["size"] = rep["params_after"] / rep["params_before"]
    row["layers"] = [{k: layer.get(k) for k in ("name", "neurons", "folded", "removed", "kept",
                                                "params_before", "params_after")}
                     for layer in rep.get("layers", [])]
    path = d / "work" / row["file"]
    row["lin_run_test_acc"] = attempt(res, f"lin-run {row['key']}",
                                      lambda: tools.accuracy(path, d / "test_x.npy", d / "test_y.npy"))
    row["lin_run_val_acc"] = attempt(res, f"lin-run {row['key']} validation",
                                     lambda: tools.accuracy(path, split["val_x"], split["val_y"]))


# ---------------------------------------------------------------------------
# IREE
# ---------------------------------------------------------------------------


def bench_iree(paths: dict, x: np.ndarray, y: np.ndarray, torch_out: np.ndarray, calib: np.ndarray,
               torch_calib: np.ndarray, args) -> dict:
    """Every distinct model of ``paths`` (key -> text file, "original" first)
    compiled for the host CPU, run over the test set and timed interleaved.
    The predictions are also compared with PyTorch's on the calibration set
    (``calib``, PyTorch's logits ``torch_calib``): the data the profile saw,
    on which a fold at threshold 1.0 is exact up to float rounding."""
    first = tables.first_with_same_text(paths)
    texts = {k: p.read_text() for k, p in paths.items() if first[k] == k}
    vmfbs, seconds = tables.compile_interleaved(texts, args.compile_repeats, "host")
    calls, out = {}, {"compile_repeats": args.compile_repeats, "models": {}}
    reference = torch_out.argmax(1)
    for key, text in texts.items():
        calls[key] = load_module(vmfbs[key], driver=args.iree_driver)
        # The whole test set also warms the runtime up before the timing.
        logits = run_in_batches(calls[key], x, 500)
        m = {"iree_test_acc": accuracy(logits, y),
             "agreement_with_pytorch_original": float((logits.argmax(1) == reference).mean()),
             "max_abs_logit_diff_vs_pytorch_original": float(np.abs(logits - torch_out).max()),
             "calib_agreement_with_pytorch_original": float(
                 (run_in_batches(calls[key], calib, 500).argmax(1) == torch_calib.argmax(1)).mean()),
             "dispatches": count_dispatches(text, target_cpu="host", generalize_on_error=True),
             "compile_seconds": seconds[key],
             "compile_ratio": min(seconds[key]) / min(seconds["original"])}
        out["models"][key] = m
    for key in paths:
        if first[key] != key:
            out["models"][key] = {"same_ir_as": first[key]}
    out["latency"] = tables.timed_batches(calls, x, LATENCY_BATCHES, args.latency_budget)
    return out


# ---------------------------------------------------------------------------
# One model
# ---------------------------------------------------------------------------


def bench_model(info: dict, tools: tables.Tools, args) -> dict:
    name, d = info["name"], Path(info["dir"])
    work = d / "work"
    work.mkdir(exist_ok=True)
    model, tx, ty = d / "model.mlir", d / "test_x.npy", d / "test_y.npy"
    x, y = np.load(tx), np.load(ty)
    res = {"model": name, "description": info["description"], "input_shape": info["input_shape"],
           "n_train": info["n_train"], "n_calib": info["n_calib"], "n_test": info["n_test"],
           "epochs_run": info["epochs_run"], "train_seconds": info["train_seconds"],
           "torch_params": info["params"], "errors": {}}

    # The original: parameters on its IR, PyTorch / IREE / lin-run accuracy.
    unprofiled = attempt(res, "count parameters", lambda: fold_row(tools, "unprofiled", model, THRESHOLD_1 + " allow-unprofiled=1", work))
    res["params"] = unprofiled["report"]["params_before"] if unprofiled else res["torch_params"]
    res["params_counted_on"] = "IR (lin's fold report)" if unprofiled else "PyTorch (lin's report failed)"
    torch_out = torch_logits(d, x)
    res["torch_test_acc"] = accuracy(torch_out, y)
    res["lin_run_test_acc"] = attempt(res, "lin-run original", lambda: tools.accuracy(model, tx, ty))
    log(f"{name}: {res['params']:,} parameters on the IR ({res['torch_params']:,} in PyTorch), "
        f"PyTorch test acc {res['torch_test_acc']:.4f}, lin-run {res['lin_run_test_acc']}")

    # Linearity of the whole calibration set, by PyTorch and by lin.
    res["torch_linearity"] = torch_linearity(info, np.load(d / "calib_x.npy"))
    profiled = work / "profiled.mlirbc"
    t = attempt(res, "profile", lambda: tools.profile(model, d / "calib_x.npy", profiled))
    res["profile_seconds"] = round(t, 2) if t is not None else None
    res["linearity"] = attempt(res, "summary", lambda: linearity(tools, profiled, work)) if t is not None else None

    # Labelled calibration data: the split needs no lin-run.
    split = tables.split_calibration(d, work, model, tools)
    res["validation"] = {k: split[k] for k in ("metric", "n_fit", "n_val", "val_rows_in_test")}
    res["lin_run_val_acc"] = attempt(res, "lin-run original validation",
                                     lambda: tools.accuracy(model, split["val_x"], split["val_y"]))

    rows = []
    if t is not None:
        rows.append(attempt(res, "fold t1", lambda: fold_row(tools, "t1", profiled, THRESHOLD_1, work)))
        fit_profiled = work / "profiled_fit.mlirbc"
        if attempt(res, "profile fit", lambda: tools.profile(model, split["fit_x"], fit_profiled)) is not None:
            rows.append(attempt(res, "fold t1 refit", lambda: fold_row(
                tools, "t1_refit", fit_profiled, f"{THRESHOLD_1} refit=lstsq data={split['fit_x']} quiet=1",
                work)))
    if t is not None:
        for b in BUDGETS:
            rows.append(attempt(res, f"budget {b:g}", lambda b=b: budget_row(
                tools, f"budget_{b:g}", model, b, split, work)))
    rows = [r for r in rows if r is not None]
    for row in rows:
        describe_row(row, tools, d, split, res)
        log(f"{name}: {row['key']}: {row['params_after']:,} parameters ({row['size'] * 100:.1f} %), "
            f"lin-run test acc {row['lin_run_test_acc']}, {len(row['remarks'])} distinct remarks")
    res["rows"] = rows
    res["remarks_unprofiled"] = unprofiled["remarks"] if unprofiled else None

    if not args.skip_iree:
        paths = {"original": model} | {r["key"]: work / r["file"] for r in rows}
        calib = np.load(d / "calib_x.npy")
        res["iree"] = bench_iree(paths, x, y, torch_out, calib, torch_logits(d, calib), args)
        o = res["iree"]["models"]["original"]
        log(f"{name}: IREE original acc {o['iree_test_acc']:.4f}, max |logit - PyTorch| "
            f"{o['max_abs_logit_diff_vs_pytorch_original']:.2e}, {o['dispatches']} dispatches")
    return res


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def pct(v: Optional[float]) -> str:
    return "-" if v is None else f"{v * 100:.2f}"


def summary_md(results: list, meta: dict) -> str:
    lines = [
        f"Measured {meta['date']} on {meta['machine']} at commit `{meta['git_head']}` "
        f"({meta['merged']}) by `{meta['command']}` ({meta['total_seconds'] / 60:.1f} min).",
        "",
        "| model | params (IR) | test acc: PyTorch / IREE / lin-run | IREE max \\|logit diff\\| | "
        "what lin refused |",
        "| --- | ---: | --- | ---: | --- |",
    ]
    for r in results:
        o = r.get("iree", {}).get("models", {}).get("original", {})
        diff = o.get("max_abs_logit_diff_vs_pytorch_original")
        steps = {}      # each message once, with the steps it stopped
        for step, message in r["errors"].items():
            steps.setdefault(message.splitlines()[0], []).append(step)
        refused = "; ".join(f"{', '.join(s)}: `{m}`" for m, s in steps.items()) or "nothing"
        lines.append(f"| {r['model']} | {r['params']:,} | {pct(r['torch_test_acc'])} / "
                     f"{pct(o.get('iree_test_acc'))} / {pct(r['lin_run_test_acc'])} | "
                     f"{'-' if diff is None else f'{diff:.1e}'} | {refused.replace('|', '/')} |")
    lines += ["", "Linearity on the calibration set: share of neurons always active (identity "
              "piece), always inactive, in one piece on >= 99 % of the samples; a sample is every "
              "image position of a channel or every token of a feature. lin: `--linearity-summary` "
              "of lin's profile; PyTorch: the same counted with forward hooks (the independent check, "
              "and the figures where lin cannot profile).", "",
              "| model | activation | neurons | samples | active %: lin / PyTorch | inactive %: lin / PyTorch | "
              "one piece >= 99 %: lin / PyTorch |",
              "| --- | --- | --- | ---: | ---: | ---: | ---: |"]
    for r in results:
        lin_rows = r.get("linearity") or []
        if not lin_rows:
            why = r["errors"].get("profile", "?").splitlines()[0].replace("|", "/")
            lines.append(f"| {r['model']} | lin did not profile: {why} | | | | | |")
        for i, t in enumerate(r["torch_linearity"]):
            a = lin_rows[i] if i < len(lin_rows) else {}
            both = lambda k: f"{a[k]:.1f} / {t[k]:.1f}" if a else f"- / {t[k]:.1f}"  # noqa: E731
            name = f"{a['name']} ({a.get('shape', '?')})" if a else f"ReLU {i}"
            lines.append(f"| {r['model']} | {name} | {t['neurons']} {a.get('neurons_are', t['neurons_are'])} | "
                         f"{t['samples']:,} | {both('active_pct')} | {both('inactive_pct')} | "
                         f"{both('one_piece_pct')} |")
    lines += ["", "Compressed models (parameters from lin's report, accuracies in %; budget runs chosen "
              "on the validation part; IREE speedups: median over interleaved rounds of original / "
              "compressed time).", "",
              "| model | variant | params | validation acc (lin-run) | test acc lin-run / IREE | "
              "IREE agreement with PyTorch's original: calibration / test | dispatches | IREE b1 / b16 | remarks |",
              "| --- | --- | ---: | ---: | --- | --- | ---: | --- | --- |"]
    for r in results:
        iree = r.get("iree", {})
        models, lat = iree.get("models", {}), iree.get("latency", {})
        o = models.get("original", {})
        if o:
            ms = " / ".join(f"{lat[f'batch{b}']['median_seconds']['original'] * 1e3:.2f}"
                            for b in LATENCY_BATCHES)
            lines.append(f"| {r['model']} | original | {r['params']:,} | {pct(r.get('lin_run_val_acc'))} | "
                         f"{pct(r['lin_run_test_acc'])} / "
                         f"{pct(o['iree_test_acc'])} | {pct(o['calib_agreement_with_pytorch_original'])} / "
                         f"{pct(o['agreement_with_pytorch_original'])} | "
                         f"{o['dispatches']} | {ms} ms | |")
        for row in r["rows"]:
            m = models.get(row["key"], {})
            src = m.get("same_ir_as") or row["key"]
            m = models.get(src, {})
            speed = " / ".join(f"{lat[f'batch{b}']['speedup_rounds'][src]:.2f}x" for b in LATENCY_BATCHES) \
                if lat and src in lat[f"batch{LATENCY_BATCHES[0]}"]["speedup_rounds"] else "-"
            notes = "; ".join(row["remarks"][:3]) + (f" (+{len(row['remarks']) - 3})" if len(row["remarks"]) > 3 else "")
            variant = row["key"]
            if "chosen" in row:
                variant += f" (chose merge {row['chosen']['merge_threshold']}, remove {row['chosen']['remove_threshold']})"
            lines.append(f"| | {variant} | {row['params_after']:,} ({row['size'] * 100:.1f} %) | "
                         f"{pct(row['lin_run_val_acc'])} | "
                         f"{pct(row['lin_run_test_acc'])} / {pct(m.get('iree_test_acc'))} | "
                         f"{pct(m.get('calib_agreement_with_pytorch_original'))} / "
                         f"{pct(m.get('agreement_with_pytorch_original'))} | {m.get('dispatches', '-')} | "
                         f"{speed} | {notes.replace('|', '/')} |")
        if not r["rows"]:
            lines.append(f"| {r['model']} | (no compressed model) | | | | | | | |")
    return "\n".join(lines) + "\n"


def git(*args) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True).stdout.strip()


def merged_branches() -> dict:
    """The helper branches of issue 12 merged into this checkout, with the
    commit of each that was merged (the second parent of the first-parent
    merge commit "Merge branch '<name>'"): what the figures were measured on."""
    out = {}
    for line in git("log", "--first-parent", "--merges", "--format=%P %s", "HEAD").splitlines():
        parents, subject = line.split(" Merge branch ", 1) if " Merge branch " in line else (line, "")
        name = subject.split("'")[1] if subject.count("'") >= 2 else None
        if name in HELPER_BRANCHES and name not in out:
            out[name] = parents.split()[1][:7]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", default=str(DEFAULT_CACHE), help="model cache (python/train_models.py)")
    ap.add_argument("--out", default=str(RESULTS))
    ap.add_argument("--models", default=",".join(MODEL_NAMES))
    ap.add_argument("--bin", help="directory of lin-opt / lin-run (default: lin_toolchain.find_tool)")
    ap.add_argument("--skip-iree", action="store_true")
    ap.add_argument("--iree-driver", default="local-task")
    ap.add_argument("--latency-budget", type=float, default=5.0, help="seconds of timed calls per batch size")
    ap.add_argument("--compile-repeats", type=int, default=2)
    ap.add_argument("--threads", type=int, default=1, help="torch threads when training")
    ap.add_argument("--no-readme", action="store_true", help="do not rewrite benchmarks/README.md")
    args = ap.parse_args(argv)

    t_start = time.time()
    tools = tables.Tools(Path(args.bin) if args.bin else None, Path(args.cache) / "bin-snapshot-issue12")
    infos = ensure_models(args.models.split(","), args.cache, threads=args.threads, log=log)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for info in infos:
        log(f"--- {info['name']}")
        t0 = time.time()
        res = bench_model(info, tools, args)
        res["seconds"] = round(time.time() - t0, 1)
        (out / f"{info['name']}.json").write_text(json.dumps(res, indent=1) + "\n")
        results.append(res)
    merged = merged_branches()
    meta = {"command": "benchmarks/issue12_models.py " + " ".join(argv if argv is not None else sys.argv[1:]),
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "git_head": git("rev-parse", "--short", "HEAD"),
            "git_modified": [line[3:] for line in git("status", "--porcelain", "--untracked-files=no").splitlines()],
            "merged": ("main + " + ", ".join(f"{b} ({c})" for b, c in merged.items())) if merged
                      else "main's tools, no helper branch merged",
            "tool_hashes": tools.hashes, "loadavg_at_end": [round(v, 2) for v in os.getloadavg()],
            "total_seconds": round(time.time() - t_start, 1)}
    md = summary_md(results, meta)
    (out / "summary.md").write_text(md)
    (out / "summary.json").write_text(json.dumps({"meta": meta, "models": [r["model"] for r in results]},
                                                 indent=1) + "\n")
    if not args.no_readme:
        tables.update_readme(REPO / "benchmarks" / "README.md", md, "", section="issue12")
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
