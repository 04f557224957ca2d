"""Random small PyTorch CNNs with channels constant or linear by construction.

Each block is Conv2d -> optional BatchNorm2d (eval, random running
statistics) -> ReLU or Hardtanh -> optional pooling; the head is a
1x1-or-larger Conv2d or a flatten -> Linear. Every conv channel of a block is
drawn to be dead (its bias, or its batch norm's bias when it has one,
shifted far below: ReLU 0, Hardtanh -1), saturated (shifted far above: ReLU
identity, Hardtanh +1) or left as trained; 30 % of
the models (unless chosen) are ``mergeable_cnn``s instead. Tests export the models through
torch-mlir and profile them with lin; ``pre_activations`` gives PyTorch's
own values to check the result against.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from lin_testing.mlp_ir import Activation

# Far enough that no input of the test's scale crosses a breakpoint.
SHIFT = 50.0


@dataclass
class Block:
    conv: torch.nn.Conv2d
    activation: str              # relu | hardtanh
    pool: str                    # none | max | maxpad | avg
    # Per channel: dead | saturated | free.
    states: list = field(default_factory=list)
    norm: torch.nn.BatchNorm2d | None = None


class RandomCnn(torch.nn.Module):
    def __init__(self, blocks: list, head: torch.nn.Module, flatten: bool):
        super().__init__()
        self.blocks = blocks
        self.convs = torch.nn.ModuleList(b.conv for b in blocks)
        self.norms = torch.nn.ModuleList(b.norm for b in blocks if b.norm is not None)
        self.head = head
        self.flatten = flatten

    @staticmethod
    def pre_activation(b: Block, x: torch.Tensor) -> torch.Tensor:
        z = b.conv(x)
        return b.norm(z) if b.norm is not None else z

    def block(self, b: Block, x: torch.Tensor) -> torch.Tensor:
        z = self.pre_activation(b, x)
        x = torch.relu(z) if b.activation == "relu" else torch.nn.functional.hardtanh(z)
        if b.pool == "max":
            x = torch.nn.functional.max_pool2d(x, 2)
        elif b.pool == "maxpad":
            x = torch.nn.functional.max_pool2d(x, 3, stride=2, padding=1)
        elif b.pool == "avg":
            x = torch.nn.functional.avg_pool2d(x, 2)
        return x

    def forward(self, x):
        for b in self.blocks:
            x = self.block(b, x)
        return self.head(torch.flatten(x, 1) if self.flatten else x)

    def pre_activations(self, x: torch.Tensor) -> list:
        """Each block's activation input (conv, then batch norm), [N, C, H, W]."""
        out = []
        with torch.no_grad():
            for b in self.blocks:
                out.append(self.pre_activation(b, x).numpy())
                x = self.block(b, x)
        return out


def random_cnn(rng: np.random.Generator, size: int = 8, *, pool: str | None = None,
               flatten: bool | None = None, mergeable: bool | None = None,
               norm: bool = False) -> tuple[RandomCnn, int]:
    """A random CNN over [N, channels, size, size] inputs; returns it and its
    input channels. ``pool`` (the first block's), ``flatten`` (the head) and
    ``mergeable`` fix what is otherwise drawn; ``norm`` puts a BatchNorm2d
    between every conv and its activation."""
    if mergeable if mergeable is not None else rng.random() < 0.3:
        return mergeable_cnn(rng, size, norm=norm)
    channels = int(rng.integers(1, 3))
    torch.manual_seed(int(rng.integers(1 << 31)))
    blocks, c, spatial = [], channels, size
    for _ in range(int(rng.integers(1, 3))):
        kernel = int(rng.integers(1, 4))
        padding = int(rng.integers(0, 2)) if kernel > 1 else 0
        out = int(rng.integers(2, 7))
        conv = torch.nn.Conv2d(c, out, kernel, padding=padding)
        spatial = spatial + 2 * padding - kernel + 1
        pools = ["none"] + (["max", "maxpad", "avg"] if spatial >= 4 else [])
        chosen = pool if pool in pools and not blocks else str(rng.choice(pools))
        block = Block(conv, str(rng.choice(["relu", "hardtanh"])), chosen)
        if block.pool in ("max", "avg"):
            spatial //= 2
        elif block.pool == "maxpad":
            spatial = (spatial + 2 - 3) // 2 + 1
        block.norm = random_batch_norm(out) if norm else None
        with torch.no_grad():
            for j in range(out):
                state = str(rng.choice(["dead", "saturated", "free"], p=[0.35, 0.25, 0.4]))
                block.states.append(state)
                shift_bias(block, j, state)
        blocks.append(block)
        c = out
    if flatten if flatten is not None else rng.random() < 0.5:
        head = torch.nn.Linear(c * spatial * spatial, int(rng.integers(2, 5)))
    else:
        kernel = int(rng.integers(1, min(3, spatial) + 1))
        head = torch.nn.Conv2d(c, int(rng.integers(2, 5)), kernel, padding=int(rng.integers(0, 2)))
    return RandomCnn(blocks, head, isinstance(head, torch.nn.Linear)).eval(), channels


def exact_stride(rng: np.random.Generator, size: int, kernel: int) -> int:
    """1 or 2, 2 only when its windows end on the last position (IREE 3.x
    miscompiles a strided convolution that leaves trailing input unread)."""
    return 2 if (size - kernel) % 2 == 0 and rng.random() < 0.5 else 1


def random_batch_norm(channels: int) -> torch.nn.BatchNorm2d:
    """A BatchNorm2d in eval mode with running statistics and affine
    parameters drawn from torch's generator (scales of both signs)."""
    norm = torch.nn.BatchNorm2d(channels)
    with torch.no_grad():
        norm.running_mean.uniform_(-0.5, 0.5)
        norm.running_var.uniform_(0.5, 2.0)
        sign = torch.where(torch.rand(channels) < 0.25, -1.0, 1.0)
        norm.weight.copy_(sign * torch.empty(channels).uniform_(0.5, 1.5))
        norm.bias.uniform_(-0.5, 0.5)
    return norm.eval()


def shift_bias(block: Block, channel: int, state: str) -> None:
    """Makes `channel` dead or saturated through the bias just before the
    activation: the batch norm's when there is one."""
    if state == "free":
        return
    bias = block.norm.bias if block.norm is not None else block.conv.bias
    with torch.no_grad():
        bias[channel] += SHIFT if state == "saturated" else -SHIFT


def mergeable_cnn(rng: np.random.Generator, size: int = 8, *, norm: bool = False
                  ) -> tuple[RandomCnn, int]:
    """Conv2d (any padding and stride) -> ReLU -> Conv2d head without padding
    or pooling between, from one input channel, with mostly always-active
    channels: the case where merging identity channels into a skip
    convolution is exact and pays."""
    torch.manual_seed(int(rng.integers(1 << 31)))
    kernel, padding = int(rng.integers(1, 4)), int(rng.integers(0, 2))
    conv = torch.nn.Conv2d(1, int(rng.integers(3, 7)), kernel,
                           stride=exact_stride(rng, size + 2 * padding, kernel), padding=padding)
    block = Block(conv, "relu", "none")
    block.norm = random_batch_norm(conv.out_channels) if norm else None
    with torch.no_grad():
        for j in range(conv.out_channels):
            state = str(rng.choice(["dead", "saturated", "free"], p=[0.2, 0.6, 0.2]))
            block.states.append(state)
            shift_bias(block, j, state)
    spatial = (size + 2 * conv.padding[0] - kernel) // conv.stride[0] + 1
    head_kernel = int(rng.integers(1, min(3, spatial) + 1))
    head = torch.nn.Conv2d(conv.out_channels, int(rng.integers(2, 5)), head_kernel,
                           stride=exact_stride(rng, spatial, head_kernel))
    return RandomCnn([block], head, False).eval(), 1


def activation_of(name: str) -> Activation:
    return Activation.relu() if name == "relu" else Activation.clamp(-1.0, 1.0)
