"""PyTorch definitions of the MLPs lin's demo, tests and benchmarks train.

Only ``nn.Sequential`` of ``nn.Linear`` and activation modules: the form
the paper's reference implementation handles, and what torch-mlir exports
as the matmul -> activation chains lin folds.
"""

from __future__ import annotations

from typing import Sequence

__all__ = [
    "FMNIST_PAPER_HIDDEN",
    "FMNIST_PAPER_SEED",
    "FMNIST_PAPER_SIZES",
    "TABULAR_HIDDEN",
    "TITANIC_PAPER_HIDDEN",
    "activation_module",
    "build_mlp",
    "fmnist_paper_mlp",
]

# The paper's architectures (Dobler & Lemmerich, arXiv 2506.21146).
FMNIST_PAPER_HIDDEN = (1024, 1024, 512, 512, 256, 256)
FMNIST_PAPER_SIZES = (784, *FMNIST_PAPER_HIDDEN, 10)       # 2,840,586 parameters
TABULAR_HIDDEN = (64, 128, 128, 256, 256)
TITANIC_PAPER_HIDDEN = (25, 50, 100, 100, 100, 100)
# Seed of the paper's data split, and of the paper FMNIST model's initialisation.
FMNIST_PAPER_SEED = 1


def activation_module(kind: str):
    """A fresh activation module: relu, leaky (LeakyReLU(0.1)), relu6, or
    hardtanh (Hardtanh(-1, 1))."""
    import torch.nn as nn

    return {
        "relu": nn.ReLU,
        "leaky": lambda: nn.LeakyReLU(0.1),
        "relu6": nn.ReLU6,
        "hardtanh": nn.Hardtanh,
    }[kind]()


def build_mlp(n_in: int, hidden: Sequence[int], n_out: int, activation: str = "relu",
              softmax_head: bool = False):
    """``Linear, act, ..., Linear`` (``+ Softmax(dim=1)`` with ``softmax_head``,
    the paper's Fashion-MNIST model), initialised from torch's global RNG."""
    import torch.nn as nn

    layers, prev = [], n_in
    for h in hidden:
        layers += [nn.Linear(prev, h), activation_module(activation)]
        prev = h
    layers.append(nn.Linear(prev, n_out))
    if softmax_head:
        layers.append(nn.Softmax(dim=1))
    return nn.Sequential(*layers)


def fmnist_paper_mlp(seed: int = FMNIST_PAPER_SEED):
    """The paper's Fashion-MNIST MLP (784-1024-1024-512-512-256-256-10, ReLU,
    logits) at PyTorch's default initialisation after ``torch.manual_seed(seed)``:
    the weights ``python/tools/gen_paper_fmnist.py`` writes untrained."""
    import torch

    torch.manual_seed(seed)
    return build_mlp(FMNIST_PAPER_SIZES[0], FMNIST_PAPER_HIDDEN, FMNIST_PAPER_SIZES[-1])
