"""The benchmark models: specs, deterministic CPU training, export, cache.

Every benchmark model is a :class:`ModelSpec` in :data:`MODELS`. :func:`ensure_model`
trains it (fixed seeds, CPU, ``torch.use_deterministic_algorithms``), exports it
to linalg-on-tensors MLIR (torch-mlir FX route, or torch.onnx + torch-mlir's
ONNX importer for ``route="onnx"``) with a dynamic batch dimension, and writes
it with its calibration and test data to ``<cache>/<name>/``:

    model.mlir     func.func @main(tensor<?x...xf32>) -> tensor<?xCxf32>
    model.pt2      the trained model as a torch.export program (dynamic batch),
                   what model.mlir was imported from (FX route)
    calib_x.npy    float32 calibration ("prune") inputs (what lin profiles)
    calib_y.npy    int64 labels (-1 where the data set has none: Titanic's prune file)
    test_x.npy     float32 test inputs
    test_y.npy     int64 test labels
    weights.pt     the trained state_dict
    alphabet.json  the character model's classes (license_chars only)
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

from .cnn import build_cnn
from .mlp import FMNIST_PAPER_HIDDEN, TABULAR_HIDDEN, TITANIC_PAPER_HIDDEN, build_mlp
from .training import accuracy, train

__all__ = [
    "ModelSpec",
    "MODELS",
    "PAPER_MODELS",
    "DEFAULT_CACHE",
    "cached_info",
    "ensure_model",
    "ensure_models",
    "load_split",
    "model_inputs",
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
    # mlp: build_mlp(hidden). cnn: build_cnn with hidden = conv channels and
    # then dense widths, the first `convolutions` of them convolutions.
    # char_transformer: CharTransformer(**dict(layout)).
    architecture: str = "mlp"
    convolutions: int = 0
    layout: Tuple[Tuple[str, int], ...] = ()

    def key(self) -> Dict:
        d = dataclasses.asdict(self)
        d["hidden"] = list(self.hidden)
        d.pop("description")
        # Fields added after the MLPs were cached are left out at their
        # defaults, so that those cache entries stay valid.
        for name in ("architecture", "convolutions", "layout"):
            if d[name] == ModelSpec.__dataclass_fields__[name].default:
                d.pop(name)
        if "layout" in d:
            d["layout"] = [list(kv) for kv in self.layout]
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
    specs += [
        ModelSpec(
            "fmnist_cnn", "fashion_mnist_images", (32, 64, 128, 256), architecture="cnn",
            convolutions=3, epochs=8, batch_size=128, lr=1e-3,
            description="CNN on Fashion-MNIST images (NCHW): conv 32-64-128 (3x3, padding 1, ReLU, "
                        "2x2 max pooling), flatten, dense 256 (ReLU), 10 logits; Adam lr 1e-3, "
                        "batch 128, 8 epochs"),
        ModelSpec(
            "char_transformer", "license_chars", (64, 256), architecture="char_transformer",
            layout=(("d_model", 64), ("heads", 4), ("ffn", 256), ("layers", 2)),
            epochs=8, batch_size=128, lr=1e-3,
            description="transformer encoder (2 post-norm layers, d_model 64, 4 heads, ReLU FFN 256) "
                        "predicting the next character of 32-character windows of Debian's licence "
                        "texts (one-hot input, logits of the last token); Adam lr 1e-3, batch 128, "
                        "8 epochs"),
    ]
    return specs


MODELS: Dict[str, ModelSpec] = {s.name: s for s in _specs()}
# The paper's experiments (benchmarks/paper_tables.py); the others are issue 12's
# CNN and transformer (benchmarks/issue12_models.py).
PAPER_MODELS = [n for n, s in MODELS.items() if s.architecture == "mlp"]


def load_split(spec: ModelSpec):
    from lin_frontend.data import load_dataset

    return load_dataset(spec.dataset)   # each data set's default (fixed) split


def _build(spec: ModelSpec, data) -> Tuple[object, object]:
    """(the model to train, the model to export): the same module except for
    the character model, which is trained on character classes through
    :class:`~lin_models.transformer.OneHot` and exported on one-hot windows."""
    import torch.nn as nn

    n_out = int(data.y_train.max()) + 1
    if spec.architecture == "mlp":
        model = build_mlp(data.num_features, spec.hidden, n_out, spec.activation, spec.softmax_head)
        return model, model
    if spec.architecture == "cnn":
        model = build_cnn(data.x_train.shape[1:], spec.hidden[:spec.convolutions],
                          spec.hidden[spec.convolutions:], n_out)
        return model, model
    if spec.architecture == "char_transformer":
        from .transformer import CharTransformer, OneHot

        vocab = len(data.feature_names)      # the alphabet: input and output classes
        model = CharTransformer(vocab, data.x_train.shape[1], **dict(spec.layout))
        return nn.Sequential(OneHot(vocab), model), model
    raise ValueError(f"unknown architecture {spec.architecture!r}")


def model_inputs(spec: ModelSpec, data, x: np.ndarray) -> np.ndarray:
    """The exported model's input for the data set's inputs ``x``."""
    from lin_frontend.data import one_hot

    return one_hot(x, len(data.feature_names)) if spec.architecture == "char_transformer" else x


def _export(model, spec: ModelSpec, example) -> Tuple[str, object]:
    """The model as linalg-on-tensors text, and the torch.export program it was
    imported from (None on the ONNX route)."""
    import torch

    from lin_frontend.export import export_onnx, export_torch, save_onnx

    example = torch.from_numpy(np.ascontiguousarray(example[:2]))
    if spec.route == "fx":
        program = torch.export.export(model, (example,),
                                      dynamic_shapes=({0: torch.export.Dim("batch")},))
        return export_torch(program, None), program
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{spec.name}.onnx"
        save_onnx(model, example, path)
        return export_onnx(path), None


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
    trained, model = _build(spec, data)

    t0 = time.time()
    if spec.trainer == "paper_sgd":
        epochs_run = train(trained, data, optimizer="sgd", lr=spec.lr, epochs=max_epochs,
                           batch_size=spec.batch_size, seed=spec.seed, one_hot_targets=True,
                           patience=spec.patience, log=log)
    else:
        epochs_run = train(trained, data, optimizer="adam", lr=spec.lr, epochs=spec.epochs,
                           batch_size=spec.batch_size, seed=spec.seed, log=log)
    train_seconds = time.time() - t0
    model.eval()
    x_calib, x_test = (model_inputs(spec, data, x) for x in (data.x_calib, data.x_test))

    t0 = time.time()
    text, program = _export(model, spec, x_calib)
    export_seconds = time.time() - t0

    out.mkdir(parents=True, exist_ok=True)
    (out / "info.json").unlink(missing_ok=True)
    (out / "model.mlir").write_text(text)
    if program is not None:
        torch.export.save(program, out / "model.pt2")
    if spec.architecture == "char_transformer":
        (out / "alphabet.json").write_text(json.dumps(data.feature_names) + "\n")
    np.save(out / "calib_x.npy", x_calib)
    np.save(out / "calib_y.npy", data.y_calib)
    np.save(out / "test_x.npy", x_test)
    np.save(out / "test_y.npy", data.y_test)
    torch.save(model.state_dict(), out / "weights.pt")
    info = {
        "name": spec.name,
        "description": spec.description,
        "spec": spec.key(),
        "max_epochs": max_epochs,
        "epochs_run": epochs_run,
        "sizes": [int(np.prod(x_calib.shape[1:])), *spec.hidden, int(data.y_train.max()) + 1],
        "input_shape": list(x_calib.shape[1:]),
        "params": int(sum(p.numel() for p in model.parameters())),
        "n_train": int(len(data.x_train)),
        "n_calib": int(len(data.x_calib)),
        "n_test": int(len(data.x_test)),
        "torch_calib_acc": accuracy(model, x_calib, data.y_calib),
        "torch_test_acc": accuracy(model, x_test, data.y_test),
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
