# --linearity-profile on a CNN written the usual PyTorch way (Conv2d,
# BatchNorm2d in eval mode, max pooling, a grouped and a depthwise
# convolution, adaptive average pooling, flatten + Linear), through both
# frontends (torch-mlir's FX route with a static batch, which pads the last
# batch, and the ONNX route with a dynamic one): every ReLU gets a
# per-channel profile (axis = 1) whose sample count is batch x H x W and
# whose counts and extrema match PyTorch's own pre-activations.
#
# REQUIRES: torch-mlir, onnx
# RUN: %python %s %t | FileCheck %s
# CHECK: torch: 3 activations ok
# CHECK: onnx: 3 activations ok

import os
import re
import sys
import warnings

import numpy as np
import torch

from lin_frontend.export import export_onnx, export_torch, save_onnx
from lin_testing.tools import run_tool as run

warnings.filterwarnings("ignore")
nn = torch.nn


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.c2 = nn.Conv2d(8, 16, 3, padding=1, stride=2, groups=2)
        self.dw = nn.Conv2d(16, 16, 3, padding=1, groups=16)
        self.pool = nn.AdaptiveAvgPool2d(2)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = nn.functional.max_pool2d(torch.relu(self.bn1(self.c1(x))), 2)
        x = torch.relu(self.dw(torch.relu(self.c2(x))))
        return self.fc(torch.flatten(self.pool(x), 1))


PROFILE = re.compile(r"#lin\.profile<relu, observed, samples = (\d+), "
                     r"counts = \[([^\]]*)\], minimum = \[([^\]]*)\], "
                     r"maximum = \[([^\]]*)\](, axis = \d+)?>")


def numbers(text):
    return np.array([float(v) for v in text.split(",")])


def main():
    tmp = sys.argv[1]
    os.makedirs(tmp, exist_ok=True)
    torch.manual_seed(0)
    model = CNN().eval()
    model.bn1.running_mean.uniform_(-1, 1)
    model.bn1.running_var.uniform_(0.5, 2)
    x = np.random.default_rng(0).standard_normal((7, 1, 8, 8)).astype(np.float32)
    data = os.path.join(tmp, "x.npy")
    np.save(data, x)

    # PyTorch's pre-activations, in forward order.
    pre = []
    original_relu = torch.relu
    torch.relu = lambda z: (pre.append(z.detach().numpy()), original_relu(z))[1]
    with torch.no_grad():
        model(torch.from_numpy(x))
    torch.relu = original_relu

    save_onnx(model, torch.zeros(2, 1, 8, 8), os.path.join(tmp, "cnn.onnx"))
    sources = {
        "torch": export_torch(model, torch.zeros(3, 1, 8, 8), dynamic_batch=False),
        "onnx": export_onnx(os.path.join(tmp, "cnn.onnx")),
    }
    for route, text in sources.items():
        source = os.path.join(tmp, route + ".mlir")
        with open(source, "w") as f:
            f.write(text)
        profiled = run(["lin-opt", source,
                        f"--linearity-profile=data={data} batch=2 quiet=true"])
        profiles = PROFILE.findall(profiled)
        assert len(profiles) == len(pre), (route, len(profiles))
        for (samples, counts, low, high, axis), z in zip(profiles, pre):
            channels = z.shape[1]
            assert axis == ", axis = 1", (route, axis)
            assert int(samples) == z.shape[0] * z.shape[2] * z.shape[3], (route, samples, z.shape)
            active = (z > 0).sum(axis=(0, 2, 3))
            got = numbers(counts).reshape(2, channels)
            # A pre-activation within rounding of 0 may fall either side.
            assert np.abs(got[1] - active).max() <= 1, (route, got[1], active)
            assert np.array_equal(got.sum(axis=0), np.full(channels, int(samples)))
            np.testing.assert_allclose(numbers(low), z.min(axis=(0, 2, 3)), atol=1e-5)
            np.testing.assert_allclose(numbers(high), z.max(axis=(0, 2, 3)), atol=1e-5)
        print(f"{route}: {len(profiles)} activations ok")


if __name__ == "__main__":
    main()
