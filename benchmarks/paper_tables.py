#!/usr/bin/env python3
"""Reproduce the paper's compression tables with lin, checked with IREE.

One command (from the repository root; trains the models first if the cache
is empty, see python/train_models.py):

    .venv/bin/python benchmarks/paper_tables.py

Per model (cache entry <cache>/<name>/, profiled on its calibration data, and
on the first 80 % of it for the refit):

* test accuracy (lin-run) and parameters of the original;
* the threshold grid: merge-threshold 1.0 .. 0.4 x remove-threshold 1.0 / 0.99
  x policy paper / cost (``lin-opt --linearity-fold``, then canonicalize, cse),
  parameters (fold report) and test accuracy (lin-run) of each;
* the paper's fixed-size rows: target-size 0.75 / 0.5 / 0.25 (both policies);
* the calibration set split deterministically: its first 80 % ("fit") is
  profiled again and refits, its last 20 % ("validation") chooses; labels of
  the validation part are the data set's, or where it has none (Titanic) the
  original model's predictions (the agreement metric);
* the refit grid: merge-threshold x remove-threshold in REFIT_MERGE_THRESHOLDS
  x REFIT_REMOVE_THRESHOLDS, policy cost, ``refit=lstsq`` on the fit part (profiled on it), test and
  validation accuracy of each;
* budget runs: ``lin-opt --linearity-compress`` from the original with
  ``refit=lstsq budget=<points>`` for each of BUDGETS, profiling and refitting
  on the fit part and choosing on the validation part; the chosen size, its
  test accuracy, the search's and the whole call's seconds, and the refit grid
  points the search could have chosen (same sub-grid, same validation rule);
* the largest compression with a test-accuracy drop <= 0.1 points
  ("lossless") and <= 1 point, over the algebraic rows, and per method
  (policy paper, policy cost, refit);
* IREE (llvm-cpu, host CPU): the original, the lossless and <= 1 point models
  (algebraic and refit) and the budget runs, each folded again with
  --iree-fold-options (padding, layouts), compiled with iree-compile and run
  over the test set (accuracy compared with lin-run's); per model its
  dispatch count against the original's (flagged when higher), compile
  seconds (interleaved repeats, ratio to the original's), latency at batch
  1, 16 and 256 interleaved in one process with the machine's load, and
  issue 11's targets; the same models built with upstream MLIR + clang
  (lin_toolchain.upstream) and timed at batch 1 and 256, to show the gains
  are not IREE's alone. ``--iree-from DIR`` re-measures only this part;
* a PNG of parameters vs test accuracy.

Writes benchmarks/results/<model>.json, <model>.png, summary.json,
summary.md, overview.png, and rewrites the table between the result markers
in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "python"))

from lin_models import DEFAULT_CACHE, PAPER_MODELS, ensure_models  # noqa: E402
from lin_toolchain import ToolError, find_tool, run_tool  # noqa: E402
from lin_toolchain.iree import compile_timed, count_dispatches, load_module, run_in_batches  # noqa: E402
from lin_toolchain.timing import latency  # noqa: E402
from lin_toolchain.upstream import compile_upstream  # noqa: E402

MERGE_THRESHOLDS = (1.0, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4)
REMOVE_THRESHOLDS = (1.0, 0.99)
POLICIES = ("paper", "cost")
# The refit grid (policy cost): lower merge thresholds and a finer remove axis
# between 0.9 and 0.8 than the algebraic grid, all among the budget search's.
REFIT_MERGE_THRESHOLDS = (1.0, 0.99, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2)
REFIT_REMOVE_THRESHOLDS = (1.0, 0.99, 0.95, 0.9, 0.875, 0.85, 0.825, 0.8, 0.7, 0.6, 0.5)
BUDGETS = (0.1, 0.5, 1.0, 2.0)   # accuracy points (agreement points without labels)
VALIDATION_SHARE = 0.2   # the last 20 % of the calibration set; the rest profiles and refits
FIT_SHARE = f"{(1 - VALIDATION_SHARE) * 100:.0f} %"
METHODS = ("paper", "cost", "refit")
TARGET_SIZES = (0.75, 0.5, 0.25)
LOSSLESS_DROP = 0.1      # accuracy points
ONE_POINT_DROP = 1.0
IREE_TOLERANCE = 0.1     # accuracy points between IREE and lin-run
IREE_BATCHES = (1, 16, 256)
UPSTREAM_BATCHES = (1, 256)   # plain loops: batch 256 of a large model takes ~0.5 s a call
UPSTREAM_CHECK_ROWS = 256     # test rows the upstream route's outputs are compared with IREE's on
DEFAULT_PAPER_MAX_EPOCHS = 6


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------------------
# lin tools
# ---------------------------------------------------------------------------


class Tools:
    """lin-opt and lin-run (from ``bin_dir``, else found by
    lin_toolchain.find_tool), copied to ``snapshot_dir`` first so that a
    rebuild of build/bin during the run cannot swap the binaries under it."""

    def __init__(self, bin_dir: Optional[Path], snapshot_dir: Path):
        snapshot_dir.mkdir(parents=True, exist_ok=True)
        self.hashes = {}
        for tool in ("lin-opt", "lin-run"):
            src = bin_dir / tool if bin_dir else Path(find_tool(tool, required=False) or tool)
            if not os.access(src, os.X_OK):
                sys.exit(f"{src} not found: build lin first (ninja -C build)")
            for _ in range(30):          # a concurrent link may be writing it
                try:
                    shutil.copy2(src, snapshot_dir / tool)
                    subprocess.run([str(snapshot_dir / tool), "--version"], capture_output=True, check=True)
                    break
                except (OSError, subprocess.CalledProcessError):
                    time.sleep(10)
            self.hashes[tool] = file_hash(snapshot_dir / tool)
        self.lin_opt = str(snapshot_dir / "lin-opt")
        self.lin_run = str(snapshot_dir / "lin-run")

    def profile(self, model: Path, calib: Path, out: Path) -> float:
        t0 = time.time()
        run_tool([self.lin_opt, model, f"--linearity-profile=data={calib} quiet=1",
                  "-emit-bytecode", "-o", out])
        return time.time() - t0

    def fold(self, profiled: Path, options: str, out: Path, report: Path, bytecode=True) -> float:
        t0 = time.time()
        run_tool([self.lin_opt, profiled, f"--linearity-fold={options} report={report}",
                  "--canonicalize", "--cse", *(["-emit-bytecode"] if bytecode else []),
                  "-o", out])
        return time.time() - t0

    def compress(self, model: Path, options: str, out: Path, report: Path) -> float:
        """``--linearity-compress`` (profile, fold, canonicalize, cse) from the original."""
        t0 = time.time()
        run_tool([self.lin_opt, model, f"--linearity-compress={options} quiet=1 report={report}",
                  "-emit-bytecode", "-o", out])
        return time.time() - t0

    def predictions(self, model: Path, x: Path, out: Path) -> np.ndarray:
        """Argmax of the first result on ``x``."""
        run_tool([self.lin_run, model, "--input", x, "--output", out, "--batch", "256", "--quiet"])
        return np.load(out).argmax(1)

    def to_text(self, model: Path, out: Path, passes: Sequence[str] = ()) -> None:
        """``model`` as text, after the lin-opt ``passes`` (none: a plain copy)."""
        run_tool([self.lin_opt, model, *passes, "-o", out])

    def unknown_options(self, options: str, passes: Sequence[str] = ("linearity-fold", "linearity-compress")) -> list:
        """The ``key`` of each ``key=value`` in ``options`` that one of the
        ``passes`` does not list in ``lin-opt --help``: checked before a run
        so that an option this build does not know yet stops it at once,
        not after the threshold grid."""
        known = {p: set() for p in passes}
        current = None
        for line in run_tool([self.lin_opt, "--help"]).splitlines():
            m = re.match(r"^( *)--([\w-]+)", line)
            if not m:
                continue
            if len(m.group(1)) == 6:         # a pass
                current = m.group(2) if m.group(2) in known else None
            elif current and len(m.group(1)) == 8:   # an option of that pass
                known[current].add(m.group(2))
        keys = [o.split("=", 1)[0] for o in options.split()]
        return [k for k in keys if any(k not in names for names in known.values())]

    def accuracy(self, model: Path, x: Path, y: Path) -> float:
        out = run_tool([self.lin_run, model, "--input", x, "--labels", y,
                        "--batch", "256", "--quiet"])
        for line in out.splitlines():
            if line.startswith("accuracy:"):
                return float(line.split()[1])
        raise RuntimeError(f"no accuracy in lin-run output:\n{out}")


def file_hash(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()[:16]


# ---------------------------------------------------------------------------
# One model
# ---------------------------------------------------------------------------


def grid_configs():
    rows = []
    for policy in POLICIES:
        for rt in REMOVE_THRESHOLDS:
            for mt in MERGE_THRESHOLDS:
                rows.append({"kind": "grid", "policy": policy, "merge": mt, "remove": rt})
    for policy in POLICIES:
        for ts in TARGET_SIZES:
            rows.append({"kind": "fixed_size", "policy": policy, "target_size": ts, "remove": 1.0})
    for rt in REFIT_REMOVE_THRESHOLDS:
        for mt in REFIT_MERGE_THRESHOLDS:
            rows.append({"kind": "refit", "policy": "cost", "merge": mt, "remove": rt})
    return rows


def options(cfg: dict, fit_data: Optional[Path] = None) -> str:
    o = f"policy={cfg['policy']} remove-threshold={cfg['remove']}"
    if cfg["kind"] == "fixed_size":
        return o + f" target-size={cfg['target_size']}"
    o += f" merge-threshold={cfg['merge']}"
    if cfg["kind"] == "refit":
        o += f" refit=lstsq data={fit_data} quiet=1"
    return o


def budget_options(budget: float, split: dict, evaluations: Optional[int]) -> str:
    o = (f"data={split['fit_x']} policy=cost refit=lstsq budget={budget} "
         f"budget-data={split['val_x']} budget-metric={split['metric']}")
    if split["metric"] == "accuracy":
        o += f" budget-labels={split['val_y']}"
    return o + (f" budget-evaluations={evaluations}" if evaluations else "")


def cfg_name(cfg: dict) -> str:
    if cfg["kind"] == "fixed_size":
        return f"{cfg['policy']}-ts{cfg['target_size']}-r{cfg['remove']}"
    if cfg["kind"] == "budget":
        return f"budget-{cfg['budget']}"
    prefix = "refit" if cfg["kind"] == "refit" else cfg["policy"]
    return f"{prefix}-m{cfg['merge']}-r{cfg['remove']}"


def method_rows(rows, method: str):
    """The rows of one method: an algebraic policy (grid and fixed size) or the refit."""
    if method == "refit":
        return [r for r in rows if r["kind"] == "refit"]
    return [r for r in rows if r["kind"] != "refit" and r["policy"] == method]


def best_within(rows, base_acc: float, drop: float, key: str = "acc"):
    ok = [r for r in rows if (base_acc - r[key]) * 100 <= drop + 1e-9]
    return min(ok, key=lambda r: (r["params_after"], -r[key])) if ok else None


BRIEF_KEYS = ("kind", "policy", "merge", "remove", "target_size", "budget", "params_after", "size",
              "acc", "val_acc", "drop_points")


def brief(row: Optional[dict]) -> Optional[dict]:
    return {k: row[k] for k in BRIEF_KEYS if k in row} if row else None


def split_calibration(d: Path, work: Path, model: Path, tools: Tools) -> dict:
    """The calibration set split in order: the first 1 - VALIDATION_SHARE profile and
    refit ("fit"), the last VALIDATION_SHARE choose ("validation"). Without labels
    (Titanic's prune file), the validation labels are the original's predictions
    and the budget metric is agreement."""
    x, y = np.load(d / "calib_x.npy"), np.load(d / "calib_y.npy")
    n_val = max(1, int(round(VALIDATION_SHARE * len(x))))
    n_fit = len(x) - n_val
    split = {"fit_x": work / "fit_x.npy", "val_x": work / "val_x.npy", "val_y": work / "val_y.npy",
             "n_fit": n_fit, "n_val": n_val}
    np.save(split["fit_x"], x[:n_fit])
    np.save(split["val_x"], x[n_fit:])
    if (y >= 0).all():
        split["metric"] = "accuracy"
        np.save(split["val_y"], y[n_fit:])
    else:
        split["metric"] = "agreement"
        np.save(split["val_y"], tools.predictions(model, split["val_x"], work / "val_out.npy"))
    test_rows = {row.tobytes() for row in np.load(d / "test_x.npy")}
    split["val_rows_in_test"] = sum(row.tobytes() in test_rows for row in x[n_fit:])
    return split


def bench_model(info: dict, tools: Tools, args) -> dict:
    name = info["name"]
    d = Path(info["dir"])
    work = d / "work"
    work.mkdir(exist_ok=True)
    model, tx, ty = d / "model.mlir", d / "test_x.npy", d / "test_y.npy"
    res = {"model": name, "description": info["description"], "sizes": info["sizes"],
           "epochs_run": info["epochs_run"], "max_epochs": info["max_epochs"],
           "route": info["spec"]["route"], "activation": info["spec"]["activation"],
           "n_calib": info["n_calib"], "n_test": info["n_test"],
           "torch_test_acc": info["torch_test_acc"], "timings": {}}

    t0 = time.time()
    base_acc = tools.accuracy(model, tx, ty)
    res["timings"]["lin_run_original"] = round(time.time() - t0, 2)
    res["params"] = info["params"]
    res["test_acc"] = base_acc

    profiled = work / "profiled.mlirbc"
    res["timings"]["profile"] = round(tools.profile(model, d / "calib_x.npy", profiled), 2)
    split = split_calibration(d, work, model, tools)
    vx, vy = split["val_x"], split["val_y"]
    res["validation"] = {k: split[k] for k in ("metric", "n_fit", "n_val", "val_rows_in_test")}
    res["val_acc"] = tools.accuracy(model, vx, vy)
    profiled_fit = work / "profiled_fit.mlirbc"
    res["timings"]["profile_fit"] = round(tools.profile(model, split["fit_x"], profiled_fit), 2)

    rows, by_hash = [], {}
    t_fold = t_run = t_refit = 0.0
    for cfg in grid_configs():
        out, rep = work / f"{cfg_name(cfg)}.mlirbc", work / f"{cfg_name(cfg)}.json"
        refit = cfg["kind"] == "refit"
        seconds = tools.fold(profiled_fit if refit else profiled, options(cfg, split["fit_x"]), out, rep)
        if refit:
            t_refit += seconds
        else:
            t_fold += seconds
        report = json.loads(rep.read_text())
        h = file_hash(out)
        same = by_hash.get(h, {})
        t = time.time()
        acc = same["acc"] if same else tools.accuracy(out, tx, ty)
        if refit:
            val_acc = same["val_acc"] if "val_acc" in same else tools.accuracy(out, vx, vy)
        t_run += time.time() - t
        row = dict(cfg)
        row.update(size_fields(report, acc, base_acc))
        row.update({
            "merged": sum(l["folded"] for l in report["layers"]),
            "removed": sum(l["removed"] for l in report["layers"]),
            "kept": sum(l["kept"] for l in report["layers"]),
            "layers": [{k: l[k] for k in ("name", "neurons", "folded", "removed", "kept")}
                       for l in report["layers"]],
            "file": out.name,
            "hash": h,
        })
        if refit:
            row["val_acc"] = val_acc
            row["refitted"] = sum(c["refitted"] for c in report["functions"][0]["refit"]["consumers"])
        if "val_acc" in row or h not in by_hash:
            by_hash[h] = row
        rows.append(row)
    res["timings"]["folds"] = round(t_fold, 2)
    res["timings"]["refit_folds"] = round(t_refit, 2)
    res["timings"]["configs"] = len(rows)
    res["timings"]["distinct_outputs"] = len(by_hash)
    res["timings"]["lin_run_folded"] = round(t_run, 2)
    res["rows"] = rows
    if res["params"] != rows[0]["params_before"]:
        log(f"WARNING {name}: lin counts {rows[0]['params_before']} parameters, torch {res['params']}")

    # The IREE models and the first table: the algebraic fold, as before the refit.
    algebraic = [r for r in rows if r["kind"] != "refit"]
    res["lossless"] = best_within(algebraic, base_acc, LOSSLESS_DROP)
    res["one_point"] = best_within(algebraic, base_acc, ONE_POINT_DROP)
    res["methods"] = {m: {"lossless": best_within(method_rows(rows, m), base_acc, LOSSLESS_DROP),
                          "one_point": best_within(method_rows(rows, m), base_acc, ONE_POINT_DROP)}
                      for m in METHODS}
    log(f"{name}: acc {base_acc:.4f}, {res['params']} params; " + "; ".join(
        f"{m} {b['lossless']['size']:.3f} / {b['one_point']['size']:.3f}" for m, b in res["methods"].items())
        + " (within 0.1 / 1 pt)")

    t0 = time.time()
    res["budget_runs"] = [bench_budget(b, res, split, d, work, tools, args) for b in BUDGETS]
    res["timings"]["budget_runs"] = round(time.time() - t0, 2)

    if not args.skip_iree:
        t0 = time.time()
        res["iree"] = bench_iree(res, d, work, split, tools, args)
        res["timings"]["iree"] = round(time.time() - t0, 2)
    return res


def rerun_iree(info: dict, tools: Tools, args) -> dict:
    """A model's results of an earlier run (``--iree-from``) with only the
    IREE table measured again: the folded models are re-emitted from the
    cache's profiles, so the threshold grid need not run again."""
    d = Path(info["dir"])
    res = json.loads((Path(args.iree_from) / f"{info['name']}.json").read_text())
    split = split_calibration(d, d / "work", d / "model.mlir", tools)
    t0 = time.time()
    res["iree"] = bench_iree(res, d, d / "work", split, tools, args)
    res["timings"]["iree"] = round(time.time() - t0, 2)
    return res


def size_fields(report: dict, acc: float, base_acc: float) -> dict:
    """A result row's size (from lin's report: the weights of the IR it
    wrote) and test accuracy, against the original's."""
    return {
        "params_before": report["params_before"],
        "params_after": report["params_after"],
        "size": report["params_after"] / report["params_before"],
        "acc": acc,
        "drop_points": round((base_acc - acc) * 100, 4),
    }


def bench_budget(budget: float, res: dict, split: dict, d: Path, work: Path, tools: Tools, args) -> dict:
    """One budget run from the original model, with the refit grid points it
    could have chosen: the smallest within the budget on the validation part
    (the search's own rule, on a sub-grid of its candidates) and on test."""
    cfg = {"kind": "budget", "policy": "cost", "budget": budget}
    out, rep = work / f"{cfg_name(cfg)}.mlirbc", work / f"{cfg_name(cfg)}.json"
    wall = tools.compress(d / "model.mlir", budget_options(budget, split, args.budget_evaluations), out, rep)
    report = json.loads(rep.read_text())
    outcome = report["functions"][0]["budget"]
    acc = tools.accuracy(out, d / "test_x.npy", d / "test_y.npy")
    refit_rows = method_rows(res["rows"], "refit")
    grid_val = best_within(refit_rows, res["val_acc"], budget, key="val_acc")
    grid_test = best_within(refit_rows, res["test_acc"], budget)
    row = dict(cfg)
    row.update(size_fields(report, acc, res["test_acc"]))
    row.update({
        "merge": outcome["merge_threshold"],
        "remove": outcome["remove_threshold"],
        "metric": outcome["metric"],
        "val_original": outcome["original"],
        "val_chosen": outcome["chosen"],
        "candidates": outcome["candidates"],
        "evaluated": outcome["evaluated"],
        "search_seconds": round(outcome["seconds"], 2),
        "wall_seconds": round(wall, 2),
        "grid_val_best": brief(grid_val),
        "grid_test_best": brief(grid_test),
        "size_vs_grid_val": row_ratio(report["params_after"], grid_val),
        "size_vs_grid_test": row_ratio(report["params_after"], grid_test),
        "file": out.name,
        "hash": file_hash(out),
    })
    log(f"{res['model']}: budget {budget}: {row['size']:.4f} of the params, test acc {acc:.4f} "
        f"(drop {row['drop_points']:.2f}), m {row['merge']} r {row['remove']}, "
        f"{row['evaluated']}/{row['candidates']} evaluated, {row['search_seconds']} s search, "
        f"{row['wall_seconds']} s lin-opt; refit grid within budget on validation: "
        f"{grid_val['size'] if grid_val else None}")
    return row


def row_ratio(params: int, row: Optional[dict]) -> Optional[float]:
    return params / row["params_after"] if row and row["params_after"] else None


def iree_rows(res: dict) -> dict:
    """The compressed models the compilers get, by table key: lossless and
    <= 1 point (algebraic and refit) and every budget run."""
    rows = {"lossless": res["lossless"], "one_point": res["one_point"],
            "refit_lossless": res["methods"]["refit"]["lossless"],
            "refit_one_point": res["methods"]["refit"]["one_point"]}
    rows |= {f"budget_{b['budget']:g}": b for b in res.get("budget_runs", [])}
    return {k: v for k, v in rows.items() if v is not None}


def emit_for_iree(row: dict, d: Path, work: Path, split: dict, tools: Tools, args) -> tuple[Path, dict]:
    """The model of a result row as the compilers get it, as text, and lin's
    report of it. By default the row's own file: lin's default emission is
    the one IREE runs fastest (padded widths, out-in weights, feature-major
    activations), so the tables' models are the compiled ones. With
    ``--iree-fold-options`` or ``--iree-passes`` (experiments with other
    forms), or ``--iree-from`` (rows of an earlier run, maybe of an older
    lin), the same fold (same profile, options and data) is run again with
    the options appended, then the lin-opt passes.
    """
    if not (args.iree_fold_options or args.iree_passes or args.iree_from):
        text = work / Path(row["file"]).with_suffix(".mlir").name
        tools.to_text(work / row["file"], text)
        return text, {"params_after": row["params_after"]}
    name = f"iree-{cfg_name(row)}"
    out, rep = work / f"{name}.mlirbc", work / f"{name}.json"
    extra = f" {args.iree_fold_options}" if args.iree_fold_options else ""
    if row["kind"] == "budget":
        tools.compress(d / "model.mlir", budget_options(row["budget"], split, args.budget_evaluations) + extra,
                       out, rep)
    else:
        profiled = work / ("profiled_fit.mlirbc" if row["kind"] == "refit" else "profiled.mlirbc")
        tools.fold(profiled, options(row, split["fit_x"]) + extra, out, rep)
    text = out.with_suffix(".mlir")
    tools.to_text(out, text, shlex.split(args.iree_passes))
    return text, json.loads(rep.read_text())


def first_with_same_text(paths: dict) -> dict:
    """For each key, the first key whose file has the same contents: equal
    models are compiled and timed once."""
    first, by_hash = {}, {}
    for key, path in paths.items():
        first[key] = by_hash.setdefault(file_hash(path), key)
    return first


def compile_interleaved(texts: dict, repeats: int, target_cpu: str) -> tuple[dict, dict]:
    """Compiles every model ``repeats`` times, round by round (as
    :func:`lin_toolchain.timing.latency` times calls), so that compile-time
    ratios compare the same machine state; returns the flatbuffers and the
    seconds of each compilation."""
    vmfbs, seconds = {}, {k: [] for k in texts}
    for _ in range(repeats):
        for key, text in texts.items():
            vmfbs[key], secs = compile_timed(text, target_cpu=target_cpu, generalize_on_error=True)
            seconds[key].append(round(secs, 3))
    return vmfbs, seconds


def timed_batches(calls: dict, x: np.ndarray, batches: Sequence[int], budget: float) -> dict:
    """Per batch size: seconds per call of every model, interleaved with the
    original ("original" in ``calls``), three speedups over it (best calls,
    median calls, median of per-round ratios) and the 1-minute load average
    before and after."""
    out = {}
    for batch in batches:
        b = min(batch, len(x))
        load_before = os.getloadavg()[0]
        lat = latency(calls, x, b, budget, reference="original")
        best = {k: lat[k] for k in calls}
        out[f"batch{batch}"] = {
            "batch": b, "rounds": lat["rounds"], "seconds": best, "median_seconds": lat["median"],
            "speedup": {k: best["original"] / v for k, v in best.items() if k != "original"},
            "speedup_median": {k: lat["median"]["original"] / v for k, v in lat["median"].items()
                               if k != "original"},
            "speedup_rounds": lat["round_ratio"],
            "loadavg_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
    return out


def bench_upstream(texts: dict, x: np.ndarray, iree_calls: dict, args) -> dict:
    """The second route: the same models built with upstream MLIR + clang
    (:mod:`lin_toolchain.upstream`), checked against IREE's outputs on the
    first test rows and timed interleaved at UPSTREAM_BATCHES. A model the
    route cannot build is reported and left out of the timing."""
    calls, out = {}, {"build_seconds": {}, "max_abs_diff_vs_iree": {}, "errors": {}}
    check = np.ascontiguousarray(x[:UPSTREAM_CHECK_ROWS])
    for key, text in texts.items():
        t0 = time.perf_counter()
        try:
            call = compile_upstream(text)
        except ToolError as e:
            out["errors"][key] = str(e)[:2000]
            log(f"upstream route: {key} does not build: {str(e).splitlines()[0]}")
            continue
        out["build_seconds"][key] = round(time.perf_counter() - t0, 2)
        out["max_abs_diff_vs_iree"][key] = float(np.abs(call(check) - iree_calls[key](check)).max())
        calls[key] = call
    if "original" in calls:
        out["latency"] = timed_batches(calls, x, UPSTREAM_BATCHES, args.latency_budget)
    return out


def issue_targets(models: dict, lat: dict, params0: int) -> dict:
    """Issue 11's targets per compressed model (speedups as medians of
    per-round ratios): batch 1 at least as fast as the original, batch 256
    at least 0.8 x original / compressed parameters (the table row's count,
    without the padding: the size the compression tables claim), compile
    time at most 1.2x the original's (minima), no more dispatches than the
    original."""
    out = {}
    for key, m in models.items():
        if key == "original":
            continue
        src = m["same_ir_as"] or key
        need256 = 0.8 * params0 / m["row_params"]
        out[key] = {"batch1": lat["batch1"]["speedup_rounds"][src] >= 1.0,
                    "batch256": lat["batch256"]["speedup_rounds"][src] >= need256,
                    "batch256_needed": round(need256, 3),
                    "compile": m["compile_ratio"] <= 1.2,
                    "dispatches": m["dispatches_ok"]}
    return out


def bench_iree(res: dict, d: Path, work: Path, split: dict, tools: Tools, args) -> dict:
    """The IREE table of one model: the original and every model of
    :func:`iree_rows` (emitted by :func:`emit_for_iree`) compiled with the
    same flags; per model its dispatch count, compile seconds (interleaved
    repeats), IREE test accuracy against lin-run's, latency at IREE_BATCHES
    interleaved in this process with the load, and the upstream route."""
    x, y = np.load(d / "test_x.npy"), np.load(d / "test_y.npy")
    rows = iree_rows(res)
    paths, reports = {"original": d / "model.mlir"}, {}
    for key, row in rows.items():
        paths[key], reports[key] = emit_for_iree(row, d, work, split, tools, args)
    first = first_with_same_text(paths)
    texts = {k: p.read_text() for k, p in paths.items() if first[k] == k}
    out = {"target_cpu": args.iree_cpu, "driver": args.iree_driver,
           "fold_options": args.iree_fold_options, "passes": args.iree_passes,
           "compile_repeats": args.compile_repeats, "loadavg_1min_compile": [round(os.getloadavg()[0], 2)],
           "models": {}}
    vmfbs, seconds = compile_interleaved(texts, args.compile_repeats, args.iree_cpu)
    out["loadavg_1min_compile"].append(round(os.getloadavg()[0], 2))
    calls, accs, dispatches = {}, {}, {}
    for key, text in texts.items():
        calls[key] = load_module(vmfbs[key], driver=args.iree_driver)
        # The whole test set also warms the runtime up: local-task's first
        # batch-1 calls are 5x slower before a module has run a large batch.
        accs[key] = float((run_in_batches(calls[key], x, 1000).argmax(1) == y).mean())
        dispatches[key] = count_dispatches(text, target_cpu=args.iree_cpu, generalize_on_error=True)
    for key, path in paths.items():
        src = first[key]
        lin_acc = res["test_acc"] if key == "original" else tools.accuracy(path, d / "test_x.npy", d / "test_y.npy")
        m = {"file": path.name,
             "params": res["params"] if key == "original" else reports[key]["params_after"],
             "iree_acc": accs[src], "lin_run_acc": lin_acc,
             "agree": abs(accs[src] - lin_acc) * 100 <= IREE_TOLERANCE + 1e-9,
             "dispatches": dispatches[src], "dispatches_ok": dispatches[src] <= dispatches["original"],
             "compile_seconds": seconds[src],
             "compile_ratio": min(seconds[src]) / min(seconds["original"]),
             "same_ir_as": src if src != key else None}
        if key != "original":
            m |= {"row_params": rows[key]["params_after"], "row_acc": rows[key]["acc"]}
        out["models"][key] = m
        if not m["agree"]:
            log(f"WARNING {res['model']} {key}: IREE acc {accs[src]:.4f} vs lin-run {lin_acc:.4f}")
        if not m["dispatches_ok"]:
            log(f"WARNING {res['model']} {key}: {m['dispatches']} dispatches, the original has "
                f"{dispatches['original']}")
    out["dispatch_violations"] = [k for k, m in out["models"].items() if not m["dispatches_ok"]]
    out["latency"] = timed_batches(calls, x, IREE_BATCHES, args.latency_budget)
    out["targets"] = issue_targets(out["models"], out["latency"], res["params"])
    if not args.skip_upstream:
        out["upstream"] = bench_upstream(texts, x, calls, args)
    log(f"{res['model']}: IREE " + "; ".join(
        f"{k} {m['dispatches']} dispatches, compile x{m['compile_ratio']:.2f}, acc {m['iree_acc']:.4f}"
        f" (lin-run {m['lin_run_acc']:.4f}), speedup b" + " / b".join(
            f"{b} {out['latency'][f'batch{b}']['speedup_rounds'][m['same_ir_as'] or k]:.2f}x"
            for b in IREE_BATCHES)
        for k, m in out["models"].items() if k != "original"))
    return out


# ---------------------------------------------------------------------------
# Plots and tables
# ---------------------------------------------------------------------------


def frontier(rows):
    """The rows no smaller row beats in test accuracy, smallest first."""
    out, best = [], -1.0
    for r in sorted(rows, key=lambda r: (r["params_after"], -r["acc"])):
        if r["acc"] > best:
            out.append(r)
            best = r["acc"]
    return out


def acc_limits(res: dict):
    """Accuracy axis (%): every algebraic row and budget run; refit rows below it are cut."""
    base = res["test_acc"] * 100
    lo = min(r["acc"] for r in res["rows"] + res.get("budget_runs", []) if r["kind"] != "refit") * 100
    return max(0, min(lo, base - 5) - 1), min(100, base + 2)


def plot_refit_and_budgets(ax, res: dict, detailed: bool) -> None:
    p0 = res["params"]
    refit = method_rows(res["rows"], "refit")
    if detailed:
        ax.scatter([r["params_after"] / p0 * 100 for r in refit], [r["acc"] * 100 for r in refit],
                   s=9, color="tab:green", alpha=0.35, lw=0,
                   label="refit=lstsq (cost), merge 1.0 .. 0.2 x remove 1.0 .. 0.5")
    fr = frontier(refit)
    ax.plot([r["params_after"] / p0 * 100 for r in fr] + [100], [r["acc"] * 100 for r in fr + fr[-1:]],
            drawstyle="steps-post", color="tab:green", lw=1.4 if detailed else 1,
            label="refit: best test accuracy at or below each size")
    ax.plot([r["params_after"] / p0 * 100 for r in fr], [r["acc"] * 100 for r in fr], ls="none",
            color="tab:green", marker="^" if detailed else ".", ms=4 if detailed else 3)
    runs = res.get("budget_runs", [])
    ax.scatter([b["params_after"] / p0 * 100 for b in runs], [b["acc"] * 100 for b in runs],
               marker="D", s=36 if detailed else 14, color="tab:purple", edgecolor="k",
               linewidths=0.5, zorder=6, label="budget runs (budget in points)")
    if detailed:
        same = {}
        for b in runs:
            same.setdefault((b["params_after"], b["acc"]), []).append(f"{b['budget']:g}")
        for (params, acc), budgets in same.items():
            ax.annotate(", ".join(budgets), (params / p0 * 100, acc * 100),
                        fontsize=6, color="tab:purple", xytext=(3, -7), textcoords="offset points")


def plot_model(res: dict, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    styles = {("paper", 1.0): ("tab:blue", "o", "-"), ("paper", 0.99): ("tab:blue", "s", "--"),
              ("cost", 1.0): ("tab:red", "o", "-"), ("cost", 0.99): ("tab:red", "s", "--")}
    p0 = res["params"]
    for (policy, rt), (color, marker, ls) in styles.items():
        rows = [r for r in res["rows"] if r["kind"] == "grid" and r["policy"] == policy and r["remove"] == rt]
        rows.sort(key=lambda r: -r["merge"])
        hollow = policy == "paper"
        ax.plot([r["params_after"] / p0 * 100 for r in rows], [r["acc"] * 100 for r in rows],
                ls=ls, marker=marker, color=color, alpha=0.8, ms=7 if hollow else 4,
                mfc="none" if hollow else color, lw=1.2,
                label=f"policy={policy}, remove-threshold={rt}")
        if (policy, rt) != ("cost", 1.0):
            continue
        for r in rows:   # merge thresholds of one series
            if r["merge"] in (1.0, 0.9, 0.7, 0.5, 0.4):
                ax.annotate(f"{r['merge']}", (r["params_after"] / p0 * 100, r["acc"] * 100),
                            fontsize=6, color=color, xytext=(2, 2), textcoords="offset points")
    fs = [r for r in res["rows"] if r["kind"] == "fixed_size"]
    for policy, color in (("paper", "tab:blue"), ("cost", "tab:red")):
        rr = [r for r in fs if r["policy"] == policy]
        ax.scatter([r["params_after"] / p0 * 100 for r in rr], [r["acc"] * 100 for r in rr],
                   marker="*", s=90, color=color, edgecolor="k", linewidths=0.5, zorder=5,
                   label=f"fixed size 75/50/25 % ({policy})")
    plot_refit_and_budgets(ax, res, detailed=True)
    base = res["test_acc"] * 100
    ax.axhline(base, color="k", lw=0.8, ls=":", label=f"original {base:.2f} %")
    ax.axhspan(base - 1, base, color="grey", alpha=0.12, lw=0, label="within 1 point")
    ax.set_xlabel("parameters (% of original)")
    ax.set_ylabel("test accuracy (%)")
    ax.set_title(f"{res['model']} ({'-'.join(map(str, res['sizes']))}, {res['params']:,} params)", fontsize=9)
    ax.set_xlim(0, 105)
    ax.set_ylim(*acc_limits(res))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=6, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_overview(results: list, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(results)
    cols = 4
    rows_ = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows_, cols, figsize=(4 * cols, 3 * rows_), squeeze=False)
    for ax, res in zip(axes.flat, results):
        p0, base = res["params"], res["test_acc"] * 100
        for policy, color in (("paper", "tab:blue"), ("cost", "tab:red")):
            for rt, ls in ((1.0, "-"), (0.99, "--")):
                rr = sorted((r for r in res["rows"] if r["kind"] == "grid" and r["policy"] == policy
                             and r["remove"] == rt), key=lambda r: -r["merge"])
                ax.plot([r["params_after"] / p0 * 100 for r in rr], [r["acc"] * 100 for r in rr],
                        ls=ls, marker=".", color=color, ms=3, lw=1)
        plot_refit_and_budgets(ax, res, detailed=False)
        ax.axhline(base, color="k", lw=0.7, ls=":")
        ax.set_title(res["model"], fontsize=9)
        ax.set_xlim(0, 105)
        ax.set_ylim(*acc_limits(res))
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    fig.supxlabel("parameters (% of original)   red: policy=cost, blue: policy=paper; "
                  "solid: remove-threshold 1.0, dashed: 0.99; green: refit=lstsq (best test accuracy "
                  "up to each size); purple diamonds: budget runs", fontsize=8)
    fig.supylabel("test accuracy (%)", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def pct(x: float) -> str:
    return f"{x * 100:.1f} %" if x >= 0.01 else f"{x * 100:.2g} %"


def _cfg(x: dict) -> str:
    if x["kind"] == "fixed_size":
        return f"{x['policy']}, target {x['target_size']}"
    if x["kind"] == "refit":
        return f"m {x['merge']}, r {x['remove']}"
    return f"{x['policy']}, m {x['merge']}, r {x['remove']}"


def _best(x: Optional[dict]) -> str:
    return f"**{pct(x['size'])}**: {x['acc'] * 100:.2f} ({_cfg(x)})" if x else "none"


def _variant_label(key: str) -> str:
    return {"one_point": "1 pt", "refit_one_point": "refit 1 pt"}.get(key, key.replace("_", " "))


def _speedups(lat: Optional[dict], key: str, batches: Sequence[int]) -> str:
    """Speedups (median of per-round ratios) at ``batches``; "-" where not timed."""
    if not lat or key not in lat[f"batch{batches[0]}"]["speedup_rounds"]:
        return "-"
    return " / ".join(f"{lat[f'batch{b}']['speedup_rounds'][key]:.2f}x" for b in batches)


def _missed_targets(targets: dict) -> str:
    missed = [t for t in ("batch1", "batch256", "compile", "dispatches") if not targets[t]]
    return "met" if not missed else "**missed: " + ", ".join(missed) + "**"


def iree_table(results: list) -> list:
    """The IREE table: per model its original (absolute figures) and every
    compiled compressed model (figures relative to the original's, measured
    in the same process)."""
    lines = [
        "IREE (llvm-cpu, host CPU), and upstream MLIR + clang: every compressed model of the tables "
        "above, compiled as lin emits it by default (widths padded to 16, out-in weights, "
        "feature-major activations; parameters include the padding; with `--iree-fold-options` the "
        "models are folded again with those options, named in the JSON's `iree.fold_options`), "
        "its test accuracy under IREE and lin-run, its dispatches (`flow.dispatch` in the "
        "public function) against the original's, its compile time over the original's (minima of "
        "interleaved repeats), and its speedup over the original: the median over rounds of "
        "original time / compressed time, all models interleaved in one process (best-call and "
        "median-call speedups are in the JSON). Original rows: absolute figures (median ms). Targets "
        "of issue 11: batch 1 >= 1x, batch 256 >= 0.8 x the parameter ratio, compile <= 1.2x, "
        "dispatches <= the original's. Load: highest 1-minute load average during the timing.",
        "",
        "| model | compiled | params | IREE / lin-run acc | dispatches | compile | IREE b1 / b16 / b256 | "
        "upstream b1 / b256 | targets | load |",
        "| --- | --- | ---: | --- | ---: | ---: | --- | --- | --- | ---: |",
    ]
    for r in results:
        iree = r.get("iree")
        if not iree:
            continue
        m, lat = iree["models"], iree["latency"]
        up = iree.get("upstream", {}).get("latency")
        o = m["original"]
        load = max(v for e in lat.values() for v in e["loadavg_1min"])
        up_ms = (" / ".join(f"{up[f'batch{b}']['median_seconds']['original'] * 1e3:.2f}" for b in UPSTREAM_BATCHES)
                 + " ms") if up else "-"
        lines.append(
            f"| {r['model']} | original | {o['params']:,} | {o['iree_acc'] * 100:.2f} / "
            f"{o['lin_run_acc'] * 100:.2f} | {o['dispatches']} | {min(o['compile_seconds']):.1f} s | "
            + " / ".join(f"{lat[f'batch{b}']['median_seconds']['original'] * 1e3:.2f}" for b in IREE_BATCHES)
            + f" ms | {up_ms} | | {load:.1f} |")
        for key, v in m.items():
            if key == "original":
                continue
            src = v["same_ir_as"] or key
            acc = f"{v['iree_acc'] * 100:.2f} / {v['lin_run_acc'] * 100:.2f}" + ("" if v["agree"] else " **NO**")
            dispatches = str(v["dispatches"]) if v["dispatches_ok"] else f"**{v['dispatches']}**"
            lines.append(
                f"| | {_variant_label(key)} | {v['params']:,} ({v['params'] / o['params'] * 100:.1f} %) | "
                f"{acc} | {o['dispatches']} → {dispatches} | "
                f"{v['compile_ratio']:.2f}x | {_speedups(lat, src, IREE_BATCHES)} | "
                f"{_speedups(up, src, UPSTREAM_BATCHES)} | {_missed_targets(iree['targets'][key])} | |")
    return lines


def summary_table(results: list) -> str:
    """Markdown tables: compression (lin-run accuracy), per method, budget runs,
    the budget search against the refit grid, and IREE."""
    lines = [
        "| model | params | test acc | threshold 1.0 (cost) | lossless, algebraic (drop <= 0.1 pt) | "
        "drop <= 1 pt, algebraic | fixed 25 %: paper / cost |",
        "| --- | ---: | ---: | --- | --- | --- | --- |",
    ]
    for r in results:
        t1 = next(x for x in r["rows"] if x["kind"] == "grid" and x["policy"] == "cost"
                  and x["merge"] == 1.0 and x["remove"] == 1.0)
        fs = {x["policy"]: x for x in r["rows"] if x["kind"] == "fixed_size" and x["target_size"] == 0.25}
        fixed = " / ".join(f"{fs[p]['acc'] * 100:.2f}" for p in ("paper", "cost"))
        lines.append(
            f"| {r['model']} | {r['params']:,} | {r['test_acc'] * 100:.2f} | "
            f"{pct(t1['size'])}: {t1['acc'] * 100:.2f} | {_best(r['lossless'])} | "
            f"{_best(r['one_point'])} | {fixed} |")
    lines += [
        "",
        "Per method, the smallest model within 0.1 / 1 point of the original's test accuracy "
        "(picked on test): size: test accuracy (merge, remove threshold). paper / cost: the "
        "algebraic fold (grid and fixed sizes) profiled on the whole calibration set; refit: "
        f"`policy=cost refit=lstsq` profiled and refitted on its first {FIT_SHARE}.",
        "",
        "| model | test acc | paper <= 0.1 pt | paper <= 1 pt | cost <= 0.1 pt | cost <= 1 pt | "
        "refit <= 0.1 pt | refit <= 1 pt |",
        "| --- | ---: | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(f"| {r['model']} | {r['test_acc'] * 100:.2f} | " + " | ".join(
            _best(r["methods"][m][k]) for m in METHODS for k in ("lossless", "one_point")) + " |")
    lines += [
        "",
        "Budget runs (`--linearity-compress` from the original: `policy=cost refit=lstsq "
        f"budget=<points>`, profiled and refitted on the first {FIT_SHARE} of the calibration set, "
        f"chosen on its last {VALIDATION_SHARE * 100:.0f} %, reported on test): size, test accuracy drop in points, "
        "seconds of the search (report) / of the whole lin-opt call. Last column: the size "
        "at budget 1 over the smallest refit grid point within 1 point on test.",
        "",
        "| model | metric (validation samples) | " + " | ".join(f"budget {b:g}" for b in BUDGETS)
        + " | budget 1 / refit grid <= 1 pt |",
        "| --- | --- | " + " | ".join("---" for _ in BUDGETS) + " | ---: |",
    ]
    for r in results:
        runs = {b["budget"]: b for b in r["budget_runs"]}
        one = runs.get(1.0)
        ratio = f"{one['size_vs_grid_test']:.2f}" if one and one["size_vs_grid_test"] else "-"
        lines.append(
            f"| {r['model']} | {r['validation']['metric']} ({r['validation']['n_val']}) | " + " | ".join(
                f"**{pct(b['size'])}**, drop {b['drop_points']:.2f}, {b['search_seconds']:.1f} / "
                f"{b['wall_seconds']:.1f} s" for b in r["budget_runs"]) + f" | {ratio} |")
    lines += [
        "",
        "The budget search against the refit grid: the size it chose / the smallest refit grid "
        "point within the budget on the same validation data (the search's own rule; the grid's "
        "thresholds are among the search's candidates), and the candidates it evaluated of "
        "those it enumerated.",
        "",
        "| model | " + " | ".join(f"budget {b:g}" for b in BUDGETS) + " |",
        "| --- | " + " | ".join("---" for _ in BUDGETS) + " |",
    ]
    for r in results:
        cells = []
        for b in r["budget_runs"]:
            g = b["grid_val_best"]
            grid = f"{pct(g['size'])} ({b['size_vs_grid_val']:.2f}x)" if g else "none"
            cells.append(f"{pct(b['size'])} / {grid}, {b['evaluated']} of {b['candidates']}")
        lines.append(f"| {r['model']} | " + " | ".join(cells) + " |")
    lines += [""] + iree_table(results)
    return "\n".join(lines) + "\n"


def iree_brief(iree: dict) -> dict:
    """summary.json's IREE entry of a model: per compiled model its accuracy,
    dispatches, compile ratio and speedups (median of per-round ratios), on
    IREE and on the upstream route."""
    up = iree.get("upstream", {}).get("latency", {})
    return {"fold_options": iree["fold_options"], "dispatch_violations": iree["dispatch_violations"],
            "targets": iree["targets"],
            "models": {k: {kk: v[kk] for kk in ("params", "iree_acc", "lin_run_acc", "agree", "dispatches",
                                                "compile_ratio")} for k, v in iree["models"].items()},
            "speedup": {b: e["speedup_rounds"] for b, e in iree["latency"].items()},
            "upstream_speedup": {b: e["speedup_rounds"] for b, e in up.items()}}


def update_readme(readme: Path, table: str, header: str, section: str = "results") -> None:
    """Replaces the text between the ``<!-- {section}:begin/end -->`` markers
    of ``readme`` by ``header`` and ``table``."""
    begin, end = f"<!-- {section}:begin -->", f"<!-- {section}:end -->"
    if not readme.exists():
        return
    text = readme.read_text()
    if begin not in text or end not in text:
        return
    pre, rest = text.split(begin, 1)
    _, post = rest.split(end, 1)
    readme.write_text(pre + begin + "\n" + header + "\n" + table + end + post)


# ---------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", default=str(DEFAULT_CACHE), help="model cache (python/train_models.py)")
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "results"))
    ap.add_argument("--models", help="comma-separated subset (default: all paper models, PAPER_MODELS)")
    ap.add_argument("--bin", help="directory of lin-opt / lin-run (default: lin_toolchain.find_tool: "
                                  "$LIN_BUILD_DIR/bin, build/bin, PATH)")
    ap.add_argument("--paper-max-epochs", type=int, default=DEFAULT_PAPER_MAX_EPOCHS,
                    help="cap of the paper's SGD schedule for fmnist_paper (paper: 20; 0 = no cap)")
    ap.add_argument("--skip-iree", action="store_true")
    ap.add_argument("--iree-cpu", default="host", help="--iree-llvmcpu-target-cpu")
    ap.add_argument("--iree-driver", default="local-task",
                    help="IREE runtime driver: local-task (thread pool) or local-sync (one thread)")
    ap.add_argument("--latency-budget", type=float, default=5.0,
                    help="seconds of timed calls per batch size (all models of one model's table together)")
    ap.add_argument("--iree-fold-options", default="",
                    help="options appended to a fold of every model the compilers get, run again "
                         "(not to the tables' rows); default: none, the rows' own models are compiled")
    ap.add_argument("--iree-passes", default="",
                    help="lin-opt passes run after that fold, e.g. "
                         "'--linearity-align=\"multiple=16 weight-layout=out-in\"'")
    ap.add_argument("--compile-repeats", type=int, default=3,
                    help="IREE compilations of each model, interleaved; compile ratios compare minima")
    ap.add_argument("--skip-upstream", action="store_true",
                    help="no upstream MLIR + clang route next to IREE")
    ap.add_argument("--iree-from", metavar="DIR",
                    help="take every model's rows from DIR/<model>.json of an earlier run (same cache) "
                         "and measure only the IREE table again")
    ap.add_argument("--budget-evaluations", type=int,
                    help="budget-evaluations of the budget runs (default: lin-opt's)")
    ap.add_argument("--no-readme", action="store_true", help="do not rewrite benchmarks/README.md")
    args = ap.parse_args(argv)

    t_start = time.time()
    git_modified = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                                  capture_output=True, text=True).stdout.split("\n")
    git_modified = [line[3:] for line in git_modified if line.strip()]
    git_head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True).stdout.strip()
    tools = Tools(Path(args.bin) if args.bin else None, Path(args.cache) / "bin-snapshot")
    unknown = [] if args.skip_iree else tools.unknown_options(args.iree_fold_options)
    if unknown:
        sys.exit(f"{tools.lin_opt} does not know the fold option(s) {', '.join(unknown)} of "
                 f"--iree-fold-options {args.iree_fold_options!r}: rebuild lin, or pass "
                 f"--iree-fold-options without them")
    names = args.models.split(",") if args.models else PAPER_MODELS
    cap = args.paper_max_epochs or None
    t0 = time.time()
    infos = ensure_models(names, args.cache, paper_max_epochs=cap, log=log)
    t_train = time.time() - t0

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for info in infos:
        log(f"--- {info['name']}")
        t0 = time.time()
        res = rerun_iree(info, tools, args) if args.iree_from else bench_model(info, tools, args)
        res["timings"]["total"] = round(time.time() - t0, 1)
        (out / f"{info['name']}.json").write_text(json.dumps(res, indent=1) + "\n")
        plot_model(res, out / f"{info['name']}.png")
        results.append(res)

    plot_overview(results, out / "overview.png")
    table = summary_table(results)
    meta = {
        "command": "benchmarks/paper_tables.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "loadavg_at_end": [round(v, 2) for v in os.getloadavg()],
        "paper_max_epochs": cap,
        "budget_evaluations": args.budget_evaluations,
        "git_head_at_start": git_head,
        "git_modified_at_start": git_modified,
        "tool_hashes": tools.hashes,
        "train_seconds_this_run": round(t_train, 1),
        "total_seconds": round(time.time() - t_start, 1),
    }
    summary = {"meta": meta, "models": [
        {k: r[k] for k in ("model", "params", "test_acc", "torch_test_acc", "epochs_run", "max_epochs")}
        | {"lossless": brief(r["lossless"]), "one_point": brief(r["one_point"]),
           "methods": {m: {k: brief(v) for k, v in b.items()} for m, b in r["methods"].items()},
           "validation": r["validation"] | {"original_acc": r["val_acc"]},
           "budget_runs": [{k: v for k, v in b.items() if k not in ("file", "hash")}
                           for b in r["budget_runs"]],
           "iree": iree_brief(r["iree"]) if "iree" in r else None,
           "timings": r["timings"]}
        for r in results]}
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    header = (f"Measured {meta['date']} on {meta['machine']} by `{meta['command'].strip()}` "
              f"({meta['total_seconds'] / 60:.1f} min including {t_train / 60:.1f} min training). "
              f"Sizes are parameters after / before; accuracies in %.\n")
    (out / "summary.md").write_text(header + "\n" + table)
    if not args.no_readme and not args.models:
        update_readme(REPO / "benchmarks" / "README.md", table, header)
    print(header)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
