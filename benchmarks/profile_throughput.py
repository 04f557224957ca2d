#!/usr/bin/env python3
"""Throughput of `lin-opt --linearity-profile` against PyTorch and bare sgemm.

The paper's Fashion-MNIST MLP (784-1024-1024-512-512-256-256-10, ReLU) in
torch-mlir's linalg form, profiled on its 10,000 calibration images in
batches of 512, compared in one run with

* PyTorch's plain batched forward of the same model (same weights, same
  batches, same number of threads, inference mode), and
* bare OpenBLAS sgemm doing the same matmuls (the system OpenBLAS lin links,
  via benchmarks/sgemm_bench.cpp): the ceiling, with no bias, activation,
  data loading or profiling.

The profile's time is the LinearityProfile pass time from -mlir-timing (it
excludes parsing and printing, and includes compiling the interpreter,
decoding and transposing the weights, reading the .npy file and counting).
The steady-state rate leaves out that one-time setup: it is measured as
(pass time on all samples - pass time on one batch) / (samples - batch).
Peak memory is the maximum RSS of the whole lin-opt run (its ru_maxrss).
Each measurement is the best of --repeats interleaved rounds (the machine
may be shared).

Usage: .venv/bin/python benchmarks/profile_throughput.py [--build DIR]
           [--repeats N] [--batch 512] [--threads N]
Writes benchmarks/results/profile_throughput.json.
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

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "python"))

from lin_models import FMNIST_PAPER_SIZES as SIZES  # noqa: E402
from lin_toolchain import default_build_dir, find_tool, run_measured  # noqa: E402

CACHE = REPO / "benchmarks" / ".cache"
DATA = CACHE / "fmnist"


def ensure_model() -> None:
    if (DATA / "paper_fmnist.mlir").exists() and (DATA / "inputs.npy").exists():
        return
    subprocess.run([sys.executable, str(REPO / "python/tools/gen_paper_fmnist.py"), str(DATA)],
                   check=True, stdout=subprocess.DEVNULL)


def ensure_sgemm_bench() -> Path:
    source = REPO / "benchmarks" / "sgemm_bench.cpp"
    binary = CACHE / "sgemm_bench"
    if not binary.exists() or binary.stat().st_mtime < source.stat().st_mtime:
        include = next(p for p in ("/usr/include/x86_64-linux-gnu", "/usr/include/aarch64-linux-gnu",
                                   "/usr/include/openblas", "/usr/include")
                       if Path(p, "cblas.h").exists())
        subprocess.run(["c++", "-O2", "-std=c++17", f"-I{include}", str(source), "-o", str(binary),
                        "-lopenblas"], check=True)
    return binary


def run_profile(lin_opt: str, batch: int, max_samples: int, env) -> tuple[float, float, int]:
    """Returns (pass seconds, wall seconds, max RSS in KiB) of one profile run."""
    run = run_measured([lin_opt, DATA / "paper_fmnist.mlir",
                        f"--linearity-profile=data={DATA / 'inputs.npy'} batch={batch} "
                        f"max-samples={max_samples} quiet=true",
                        "-mlir-timing", "-o", os.devnull], env=env)
    pass_time = re.search(r"^\s*([0-9.]+) \([ 0-9.]+%\)\s+LinearityProfile$", run.stderr, re.M)
    return float(pass_time.group(1)), run.seconds, run.peak_rss_kib


def torch_forward(model, x: np.ndarray, batch: int, threads: int) -> float:
    """Seconds of one batched forward pass of `model` over x (after a
    warm-up batch), with `threads` threads in inference mode."""
    import torch

    torch.set_num_threads(threads)
    inputs = torch.from_numpy(x)
    with torch.inference_mode():
        model(inputs[:batch])  # warm-up
        start = time.perf_counter()
        for first in range(0, len(inputs), batch):
            model(inputs[first:first + batch])
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", type=Path, default=default_build_dir(),
                        help="lin's build directory (default: $LIN_BUILD_DIR, else build/)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--batch", type=int, default=512)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--output", type=Path, default=REPO / "benchmarks" / "results" / "profile_throughput.json")
    args = parser.parse_args()

    lin_opt = find_tool("lin-opt", build_dir=args.build)
    ensure_model()
    from lin_models import fmnist_paper_mlp  # the weights gen_paper_fmnist.py writes

    torch_model = fmnist_paper_mlp().eval()
    sgemm = ensure_sgemm_bench()
    x = np.load(DATA / "inputs.npy")
    samples = len(x)
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads))

    # Rounds interleave the contenders, so that load from other processes on
    # a shared machine hits them alike; each keeps its best round.
    full, setup, torch_runs, sgemm_runs = [], [], [], []
    load_before = os.getloadavg()[0]
    for _ in range(args.repeats):
        full.append(run_profile(lin_opt, args.batch, -1, env))
        setup.append(run_profile(lin_opt, args.batch, args.batch, env))
        torch_runs.append(torch_forward(torch_model, x, args.batch, args.threads))
        result = subprocess.run([str(sgemm), str(samples), str(args.batch), "1"] + [str(s) for s in SIZES],
                                capture_output=True, text=True, env=env, check=True)
        sgemm_runs.append(float(result.stdout.split()[1]))
    profile_seconds = min(r[0] for r in full)
    one_batch_seconds = min(r[0] for r in setup)
    steady_seconds = (profile_seconds - one_batch_seconds) * samples / (samples - args.batch)
    peak_rss_mib = max(r[2] for r in full) / 1024
    torch_seconds = min(torch_runs)
    sgemm_seconds = min(sgemm_runs)
    flops = 2.0 * samples * sum(a * b for a, b in zip(SIZES, SIZES[1:]))

    rates = {
        "lin_profile": samples / profile_seconds,
        "lin_profile_steady_state": samples / steady_seconds,
        "pytorch_forward": samples / torch_seconds,
        "openblas_sgemm": samples / sgemm_seconds,
    }
    report = {
        "model": "784-1024-1024-512-512-256-256-10 ReLU (torch-mlir linalg form, dynamic batch)",
        "samples": samples,
        "batch": args.batch,
        "threads": args.threads,
        "repeats": args.repeats,
        "machine": {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
                    "load_average_1min": [load_before, os.getloadavg()[0]]},
        "seconds": {
            "lin_profile_pass": profile_seconds,
            "lin_profile_one_batch_pass": one_batch_seconds,
            "lin_profile_steady_state": steady_seconds,
            "pytorch_forward": torch_seconds,
            "openblas_sgemm": sgemm_seconds,
        },
        "samples_per_second": rates,
        "gflops": {k: flops / samples * v / 1e9 for k, v in rates.items()},
        "ratios": {
            "profile_vs_sgemm": rates["lin_profile"] / rates["openblas_sgemm"],
            "profile_steady_state_vs_sgemm": rates["lin_profile_steady_state"] / rates["openblas_sgemm"],
            "profile_vs_pytorch": rates["lin_profile"] / rates["pytorch_forward"],
        },
        "lin_profile_peak_rss_mib": peak_rss_mib,
        "lin_profile_wall_seconds": min(r[1] for r in full),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1) + "\n")

    print(f"{samples} samples, batch {args.batch}, {args.threads} threads, best of {args.repeats}"
          f" (load average {load_before:.1f} -> {os.getloadavg()[0]:.1f})")
    for name, rate in rates.items():
        print(f"  {name:26s} {rate:9.0f} samples/s  {report['gflops'][name]:6.1f} GFLOP/s")
    for name, ratio in report["ratios"].items():
        print(f"  {name:32s} {ratio:5.2f}")
    print(f"  lin profile setup (one batch)  {one_batch_seconds:.3f} s")
    print(f"  lin-opt peak RSS               {peak_rss_mib:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
