"""MLPs as linalg-on-tensors MLIR text, with a float64 numpy reference.

The one writer of model IR for lin's tests and benchmarks. A model
(:class:`Mlp`) is a chain of dense layers (:class:`Dense`), each optionally
followed by a piecewise-linear activation (:class:`Activation`). Every layer
chooses how its IR is spelled, covering the forms frontends emit, so that a
test can draw them at random and a benchmark can pick torch-mlir's:

affine part (``Dense.form``; the weight is always given ``[out, in]``, as
``nn.Linear`` stores it):

  torch    ``linalg.transpose`` of the ``[out, in]`` weight, ``linalg.matmul``
           into a zero fill, bias added by a broadcasting ``linalg.generic``
           (torch-mlir's FX route)
  maps     ``linalg.matmul`` whose ``indexing_maps`` read the ``[out, in]``
           weight transposed, bias through ``linalg.broadcast`` + ``linalg.add``
  generic  a matmul-like ``linalg.generic`` over the ``[in, out]`` weight,
           accumulating into the broadcast bias (beta = 1 in BLAS terms)

activation (``Activation.spelling``):

  select       ReLU / leaky ReLU: ``arith.cmpf <predicate>`` + ``arith.select``
               (of an ``arith.mulf`` for leaky ReLU)
  maximumf     ReLU: ``arith.maximumf`` against the scalar 0.0
  maximumf_0d  ReLU: ``arith.maximumf`` against a broadcast 0-d zero tensor
  linalg_max   ReLU: ``linalg.max`` against a zero fill
  clamp        clamp (ReLU6, hardtanh): ``arith.minimumf`` of ``arith.maximumf``

constants (``Dense.weight_encoding`` / ``bias_encoding``): ``inline`` hex
``dense<"0x...">`` literals or ``resource`` blobs (``dense_resource`` +
the ``dialect_resources`` section, as torch-mlir writes them); batch
dimension: static (``Mlp.batch = N``) or dynamic (``None``: ``tensor<?xF>``,
its size read once with ``tensor.dim``).

Activations can carry ``#lin.profile`` attributes: :func:`observed_profile`
computes one from pre-activations with lin's piece conventions (so tests of
the fold need not trust lin's interpreter), :func:`format_profile` writes
given counts (for synthetic profiles).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Callable, Optional, Sequence, TextIO, Union

import numpy as np

__all__ = [
    "FORMS",
    "ENCODINGS",
    "Activation",
    "Deferred",
    "Dense",
    "Mlp",
    "format_profile",
    "observed_profile",
]

FORMS = ("torch", "maps", "generic")
ENCODINGS = ("inline", "resource")
_SPELLINGS = {
    "relu": ("select", "maximumf", "maximumf_0d", "linalg_max"),
    "leaky": ("select",),
    "clamp": ("clamp",),
}
_FAMILY = {"relu": "relu", "leaky": "leaky_relu", "clamp": "clamp"}

_ID = "affine_map<(d0, d1) -> (d0, d1)>"
_ROW = "affine_map<(d0, d1) -> (d1)>"
_SCALAR = "affine_map<(d0, d1) -> ()>"
_PARALLEL = 'iterator_types = ["parallel", "parallel"]'
_LHS, _RHS_T, _RHS, _OUT = ("affine_map<(m, n, k) -> (m, k)>", "affine_map<(m, n, k) -> (n, k)>",
                            "affine_map<(m, n, k) -> (k, n)>", "affine_map<(m, n, k) -> (m, n)>")


@dataclass(frozen=True)
class Activation:
    """A piecewise-linear activation and how its IR is spelled.

    The float parameters are written with ten significant digits and parsed
    as f32; the reference computes with them as given, so pass
    f32-representable values for a reference exact to the IR.
    """

    kind: str                # relu | leaky | clamp
    spelling: str = "select"
    slope: float = 0.0       # leaky: the slope below zero
    lo: float = 0.0          # clamp: the bounds
    hi: float = 0.0
    predicate: str = "ugt"   # the cmpf predicate of the select spelling

    def __post_init__(self):
        if self.spelling not in _SPELLINGS.get(self.kind, ()):
            raise ValueError(f"no spelling {self.spelling!r} for activation {self.kind!r}")

    @classmethod
    def relu(cls, spelling: str = "select") -> "Activation":
        return cls("relu", spelling)

    @classmethod
    def leaky(cls, slope: float, predicate: str = "ugt") -> "Activation":
        return cls("leaky", "select", slope=slope, predicate=predicate)

    @classmethod
    def clamp(cls, lo: float, hi: float) -> "Activation":
        return cls("clamp", "clamp", lo=lo, hi=hi)

    @property
    def family(self) -> str:
        """The family name in ``#lin.profile``."""
        return _FAMILY[self.kind]

    @property
    def num_pieces(self) -> int:
        return 3 if self.kind == "clamp" else 2

    def reference(self, z: np.ndarray) -> np.ndarray:
        if self.kind == "relu":
            return np.maximum(z, 0.0)
        if self.kind == "leaky":
            return np.where(z > 0, z, self.slope * z)
        return np.clip(z, self.lo, self.hi)

    def pieces(self, z: np.ndarray) -> np.ndarray:
        """The piece index of every element, with ``#lin.profile``'s
        conventions: ReLU-like 0 below or at 0, 1 above; clamp 0 below
        ``lo``, 2 above ``hi``, else 1."""
        if self.kind != "clamp":
            return (z > 0).astype(np.int64)
        return np.where(z < self.lo, 0, np.where(z > self.hi, 2, 1))


@dataclass(frozen=True)
class Deferred:
    """An array made only when the resource section is written, so that a
    large model is never held in memory more than one blob at a time.
    ``make`` is called once, in the order the constants appear in the IR
    (per layer: weight, then bias). Only for ``resource`` constants."""

    shape: tuple
    make: Callable[[], np.ndarray]

    @property
    def T(self) -> "Deferred":
        return Deferred(tuple(reversed(self.shape)), lambda: self.make().T)


ArrayLike = Union[np.ndarray, Deferred]


@dataclass
class Dense:
    """``y = activation(x @ weight.T + bias)``: one layer and its spelling."""

    weight: ArrayLike                  # [out, in]
    bias: ArrayLike                    # [out]
    activation: Optional[Activation] = None
    form: str = "torch"
    weight_encoding: str = "inline"
    bias_encoding: str = "inline"

    def __post_init__(self):
        if self.form not in FORMS:
            raise ValueError(f"form {self.form!r} is not one of {FORMS}")
        if {self.weight_encoding, self.bias_encoding} - set(ENCODINGS):
            raise ValueError(f"encodings must be in {ENCODINGS}")

    @property
    def in_width(self) -> int:
        return self.weight.shape[1]

    @property
    def out_width(self) -> int:
        return self.weight.shape[0]


@dataclass
class Mlp:
    layers: list
    batch: Optional[int] = None        # None: dynamic batch dimension

    @property
    def input_width(self) -> int:
        return self.layers[0].in_width

    @property
    def output_width(self) -> int:
        return self.layers[-1].out_width

    def num_parameters(self) -> int:
        return sum(int(np.prod(l.weight.shape)) + int(np.prod(l.bias.shape)) for l in self.layers)

    def forward(self, x: np.ndarray, collect: Optional[list] = None) -> np.ndarray:
        """float64 reference; appends each activation's pre-activation to
        ``collect``."""
        h = x.astype(np.float64)
        for layer in self.layers:
            h = h @ layer.weight.T.astype(np.float64) + layer.bias
            if layer.activation is not None:
                if collect is not None:
                    collect.append(h)
                h = layer.activation.reference(h)
        return h

    def observed_profiles(self, x: np.ndarray) -> list:
        """The ``#lin.profile`` of every activation on the samples ``x``."""
        pre: list = []
        self.forward(x, pre)
        acts = [l.activation for l in self.layers if l.activation is not None]
        return [observed_profile(a, z) for a, z in zip(acts, pre)]

    def write(self, out: TextIO, profiles: Optional[Sequence[str]] = None,
              func_name: str = "main") -> None:
        """Writes the model as a ``func.func``; ``profiles`` (one
        ``#lin.profile`` text per activation) annotate the activations.
        Resource blobs are streamed one at a time."""
        writer = _FuncWriter(self.batch)
        num_activations = sum(l.activation is not None for l in self.layers)
        if profiles is not None and len(profiles) != num_activations:
            raise ValueError(f"{len(profiles)} profiles for {num_activations} activations")
        profile_iter = iter(profiles or ())
        h = "%x"
        for i, layer in enumerate(self.layers):
            h = writer.dense(i, h, layer)
            if layer.activation is not None:
                h = writer.activation(i, h, layer.activation, layer.out_width,
                                      next(profile_iter, None))
        out.write("\n".join(writer.header(func_name, self.input_width, self.output_width)
                            + writer.lines
                            + [f"  return {h} : {writer.tensor(self.output_width)}", "}"]) + "\n")
        writer.write_resources(out)

    def to_mlir(self, profiles: Optional[Sequence[str]] = None, func_name: str = "main") -> str:
        text = io.StringIO()
        self.write(text, profiles, func_name)
        return text.getvalue()


def format_profile(family: str, samples: int, counts: Sequence[int],
                   minimum: Sequence[float], maximum: Sequence[float]) -> str:
    """A ``#lin.profile`` attribute: ``counts`` piece-major (all neurons'
    counts of piece 0, then of piece 1, ...), per-neuron min and max."""
    def floats(values):
        return ", ".join(repr(float(np.float32(v))) for v in values)

    return (f"#lin.profile<{family}, observed, samples = {samples}, "
            f"counts = [{', '.join(str(int(c)) for c in counts)}], "
            f"minimum = [{floats(minimum)}], maximum = [{floats(maximum)}]>")


def observed_profile(activation: Activation, z: np.ndarray) -> str:
    """The ``#lin.profile`` of pre-activations ``z`` [samples, neurons], as
    lin's profiler would record it (the values rounded to f32 first)."""
    z32 = z.astype(np.float32)
    pieces = activation.pieces(z32)
    counts = [int((pieces[:, j] == p).sum())
              for p in range(activation.num_pieces) for j in range(z.shape[1])]
    return format_profile(activation.family, z.shape[0], counts, z32.min(0), z32.max(0))


def _hex(array: np.ndarray) -> str:
    return array.astype("<f4").tobytes().hex().upper()


def _float(value: float) -> str:
    return f"{value:.9e}"


class _FuncWriter:
    """The body of one function: SSA values are named by layer (``%w0``,
    ``%z0``, ``%a0`` ...); constants, header and resources collected."""

    def __init__(self, batch: Optional[int]):
        self.dynamic = batch is None
        self.batch = "?" if batch is None else str(batch)
        self.lines: list = []
        self.resources: list = []     # (name, array), in the order of use
        self.uses_zero_tensor = False

    def tensor(self, width: int) -> str:
        return f"tensor<{self.batch}x{width}xf32>"

    def emit(self, *lines: str) -> None:
        self.lines.extend("  " + line for line in lines)

    def constant(self, name: str, array: ArrayLike, encoding: str) -> str:
        type_ = f"tensor<{'x'.join(map(str, array.shape))}xf32>"
        if encoding == "resource":
            self.resources.append((name, array))
            self.emit(f"%{name} = arith.constant dense_resource<{name}> : {type_}")
        elif isinstance(array, Deferred):
            raise ValueError(f"{name}: deferred arrays must be resources")
        else:
            self.emit(f'%{name} = arith.constant dense<"0x{_hex(array)}"> : {type_}')
        return f"%{name}"

    def dense(self, i: int, x: str, layer: Dense) -> str:
        k, m = layer.in_width, layer.out_width
        t_in, t = self.tensor(k), self.tensor(m)
        weight = layer.weight.T if layer.form == "generic" else layer.weight
        w = self.constant(f"w{i}", weight, layer.weight_encoding)
        b = self.constant(f"b{i}", layer.bias, layer.bias_encoding)
        # One batch-shaped empty per layer, the outs of all its ops, as
        # torch-mlir does.
        e = f"%e{i}"
        self.emit(f"{e} = tensor.empty({'%n' if self.dynamic else ''}) : {t}")
        if layer.form == "torch":
            self.emit(f"%te{i} = tensor.empty() : tensor<{k}x{m}xf32>",
                      f"%wt{i} = linalg.transpose ins({w} : tensor<{m}x{k}xf32>) "
                      f"outs(%te{i} : tensor<{k}x{m}xf32>) permutation = [1, 0]",
                      f"%f{i} = linalg.fill ins(%zero : f32) outs({e} : {t}) -> {t}",
                      f"%mm{i} = linalg.matmul ins({x}, %wt{i} : {t_in}, tensor<{k}x{m}xf32>) "
                      f"outs(%f{i} : {t}) -> {t}",
                      f"%z{i} = linalg.generic {{indexing_maps = [{_ID}, {_ROW}, {_ID}], {_PARALLEL}}} "
                      f"ins(%mm{i}, {b} : {t}, tensor<{m}xf32>) outs({e} : {t}) {{",
                      "^bb0(%in: f32, %bias: f32, %out: f32):",
                      "  %s = arith.addf %in, %bias : f32",
                      "  linalg.yield %s : f32",
                      f"}} -> {t}")
        elif layer.form == "maps":
            self.emit(f"%f{i} = linalg.fill ins(%zero : f32) outs({e} : {t}) -> {t}",
                      f"%mm{i} = linalg.matmul indexing_maps = [{_LHS}, {_RHS_T}, {_OUT}] "
                      f"ins({x}, {w} : {t_in}, tensor<{m}x{k}xf32>) outs(%f{i} : {t}) -> {t}",
                      f"%bb{i} = linalg.broadcast ins({b} : tensor<{m}xf32>) outs({e} : {t}) dimensions = [0]",
                      f"%z{i} = linalg.add ins(%mm{i}, %bb{i} : {t}, {t}) outs({e} : {t}) -> {t}")
        else:
            self.emit(f"%bb{i} = linalg.broadcast ins({b} : tensor<{m}xf32>) outs({e} : {t}) dimensions = [0]",
                      f"%z{i} = linalg.generic {{indexing_maps = [{_LHS}, {_RHS}, {_OUT}], "
                      f'iterator_types = ["parallel", "parallel", "reduction"]}} '
                      f"ins({x}, {w} : {t_in}, tensor<{k}x{m}xf32>) outs(%bb{i} : {t}) {{",
                      "^bb0(%in: f32, %weight: f32, %acc: f32):",
                      "  %p = arith.mulf %in, %weight : f32",
                      "  %s = arith.addf %acc, %p : f32",
                      "  linalg.yield %s : f32",
                      f"}} -> {t}")
        return f"%z{i}"

    def activation(self, i: int, z: str, act: Activation, width: int,
                   profile: Optional[str]) -> str:
        t, e, a = self.tensor(width), f"%e{i}", f"%a{i}"
        if act.spelling == "linalg_max":
            attr = f" {{lin.profile = {profile}}}" if profile else ""
            self.emit(f"%mz{i} = linalg.fill ins(%zero : f32) outs({e} : {t}) -> {t}",
                      f"{a} = linalg.max{attr} ins({z}, %mz{i} : {t}, {t}) outs({e} : {t}) -> {t}")
            return a
        attrs = f" attrs = {{lin.profile = {profile}}}" if profile else ""
        if act.spelling == "maximumf_0d":
            self.uses_zero_tensor = True
            self.emit(f"{a} = linalg.generic {{indexing_maps = [{_ID}, {_SCALAR}, {_ID}], {_PARALLEL}}} "
                      f"ins({z}, %zero_tensor : {t}, tensor<f32>) outs({e} : {t}){attrs} {{",
                      "^bb0(%in: f32, %zero_in: f32, %out: f32):")
            body = ["%r = arith.maximumf %in, %zero_in : f32"]
        else:
            self.emit(f"{a} = linalg.generic {{indexing_maps = [{_ID}, {_ID}], {_PARALLEL}}} "
                      f"ins({z} : {t}) outs({e} : {t}){attrs} {{",
                      "^bb0(%in: f32, %out: f32):")
            body = _activation_body(act)
        self.emit(*("  " + line for line in body + ["linalg.yield %r : f32"]), f"}} -> {t}")
        return a

    def header(self, func_name: str, n_in: int, n_out: int) -> list:
        lines = [f"func.func @{func_name}(%x: {self.tensor(n_in)}) -> {self.tensor(n_out)} {{",
                 "  %zero = arith.constant 0.0 : f32"]
        if self.uses_zero_tensor:
            lines.append("  %zero_tensor = arith.constant dense<0.0> : tensor<f32>")
        if self.dynamic:
            lines += ["  %c0 = arith.constant 0 : index",
                      f"  %n = tensor.dim %x, %c0 : {self.tensor(n_in)}"]
        return lines

    def write_resources(self, out: TextIO) -> None:
        if not self.resources:
            return
        out.write("\n{-#\n  dialect_resources: {\n    builtin: {\n")
        for index, (name, array) in enumerate(self.resources):
            data = array.make() if isinstance(array, Deferred) else array
            # A blob is its 4-byte alignment, then the little-endian data.
            separator = "," if index + 1 < len(self.resources) else ""
            out.write(f'      {name}: "0x04000000{_hex(data)}"{separator}\n')
        out.write("    }\n  }\n#-}\n")


def _activation_body(act: Activation) -> list:
    """The region of a one-input elementwise generic computing ``%r``."""
    if act.kind == "relu" and act.spelling == "maximumf":
        return ["%r = arith.maximumf %in, %zero : f32"]
    if act.kind == "relu":
        return [f"%c = arith.cmpf {act.predicate}, %in, %zero : f32",
                "%r = arith.select %c, %in, %zero : f32"]
    if act.kind == "leaky":
        return [f"%k = arith.constant {_float(act.slope)} : f32",
                f"%c = arith.cmpf {act.predicate}, %in, %zero : f32",
                "%s = arith.mulf %in, %k : f32",
                "%r = arith.select %c, %in, %s : f32"]
    return [f"%lo = arith.constant {_float(act.lo)} : f32",
            f"%hi = arith.constant {_float(act.hi)} : f32",
            "%l = arith.maximumf %in, %lo : f32",
            "%r = arith.minimumf %l, %hi : f32"]
