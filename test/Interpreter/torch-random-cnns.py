# Property test of the interpreter on random convolutional and token models
# written the usual PyTorch way (Conv1d / Conv2d with random stride, padding,
# dilation and groups incl. depthwise, BatchNorm in eval mode, max / average
# / adaptive average pooling, flatten + Linear; Linear-ReLU-Linear FFNs over
# [batch, tokens, features] with a residual and LayerNorm; ReLU transformer
# encoder layers with softmax attention; each followed by GELU, SiLU,
# sigmoid, tanh or log-softmax), exported through
# torch-mlir with a dynamic or a static batch: lin-run must reproduce
# PyTorch's outputs (to 1e-4 of the output scale), with batches that leave a
# partial (padded) last batch.
#
# REQUIRES: torch-mlir
# RUN: %python %s 8 | FileCheck %s
# CHECK-NOT: FAILED
# CHECK-DAG: op linalg.conv_2d_nchw_fchw
# CHECK-DAG: op linalg.conv_1d_ncw_fcw
# CHECK-DAG: op linalg.conv_2d_ngchw_gfchw
# CHECK-DAG: op linalg.depthwise_conv_2d_nchw_chw
# CHECK-DAG: op linalg.pooling_nchw_max
# CHECK-DAG: op linalg.pooling_nchw_sum
# CHECK-DAG: op linalg.batch_matmul
# CHECK-DAG: op tensor.pad
# CHECK-DAG: op tensor.extract
# CHECK-DAG: op math.erf
# CHECK-DAG: op math.tanh
# CHECK-DAG: op math.exp
# CHECK-DAG: op math.log
# CHECK-DAG: batch dynamic
# CHECK-DAG: batch static
# CHECK: 8 models, 0 failed

import os
import re
import sys
import tempfile
import warnings

import numpy as np
import torch

from lin_frontend.export import export_torch
from lin_testing.tools import run_tool as run

warnings.filterwarnings("ignore")
nn = torch.nn


def conv_block(rng, dims, channels, size, mode):
    """A random Conv{dims}d (+ BatchNorm) + ReLU valid for spatial `size`,
    plain, grouped or depthwise (`mode`, when the channels allow); returns
    the layers and the output channels and size."""
    while True:
        kernel = int(rng.integers(2, 4))
        stride = int(rng.integers(1, 3))
        padding = int(rng.integers(0, 3))
        dilation = int(rng.integers(1, 3))
        groups = 1
        if mode == "grouped" and channels % 2 == 0:
            groups = 2
        out = groups * int(rng.integers(1, 4))
        if mode == "depthwise" and channels > 1:
            groups = out = channels
        padding = min(padding, (kernel - 1) * dilation)  # torch: pad <= window
        span = dilation * (kernel - 1) + 1
        if size + 2 * padding >= span:
            break
    conv = (nn.Conv2d if dims == 2 else nn.Conv1d)(
        channels, out, kernel, stride=stride, padding=padding,
        dilation=dilation, groups=groups)
    layers = [conv]
    if rng.random() < 0.5:
        norm = (nn.BatchNorm2d if dims == 2 else nn.BatchNorm1d)(out)
        norm.running_mean.uniform_(-1, 1)
        norm.running_var.uniform_(0.5, 2)
        norm.weight.data.uniform_(0.5, 1.5)
        layers.append(norm)
    layers.append(nn.ReLU())
    return layers, out, (size + 2 * padding - span) // stride + 1


def random_cnn(rng, dims, seed):
    channels = int(rng.integers(1, 4))
    size = int(rng.integers(6, 11))
    shape = (channels,) + (size,) * dims
    layers = []
    for layer in range(2):
        mode = ("plain", "grouped", "depthwise")[(seed + layer) % 3]
        block, channels, size = conv_block(rng, dims, channels, size, mode)
        layers += block
        pool = rng.choice(["max", "avg", "adaptive", "none"], p=[0.4, 0.2, 0.2, 0.2])
        if pool == "max" and size >= 2:
            layers.append((nn.MaxPool2d if dims == 2 else nn.MaxPool1d)(2))
            size //= 2
        elif pool == "avg" and size >= 2:
            layers.append((nn.AvgPool2d if dims == 2 else nn.AvgPool1d)(2))
            size //= 2
        elif pool == "adaptive" and dims == 2 and size >= 2:
            layers.append(nn.AdaptiveAvgPool2d(2))
            size = 2
    layers += [nn.Flatten(), nn.Linear(channels * size**dims, 3)]
    return nn.Sequential(*layers), shape


class TokenFFN(nn.Module):
    def __init__(self, features, hidden, norm):
        super().__init__()
        self.a = nn.Linear(features, hidden)
        self.b = nn.Linear(hidden, features)
        self.norm = nn.LayerNorm(features) if norm else nn.Identity()

    def forward(self, x):
        return self.norm(x + self.b(torch.relu(self.a(x))))


class Head(nn.Module):
    """`model` followed by a smooth function (erf GELU, SiLU, sigmoid, tanh,
    log-softmax) or none."""

    FUNCTIONS = (nn.GELU(), nn.SiLU(), nn.Sigmoid(), nn.Tanh(), nn.LogSoftmax(-1),
                 nn.Identity())

    def __init__(self, model, seed):
        super().__init__()
        self.model = model
        self.function = self.FUNCTIONS[seed % len(self.FUNCTIONS)]

    def forward(self, x):
        return self.function(self.model(x))


def random_model(rng, seed):
    """CNNs, token FFNs and transformer encoder layers, in turn."""
    tokens = int(rng.integers(1, 6))
    if seed % 4 == 2:
        features = int(rng.integers(2, 9))
        model = TokenFFN(features, int(rng.integers(2, 17)), rng.random() < 0.5)
        return model, (tokens, features)
    if seed % 4 == 3:
        heads = int(rng.integers(1, 3))
        model = nn.TransformerEncoderLayer(4 * heads, heads, int(rng.integers(4, 17)),
                                           dropout=0.0, activation="relu",
                                           batch_first=True)
        return model, (tokens, 4 * heads)
    return random_cnn(rng, 1 if seed % 4 == 1 else 2, seed)


def main():
    count = int(sys.argv[1])
    tmp = tempfile.mkdtemp()
    failed = 0
    ops, batches = set(), set()
    for seed in range(count):
        rng = np.random.default_rng(seed)
        torch.manual_seed(seed)
        model, shape = random_model(rng, seed)
        model = Head(model, seed).eval()
        dynamic = (seed // 4 + seed) % 2 == 0
        batches.add("dynamic" if dynamic else "static")
        x = rng.standard_normal((5,) + shape).astype(np.float32)
        with torch.no_grad():
            reference = model(torch.from_numpy(x)).numpy()
        text = export_torch(model, torch.zeros((2,) + shape), dynamic_batch=dynamic)
        ops.update(re.findall(r"\b((?:linalg|tensor|math)\.[a-z_0-9]+)", text))
        source = os.path.join(tmp, f"model{seed}.mlir")
        with open(source, "w") as f:
            f.write(text)
        np.save(os.path.join(tmp, "x.npy"), x)
        out = os.path.join(tmp, "out.npy")
        run(["lin-run", source, "--input", os.path.join(tmp, "x.npy"),
             "--output", out, "--batch", "2", "--quiet"])
        got = np.load(out)
        scale = max(1.0, float(np.abs(reference).max()))
        error = float(np.abs(got - reference).max()) / scale if got.shape == reference.shape else float("inf")
        status = "ok" if error <= 1e-4 else "FAILED"
        failed += status != "ok"
        print(f"model {seed} ({'dynamic' if dynamic else 'static'}): {model} -> error {error:.2e} {status}".replace("\n", " "))
    for op in sorted(ops):
        print("op", op)
    for batch in sorted(batches):
        print("batch", batch)
    print(f"{count} models, {failed} failed")


if __name__ == "__main__":
    main()
