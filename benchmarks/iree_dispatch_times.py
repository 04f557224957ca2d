#!/usr/bin/env python3
"""Where a model's time goes under IREE: the time of each dispatch.

Compiles each given linalg module for the host CPU, runs it with
`iree-benchmark-module` on the first rows of a `.npy` input with IREE's
HAL profiling on (`--device_profiling_mode=host-execution`, which the
local-task driver supports; `dispatch-events` it does not) and prints, per
dispatch, the mean wall time of its executions and the CPU time summed over
its tiles (`iree-profile statistics`), with the call's mean time measured
without profiling. Models are run one after the other, not interleaved:
compare the dispatches of one model with each other, and models only
roughly (benchmarks/paper_tables.py interleaves for the ratios).

Usage:
  .venv/bin/python benchmarks/iree_dispatch_times.py INPUT.npy BATCH NAME=MODEL.mlir [...]
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "python"))

from lin_toolchain.iree import compile_module  # noqa: E402

BIN = Path(sys.executable).parent
STAT = re.compile(r"host_execute (\S+)\s+count=(\d+) total=([\d.]+) (\w+) avg=([\d.]+) (\w+) .*tile_sum=([\d.]+) (\w+)")
UNIT = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}


def benchmark(vmfb: Path, x: Path, *extra: str) -> str:
    return subprocess.run([str(BIN / "iree-benchmark-module"), f"--module={vmfb}", "--function=main",
                           f"--input=@{x}", "--device=local-task", "--benchmark_min_time=1", *extra],
                          capture_output=True, text=True, check=True).stdout


def dispatch_times(text: str, x: Path, tmp: Path, name: str) -> tuple[float, list]:
    """The call's mean wall µs and, per dispatch, (name, mean wall µs, CPU
    µs per call summed over tiles)."""
    vmfb = tmp / f"{name}.vmfb"
    vmfb.write_bytes(compile_module(text, target_cpu="host", generalize_on_error=True))
    line = next(l for l in benchmark(vmfb, x).splitlines() if l.startswith("BM_"))
    value, unit = re.search(r"\s([\d.]+) (ns|us|ms)\s", line).groups()
    call = float(value) * UNIT[unit]
    prof = tmp / f"{name}.ireeprof"
    benchmark(vmfb, x, "--device_profiling_mode=host-execution", f"--device_profiling_output={prof}")
    stats = subprocess.run([str(BIN / "iree-profile"), "statistics", str(prof)], capture_output=True,
                           text=True, check=True).stdout
    rows = []
    for m in STAT.finditer(stats):
        count = int(m.group(2))
        rows.append((m.group(1), float(m.group(5)) * UNIT[m.group(6)],
                     float(m.group(7)) * UNIT[m.group(8)] / count))
    return call, rows


def main(argv) -> int:
    if len(argv) < 3:
        sys.exit(__doc__)
    data, batch = np.load(argv[0]), int(argv[1])
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        x = tmp / "x.npy"
        np.save(x, np.ascontiguousarray(data[:batch]))
        for arg in argv[2:]:
            name, path = arg.split("=", 1)
            call, rows = dispatch_times(Path(path).read_text(), x, tmp, name)
            print(f"{name} at batch {min(batch, len(data))}: {call:.1f} µs per call")
            for dispatch, wall, cpu in rows:
                print(f"  {dispatch:60s} {wall:9.1f} µs wall {cpu:9.1f} µs CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
