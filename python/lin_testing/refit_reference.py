"""A numpy reference of linearity-fold's least-squares refit on MLP chains,
and the pieces the refit and budget tests share.

The reference redoes, without lin, what ``--linearity-fold="refit=lstsq
refit-ridge=<r>"`` does to a chain of dense layers (:class:`~.mlp_ir.Mlp`):

* the plan: every neuron classified from the piece counts of its profile
  (:func:`classify`, the planner's rule: the piece with the largest share at
  or above its threshold, the merge threshold for the identity piece, the
  remove threshold for the others; constant pieces remove, the others
  merge); which layers merge is the policy's choice and is taken from lin's
  report (:func:`merged_layers`);
* the folded structure: a consumer (the next pre-activation or the output)
  reads the kept neurons of the layer before it and, when that layer
  merges, whatever that layer's pre-activation read; removed neurons become
  constants and merged ones their linear piece;
* the refit, consumer by consumer in program order: inputs from the
  compressed model, target the original model's value (the kept columns),
  ridge least squares with an unpenalised intercept and the relative ridge
  ``r * mean(diag(X^T X))`` over the feature columns; kept only if it
  lowers the error of the algebraic fold on the same inputs, and not
  attempted when that error is at most ``EXACT`` (relative).

:func:`reference_refit` returns the per-consumer errors and the compressed
model's outputs, to compare with lin's report and with the output IR run by
an independent executor (IREE).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np

from .mlp_ir import Activation, Mlp
from .tools import run_tool

__all__ = [
    "EXACT",
    "Consumer",
    "Reference",
    "budget_metric",
    "classify",
    "fold",
    "fold_with_lin",
    "merged_layers",
    "pieces",
    "reference_refit",
]

# The relative error at or below which lin counts a consumer as exact.
EXACT = 1e-6


def pieces(activation: Activation) -> list:
    """(slope, offset) of every piece, indexed as :meth:`Activation.pieces`
    numbers them, in float32 as the IR stores the parameters."""
    f32 = lambda v: float(np.float32(v))
    if activation.kind == "relu":
        return [(0.0, 0.0), (1.0, 0.0)]
    if activation.kind == "leaky":
        return [(f32(activation.slope), 0.0), (1.0, 0.0)]
    return [(0.0, f32(activation.lo)), (1.0, 0.0), (0.0, f32(activation.hi))]


def classify(model: Mlp, x: np.ndarray, merge_threshold: float,
             remove_threshold: float) -> list:
    """Per activation layer, per neuron: ``("keep", None)``, ``("merge",
    piece)`` or ``("remove", piece)``, from the piece counts of the
    pre-activations on ``x`` rounded to float32 (what
    :func:`~.mlp_ir.observed_profile` writes)."""
    pre: list = []
    model.forward(x, pre)
    classes = []
    acts = [layer.activation for layer in model.layers if layer.activation is not None]
    for act, z in zip(acts, pre):
        counts = act.pieces(z.astype(np.float32))
        table = pieces(act)
        identity = next(p for p, (s, o) in enumerate(table) if s == 1.0 and o == 0.0)
        layer = []
        for j in range(z.shape[1]):
            best, best_share = None, -1.0
            for p in range(act.num_pieces):
                share = float((counts[:, j] == p).sum()) / z.shape[0]
                needed = merge_threshold if p == identity else remove_threshold
                if share >= needed and share > 0.0 and share > best_share:
                    best, best_share = p, share
            if best is None:
                layer.append(("keep", None))
            else:
                layer.append(("remove" if table[best][0] == 0.0 else "merge", best))
        classes.append(layer)
    return classes


def merged_layers(classes: list, report: dict) -> list:
    """Which layers merged, read from lin's report, after checking that its
    per-layer counts are those of ``classes`` (one of them merged or not)."""
    merged = []
    for cls, row in zip(classes, report["layers"], strict=True):
        n_merge = sum(kind == "merge" for kind, _ in cls)
        n_remove = sum(kind == "remove" for kind, _ in cls)
        if row["removed"] != n_remove or row["folded"] not in (0, n_merge):
            raise AssertionError(f"{row['name']}: lin folded {row['folded']} and removed "
                                 f"{row['removed']}, the reference classifies {n_merge} "
                                 f"to merge and {n_remove} to remove")
        merged.append(n_merge > 0 and row["folded"] == n_merge)
    return merged


@dataclass
class Consumer:
    name: str
    refitted: bool
    exact: bool
    features: int
    error_before: float
    error_after: float


@dataclass
class Reference:
    consumers: list = field(default_factory=list)
    output: Optional[np.ndarray] = None        # the compressed model on x
    algebraic_output: Optional[np.ndarray] = None   # the fold without refit


def _relative(z: np.ndarray, target: np.ndarray) -> float:
    norm = float((target * target).sum())
    return float(np.sqrt(((z - target) ** 2).sum() / (norm if norm > 0 else 1.0)))


def _ridge(features: np.ndarray, target: np.ndarray, ridge: float) -> np.ndarray:
    """The ridge solution's values on ``features`` (intercept unpenalised)."""
    a = np.concatenate([features, np.ones((len(target), 1))], axis=1)
    gram = a.T @ a
    k = features.shape[1]
    if k and ridge > 0:
        mean = float(np.mean(np.diag(gram)[:k]))
        gram[np.arange(k), np.arange(k)] += ridge * (mean if mean > 0 else 1.0)
    solution = np.linalg.lstsq(gram, a.T @ target, rcond=None)[0]
    return a @ solution


def fold(model: Mlp, x: np.ndarray, classes: list, merged: Sequence[bool],
         ridge: Optional[float]) -> Reference:
    """The folded (``ridge`` None) or refitted model on ``x``, consumer by
    consumer as lin's refit goes."""
    pre: list = []
    original = model.forward(x, pre)
    x = x.astype(np.float64)
    result = Reference()
    values = {"x": x}          # root -> its value in the compressed model
    roots = ["x"]              # what the current consumer reads
    algebraic_input = x        # the input of the current layer, algebraically
    differs: set = set()       # roots whose compressed values differ
    changed = False            # whether the current consumer's form changed
    act_index = 0
    for index, layer in enumerate(model.layers):
        weight = np.asarray(layer.weight, dtype=np.float64).T
        bias = np.asarray(layer.bias, dtype=np.float64)
        algebraic = algebraic_input @ weight + bias
        act = layer.activation
        if act is None:
            kept = list(range(weight.shape[1]))
            target = original
            name = "output_0"
            cls = None
        else:
            cls = classes[act_index]
            layer_merges = merged[act_index]
            kept = [j for j, (kind, _) in enumerate(cls)
                    if kind == "keep" or (kind == "merge" and not layer_merges)]
            target = pre[act_index]
            name = f"{act.family}_{act_index}"
            # The layer's own removals and merges shrink its pre-activation.
            changed = changed or len(kept) < weight.shape[1]
        target = target[:, kept]
        z = algebraic[:, kept]
        inputs_differ = any(r in differs for r in roots)
        if kept and (changed or inputs_differ):
            features = np.concatenate([values[r] for r in roots], axis=1) \
                if roots else np.zeros((len(x), 0))
            before = _relative(z, target)
            consumer = Consumer(name, False, before <= EXACT, features.shape[1], before, before)
            if ridge is not None and not consumer.exact:
                fitted = _ridge(features, target, ridge)
                after = _relative(fitted, target)
                if after < before:
                    consumer.refitted, consumer.error_after, z = True, after, fitted
            result.consumers.append(consumer)
            if act is not None:
                differs.add(name)
        if act is None:
            result.output = z
            return result
        # The compressed activations, and the next layer's algebraic input:
        # kept neurons as computed, merged ones their piece, removed ones
        # their constant.
        table = pieces(act)
        activated = act.reference(z)
        next_input = np.zeros_like(algebraic)
        next_input[:, kept] = activated
        next_roots = []
        if kept:
            values[name] = activated
            next_roots.append(name)
        for j, (kind, piece) in enumerate(cls):
            if j in kept:
                continue
            slope, offset = table[piece]
            next_input[:, j] = slope * algebraic[:, j] + offset
        if merged[act_index]:
            next_roots += [r for r in roots if r not in next_roots]
        # The next consumer changes when this layer folded anything.
        changed = len(kept) < weight.shape[1]
        roots, algebraic_input = next_roots, next_input
        act_index += 1
    raise AssertionError("the model has no output layer")


def reference_refit(model: Mlp, x: np.ndarray, classes: list, merged: Sequence[bool],
                    ridge: float) -> Reference:
    """The refit with a fixed relative ``ridge`` (its algebraic fold too)."""
    result = fold(model, x, classes, merged, ridge)
    result.algebraic_output = fold(model, x, classes, merged, None).output
    return result


def budget_metric(metric: str, outputs: np.ndarray, original: np.ndarray,
                  labels: Optional[np.ndarray] = None) -> float:
    """A budget metric in percent, computed as documented: accuracy (of
    ``outputs`` on ``labels``), agreement (the share of samples whose argmax
    changed) or mse (100 * sum((y_c - y)^2) / sum(y^2))."""
    if metric == "accuracy":
        return 100.0 * float((outputs.argmax(1) == labels).mean())
    if metric == "agreement":
        return 100.0 * float((outputs.argmax(1) != original.argmax(1)).mean())
    if metric == "mse":
        o = original.astype(np.float64)
        return 100.0 * float(((outputs.astype(np.float64) - o) ** 2).sum() / (o * o).sum())
    raise ValueError(metric)


def fold_with_lin(source: str, options: str, out_dir: str, name: str,
                  pass_name: str = "linearity-fold") -> tuple:
    """Runs ``lin-opt source --<pass_name>="<options> quiet=1 report=..."``
    (linearity-fold or linearity-compress; the test fails on an error or a
    warning), writing ``<out_dir>/<name>.mlir`` and ``.json``; returns the
    report and the output text."""
    report = os.path.join(out_dir, f"{name}.json")
    output = os.path.join(out_dir, f"{name}.mlir")
    run_tool(["lin-opt", source, f"--{pass_name}={options} quiet=1 report={report}",
              "-o", output])
    with open(report) as f, open(output) as g:
        return json.load(f), g.read()
