#!/usr/bin/env python3
"""Checks lin-run against PyTorch on the torch-mlir test models.

For every DIR/<name>.mlir that has <name>.input.npy and <name>.expected.npy
(PyTorch's outputs), runs `lin-run` (found by lin_toolchain.find_tool:
$LIN_BUILD_DIR/bin, build/, PATH) with several batch sizes and
compares its output with the expected one to a relative tolerance. Prints
one line per model and run, then `checked N runs of M models, F failed`.
"""

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

from lin_toolchain import ToolError, run_tool


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("models", type=Path)
    parser.add_argument("--rtol", type=float, default=1e-5)
    parser.add_argument("--batches", default="256,5,1")
    args = parser.parse_args()

    runs = failures = models = 0
    with tempfile.TemporaryDirectory() as tmp:
        for mlir in sorted(args.models.glob("*.mlir")):
            inputs = mlir.with_suffix(".input.npy")
            expected_path = mlir.with_suffix(".expected.npy")
            if not inputs.exists() or not expected_path.exists():
                continue
            models += 1
            expected = np.load(expected_path)
            for batch in args.batches.split(","):
                out = Path(tmp) / f"{mlir.stem}.{batch}.npy"
                runs += 1
                try:
                    run_tool(["lin-run", mlir, "--input", inputs, "--output", out,
                              "--batch", batch, "--quiet"])
                except ToolError as error:
                    failures += 1
                    print(f"{mlir.stem} batch {batch}: FAILED\n{error}")
                    continue
                got = np.load(out)
                scale = max(float(np.abs(expected).max()), 1e-30)
                error = float(np.abs(got - expected).max()) / scale
                ok = got.shape == expected.shape and np.allclose(
                    got, expected, rtol=args.rtol, atol=args.rtol * scale)
                failures += not ok
                print(f"{mlir.stem} batch {batch}: {'ok' if ok else 'MISMATCH'}"
                      f" (max error {error:.1e} of the largest output)")
    print(f"checked {runs} runs of {models} models, {failures} failed")
    return 1 if failures or not models else 0


if __name__ == "__main__":
    sys.exit(main())
