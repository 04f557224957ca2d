#!/usr/bin/env python3
"""Speed of lin's interpreter on a CNN against PyTorch, in the same run.

The model: the small Fashion-MNIST-shaped CNN of issue 12 (28x28x1 input;
Conv2d 32, 64, 128 channels, 3x3, padding 1, each + BatchNorm (eval) + ReLU,
max pooling after the first two, adaptive average pooling, Linear head),
random weights (speed does not depend on them), exported by torch-mlir
with a dynamic batch; random inputs. Compared, interleaved in rounds (the
machine may be shared), each keeping its best round:

* `lin-opt --linearity-profile` (the LinearityProfile pass time from
  -mlir-timing: interpreter compilation, weights, reading the .npy, running
  every batch and counting per channel);
* `lin-run` (whole process wall time: parse, run, write the outputs);
* PyTorch's batched forward of the same model (inference mode, same batches,
  same threads).

Convolutions run in lin as im2col + OpenBLAS sgemm, PyTorch's on its own
kernels; the ratios say how close to a GEMM-based framework the interpreter
is.

Usage: .venv/bin/python benchmarks/interpreter_conv.py [--build DIR]
           [--samples 2000] [--batch 256] [--repeats 3] [--threads N]
Writes benchmarks/results/interpreter_conv.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "python"))

from lin_toolchain import default_build_dir, find_tool, run_measured  # noqa: E402
from profile_throughput import torch_forward  # noqa: E402


def make_model():
    import torch

    nn = torch.nn
    torch.manual_seed(0)

    def block(inputs, outputs):
        norm = nn.BatchNorm2d(outputs)
        norm.running_mean.uniform_(-0.5, 0.5)
        norm.running_var.uniform_(0.5, 2.0)
        return [nn.Conv2d(inputs, outputs, 3, padding=1), norm, nn.ReLU()]

    return nn.Sequential(*block(1, 32), nn.MaxPool2d(2), *block(32, 64), nn.MaxPool2d(2),
                         *block(64, 128), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(128, 10)).eval()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", type=Path, default=default_build_dir(),
                        help="lin's build directory (default: $LIN_BUILD_DIR, else build/)")
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--output", type=Path,
                        default=REPO / "benchmarks" / "results" / "interpreter_conv.json")
    args = parser.parse_args()

    warnings.filterwarnings("ignore")
    import torch
    from lin_frontend.export import export_torch

    lin_opt = find_tool("lin-opt", build_dir=args.build)
    lin_run = find_tool("lin-run", build_dir=args.build)
    tmp = Path(tempfile.mkdtemp())
    model = make_model()
    source = tmp / "cnn.mlir"
    source.write_text(export_torch(model, torch.zeros(2, 1, 28, 28), dynamic_batch=True))
    x = np.random.default_rng(0).standard_normal((args.samples, 1, 28, 28)).astype(np.float32)
    data = tmp / "x.npy"
    np.save(data, x)
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads))

    # lin-run must agree with PyTorch before its speed means anything.
    with torch.inference_mode():
        reference = model(torch.from_numpy(x)).numpy()
    run_measured([lin_run, source, "--input", data, "--batch", str(args.batch), "--quiet",
                  "--output", tmp / "out.npy"], env=env)
    error = float(np.abs(np.load(tmp / "out.npy") - reference).max())

    profile_runs, run_runs, torch_runs = [], [], []
    load_before = os.getloadavg()[0]
    for _ in range(args.repeats):
        profiled = run_measured([lin_opt, source,
                                 f"--linearity-profile=data={data} batch={args.batch} quiet=true",
                                 "-mlir-timing", "-o", tmp / "profiled.mlir"], env=env)
        seconds = re.search(r"^\s*([0-9.]+) \([ 0-9.]+%\)\s+LinearityProfile$",
                            profiled.stderr, re.M)
        profile_runs.append(float(seconds.group(1)))
        run_runs.append(run_measured([lin_run, source, "--input", data, "--batch",
                                      str(args.batch), "--quiet"], env=env).seconds)
        torch_runs.append(torch_forward(model, x, args.batch, args.threads))
    profiled_text = (tmp / "profiled.mlir").read_text()
    channel_profiles = len(re.findall(r"#lin\.profile<[^>]*axis = 1>", profiled_text))

    seconds = {"lin_profile_pass": min(profile_runs), "lin_run_wall": min(run_runs),
               "pytorch_forward": min(torch_runs)}
    report = {
        "model": "Conv2d 1-32-64-128 3x3 pad 1 + BatchNorm + ReLU, max pool x2, adaptive avg "
                 "pool, Linear 128-10; 28x28 inputs; torch-mlir linalg form, dynamic batch",
        "samples": args.samples,
        "batch": args.batch,
        "threads": args.threads,
        "repeats": args.repeats,
        "machine": {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
                    "load_average_1min": [load_before, os.getloadavg()[0]]},
        "lin_run_max_abs_error_vs_pytorch": error,
        "per_channel_profiles": channel_profiles,
        "seconds": seconds,
        "ratios": {
            "lin_profile_vs_pytorch": seconds["lin_profile_pass"] / seconds["pytorch_forward"],
            "lin_run_vs_pytorch": seconds["lin_run_wall"] / seconds["pytorch_forward"],
        },
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1) + "\n")
    print(f"{args.samples} samples, batch {args.batch}, {args.threads} threads, best of "
          f"{args.repeats} (load average {load_before:.1f} -> {os.getloadavg()[0]:.1f})")
    print(f"  lin-run max |error| vs PyTorch  {error:.2e}; per-channel profiles: {channel_profiles}")
    for name, value in seconds.items():
        print(f"  {name:22s} {value:7.3f} s")
    for name, ratio in report["ratios"].items():
        print(f"  {name:26s} {ratio:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
