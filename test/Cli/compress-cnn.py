# `lin compress` on a CNN (nn.Sequential of Conv2d / ReLU / MaxPool2d /
# Flatten / Linear, three channels of the first conv dead on the data),
# torch.export'd: at threshold 1.0 the dead channels go, the table names the
# layers after their modules (`0`, `3`), and the compressed model written as
# .pt2 and as .onnx computes what the original computes (PyTorch, ONNX
# Runtime): the conv, pooling and padding ops translate back to PyTorch.
#
# REQUIRES: torch-mlir, onnx
# RUN: %python %s

import re
import tempfile
from pathlib import Path

import numpy as np
import onnxruntime
import torch

from lin_testing.cli import run_lin


def main():
    d = Path(tempfile.mkdtemp())
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 8, 3), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(8 * 2 * 2, 4))
    with torch.no_grad():
        model[0].bias[:3] = -50.0  # dead on every input below
    model.eval()
    example = torch.randn(2, 1, 8, 8)
    program = torch.export.export(model, (example,),
                                  dynamic_shapes=({0: torch.export.Dim("batch")},))
    torch.export.save(program, str(d / "cnn.pt2"))
    calib = np.random.RandomState(0).randn(64, 1, 8, 8).astype(np.float32)
    np.save(d / "calib.npy", calib)
    test = np.random.RandomState(1).randn(16, 1, 8, 8).astype(np.float32)
    with torch.no_grad():
        expected = model(torch.from_numpy(test)).numpy()

    result = run_lin(["compress", "cnn.pt2", "--calib", "calib.npy", "-o", "small.pt2"], cwd=d)
    assert result.returncode == 0, result.stderr
    rows = {m.group(1): m.groups()[1:] for m in
            re.finditer(r"^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$", result.stdout, re.M)}
    # neurons, merged, removed, kept per conv layer, named after its module.
    assert rows.get("0") == ("8", "0", "3", "5"), result.stdout
    assert rows.get("3") == ("8", "0", "0", "8"), result.stdout
    before = sum(p.numel() for p in model.parameters())
    after = before - 3 * (1 * 9 + 1) - 3 * 8 * 9  # 3 filters + biases, 3 input channels of conv 3
    assert f"parameters: {before} -> {after}" in result.stdout, result.stdout

    with torch.no_grad():
        got = torch.export.load(str(d / "small.pt2")).module()(torch.from_numpy(test)).numpy()
    assert np.abs(got - expected).max() < 1e-5, np.abs(got - expected).max()

    result = run_lin(["compress", "cnn.pt2", "--calib", "calib.npy", "-q", "-o", "small.onnx"], cwd=d)
    assert result.returncode == 0, result.stderr
    session = onnxruntime.InferenceSession(str(d / "small.onnx"))
    got = session.run(None, {session.get_inputs()[0].name: test})[0]
    assert np.abs(got - expected).max() < 1e-5, np.abs(got - expected).max()
    print("ok")


if __name__ == "__main__":
    main()
