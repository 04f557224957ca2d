"""Deterministic CPU training and evaluation of the MLPs in :mod:`lin_models.mlp`.

One loop for every trained model (the demo, the benchmark models, the paper
FMNIST model): shuffles with its own seeded generator, so that a run
reproduces its weights bit for bit under
``torch.use_deterministic_algorithms(True)``.
"""

from __future__ import annotations

from typing import Callable, Optional

import numpy as np

__all__ = ["accuracy", "predict", "train"]


def predict(model, x: np.ndarray, batch: int = 2000) -> np.ndarray:
    """The model's outputs on ``x`` (eval mode, no gradients), in batches."""
    import torch

    model.eval()
    with torch.no_grad():
        return torch.cat([model(torch.from_numpy(x[i:i + batch]))
                          for i in range(0, len(x), batch)]).numpy()


def accuracy(model, x: np.ndarray, y: np.ndarray) -> Optional[float]:
    """Top-1 accuracy, or None when ``y`` has no labels (empty, or -1 as in
    Titanic's unlabelled prune file)."""
    if len(y) == 0 or (y < 0).any():
        return None
    return float((predict(model, x).argmax(1) == y).mean())


def train(model, data, *, optimizer: str, lr: float, epochs: int, batch_size: int, seed: int,
          one_hot_targets: bool = False, patience: Optional[int] = None,
          log: Callable[[str], None] = print) -> int:
    """Trains ``model`` on ``data.x_train`` / ``y_train`` (a
    :class:`lin_frontend.data.Split`) with cross-entropy; returns the epochs run.

    ``optimizer``: ``adam`` or ``sgd`` (momentum 0.9, the paper's).
    ``one_hot_targets`` feeds one-hot float targets to the loss, as the
    paper's code does (together with a softmax head). With ``patience``,
    training stops once the accuracy on ``data.x_calib`` (the validation
    split) has not improved for that many epochs; the last weights are kept,
    as in the paper's code. Each epoch logs its training loss and
    calibration accuracy.
    """
    import torch
    import torch.nn as nn

    g = torch.Generator().manual_seed(seed)
    if optimizer == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=lr)
    elif optimizer == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    else:
        raise ValueError(f"optimizer must be adam or sgd, got {optimizer!r}")
    loss_fn = nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(data.x_train), torch.from_numpy(data.y_train)
    n_classes = int(data.y_train.max()) + 1
    best, stale = 0.0, 0
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(xt), generator=g)
        total = 0.0
        for i in range(0, len(xt), batch_size):
            idx = perm[i:i + batch_size]
            target = nn.functional.one_hot(yt[idx], n_classes).float() if one_hot_targets else yt[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xt[idx]), target)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        val = accuracy(model, data.x_calib, data.y_calib)
        log(f"  epoch {epoch + 1}/{epochs}: train loss {total / len(xt):.4f}"
            + (f", calib acc {val:.4f}" if val is not None else ""))
        if patience is None:
            continue
        if val is None:
            raise ValueError("early stopping needs labelled calibration data")
        if val > best:
            best, stale = val, 0
        else:
            stale += 1
            if stale == patience:
                log(f"  early stop after {epoch + 1} epochs")
                return epoch + 1
    return epochs
