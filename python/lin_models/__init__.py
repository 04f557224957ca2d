"""lin_models: the models lin's demo, tests and benchmarks train.

* :mod:`lin_models.mlp`: the PyTorch MLP definitions (``build_mlp``, the
  paper's architectures);
* :mod:`lin_models.cnn`, :mod:`lin_models.transformer`: issue 12's CNN
  (``build_cnn``) and character transformer (``CharTransformer``);
* :mod:`lin_models.training`: the one deterministic training loop, predict,
  accuracy;
* :mod:`lin_models.benchmark`: the benchmark model specs (``MODELS``) and
  ``ensure_model(s)``, which train, export and cache them (command line:
  ``python/train_models.py``).

Needs torch; exports through :mod:`lin_frontend`.
"""

from .benchmark import (
    DEFAULT_CACHE,
    MODELS,
    PAPER_MODELS,
    ModelSpec,
    cached_info,
    ensure_model,
    ensure_models,
    load_split,
    model_inputs,
)
from .cnn import build_cnn
from .mlp import (
    FMNIST_PAPER_HIDDEN,
    FMNIST_PAPER_SEED,
    FMNIST_PAPER_SIZES,
    TABULAR_HIDDEN,
    TITANIC_PAPER_HIDDEN,
    activation_module,
    build_mlp,
    fmnist_paper_mlp,
)
from .training import accuracy, predict, train

__all__ = [
    "DEFAULT_CACHE",
    "FMNIST_PAPER_HIDDEN",
    "FMNIST_PAPER_SEED",
    "FMNIST_PAPER_SIZES",
    "MODELS",
    "ModelSpec",
    "PAPER_MODELS",
    "TABULAR_HIDDEN",
    "TITANIC_PAPER_HIDDEN",
    "accuracy",
    "activation_module",
    "build_cnn",
    "build_mlp",
    "cached_info",
    "ensure_model",
    "ensure_models",
    "fmnist_paper_mlp",
    "load_split",
    "model_inputs",
    "predict",
    "train",
]
