# `lin compress` on PyTorch models: a .pt2 to MLIR with the accuracy on
# labelled validation data, a .pt whose class is importable to an IREE
# module, and a .pt saved from a script (class __main__.ScriptNet): a
# one-line error that says what to do, then success with --model-source.
# At threshold 1.0 the fold is exact on the calibration data, so every
# output must reproduce PyTorch there (checked with lin-run and IREE's
# runtime), and the model must shrink (the tiny model has neurons that are
# always active or dead).
#
# REQUIRES: torch-mlir, iree, onnx
# RUN: %python %s

import re
import sys
import tempfile

import numpy as np
import torch

from lin_testing.cli import expect_compressed, make_tiny_model, run_lin
from lin_testing.tools import run_tool


def check_close(name, got, want):
    error = float(np.abs(got - want).max())
    assert error < 1e-5, (name, error)


def main():
    d = make_tiny_model(tempfile.mkdtemp(), onnx=False)
    calib = np.load(d / "calib.npy")
    sys.path.insert(0, str(d))
    reference = torch.load(d / "model.pt", weights_only=False)(torch.from_numpy(calib))
    reference = reference.detach().numpy()

    # .pt2 -> .mlir, with progress on stderr and accuracy before / after.
    result = run_lin(["compress", "model.pt2", "--calib", "calib.npy", "--val", "val_x.npy",
                      "--val-labels", "val_y.npy", "-o", "out.mlir"], cwd=d)
    expect_compressed(result, ".pt2 -> .mlir")
    assert "[1/5] export model.pt2" in result.stderr, result.stderr
    accuracy = re.search(r"^accuracy on val_x.npy \(64 samples\): ([\d.]+) % -> ([\d.]+) %$",
                         result.stdout, re.M)
    assert accuracy, result.stdout
    assert 0 < float(accuracy.group(1)) < 100, accuracy.group(0)
    run_tool(["lin-run", d / "out.mlir", "--input", d / "calib.npy", "--output", d / "y.npy",
              "--quiet"])
    check_close(".mlir vs PyTorch", np.load(d / "y.npy"), reference)

    # .pt (class tinynet.TinyNet, importable) -> .vmfb, run by IREE's runtime.
    result = run_lin(["compress", "model.pt", "--calib", "calib.npy", "-q", "--target-cpu",
                      "generic", "-o", "out.vmfb"], cwd=d, pythonpath=[d])
    expect_compressed(result, ".pt -> .vmfb")
    assert result.stderr == "", result.stderr  # -q: no progress
    import iree.runtime as ireert

    module = ireert.load_vm_flatbuffer_file(str(d / "out.vmfb"), driver="local-task")
    check_close(".vmfb vs PyTorch", np.asarray(module.main(calib)), reference)

    # A class defined in the saving script: not importable from the .pt alone.
    result = run_lin(["compress", "main_model.pt", "--calib", "calib.npy", "-o", "main.mlirbc"],
                     cwd=d)
    # Progress lines, then the error as the last line, no traceback.
    lines = result.stderr.strip().splitlines()[-1:]
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith("lin: error: main_model.pt: the pickled model's class ScriptNet"), lines
    assert "torch.export.save" in lines[0] and "--model-source" in lines[0], lines
    assert not (d / "main.mlirbc").exists()
    result = run_lin(["compress", "main_model.pt", "--model-source", "save_main.py", "--calib",
                      "calib.npy", "-o", "main.mlirbc"], cwd=d)
    expect_compressed(result, ".pt + --model-source -> .mlirbc")
    assert (d / "main.mlirbc").read_bytes()[:4] == b"ML\xefR", "not MLIR bytecode"
    run_tool(["lin-run", d / "main.mlirbc", "--input", d / "calib.npy", "--output",
              d / "y.npy", "--quiet"])
    check_close(".mlirbc vs PyTorch", np.load(d / "y.npy"), reference)
    print("ok")


if __name__ == "__main__":
    main()
