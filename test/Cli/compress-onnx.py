# `lin compress` on an ONNX model and on MLIR: .onnx -> .onnx (run by
# onnxruntime, equal to the original ONNX model on the calibration data at
# threshold 1.0); .mlir -> .pt2 with --refit below threshold 1.0 (the .pt2
# computes what lin-opt --linearity-compress with the same options writes,
# run by lin-run); .onnx -> .mlir within an accuracy budget on
# validation data (the chosen model is at most 2 points below the original
# there); `lin inspect` prints the linearity summary.
#
# REQUIRES: torch-mlir, onnx
# RUN: %python %s

import re
import sys
import tempfile

import numpy as np
import onnxruntime
import torch

from lin_testing.cli import expect_compressed, make_tiny_model, run_lin
from lin_testing.tools import run_tool


def onnx_run(path, x):
    return onnxruntime.InferenceSession(str(path)).run(None, {"x": x})[0]


def main():
    d = make_tiny_model(tempfile.mkdtemp())
    calib = np.load(d / "calib.npy")

    result = run_lin(["compress", "model.onnx", "--calib", "calib.npy", "-q", "-o", "out.onnx"],
                     cwd=d)
    expect_compressed(result, ".onnx -> .onnx")
    error = float(np.abs(onnx_run(d / "out.onnx", calib) - onnx_run(d / "model.onnx", calib)).max())
    assert error < 1e-5, error

    from lin_frontend import export_onnx

    (d / "model.mlir").write_text(export_onnx(d / "model.onnx"))
    expect_compressed(run_lin(["compress", "model.mlir", "--calib", "calib.npy", "--threshold",
                               "0.9", "--refit", "-q", "-o", "refit.pt2"], cwd=d),
                      ".mlir -> .pt2 (refit)")
    # lin compress is lin-opt's --linearity-compress with the same options.
    run_tool(["lin-opt", d / "model.mlir", "--linearity-compress=data=" + str(d / "calib.npy")
              + " threshold=0.9 refit=lstsq", "-o", d / "refit.mlir"])
    run_tool(["lin-run", d / "refit.mlir", "--input", d / "calib.npy", "--output",
              d / "y.npy", "--quiet"])
    program = torch.export.load(str(d / "refit.pt2")).module()
    with torch.no_grad():
        got = program(torch.from_numpy(calib)).numpy()
    error = float(np.abs(got - np.load(d / "y.npy")).max())
    assert error < 1e-5, error

    result = run_lin(["compress", "model.onnx", "--calib", "calib.npy", "--refit", "--budget",
                      "2", "--val", "val_x.npy", "--val-labels", "val_y.npy", "-q",
                      "-o", "budget.mlir"], cwd=d)
    expect_compressed(result, ".onnx -> .mlir (budget)")
    accuracy = re.search(r"^accuracy on val_x.npy \(64 samples\): ([\d.]+) % -> ([\d.]+) %$",
                         result.stdout, re.M)
    assert accuracy, result.stdout
    assert float(accuracy.group(2)) >= float(accuracy.group(1)) - 2.0, accuracy.group(0)

    result = run_lin(["inspect", "model.onnx", "--calib", "calib.npy", "-q"], cwd=d)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^fc1 +16 +128 ", result.stdout, re.M), result.stdout
    assert re.search(r"^fc2 +16 +128 ", result.stdout, re.M), result.stdout
    print("ok")


if __name__ == "__main__":
    main()
