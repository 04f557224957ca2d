"""Benchmark models: definitions, deterministic CPU training and export.

Every benchmark model is a :class:`ModelSpec` in :data:`MODELS`. :func:`ensure_model`
trains it (fixed seeds, CPU, ``torch.use_deterministic_algorithms``), exports it
to linalg-on-tensors MLIR (torch-mlir FX route, or torch.onnx + torch-mlir's
ONNX importer for ``route="onnx"``) with a dynamic batch dimension, and writes
it with its calibration and test data to ``<cache>/<name>/``:

    model.mlir     func.func @main(tensor<?xFxf32>) -> tensor<?xCxf32>
    calib_x.npy    float32 calibration ("prune") inputs (what lin profiles)
    calib_y.npy    int64 labels (-1 where the data set has none: Titanic's prune file)
    test_x.npy     float32 test inputs
    test_y.npy     int64 test labels
    weights.pt     the trained state_dict
    info.json      the spec, parameter count, PyTorch accuracies, epochs run,
                   training seconds (written last: its presence marks a complete entry)

An entry whose info.json records the same spec is reused (not retrained).
Trained weights are not committed; the default cache is benchmarks/.cache/.

Command line: ``python/train_models.py``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

__all__ = [
    "ModelSpec",
    "MODELS",
    "DEFAULT_CACHE",
    "build_mlp",
    "ensure_model",
    "ensure_models",
    "load_split",
]

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CACHE = REPO / "benchmarks" / ".cache"

FMNIST_PAPER_HIDDEN = (1024, 1024, 512, 512, 256, 256)
TABULAR_HIDDEN = (64, 128, 128, 256, 256)
TITANIC_PAPER_HIDDEN = (25, 50, 100, 100, 100, 100)


@dataclass(frozen=True)
class ModelSpec:
    """One benchmark model. Everything that influences the trained weights is
    a field, so a changed spec invalidates the cache entry."""

    name: str
    dataset: str                      # a lin_frontend.data.DATASETS name
    hidden: Tuple[int, ...]
    activation: str = "relu"          # relu | leaky | relu6 | hardtanh
    trainer: str = "adam"             # adam | paper_sgd
    epochs: int = 10                  # adam: epochs run; paper_sgd: maximum epochs
    batch_size: int = 32
    lr: float = 1e-3
    patience: int = 3                 # paper_sgd: early stopping on validation accuracy
    softmax_head: bool = False        # nn.Softmax after the last layer (the paper's FMNIST model)
    route: str = "fx"                 # fx (torch-mlir FX importer) | onnx (torch.onnx + ONNX importer)
    seed: int = 0
    description: str = ""

    def key(self) -> Dict:
        d = dataclasses.asdict(self)
        d["hidden"] = list(self.hidden)
        d.pop("description")
        return d


def _specs() -> List[ModelSpec]:
    specs = [
        ModelSpec(
            "fmnist_paper", "fashion_mnist_paper", FMNIST_PAPER_HIDDEN,
            trainer="paper_sgd", epochs=20, batch_size=32, lr=0.005, patience=3,
            softmax_head=True, seed=1,
            description="the paper's Fashion-MNIST MLP trained as the paper's code does: "
                        "Softmax output layer, CrossEntropyLoss on the softmax outputs against "
                        "one-hot labels, SGD lr 0.005 momentum 0.9, batch 32, up to 20 epochs, "
                        "early stopping (patience 3) on validation accuracy, last weights kept"),
        ModelSpec(
            "fmnist_adam", "fashion_mnist_paper", FMNIST_PAPER_HIDDEN,
            trainer="adam", epochs=8, batch_size=128, lr=1e-3, seed=1,
            description="same architecture trained well: logits + cross-entropy, Adam lr 1e-3, "
                        "batch 128, 8 epochs"),
    ]
    for ds in ("breast_cancer", "wine", "digits", "iris"):
        specs.append(ModelSpec(
            ds, ds, TABULAR_HIDDEN, epochs=10, batch_size=32, lr=1e-3,
            description="the paper's tabular MLP 64-128-128-256-256 (ReLU), Adam, 10 epochs"))
    specs += [
        ModelSpec(
            "titanic", "titanic_paper", TITANIC_PAPER_HIDDEN, epochs=30, batch_size=32, lr=1e-3,
            description="the paper's Titanic net 11-25-50-100-100-100-100-2 (ReLU), Adam, 30 epochs; "
                        "test = the paper's 268-row test file, calibration = its 418-row prune file"),
        ModelSpec(
            "digits_leaky", "digits", TABULAR_HIDDEN, activation="leaky", epochs=10,
            description="tabular MLP with LeakyReLU(0.1), Adam, 10 epochs"),
        ModelSpec(
            "digits_relu6", "digits", TABULAR_HIDDEN, activation="relu6", epochs=10,
            description="tabular MLP with ReLU6, Adam, 10 epochs"),
        ModelSpec(
            "digits_onnx", "digits", TABULAR_HIDDEN, epochs=10, route="onnx",
            description="the digits model (same seed, same weights) exported through "
                        "torch.onnx.export + torch-mlir's ONNX importer"),
    ]
    return specs


MODELS: Dict[str, ModelSpec] = {s.name: s for s in _specs()}


# ---------------------------------------------------------------------------
# Models and training
# ---------------------------------------------------------------------------


def _activation(kind: str):
    import torch.nn as nn

    return {
        "relu": nn.ReLU,
        "leaky": lambda: nn.LeakyReLU(0.1),
        "relu6": nn.ReLU6,
        "hardtanh": nn.Hardtanh,
    }[kind]()


def build_mlp(n_in: int, hidden: Sequence[int], n_out: int, activation: str = "relu",
              softmax_head: bool = False):
    """nn.Sequential of Linear / activation layers (the form the paper handles)."""
    import torch.nn as nn

    layers, prev = [], n_in
    for h in hidden:
        layers += [nn.Linear(prev, h), _activation(activation)]
        prev = h
    layers.append(nn.Linear(prev, n_out))
    if softmax_head:
        layers.append(nn.Softmax(dim=1))
    return nn.Sequential(*layers)


def _predict(model, x: np.ndarray, batch: int = 2000) -> np.ndarray:
    import torch

    model.eval()
    with torch.no_grad():
        return torch.cat([model(torch.from_numpy(x[i:i + batch])) for i in range(0, len(x), batch)]).numpy()


def _accuracy(model, x: np.ndarray, y: np.ndarray) -> Optional[float]:
    if len(y) == 0 or (y < 0).any():
        return None
    return float((_predict(model, x).argmax(1) == y).mean())


def _train_adam(model, spec: ModelSpec, data, log) -> int:
    import torch
    import torch.nn as nn

    g = torch.Generator().manual_seed(spec.seed)
    opt = torch.optim.Adam(model.parameters(), lr=spec.lr)
    loss_fn = nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(data.x_train), torch.from_numpy(data.y_train)
    for epoch in range(spec.epochs):
        model.train()
        perm = torch.randperm(len(xt), generator=g)
        total = 0.0
        for i in range(0, len(xt), spec.batch_size):
            idx = perm[i:i + spec.batch_size]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        val = _accuracy(model, data.x_calib, data.y_calib)
        log(f"  epoch {epoch + 1}/{spec.epochs}: train loss {total / len(xt):.4f}"
            + (f", calib acc {val:.4f}" if val is not None else ""))
    return spec.epochs


def _train_paper_sgd(model, spec: ModelSpec, data, log, max_epochs: int) -> int:
    """The reference implementation's training loop: CrossEntropyLoss applied to
    the Softmax outputs against one-hot targets, SGD(lr, momentum 0.9), early
    stopping when validation accuracy has not improved for ``patience`` epochs
    (the weights of the last epoch are kept, as in the reference)."""
    import torch
    import torch.nn as nn

    g = torch.Generator().manual_seed(spec.seed)
    opt = torch.optim.SGD(model.parameters(), lr=spec.lr, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(data.x_train), torch.from_numpy(data.y_train)
    n_classes = int(data.y_train.max()) + 1
    best, stale, epochs_run = 0.0, 0, 0
    for epoch in range(max_epochs):
        model.train()
        perm = torch.randperm(len(xt), generator=g)
        for i in range(0, len(xt), spec.batch_size):
            idx = perm[i:i + spec.batch_size]
            target = nn.functional.one_hot(yt[idx], n_classes).float()
            loss = loss_fn(model(xt[idx]), target)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        epochs_run = epoch + 1
        val = _accuracy(model, data.x_calib, data.y_calib)
        log(f"  epoch {epochs_run}/{max_epochs}: validation acc {val:.4f}")
        if val > best:
            best, stale = val, 0
        else:
            stale += 1
            if stale == spec.patience:
                log(f"  early stop after {epochs_run} epochs")
                break
    return epochs_run


def load_split(spec: ModelSpec):
    from .data import load_dataset

    return load_dataset(spec.dataset)   # each data set's default (fixed) split


def _export(model, spec: ModelSpec, n_in: int) -> str:
    import torch

    from .export import export_onnx, export_torch

    example = torch.zeros(2, n_in)
    if spec.route == "fx":
        return export_torch(model, example, dynamic_batch=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{spec.name}.onnx"
        model.eval()
        torch.onnx.export(model, (example,), str(path), dynamo=True,
                          input_names=["x"], output_names=["y"],
                          dynamic_shapes=({0: torch.export.Dim("batch")},), verbose=False)
        return export_onnx(path)


def _spec_dir(cache: Path, spec: ModelSpec) -> Path:
    return Path(cache) / spec.name


def cached_info(spec: ModelSpec, cache: os.PathLike = DEFAULT_CACHE,
                max_epochs: Optional[int] = None) -> Optional[Dict]:
    """info.json of a complete cache entry trained from ``spec`` (and the same
    epoch cap), else None."""
    p = _spec_dir(Path(cache), spec) / "info.json"
    if not p.exists():
        return None
    info = json.loads(p.read_text())
    if info.get("spec") != spec.key() or info.get("max_epochs") != _max_epochs(spec, max_epochs):
        return None
    return info


def _max_epochs(spec: ModelSpec, cap: Optional[int]) -> int:
    return spec.epochs if cap is None or spec.trainer != "paper_sgd" else min(cap, spec.epochs)


def ensure_model(spec: ModelSpec, cache: os.PathLike = DEFAULT_CACHE, *,
                 paper_max_epochs: Optional[int] = None, threads: int = 2,
                 force: bool = False, log: Callable[[str], None] = print) -> Dict:
    """Train + export ``spec`` into ``<cache>/<name>/`` unless a matching entry
    exists. ``paper_max_epochs`` caps the paper_sgd schedule (the paper's is 20
    epochs with early stopping). Returns the entry's info dict (with "dir")."""
    import torch

    out = _spec_dir(Path(cache), spec)
    max_epochs = _max_epochs(spec, paper_max_epochs)
    info = None if force else cached_info(spec, cache, paper_max_epochs)
    if info is not None:
        log(f"{spec.name}: cached in {out}")
        return info | {"dir": str(out)}

    log(f"{spec.name}: training ({spec.description})")
    torch.manual_seed(spec.seed)
    np.random.seed(spec.seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    data = load_split(spec)
    n_in, n_out = data.num_features, int(data.y_train.max()) + 1
    model = build_mlp(n_in, spec.hidden, n_out, spec.activation, spec.softmax_head)

    t0 = time.time()
    if spec.trainer == "paper_sgd":
        epochs_run = _train_paper_sgd(model, spec, data, log, max_epochs)
    else:
        epochs_run = _train_adam(model, spec, data, log)
    train_seconds = time.time() - t0
    model.eval()

    t0 = time.time()
    text = _export(model, spec, n_in)
    export_seconds = time.time() - t0

    out.mkdir(parents=True, exist_ok=True)
    (out / "info.json").unlink(missing_ok=True)
    (out / "model.mlir").write_text(text)
    np.save(out / "calib_x.npy", data.x_calib)
    np.save(out / "calib_y.npy", data.y_calib)
    np.save(out / "test_x.npy", data.x_test)
    np.save(out / "test_y.npy", data.y_test)
    torch.save(model.state_dict(), out / "weights.pt")
    info = {
        "name": spec.name,
        "description": spec.description,
        "spec": spec.key(),
        "max_epochs": max_epochs,
        "epochs_run": epochs_run,
        "sizes": [n_in, *spec.hidden, n_out],
        "params": int(sum(p.numel() for p in model.parameters())),
        "n_calib": int(len(data.x_calib)),
        "n_test": int(len(data.x_test)),
        "torch_calib_acc": _accuracy(model, data.x_calib, data.y_calib),
        "torch_test_acc": _accuracy(model, data.x_test, data.y_test),
        "train_seconds": round(train_seconds, 1),
        "export_seconds": round(export_seconds, 1),
        "torch": torch.__version__,
    }
    (out / "info.json").write_text(json.dumps(info, indent=1) + "\n")
    log(f"{spec.name}: test acc {info['torch_test_acc']:.4f}, {info['params']} params, "
        f"{epochs_run} epochs, {train_seconds:.0f} s")
    return info | {"dir": str(out)}


def ensure_models(names: Optional[Sequence[str]] = None, cache: os.PathLike = DEFAULT_CACHE,
                  **kwargs) -> List[Dict]:
    names = list(names) if names else list(MODELS)
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        raise ValueError(f"unknown models {unknown}; choose from {list(MODELS)}")
    return [ensure_model(MODELS[n], cache, **kwargs) for n in names]
