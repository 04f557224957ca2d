"""The benchmark models: specs, deterministic CPU training, export, cache.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from lin_toolchain import REPO

from .mlp import FMNIST_PAPER_HIDDEN, TABULAR_HIDDEN, TITANIC_PAPER_HIDDEN, build_mlp
from .training import accuracy, train

__all__ = [
    "ModelSpec",
    "MODELS",
    "DEFAULT_CACHE",
    "cached_info",
    "ensure_model",
    "ensure_models",
    "load_split",
]

DEFAULT_CACHE = REPO / "benchmarks" / ".cache"


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


def load_split(spec: ModelSpec):
    from lin_frontend.data import load_dataset

    return load_dataset(spec.dataset)   # each data set's default (fixed) split


def _export(model, spec: ModelSpec, n_in: int) -> str:
    import torch

    from lin_frontend.export import export_onnx, export_torch, save_onnx

    example = torch.zeros(2, n_in)
    if spec.route == "fx":
        return export_torch(model, example, dynamic_batch=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{spec.name}.onnx"
        save_onnx(model, example, path)
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
        epochs_run = train(model, data, optimizer="sgd", lr=spec.lr, epochs=max_epochs,
                           batch_size=spec.batch_size, seed=spec.seed, one_hot_targets=True,
                           patience=spec.patience, log=log)
    else:
        epochs_run = train(model, data, optimizer="adam", lr=spec.lr, epochs=spec.epochs,
                           batch_size=spec.batch_size, seed=spec.seed, log=log)
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
        "torch_calib_acc": accuracy(model, data.x_calib, data.y_calib),
        "torch_test_acc": accuracy(model, data.x_test, data.y_test),
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
