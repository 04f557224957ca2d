# Layers are named after the PyTorch modules users know: lin_frontend
# locates every op in the module path computing it (torch-mlir FX route) or
# names the ONNX nodes after it (ONNX route), and the fold's report and
# verbose table use the path of the module computing each layer's
# pre-activation (`fc1`, `layers.0`, `gate.proj`). (Remarks, shared and
# missing names: test/Transforms/linearity-fold-layer-names.mlir.)
#
# REQUIRES: torch-mlir, onnx
# RUN: %python %s

import json
import os
import subprocess
import tempfile

import numpy as np
import torch
import torch.nn as nn

from lin_frontend import export_onnx, export_torch
from lin_frontend.export import save_onnx


class Gate(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(4, 4)

    def forward(self, x):
        return torch.relu(self.proj(x))


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.act = nn.ReLU()
        self.layers = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 4))
        self.gate = Gate()
        self.head = nn.Linear(4, 3)

    def forward(self, x):
        h = self.layers(self.act(self.fc1(x)))
        return self.head(self.gate(h))


EXPECTED = ["fc1", "layers.0", "gate.proj"]


def fold(model_path, data, work):
    report = os.path.join(work, "report.json")
    result = subprocess.run(
        ["lin-opt", model_path,
         f"--linearity-compress=data={data} quiet=1 verbose=1 threshold=0.9 report={report}",
         "-o", os.devnull], capture_output=True, text=True, check=True)
    with open(report) as f:
        return [layer["name"] for layer in json.load(f)["layers"]], result.stderr


def main():
    torch.manual_seed(0)
    model = Model().eval()
    with tempfile.TemporaryDirectory() as work:
        data = os.path.join(work, "x.npy")
        np.save(data, np.random.RandomState(0).randn(64, 4).astype(np.float32))

        torch_mlir = os.path.join(work, "torch.mlir")
        with open(torch_mlir, "w") as f:
            f.write(export_torch(model, torch.zeros(2, 4)))
        onnx_file = os.path.join(work, "model.onnx")
        save_onnx(model, torch.zeros(2, 4), onnx_file)
        onnx_mlir = os.path.join(work, "onnx.mlir")
        with open(onnx_mlir, "w") as f:
            f.write(export_onnx(onnx_file))

        for route, path in [("torch", torch_mlir), ("onnx", onnx_mlir)]:
            names, stderr = fold(path, data, work)
            assert names == EXPECTED, (route, names)
            table = [line.split()[0] for line in stderr.splitlines()
                     if line and line.split()[0] in EXPECTED]
            assert table == EXPECTED, (route, stderr)
            assert "warning" not in stderr, (route, stderr)
            print(route, "names:", names)


if __name__ == "__main__":
    main()
