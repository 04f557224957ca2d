# `lin compress`'s errors: every mistake ends with one line
# `lin: error: ...` (exit 1; 2, and argparse's `lin compress: error: ...`,
# for usage errors), never a traceback, and leaves an existing output file
# as it was, with no temporary file beside it: a missing model or data
# file, an unknown model or output suffix, data that is not .npy,
# calibration or validation data whose shape the model does not take (MLIR
# and PyTorch models), a threshold outside [0, 1], --budget without --val,
# lin-opt not found, and a model the PyTorch writer cannot translate (an
# argmax head: a reduction that also yields the index), which fails while
# writing with the op's line in the folded IR.
#
# REQUIRES: torch-mlir
# RUN: %python %s

import os
import re
import sys
import tempfile

import numpy as np
import torch

from lin_frontend import export_torch
from lin_testing.cli import TINY_NET_SOURCE, run_lin

PRECIOUS = "an earlier result\n"


class ArgMax(torch.nn.Module):
    """A classifier's predicted class: torch-mlir's argmax is a reduction
    with two results, the maximum and its index."""

    def forward(self, x):
        return x.argmax(1)


def expect_error(d, args, status, message, env=None, pythonpath=()):
    out = d / "out.pt2"
    out.write_text(PRECIOUS)
    result = run_lin([*args, "-o", out.name] if "-o" not in args else args, cwd=d, env=env,
                     pythonpath=pythonpath)
    last = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
    ok = (result.returncode == status and "Traceback" not in result.stderr
          and re.match(r"lin( compress)?: error: ", last) and message in last)
    if not ok:
        sys.exit(f"FAILED: lin {' '.join(args)}: exit {result.returncode}, expected {status} "
                 f"and {message!r}\n{result.stderr}")
    assert out.read_text() == PRECIOUS, "the output file was changed"
    leftovers = [p.name for p in d.iterdir() if p.name.startswith(".out.")]
    assert not leftovers, leftovers
    print(f"exit {status}: {last}")
    return last


def main():
    from pathlib import Path

    d = Path(tempfile.mkdtemp())
    (d / "tinynet.py").write_text(TINY_NET_SOURCE)
    sys.path.insert(0, str(d))
    from tinynet import TinyNet

    torch.manual_seed(0)
    model = TinyNet().eval()
    torch.save(model, d / "model.pt")
    (d / "model.mlir").write_text(export_torch(model, torch.zeros(2, 6)))
    argmax = torch.nn.Sequential(model, ArgMax()).eval()
    (d / "argmax.mlir").write_text(export_torch(argmax, torch.zeros(2, 6)))
    rng = np.random.default_rng(0)
    np.save(d / "calib.npy", rng.normal(size=(32, 6)).astype(np.float32))
    np.save(d / "wide.npy", rng.normal(size=(32, 7)).astype(np.float32))
    (d / "notnpy.npy").write_text("not numpy")

    calib = ["--calib", "calib.npy"]
    expect_error(d, ["compress", "missing.pt2", *calib], 1, "missing.pt2: model not found")
    expect_error(d, ["compress", "model.mlir", "--calib", "nope.npy"], 1,
                 "nope.npy: calibration data not found")
    expect_error(d, ["compress", "model.mlir", "--calib", "notnpy.npy"], 1,
                 "notnpy.npy: not a .npy file")
    expect_error(d, ["compress", "model.h5", *calib], 2, "unknown model suffix '.h5'")
    expect_error(d, ["compress", "model.mlir", *calib, "-o", "out.tflite"], 2,
                 "unknown output suffix '.tflite'")
    expect_error(d, ["compress", "model.mlir", "--calib", "wide.npy"], 1,
                 "wide.npy: shape [32, 7] does not match the model's input [batch, 6]")
    expect_error(d, ["compress", "model.pt", "--calib", "wide.npy"], 1,
                 "model.pt: the model does not run on inputs of shape [batch, 7]",
                 pythonpath=[d])
    expect_error(d, ["compress", "model.mlir", *calib, "--val", "wide.npy"], 1,
                 "wide.npy: shape [32, 7] does not match the model's input [batch, 6]")
    expect_error(d, ["compress", "model.mlir", *calib, "--threshold", "1.5"], 2,
                 "argument --threshold: 1.5 is not in [0, 1]")
    expect_error(d, ["compress", "model.mlir", *calib, "--budget", "1"], 2,
                 "--budget needs --val")
    no_tools = {**os.environ, "LIN_BUILD_DIR": str(d / "no-build"), "PATH": "/usr/bin:/bin"}
    expect_error(d, ["compress", "model.mlir", *calib], 1, "lin-opt not found", env=no_tools)
    last = expect_error(d, ["compress", "argmax.mlir", *calib], 1,
                        "cannot translate linalg.generic to PyTorch (a reduction body that is "
                        "not combiner(output, f(inputs))")
    assert re.match(r"lin: error: folded IR:\d+:\d+: cannot translate", last), last
    print("ok")


if __name__ == "__main__":
    main()
