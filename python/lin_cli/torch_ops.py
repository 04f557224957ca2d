"""What the scalar ops of the ``arith`` and ``math`` dialects compute, as
PyTorch: one function per op name, applied to whole tensors (a
``linalg.generic`` body evaluated on its operands at once) or to Python
numbers (sizes and constants between ops; under ``torch.export`` sizes are
symbolic integers, which support the same operators). And the reduction
combiners: the op of a reduction body that reads the output block argument,
with the torch reduction computing it over whole dimensions.

Semantics follow the ops' definitions: ordered comparisons are false on
NaN, unordered ones true; ``maximumf`` / ``minimumf`` propagate NaN
(``torch.maximum``), ``maxnumf`` / ``minnumf`` ignore it (``torch.fmax``);
``remf`` is C's ``fmod``; ``divsi`` / ``remsi`` truncate towards zero,
``floordivsi`` floors. Unsigned integer ops (``divui``, ``cmpi ult``, ...)
compute their signed counterparts: in the IR lin translates they read
sizes and indices, which are non-negative. Ops missing here (``math.fma``,
whose single rounding torch cannot express, bit casts, shifts, ...) are
reported as unsupported by the translator.
"""

from __future__ import annotations

import functools
import operator
from typing import Callable, Dict, Optional

import numpy as np

__all__ = ["CMPF_PREDICATES", "CMPI_PREDICATES", "Combiner", "combiner", "elementwise"]

CMPF_PREDICATES = ["false", "oeq", "ogt", "oge", "olt", "ole", "one", "ord", "ueq", "ugt",
                   "uge", "ult", "ule", "une", "uno", "true"]
CMPI_PREDICATES = ["eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge"]


def _is_tensor(v) -> bool:
    import torch

    return isinstance(v, torch.Tensor)


def as_tensor(v, like=None):
    """A tensor for ``v`` (a Python number: float32 unless ``like`` is a
    tensor of another dtype, bool / int64 for Python bools / ints)."""
    import torch

    if _is_tensor(v):
        return v
    if _is_tensor(like):
        return torch.tensor(v, dtype=like.dtype)
    if isinstance(v, bool):
        return torch.tensor(v)
    return torch.tensor(v, dtype=torch.int64 if isinstance(v, int) else torch.float32)


def _on_tensors(fn: Callable) -> Callable:
    """``fn`` (a torch function) with Python numbers made tensors first."""
    def apply(*xs):
        like = next((x for x in xs if _is_tensor(x)), None)
        return fn(*[as_tensor(x, like) for x in xs])
    return apply


def _cmpf(predicate: str, a, b):
    """``arith.cmpf``: ordered predicates are false where an operand is
    NaN, unordered ones true (IEEE 754, as MLIR defines them)."""
    import torch

    a, b = as_tensor(a, b), as_tensor(b, a)
    unordered = torch.isnan(a) | torch.isnan(b)
    if predicate in ("false", "true"):
        return torch.full(torch.broadcast_shapes(a.shape, b.shape), predicate == "true")
    if predicate in ("ord", "uno"):
        return ~unordered if predicate == "ord" else unordered
    compare = {"eq": torch.eq, "gt": torch.gt, "ge": torch.ge, "lt": torch.lt, "le": torch.le,
               "ne": torch.ne}[predicate[1:]]
    # torch compares like the ordered predicates, except that ne is true on NaN.
    return compare(a, b) & ~unordered if predicate[0] == "o" else compare(a, b) | unordered


def _cmpi(predicate: str, a, b):
    """``arith.cmpi`` on tensors or (symbolic) integers; unsigned predicates
    as signed ones (non-negative operands)."""
    compare = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
               "gt": operator.gt, "ge": operator.ge}[predicate.lstrip("su")]
    return compare(a, b)


def _select(condition, a, b):
    """``arith.select``: a Python condition (sizes) picks an operand as is."""
    import torch

    if not _is_tensor(condition):
        return a if condition else b
    like = a if _is_tensor(a) else b
    return torch.where(condition, as_tensor(a, like), as_tensor(b, like))


def _divsi(a, b):
    """Integer division truncating towards zero."""
    import torch

    if _is_tensor(a) or _is_tensor(b):
        return torch.div(as_tensor(a), as_tensor(b), rounding_mode="trunc")
    quotient = a // b
    return quotient + 1 if (a < 0) != (b < 0) and quotient * b != a else quotient


def _ceildivsi(a, b):
    return -((-a) // b)


def _int_extremum(tensor_fn: Callable, python_fn: Callable) -> Callable:
    def apply(a, b):
        return tensor_fn(as_tensor(a, b), as_tensor(b, a)) if _is_tensor(a) or _is_tensor(b) \
            else python_fn(a, b)
    return apply


def _to_float(v):
    """``arith.truncf`` / ``extf`` / ``sitofp`` / ``uitofp`` to f32 (the
    translation computes in f32; f64 constants become f32 here)."""
    return float(np.float32(v)) if not _is_tensor(v) else v.float()


def _to_int(v):
    """``arith.fptosi`` / ``fptoui``: truncation towards zero."""
    import torch

    return int(v) if not _is_tensor(v) else torch.trunc(v).long()


def _round_half_away(x):
    """``math.round``: halves away from zero (``torch.round``: to even)."""
    import torch

    truncated = torch.trunc(x)
    return torch.where(torch.abs(x - truncated) == 0.5, truncated + torch.sign(x), torch.round(x))


@functools.lru_cache(maxsize=None)
def _unary_math() -> Dict[str, Callable]:
    import torch

    table = {
        "math.exp": torch.exp, "math.exp2": torch.exp2, "math.expm1": torch.expm1,
        "math.log": torch.log, "math.log2": torch.log2, "math.log10": torch.log10,
        "math.log1p": torch.log1p, "math.sqrt": torch.sqrt, "math.rsqrt": torch.rsqrt,
        "math.tanh": torch.tanh, "math.erf": torch.erf, "math.erfc": torch.erfc,
        "math.absf": torch.abs, "math.ceil": torch.ceil, "math.floor": torch.floor,
        "math.trunc": torch.trunc, "math.roundeven": torch.round, "math.sin": torch.sin,
        "math.cos": torch.cos, "math.tan": torch.tan, "math.asin": torch.asin,
        "math.acos": torch.acos, "math.atan": torch.atan, "math.sinh": torch.sinh,
        "math.cosh": torch.cosh, "math.asinh": torch.asinh, "math.acosh": torch.acosh,
        "math.atanh": torch.atanh, "math.isnan": torch.isnan, "math.isinf": torch.isinf,
        "math.isfinite": torch.isfinite,
        "math.round": _round_half_away,
    }
    return {name: _on_tensors(fn) for name, fn in table.items()}


def elementwise(name: str, attributes: Callable[[str], object]) -> Optional[Callable]:
    """The function computing the ``arith`` / ``math`` op ``name`` on
    tensors or Python numbers, or None for an op this module does not know.
    ``attributes(key)`` reads an attribute of the op (a comparison's
    predicate, as an int)."""
    import torch

    if name == "arith.cmpf":
        predicate = CMPF_PREDICATES[attributes("predicate")]
        return lambda a, b: _cmpf(predicate, a, b)
    if name == "arith.cmpi":
        predicate = CMPI_PREDICATES[attributes("predicate")]
        return lambda a, b: _cmpi(predicate, a, b)
    binary = {
        "arith.addf": operator.add, "arith.subf": operator.sub, "arith.mulf": operator.mul,
        "arith.divf": operator.truediv, "arith.remf": _on_tensors(torch.fmod),
        "arith.maximumf": _on_tensors(torch.maximum), "arith.minimumf": _on_tensors(torch.minimum),
        "arith.maxnumf": _on_tensors(torch.fmax), "arith.minnumf": _on_tensors(torch.fmin),
        "math.powf": _on_tensors(torch.pow), "math.fpowi": _on_tensors(torch.pow),
        "math.atan2": _on_tensors(torch.atan2), "math.copysign": _on_tensors(torch.copysign),
        "arith.addi": operator.add, "arith.subi": operator.sub, "arith.muli": operator.mul,
        "arith.divsi": _divsi, "arith.divui": _divsi, "arith.floordivsi": operator.floordiv,
        "arith.ceildivsi": _ceildivsi, "arith.ceildivui": _ceildivsi,
        "arith.remsi": lambda a, b: a - b * _divsi(a, b), "arith.remui": operator.mod,
        "arith.maxsi": _int_extremum(torch.maximum, max),
        "arith.maxui": _int_extremum(torch.maximum, max),
        "arith.minsi": _int_extremum(torch.minimum, min),
        "arith.minui": _int_extremum(torch.minimum, min),
        "arith.andi": operator.and_, "arith.ori": operator.or_, "arith.xori": operator.xor,
    }.get(name)
    if binary is not None:
        return binary
    if name == "arith.select":
        return _select
    if name == "arith.negf":
        return operator.neg
    if name in ("arith.truncf", "arith.extf", "arith.sitofp", "arith.uitofp"):
        return _to_float
    if name in ("arith.fptosi", "arith.fptoui"):
        return _to_int
    if name in ("arith.index_cast", "arith.index_castui", "arith.extsi", "arith.extui"):
        return lambda v: v  # integers of any width are int64 tensors / Python ints
    return _unary_math().get(name)


class Combiner:
    """A reduction combiner: ``reduce(x, dims)`` reduces a tensor over
    ``dims`` as the op folds values into the accumulator, ``identity`` is
    the initial value that changes nothing (None: always combine the
    initial value with the op itself)."""

    def __init__(self, reduce: Callable, identity):
        self.reduce, self.identity = reduce, identity


def _prod(x, dims):
    for dim in sorted(dims, reverse=True):
        x = x.prod(dim)
    return x


def _nan_ignoring(largest: bool) -> Callable:
    """``maxnumf`` / ``minnumf`` over dims: NaN only where every value is."""
    def reduce(x, dims):
        import torch

        nan = torch.isnan(x)
        bound = float("-inf") if largest else float("inf")
        filled = x.masked_fill(nan, bound)
        extremum = filled.amax(dims) if largest else filled.amin(dims)
        return torch.where(nan.all(dims), float("nan"), extremum)
    return reduce


def combiner(name: str) -> Optional[Combiner]:
    """The combiner of the op ``name`` (None if it is not one)."""
    inf = float("inf")
    return {
        "arith.addf": Combiner(lambda x, dims: x.sum(dims), 0.0),
        "arith.addi": Combiner(lambda x, dims: x.sum(dims), 0),
        "arith.mulf": Combiner(_prod, 1.0),
        "arith.muli": Combiner(_prod, 1),
        "arith.maximumf": Combiner(lambda x, dims: x.amax(dims), -inf),
        "arith.minimumf": Combiner(lambda x, dims: x.amin(dims), inf),
        "arith.maxnumf": Combiner(_nan_ignoring(True), None),
        "arith.minnumf": Combiner(_nan_ignoring(False), None),
        "arith.maxsi": Combiner(lambda x, dims: x.amax(dims), None),
        "arith.minsi": Combiner(lambda x, dims: x.amin(dims), None),
        "arith.andi": Combiner(lambda x, dims: x.all(dims), True),
        "arith.ori": Combiner(lambda x, dims: x.any(dims), False),
    }.get(name)
