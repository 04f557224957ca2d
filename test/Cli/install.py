# `pip install ./python` (a regular install, as a user outside the
# repository makes it) gives a working `lin` console script: run from a
# directory outside the repository, with only the installed packages on
# PYTHONPATH and lin-opt / lin-run found on PATH, it compresses a random
# MLIR model, and the result computes on the calibration data what the
# original's float64 numpy forward pass does (threshold 1.0 is exact there).
# scripts/setup.sh installs the same package editable (see python/README.md).
#
# REQUIRES: venv, numpy
# RUN: %python %s

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from lin_testing.cli import install_package
from lin_testing.random_mlp import random_mlp
from lin_testing.tools import run_tool
from lin_toolchain import find_tool


def main():
    tmp = Path(tempfile.mkdtemp())
    bin_dir = install_package(tmp / "install")
    lin = bin_dir / "lin"
    assert lin.is_file() and os.access(lin, os.X_OK), lin

    work = tmp / "work"
    work.mkdir()
    model = random_mlp(np.random.default_rng(3), depth=3, activation="relu")
    x = np.random.default_rng(4).normal(size=(64, model.input_width)).astype(np.float32)
    (work / "model.mlir").write_text(model.to_mlir())
    np.save(work / "calib.npy", x)

    tools = os.path.dirname(find_tool("lin-opt"))
    env = {k: v for k, v in os.environ.items() if k not in ("LIN_BUILD_DIR", "PYTHONPATH")}
    env.update(PYTHONPATH=str(bin_dir.parent), PATH=os.pathsep.join([tools, "/usr/bin", "/bin"]))
    help_text = subprocess.run([lin, "--help"], cwd=work, env=env, capture_output=True, text=True,
                               check=True).stdout
    assert "compress" in help_text and "inspect" in help_text, help_text
    result = subprocess.run([lin, "compress", "model.mlir", "--calib", "calib.npy", "-o",
                             "small.mlir"], cwd=work, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"FAILED: lin compress: {result.stderr}")
    # The package ran from the install, not from the repository's python/.
    origin = subprocess.run([sys.executable, "-c", "import lin_cli; print(lin_cli.__file__)"],
                            env=env, capture_output=True, text=True, check=True).stdout
    assert origin.startswith(str(bin_dir.parent)), origin
    print(result.stdout)
    run_tool(["lin-run", work / "small.mlir", "--input", work / "calib.npy", "--output",
              work / "y.npy", "--quiet"])
    error = float(np.abs(np.load(work / "y.npy") - model.forward(x)).max())
    assert error < 1e-4, error
    print("ok")


if __name__ == "__main__":
    main()
