"""Random MLPs for property tests of the fold, with numpy profiles.

Each model is a chain of dense layers with piecewise-linear activations
(ReLU, leaky ReLU 0.1, ReLU6, hardtanh). Biases are shifted so that some
neurons are always active and some always dead on the sample data: the fold
has work to do. The IR spelling of every layer is drawn as well (see
:mod:`lin_testing.mlp_ir`: torch-mlir's transpose + matmul + broadcast bias
generic, or matmul with a transposed-operand indexing map + linalg.broadcast
+ linalg.add; ReLU as maximumf, cmpf + select or linalg.max; inline or
dense_resource constants), and static or dynamic batch.

The profiles (``lin.profile`` attributes) are computed with numpy, so tests
of the fold do not depend on lin's own interpreter.
"""

from __future__ import annotations

import dataclasses
import os

import numpy as np

from .mlp_ir import Activation, Dense, Mlp

ACTIVATIONS = ("relu", "leaky", "relu6", "hardtanh")
_ACTIVATION = {
    "relu": Activation.relu(),
    "leaky": Activation.leaky(0.1),
    "relu6": Activation.clamp(0.0, 6.0),
    "hardtanh": Activation.clamp(-1.0, 1.0),
}


def random_mlp(rng: np.random.Generator, *, depth: int | None = None,
               activation: str | None = None, input_widths: tuple = (3, 9),
               hidden_widths: tuple = (3, 13)) -> Mlp:
    """A random model (one of ACTIVATIONS everywhere, or ``activation``);
    input and hidden layer widths are drawn from the half-open ranges
    ``input_widths`` and ``hidden_widths``."""
    depth = depth or int(rng.integers(1, 5))
    widths = ([int(rng.integers(*input_widths))] + [int(rng.integers(*hidden_widths)) for _ in range(depth)]
              + [int(rng.integers(2, 6))])
    layers = []
    for i in range(len(widths) - 1):
        w = rng.normal(0, 1 / np.sqrt(widths[i]), size=(widths[i], widths[i + 1])).astype(np.float32)
        b = rng.normal(0, 0.1, size=widths[i + 1]).astype(np.float32)
        act = None
        if i < len(widths) - 2:
            act = _ACTIVATION[activation or str(rng.choice(ACTIVATIONS))]
            # Shift some biases far: always-active and always-dead neurons.
            shift = rng.choice([-8.0, 0.0, 0.0, 8.0], size=widths[i + 1])
            b = (b + shift).astype(np.float32)
        layers.append(Dense(w.T, b, act))   # w is [in, out]
    dynamic = bool(rng.integers(0, 2))
    batch = int(rng.choice([4, 8]))
    return Mlp(layers, batch=None if dynamic else batch)


def draw_spelling(model: Mlp, rng: np.random.Generator) -> Mlp:
    """``model`` with the IR spelling of every layer drawn from ``rng``: its
    constants' encoding, its affine form, and how a ReLU is written."""
    layers = []
    for layer in model.layers:
        encoding = "resource" if rng.integers(0, 2) else "inline"
        form = "maps" if rng.integers(0, 2) else "torch"
        act = layer.activation
        if act is not None and act.kind == "relu":
            if rng.integers(0, 2):
                spelling = "linalg_max"
            else:
                spelling = "maximumf" if rng.integers(0, 2) else "select"
            act = dataclasses.replace(act, spelling=spelling)
        layers.append(dataclasses.replace(layer, form=form, activation=act,
                                          weight_encoding=encoding, bias_encoding=encoding))
    return dataclasses.replace(model, layers=layers)


def to_mlir(model: Mlp, rng: np.random.Generator, profiles: list[str] | None = None) -> str:
    """The model as linalg IR in a spelling drawn from ``rng``; ``profiles``
    annotate the activations."""
    return draw_spelling(model, rng).to_mlir(profiles)


def annotated_model(rng: np.random.Generator, samples: int = 64, **kwargs):
    """A random model, calibration data, and its profiled IR text."""
    model = random_mlp(rng, **kwargs)
    n = samples if model.batch is None else model.batch * (samples // model.batch)
    x = rng.normal(0, 1, size=(n, model.input_width)).astype(np.float32)
    # The same rng state decides the IR spelling of the annotated text.
    return model, x, to_mlir(model, rng, model.observed_profiles(x))


def annotated_model_files(directory: str, seeds: int, activations=ACTIVATIONS, **kwargs):
    """For every seed in ``range(seeds)`` and activation kind: a random model
    of that kind (``annotated_model``), its calibration data, the float64
    reference outputs on them, and the path of its profiled IR, written into
    ``directory``. Yields ``(seed, kind, model, x, reference, path)``."""
    for seed in range(seeds):
        for kind in activations:
            model, x, text = annotated_model(np.random.default_rng(seed), activation=kind, **kwargs)
            path = os.path.join(directory, f"model{seed}{kind}.mlir")
            with open(path, "w") as f:
                f.write(text)
            yield seed, kind, model, x, model.forward(x), path
