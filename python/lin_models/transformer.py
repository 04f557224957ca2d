"""The transformer encoder lin's issue-12 benchmark trains: a character
model whose feed-forward blocks are ``Linear -> ReLU -> Linear`` over
tokens, the chain lin folds with tokens as samples.

Written out with ``nn.Linear``, ``nn.LayerNorm``, matmuls and softmax rather
than ``nn.TransformerEncoderLayer``, so that ``torch.export`` records plain
aten ops (no fused attention kernel that torch-mlir lowers to ops outside
linalg). The layer is the post-norm one of ``nn.TransformerEncoderLayer``
(``activation="relu"``, ``batch_first=True``, no dropout at inference).
"""

from __future__ import annotations

import math

import torch
import torch.nn as nn

__all__ = ["CharTransformer", "EncoderLayer", "OneHot"]


class EncoderLayer(nn.Module):
    """``x = norm1(x + attention(x)); x = norm2(x + ffn_out(relu(ffn_in(x))))``
    on ``[batch, tokens, d_model]``; bidirectional multi-head attention."""

    def __init__(self, d_model: int, heads: int, ffn: int):
        super().__init__()
        if d_model % heads:
            raise ValueError(f"d_model {d_model} is not a multiple of heads {heads}")
        self.heads = heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.ffn_in = nn.Linear(d_model, ffn)
        self.ffn_out = nn.Linear(ffn, d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def attention(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).reshape(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        weights = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(d // self.heads), dim=-1)
        return self.proj((weights @ v).transpose(1, 2).reshape(b, t, d))

    def forward(self, x):
        x = self.norm1(x + self.attention(x))
        return self.norm2(x + self.ffn_out(torch.relu(self.ffn_in(x))))


class CharTransformer(nn.Module):
    """Next-character model on one-hot windows ``[batch, window, vocab]``:
    embedding (a bias-free ``Linear`` of the one-hot input), learned position
    embedding, ``layers`` encoder layers, logits of the character after the
    window from the last token: ``[batch, vocab]``."""

    def __init__(self, vocab: int, window: int, d_model: int, heads: int, ffn: int, layers: int):
        super().__init__()
        self.embed = nn.Linear(vocab, d_model, bias=False)
        self.position = nn.Parameter(torch.randn(window, d_model) * 0.02)
        self.layers = nn.ModuleList(EncoderLayer(d_model, heads, ffn) for _ in range(layers))
        self.head = nn.Linear(d_model, vocab)

    def forward(self, x):
        h = self.embed(x) + self.position
        for layer in self.layers:
            h = layer(h)
        return self.head(h[:, -1])


class OneHot(nn.Module):
    """Integer classes ``[...]`` -> float one-hot ``[..., classes]``: lets the
    training loop feed character classes while the exported model takes the
    one-hot windows (what lin profiles and IREE runs)."""

    def __init__(self, classes: int):
        super().__init__()
        self.classes = classes

    def forward(self, ids):
        return nn.functional.one_hot(ids, self.classes).float()
