"""The convolutional network lin's issue-12 benchmark trains: what a user
writes for small images, ``Conv2d -> ReLU -> MaxPool2d`` blocks, flatten, a
ReLU dense layer and a linear head, in NCHW."""

from __future__ import annotations

from typing import Sequence, Tuple

__all__ = ["build_cnn"]


def build_cnn(in_shape: Tuple[int, int, int], channels: Sequence[int], dense: Sequence[int], n_out: int):
    """``nn.Sequential``: per entry of ``channels`` a 3x3 ``Conv2d`` (padding
    1, so only pooling shrinks the image), ``ReLU`` and a 2x2 ``MaxPool2d``;
    then ``Flatten`` and ``Linear, ReLU`` per entry of ``dense``, then
    ``Linear(n_out)``. ``in_shape`` is (C, H, W). Initialised from torch's
    global RNG."""
    import torch.nn as nn

    c, h, w = in_shape
    layers = []
    for out in channels:
        layers += [nn.Conv2d(c, out, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
        c, h, w = out, h // 2, w // 2
    layers.append(nn.Flatten())
    prev = c * h * w
    for width in dense:
        layers += [nn.Linear(prev, width), nn.ReLU()]
        prev = width
    layers.append(nn.Linear(prev, n_out))
    return nn.Sequential(*layers)
