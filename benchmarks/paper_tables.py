#!/usr/bin/env python3
"""Reproduce the paper's compression tables with lin, checked with IREE.

One command (from the repository root; trains the models first if the cache
is empty, see python/train_models.py):

    .venv/bin/python benchmarks/paper_tables.py

Per model (cache entry <cache>/<name>/, profiled once on its calibration data):

* test accuracy (lin-run) and parameters of the original;
* the threshold grid: merge-threshold 1.0 .. 0.4 x remove-threshold 1.0 / 0.99
  x policy paper / cost (``lin-opt --linearity-fold``, then canonicalize, cse),
  parameters (fold report) and test accuracy (lin-run) of each;
* the paper's fixed-size rows: target-size 0.75 / 0.5 / 0.25 (both policies);
* the largest compression with a test-accuracy drop <= 0.1 points
  ("lossless") and <= 1 point, over all rows evaluated;
* IREE (llvm-cpu, host CPU): the original, lossless and <= 1 point models
  compiled with iree-compile and run over the test set (accuracy compared with
  lin-run's), and inference latency at batch 1 and 256, compressed vs
  original, measured interleaved in the same process;
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
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "python"))

from lin_models import DEFAULT_CACHE, MODELS, ensure_models  # noqa: E402
from lin_toolchain import find_tool, run_tool  # noqa: E402
from lin_toolchain.iree import compile_module, load_module, run_in_batches  # noqa: E402

MERGE_THRESHOLDS = (1.0, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4)
REMOVE_THRESHOLDS = (1.0, 0.99)
POLICIES = ("paper", "cost")
TARGET_SIZES = (0.75, 0.5, 0.25)
LOSSLESS_DROP = 0.1      # accuracy points
ONE_POINT_DROP = 1.0
IREE_TOLERANCE = 0.1     # accuracy points between IREE and lin-run
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

    def to_text(self, model: Path, out: Path) -> None:
        run_tool([self.lin_opt, model, "-o", out])

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
# IREE latency
# ---------------------------------------------------------------------------


def latency(calls: dict, x: np.ndarray, batch: int, budget: float) -> dict:
    """Best (and median) seconds per call of each callable on x[:batch];
    calls are interleaved round by round so that machine noise hits all alike."""
    xb = np.ascontiguousarray(x[:batch])
    for c in calls.values():            # warm up
        for _ in range(3):
            c(xb)
    t0 = time.perf_counter()
    for c in calls.values():
        c(xb)
    per_round = max(time.perf_counter() - t0, 1e-6)
    rounds = int(min(2000, max(10, budget / per_round)))
    samples = {k: [] for k in calls}
    for _ in range(rounds):
        for k, c in calls.items():
            t = time.perf_counter()
            c(xb)
            samples[k].append(time.perf_counter() - t)
    return ({k: float(np.min(v)) for k, v in samples.items()}
            | {"median": {k: float(np.median(v)) for k, v in samples.items()}, "rounds": rounds})


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
    return rows


def options(cfg: dict) -> str:
    o = f"policy={cfg['policy']} remove-threshold={cfg['remove']}"
    if cfg["kind"] == "fixed_size":
        return o + f" target-size={cfg['target_size']}"
    return o + f" merge-threshold={cfg['merge']}"


def cfg_name(cfg: dict) -> str:
    if cfg["kind"] == "fixed_size":
        return f"{cfg['policy']}-ts{cfg['target_size']}-r{cfg['remove']}"
    return f"{cfg['policy']}-m{cfg['merge']}-r{cfg['remove']}"


def best_within(rows, base_acc: float, drop: float):
    ok = [r for r in rows if (base_acc - r["acc"]) * 100 <= drop + 1e-9]
    return min(ok, key=lambda r: (r["params_after"], -r["acc"])) if ok else None


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

    rows, by_hash = [], {}
    t_fold = t_run = 0.0
    for cfg in grid_configs():
        out, rep = work / f"{cfg_name(cfg)}.mlirbc", work / f"{cfg_name(cfg)}.json"
        t_fold += tools.fold(profiled, options(cfg), out, rep)
        report = json.loads(rep.read_text())
        h = file_hash(out)
        if h in by_hash:
            acc = by_hash[h]["acc"]
        else:
            t = time.time()
            acc = tools.accuracy(out, tx, ty)
            t_run += time.time() - t
        row = dict(cfg)
        row.update({
            "params_before": report["params_before"],
            "params_after": report["params_after"],
            "size": report["params_after"] / report["params_before"],
            "acc": acc,
            "drop_points": round((base_acc - acc) * 100, 4),
            "merged": sum(l["folded"] for l in report["layers"]),
            "removed": sum(l["removed"] for l in report["layers"]),
            "kept": sum(l["kept"] for l in report["layers"]),
            "layers": [{k: l[k] for k in ("name", "neurons", "folded", "removed", "kept")}
                       for l in report["layers"]],
            "file": out.name,
            "hash": h,
        })
        by_hash.setdefault(h, row)
        rows.append(row)
    res["timings"]["folds"] = round(t_fold, 2)
    res["timings"]["configs"] = len(rows)
    res["timings"]["distinct_outputs"] = len(by_hash)
    res["timings"]["lin_run_folded"] = round(t_run, 2)
    res["rows"] = rows
    if res["params"] != rows[0]["params_before"]:
        log(f"WARNING {name}: lin counts {rows[0]['params_before']} parameters, torch {res['params']}")

    res["lossless"] = best_within(rows, base_acc, LOSSLESS_DROP)
    res["one_point"] = best_within(rows, base_acc, ONE_POINT_DROP)
    log(f"{name}: acc {base_acc:.4f}, {res['params']} params; lossless "
        f"{res['lossless']['size']:.3f} ({cfg_name(res['lossless'])}), <=1pt "
        f"{res['one_point']['size']:.3f} ({cfg_name(res['one_point'])})")

    if not args.skip_iree:
        res["iree"] = bench_iree(res, d, work, tools, args)
    return res


def bench_iree(res: dict, d: Path, work: Path, tools: Tools, args) -> dict:
    x = np.load(d / "test_x.npy")
    y = np.load(d / "test_y.npy")
    variants = {"original": d / "model.mlir"}
    for key in ("lossless", "one_point"):
        row = res[key]
        variants[key] = work / row["file"]
    out = {"target_cpu": args.iree_cpu, "driver": args.iree_driver, "models": {}}
    calls = {}
    compiled = {}                  # IR hash -> (callable, compile seconds, accuracy, first variant)
    for key, path in variants.items():
        if path.suffix == ".mlirbc":
            text_path = path.with_suffix(".mlir")
            tools.to_text(path, text_path)
        else:
            text_path = path
        h = file_hash(text_path)
        if h not in compiled:
            t0 = time.time()
            vmfb = compile_module(text_path.read_text(), target_cpu=args.iree_cpu,
                                  generalize_on_error=True)
            secs = time.time() - t0
            call = load_module(vmfb, driver=args.iree_driver)
            acc = float((run_in_batches(call, x, 1000).argmax(1) == y).mean())
            compiled[h] = (call, secs, acc, key)
        calls[key], secs, acc, first = compiled[h]
        lin_acc = res["test_acc"] if key == "original" else res[key]["acc"]
        params = res["params"] if key == "original" else res[key]["params_after"]
        out["models"][key] = {
            "params": params,
            "iree_acc": acc,
            "lin_run_acc": lin_acc,
            "agree": abs(acc - lin_acc) * 100 <= IREE_TOLERANCE + 1e-9,
            "compile_seconds": round(secs, 2),
            "same_ir_as": first if first != key else None,
        }
        if not out["models"][key]["agree"]:
            log(f"WARNING {res['model']} {key}: IREE acc {acc:.4f} vs lin-run {lin_acc:.4f}")
    # Latency: interleave the distinct compiled models.
    distinct = {}
    for key, c in calls.items():
        if all(c is not v for v in distinct.values()):
            distinct[key] = c
    out["latency"] = {}
    for batch in (1, 256):
        b = min(batch, len(x))
        load_before = os.getloadavg()[0]
        lat = latency(distinct, x, b, args.latency_budget)
        median = lat.pop("median")
        entry = {"batch": b, "rounds": lat.pop("rounds"), "seconds": {}, "median_seconds": {},
                 "loadavg_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
        for key in calls:
            src = next(k for k, c in distinct.items() if c is calls[key])
            entry["seconds"][key] = lat[src]
            entry["median_seconds"][key] = median[src]
        entry["speedup"] = {k: entry["seconds"]["original"] / v
                            for k, v in entry["seconds"].items() if k != "original"}
        entry["speedup_median"] = {k: entry["median_seconds"]["original"] / v
                                   for k, v in entry["median_seconds"].items() if k != "original"}
        out["latency"][f"batch{batch}"] = entry
    log(f"{res['model']}: IREE acc " + ", ".join(
        f"{k} {v['iree_acc']:.4f} (lin-run {v['lin_run_acc']:.4f})" for k, v in out["models"].items())
        + "; speedup lossless b1 {:.2f}x b256 {:.2f}x".format(
            out["latency"]["batch1"]["speedup"]["lossless"],
            out["latency"]["batch256"]["speedup"]["lossless"]))
    return out


# ---------------------------------------------------------------------------
# Plots and tables
# ---------------------------------------------------------------------------


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
    base = res["test_acc"] * 100
    ax.axhline(base, color="k", lw=0.8, ls=":", label=f"original {base:.2f} %")
    ax.axhspan(base - 1, base, color="grey", alpha=0.12, lw=0, label="within 1 point")
    ax.set_xlabel("parameters (% of original)")
    ax.set_ylabel("test accuracy (%)")
    ax.set_title(f"{res['model']} ({'-'.join(map(str, res['sizes']))}, {res['params']:,} params)", fontsize=9)
    ax.set_xlim(0, 105)
    lo = min(r["acc"] for r in res["rows"]) * 100
    ax.set_ylim(max(0, min(lo, base - 5) - 1), min(100, base + 2))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=6.5, loc="lower right")
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
        ax.axhline(base, color="k", lw=0.7, ls=":")
        ax.set_title(res["model"], fontsize=9)
        ax.set_xlim(0, 105)
        lo = min(r["acc"] for r in res["rows"]) * 100
        ax.set_ylim(max(0, min(lo, base - 5) - 1), min(100, base + 2))
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    fig.supxlabel("parameters (% of original)   red: policy=cost, blue: policy=paper; "
                  "solid: remove-threshold 1.0, dashed: 0.99", fontsize=8)
    fig.supylabel("test accuracy (%)", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def pct(x: float) -> str:
    return f"{x * 100:.1f} %"


def _cfg(x: dict) -> str:
    if x["kind"] == "fixed_size":
        return f"{x['policy']}, target {x['target_size']}"
    return f"{x['policy']}, m {x['merge']}, r {x['remove']}"


def summary_table(results: list) -> str:
    """Two Markdown tables: compression (lin-run accuracy) and IREE."""
    lines = [
        "| model | params | test acc | threshold 1.0 (cost) | lossless (drop <= 0.1 pt) | drop <= 1 pt | "
        "fixed 25 %: paper / cost |",
        "| --- | ---: | ---: | --- | --- | --- | --- |",
    ]
    for r in results:
        t1 = next(x for x in r["rows"] if x["kind"] == "grid" and x["policy"] == "cost"
                  and x["merge"] == 1.0 and x["remove"] == 1.0)
        ll, op = r["lossless"], r["one_point"]
        fs = {x["policy"]: x for x in r["rows"] if x["kind"] == "fixed_size" and x["target_size"] == 0.25}
        fixed = " / ".join(f"{fs[p]['acc'] * 100:.2f}" for p in ("paper", "cost"))
        lines.append(
            f"| {r['model']} | {r['params']:,} | {r['test_acc'] * 100:.2f} | "
            f"{pct(t1['size'])}: {t1['acc'] * 100:.2f} | "
            f"**{pct(ll['size'])}**: {ll['acc'] * 100:.2f} ({_cfg(ll)}) | "
            f"**{pct(op['size'])}**: {op['acc'] * 100:.2f} ({_cfg(op)}) | {fixed} |")
    lines += [
        "",
        "IREE (llvm-cpu, host CPU): test accuracy of the compiled models next to "
        "lin-run's, and latency speedup (original time / compressed time, best of calls "
        "interleaved round by round in one process, medians in the JSON; 1-minute load average "
        "of the machine during the measurement).",
        "",
        "| model | IREE acc: original / lossless / 1 pt | lin-run acc | agree (<= 0.1 pt) | "
        "speedup lossless b1 / b256 | speedup 1 pt b1 / b256 | original latency b1 / b256 | load |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        iree = r.get("iree")
        if not iree:
            continue
        m, lat = iree["models"], iree["latency"]
        keys = ("original", "lossless", "one_point")
        lines.append(
            f"| {r['model']} | " + " / ".join(f"{m[k]['iree_acc'] * 100:.2f}" for k in keys)
            + " | " + " / ".join(f"{m[k]['lin_run_acc'] * 100:.2f}" for k in keys)
            + f" | {'yes' if all(m[k]['agree'] for k in keys) else '**NO**'} | "
            f"{lat['batch1']['speedup']['lossless']:.2f}x / {lat['batch256']['speedup']['lossless']:.2f}x | "
            f"{lat['batch1']['speedup']['one_point']:.2f}x / {lat['batch256']['speedup']['one_point']:.2f}x | "
            f"{lat['batch1']['seconds']['original'] * 1e3:.2f} / {lat['batch256']['seconds']['original'] * 1e3:.1f} ms | "
            f"{max(lat['batch1']['loadavg_1min'] + lat['batch256']['loadavg_1min']):.1f} |")
    return "\n".join(lines) + "\n"


def update_readme(readme: Path, table: str, header: str) -> None:
    begin, end = "<!-- results:begin -->", "<!-- results:end -->"
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
    ap.add_argument("--models", help="comma-separated subset (default: all)")
    ap.add_argument("--bin", help="directory of lin-opt / lin-run (default: lin_toolchain.find_tool: "
                                  "$LIN_BUILD_DIR/bin, build/bin, PATH)")
    ap.add_argument("--paper-max-epochs", type=int, default=DEFAULT_PAPER_MAX_EPOCHS,
                    help="cap of the paper's SGD schedule for fmnist_paper (paper: 20; 0 = no cap)")
    ap.add_argument("--skip-iree", action="store_true")
    ap.add_argument("--iree-cpu", default="host", help="--iree-llvmcpu-target-cpu")
    ap.add_argument("--iree-driver", default="local-task",
                    help="IREE runtime driver: local-task (thread pool) or local-sync (one thread)")
    ap.add_argument("--latency-budget", type=float, default=5.0,
                    help="seconds of timed calls per batch size and model")
    ap.add_argument("--no-readme", action="store_true", help="do not rewrite benchmarks/README.md")
    args = ap.parse_args(argv)

    t_start = time.time()
    tools = Tools(Path(args.bin) if args.bin else None, Path(args.cache) / "bin-snapshot")
    names = args.models.split(",") if args.models else list(MODELS)
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
        res = bench_model(info, tools, args)
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
        "git_head": subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                                   capture_output=True, text=True).stdout.strip(),
        "tool_hashes": tools.hashes,
        "train_seconds_this_run": round(t_train, 1),
        "total_seconds": round(time.time() - t_start, 1),
    }
    summary = {"meta": meta, "models": [
        {k: r[k] for k in ("model", "params", "test_acc", "torch_test_acc", "epochs_run", "max_epochs")}
        | {"lossless": {k: r["lossless"][k] for k in ("kind", "policy", "merge", "remove", "target_size",
                                                      "params_after", "size", "acc") if k in r["lossless"]},
           "one_point": {k: r["one_point"][k] for k in ("kind", "policy", "merge", "remove", "target_size",
                                                        "params_after", "size", "acc") if k in r["one_point"]},
           "iree": ({k: {kk: v[kk] for kk in ("iree_acc", "lin_run_acc", "agree")}
                     for k, v in r["iree"]["models"].items()}
                    | {"speedup": {b: e["speedup"] for b, e in r["iree"]["latency"].items()}})
           if "iree" in r else None,
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
