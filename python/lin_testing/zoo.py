"""A zoo of ordinary PyTorch models, written the usual way, for tests that
take every op torch-mlir emits for them through lin (``lin compress`` and
the translation back to PyTorch / ONNX): softmax and log-softmax heads,
LayerNorm, the smooth and piecewise-linear activations, CNNs with batch
norm, global average pooling, grouped / depthwise / 1-D convolutions,
residual MLPs, attention and token-batch feed-forward blocks.

:func:`zoo` lists them as :class:`ZooModel`: a name, a constructor (the
weights fixed by ``torch.manual_seed(0)``) and one sample's input shape.
Every model has a ReLU layer whose input layer (``relu_input``, a module
path) gets large positive and negative biases on some of its neurons
(channels), so that on :func:`calibration_data` some are always active and
some always dead: the fold at threshold 1.0 has neurons to merge and remove
wherever it folds that layer (not into a grouped convolution, say).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, List, Sequence

import numpy as np

__all__ = ["ZooModel", "calibration_data", "zoo"]


@dataclass
class ZooModel:
    """One model of the zoo: how to build it and what one sample is."""

    name: str
    make: Callable  # () -> torch.nn.Module
    sample_shape: Sequence[int]
    relu_input: str  # the module whose output (plus its bias) feeds a ReLU

    def build(self):
        """The model in eval mode, seeded weights, its ``relu_input``'s
        bias shifted by +8 (always active) / -8 (always dead) on every
        other pair of neurons."""
        import torch

        torch.manual_seed(0)
        model = self.make().eval()
        bias = model.get_submodule(self.relu_input).bias
        with torch.no_grad():
            shift = torch.tensor([8.0, -8.0, 0.0, 0.0]).repeat(len(bias) // 4 + 1)
            bias += shift[:len(bias)]
        return model


def calibration_data(model: ZooModel, samples: int, seed: int = 0) -> np.ndarray:
    """``samples`` standard normal inputs of ``model``'s shape, float32."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(samples, *model.sample_shape)).astype(np.float32)


def _mlp_with(head) -> Callable:
    """``Linear -> ReLU -> Linear -> head -> Linear`` (``head`` an
    activation module's class)."""
    import torch.nn as nn

    def make():
        return nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 24), head(),
                             nn.Linear(24, 4))
    return make


def _classifier(head) -> Callable:
    """An MLP classifier ending in ``head()`` (softmax, log-softmax)."""
    import torch.nn as nn

    def make():
        return nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                             nn.Linear(32, 5), head())
    return make


def _cnn(*features, flat: int) -> Callable:
    """``features`` (modules over [N, C, ...]), then Flatten -> Linear."""
    import torch.nn as nn

    def make():
        return nn.Sequential(*[f() for f in features], nn.Flatten(), nn.Linear(flat, 4))
    return make


def _mean_pool_cnn():
    """Conv -> ReLU -> mean over H, W (written as a reduction) -> Linear."""
    import torch
    import torch.nn as nn

    class MeanPoolCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3, padding=1)
            self.fc = nn.Linear(8, 4)

        def forward(self, x):
            return self.fc(torch.relu(self.conv(x)).mean(dim=(2, 3)))
    return MeanPoolCNN()


def _attention():
    """Self-attention over [B, T, F] (nn.MultiheadAttention, batch_first)
    between a ReLU layer and a Linear."""
    import torch
    import torch.nn as nn

    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.inp = nn.Linear(16, 16)
            self.attention = nn.MultiheadAttention(16, 2, batch_first=True)
            self.out = nn.Linear(16, 4)

        def forward(self, x):
            h = torch.relu(self.inp(x))
            a, _ = self.attention(h, h, h, need_weights=False)
            return self.out(a)
    return Attention()


def zoo() -> List[ZooModel]:
    """The models, in a fixed order."""
    import torch.nn as nn

    from .torch_models import LayerNormMLP, ResidualMLP

    mlp = [8]
    image = [3, 8, 8]
    tokens = [4, 16]
    return [
        ZooModel("softmax", _classifier(lambda: nn.Softmax(dim=1)), mlp, "0"),
        ZooModel("log-softmax", _classifier(lambda: nn.LogSoftmax(dim=1)), mlp, "0"),
        ZooModel("layernorm", LayerNormMLP, [16], "a"),
        ZooModel("gelu", _mlp_with(nn.GELU), mlp, "0"),
        ZooModel("silu", _mlp_with(nn.SiLU), mlp, "0"),
        ZooModel("tanh", _mlp_with(nn.Tanh), mlp, "0"),
        ZooModel("sigmoid", _mlp_with(nn.Sigmoid), mlp, "0"),
        ZooModel("elu", _mlp_with(nn.ELU), mlp, "0"),
        ZooModel("leaky-relu", _mlp_with(nn.LeakyReLU), mlp, "0"),
        ZooModel("hardtanh", _mlp_with(nn.Hardtanh), mlp, "0"),
        ZooModel("residual", ResidualMLP, [16], "inp"),
        ZooModel("cnn-batchnorm-avgpool", _cnn(
            lambda: nn.Conv2d(3, 8, 3, padding=1), lambda: nn.BatchNorm2d(8), nn.ReLU,
            lambda: nn.Conv2d(8, 8, 3), nn.ReLU, lambda: nn.AdaptiveAvgPool2d((1, 1)), flat=8),
            image, "1"),
        ZooModel("cnn-mean", _mean_pool_cnn, image, "conv"),
        ZooModel("grouped-conv", _cnn(
            lambda: nn.Conv2d(3, 8, 3), nn.ReLU, lambda: nn.Conv2d(8, 8, 3, groups=2), nn.ReLU,
            flat=8 * 4 * 4), image, "0"),
        ZooModel("depthwise-conv", _cnn(
            lambda: nn.Conv2d(3, 8, 3), nn.ReLU,
            lambda: nn.Conv2d(8, 8, 3, groups=8, padding=1), nn.ReLU, flat=8 * 6 * 6),
            image, "0"),
        ZooModel("conv1d-maxpool1d", _cnn(
            lambda: nn.Conv1d(3, 8, 3), nn.ReLU, lambda: nn.MaxPool1d(2), flat=8 * 7),
            [3, 16], "0"),
        ZooModel("token-ffn", lambda: nn.Sequential(nn.Linear(16, 32), nn.ReLU(),
                                                    nn.Linear(32, 16)), tokens, "0"),
        ZooModel("attention", _attention, tokens, "inp"),
        ZooModel("transformer", lambda: nn.TransformerEncoderLayer(
            16, 2, dim_feedforward=32, dropout=0.0, batch_first=True), tokens, "linear1"),
    ]
