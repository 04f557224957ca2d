"""Small PyTorch models written the usual way, for tests that take models
through torch-mlir: an MLP with residual blocks and one with a LayerNorm.
Layers are created in forward order, so that ``torch.manual_seed`` fixes
the same weights whatever the sizes."""

from __future__ import annotations

import torch

__all__ = ["LayerNormMLP", "ResidualMLP"]


class ResidualMLP(torch.nn.Module):
    """``h = relu(inp(x))``, then ``blocks`` times ``h = h + relu(l(h))``,
    then ``out(h)``."""

    def __init__(self, inputs: int = 16, width: int = 32, outputs: int = 4,
                 blocks: int = 2):
        super().__init__()
        self.inp = torch.nn.Linear(inputs, width)
        self.blocks = torch.nn.ModuleList(
            torch.nn.Linear(width, width) for _ in range(blocks))
        self.out = torch.nn.Linear(width, outputs)

    def forward(self, x):
        h = torch.relu(self.inp(x))
        for block in self.blocks:
            h = h + torch.relu(block(h))
        return self.out(h)


class LayerNormMLP(torch.nn.Module):
    """``c(relu(b(norm(relu(a(x))))))`` with a LayerNorm between layers."""

    def __init__(self):
        super().__init__()
        self.a = torch.nn.Linear(16, 32)
        self.norm = torch.nn.LayerNorm(32)
        self.b = torch.nn.Linear(32, 32)
        self.c = torch.nn.Linear(32, 4)

    def forward(self, x):
        return self.c(torch.relu(self.b(self.norm(torch.relu(self.a(x))))))
