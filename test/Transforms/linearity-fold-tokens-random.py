# Token batches and mixed activations through torch-mlir, on random models:
# feed-forward blocks over [batch, tokens, features] (nn.Linear on 3-D
# inputs, with and without the residual add of a transformer block; FX
# route with dynamic and static batch, ONNX route), and ReLU layers next to
# GELU / tanh / SiLU layers, and an eval-mode BatchNorm1d before or after a ReLU
# (folded into the matmul before it). Random widths and token counts; some ReLU neurons are
# made dead and some always active by their bias. Each model is compressed
# with lin-opt --linearity-compress (threshold 1.0, policy=all), and the
# test checks, independently of lin's interpreter:
#   * every neuron the generator made dead is removed and every always
#     active one is taken out of the ReLU (the report's counts);
#   * the output stores no more weights than the model, and no lin
#     attribute is left;
#   * IREE running the compressed model reproduces PyTorch's outputs on the
#     calibration inputs (threshold 1.0 is exact there, up to float
#     rounding).
#
# REQUIRES: torch-mlir, iree, onnx
# RUN: %python %s

import json
import os
import tempfile

import numpy as np
import torch

from lin_frontend import export_onnx, export_torch, save_onnx
from lin_testing.tools import run_tool as run
from lin_toolchain.iree import run_iree_batched

STATIC_BATCH = 4
SAMPLES = 8


class TokenFFN(torch.nn.Module):
    """``x + down(relu(up(x)))`` (or without the residual) over the last
    dimension of ``[batch, tokens, features]``."""

    def __init__(self, features, hidden, residual):
        super().__init__()
        self.up = torch.nn.Linear(features, hidden)
        self.down = torch.nn.Linear(hidden, features)
        self.residual = residual

    def forward(self, x):
        y = self.down(torch.relu(self.up(x)))
        return x + y if self.residual else y


class MixedMLP(torch.nn.Module):
    """``out(smooth(mid(relu(inp(x)))))`` with a GELU, tanh or SiLU."""

    def __init__(self, features, hidden, smooth):
        super().__init__()
        self.inp = torch.nn.Linear(features, hidden)
        self.mid = torch.nn.Linear(hidden, hidden)
        self.out = torch.nn.Linear(hidden, 3)
        self.smooth = smooth

    def forward(self, x):
        return self.out(self.smooth(self.mid(torch.relu(self.inp(x)))))


class BatchNormMLP(torch.nn.Module):
    """``out(relu(norm(inp(x))))`` or ``out(norm(relu(inp(x))))`` with an
    eval-mode BatchNorm1d (random running statistics)."""

    def __init__(self, features, hidden, norm_first):
        super().__init__()
        self.inp = torch.nn.Linear(features, hidden)
        self.norm = torch.nn.BatchNorm1d(hidden)
        self.out = torch.nn.Linear(hidden, 3)
        self.norm_first = norm_first
        with torch.no_grad():
            self.norm.running_mean.uniform_(-0.5, 0.5)
            self.norm.running_var.uniform_(0.5, 2.0)
            self.norm.weight.uniform_(0.5, 1.5)

    def forward(self, x):
        if self.norm_first:
            return self.out(torch.relu(self.norm(self.inp(x))))
        return self.out(self.norm(torch.relu(self.inp(x))))


def pin_neurons(rng, linear, inputs):
    """Makes a random set of the layer's neurons dead and another always
    active (|pre-activation| stays far below 10 for inputs ~ N(0, 1));
    returns both counts. At least features / 2 + 1 of each, so that
    folding them all never grows the model (the skip matrix of the merged
    ones costs at most features^2), which policy=all would decline."""
    width = len(linear.bias)
    order = rng.permutation(width)
    least = inputs // 2 + 1
    dead, active = rng.integers(least, width // 4 + 1, size=2)
    with torch.no_grad():
        linear.bias[torch.from_numpy(order[:dead])] = -10.0
        linear.bias[torch.from_numpy(order[dead:dead + active])] = 10.0
    return int(dead), int(active)


def export(tmp, name, model, example, route, batch):
    if route == "onnx":
        path = os.path.join(tmp, name + ".onnx")
        save_onnx(model, example, path)
        return export_onnx(path)
    return export_torch(model, example, dynamic_batch=batch is None)


def check(tmp, name, model, x, route, batch, dead, active):
    source = os.path.join(tmp, name + ".mlir")
    with open(source, "w") as f:
        f.write(export(tmp, name, model, torch.zeros(batch or 2, *x.shape[1:]), route, batch))
    calib = os.path.join(tmp, name + ".npy")
    np.save(calib, x)
    report_path = os.path.join(tmp, name + ".json")
    folded = run(["lin-opt", source, "--linearity-compress=data=" + calib +
                  " policy=all quiet=1 report=" + report_path])
    report = json.load(open(report_path))
    relu = report["layers"][0]
    assert relu["removed"] >= dead, (name, relu, dead)
    assert relu["removed"] + relu["folded"] >= dead + active, (name, relu, dead, active)
    assert report["params_after"] <= report["params_before"], (name, report)
    assert "lin." not in folded, name
    with torch.no_grad():
        expected = model(torch.from_numpy(x)).numpy()
    got = run_iree_batched(folded, x, batch)
    error = float(np.abs(got - expected).max()) / max(1.0, float(np.abs(expected).max()))
    assert error <= 1e-5, (name, error)
    print(f"{name}: dead {dead}, active {active}: removed {relu['removed']}, "
          f"merged {relu['folded']}; {report['params_before']} -> "
          f"{report['params_after']} weights, max relative error {error:.1e}")


def main():
    tmp = tempfile.mkdtemp()
    rng = np.random.default_rng(12)
    torch.manual_seed(12)
    cases = [("fx", None, True), ("fx", STATIC_BATCH, False), ("onnx", None, True),
             ("onnx", None, False), ("fx", STATIC_BATCH, True)]
    for index, (route, batch, residual) in enumerate(cases):
        features, hidden = int(rng.integers(3, 9)), int(rng.integers(24, 48))
        tokens = int(rng.integers(2, 7))
        model = TokenFFN(features, hidden, residual).eval()
        dead, active = pin_neurons(rng, model.up, features)
        x = rng.normal(size=(SAMPLES, tokens, features)).astype(np.float32)
        name = f"tokens{index}_{route}_{'static' if batch else 'dynamic'}" + \
            ("_residual" if residual else "")
        check(tmp, name, model, x, route, batch, dead, active)
    for index, smooth in enumerate([torch.nn.GELU(), torch.nn.Tanh(), torch.nn.SiLU()]):
        features, hidden = int(rng.integers(3, 9)), int(rng.integers(24, 48))
        model = MixedMLP(features, hidden, smooth).eval()
        dead, active = pin_neurons(rng, model.inp, features)
        x = rng.normal(size=(SAMPLES, features)).astype(np.float32)
        check(tmp, f"mixed{index}_{type(smooth).__name__}", model, x, "fx", None,
              dead, active)
    for index, norm_first in enumerate([True, False]):
        features, hidden = int(rng.integers(3, 9)), int(rng.integers(24, 48))
        model = BatchNormMLP(features, hidden, norm_first).eval()
        # Before the ReLU, the batch norm's shift decides the piece.
        pinned = model.norm if norm_first else model.inp
        dead, active = pin_neurons(rng, pinned, features)
        x = rng.normal(size=(SAMPLES, features)).astype(np.float32)
        route = "onnx" if norm_first else "fx"
        check(tmp, f"batchnorm{index}_{'before' if norm_first else 'after'}_relu_{route}",
              model, x, route, None, dead, active)
    print("PASSED")


if __name__ == "__main__":
    main()
