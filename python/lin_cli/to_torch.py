"""Folded linalg-on-tensors MLIR back into PyTorch: an ``nn.Module`` that
computes what the IR computes, saved as a ``torch.export`` ExportedProgram
(``.pt2``) or as ONNX.

The IR is parsed with the MLIR Python bindings shipped with torch-mlir
(``torch_mlir.ir``), its dense constants become the module's buffers, and
every op of the function becomes one step of the module's ``forward``:
``torch.export`` traces those steps into an FX graph. The ops are the ones
lin's fold emits and torch-mlir's / ONNX's exports of MLPs contain:

* ``linalg.matmul`` with any indexing maps (lin's ``[out, in]`` weights read
  through a transposed map, feature-major ``W x^T``): ``torch.einsum``;
* ``linalg.generic`` with parallel iterators only (bias adds, activations in
  every encoding, PReLU's masks) whose indexing maps are projections,
  permutations or broadcasts (constant 0 results); the body's ``arith`` ops
  are evaluated on whole tensors;
* ``linalg.fill`` / ``tensor.empty`` (the initial values they give),
  ``linalg.transpose``, ``linalg.broadcast``, the named elementwise ``linalg.add`` / ``sub`` /
  ``mul`` / ``div`` / ``max`` / ``min`` / ``copy``;
* ``tensor.concat``, ``tensor.extract_slice`` (unit strides),
  ``tensor.collapse_shape`` / ``expand_shape``, ``tensor.cast``,
  ``tensor.dim``;
* what CNNs add, as torch-mlir exports them and the conv fold writes them:
  ``linalg.conv_2d_nchw_fchw`` (``F.conv2d`` with the op's strides and
  dilations, plus its initial value: the bias), ``linalg.pooling_nchw_max``
  / ``pooling_nchw_sum`` (``F.max_pool2d``, ``F.avg_pool2d`` times the
  window), and ``tensor.pad`` with static sizes and a constant padding value
  (``F.pad``).

Anything else (a reduction, a grouped convolution, ...) raises
:class:`UnsupportedOp` naming the op and its location. NaN and infinity
behave as in the IR: unordered comparisons and ``maximumf`` / ``maxnumf``
have their exact torch counterparts.
"""

from __future__ import annotations

import os
import re
from typing import Callable, Dict, List, Sequence

import numpy as np

from .errors import CliError

__all__ = ["UnsupportedOp", "module_from_mlir", "save_exported", "save_onnx"]


class UnsupportedOp(CliError):
    """The IR holds an op the translation does not know."""


class _Filled:
    """The value of ``tensor.empty`` (``value`` None) or ``linalg.fill``:
    a shape and a constant, made a tensor only where an op reads its values."""

    def __init__(self, shape, value=None):
        self.shape, self.value = shape, value

    def tensor(self):
        import torch

        return torch.full(tuple(self.shape), 0.0 if self.value is None else self.value,
                          dtype=torch.float32)


def _materialize(v):
    return v.tensor() if isinstance(v, _Filled) else v


def _as_tensor(v, like):
    """A tensor for ``v`` (a Python number from a scalar constant)."""
    import torch

    return v if isinstance(v, torch.Tensor) else torch.tensor(v, dtype=like.dtype if isinstance(
        like, torch.Tensor) else torch.float32)


def _cmpf(predicate: str, a, b):
    """``arith.cmpf``: ordered predicates are false where an operand is
    NaN, unordered ones true (IEEE 754, as MLIR defines them)."""
    import torch

    a, b = _as_tensor(a, b), _as_tensor(b, a)
    unordered = torch.isnan(a) | torch.isnan(b)
    if predicate in ("false", "true"):
        return torch.full(torch.broadcast_shapes(a.shape, b.shape), predicate == "true")
    if predicate in ("ord", "uno"):
        return ~unordered if predicate == "ord" else unordered
    compare = {"eq": torch.eq, "gt": torch.gt, "ge": torch.ge, "lt": torch.lt, "le": torch.le,
               "ne": torch.ne}[predicate[1:]]
    # torch compares like the ordered predicates, except that ne is true on NaN.
    return compare(a, b) & ~unordered if predicate[0] == "o" else compare(a, b) | unordered


_CMPF_PREDICATES = ["false", "oeq", "ogt", "oge", "olt", "ole", "one", "ord", "ueq", "ugt",
                    "uge", "ult", "ule", "une", "uno", "true"]


def _binary(name: str) -> Callable:
    import torch

    def tensors(fn):
        return lambda a, b: fn(_as_tensor(a, b), _as_tensor(b, a))

    return {
        "arith.addf": lambda a, b: a + b,
        "arith.subf": lambda a, b: a - b,
        "arith.mulf": lambda a, b: a * b,
        "arith.divf": lambda a, b: a / b,
        "arith.maximumf": tensors(torch.maximum),
        "arith.minimumf": tensors(torch.minimum),
        "arith.maxnumf": tensors(torch.fmax),
        "arith.minnumf": tensors(torch.fmin),
        "arith.andi": lambda a, b: a & b,
        "arith.ori": lambda a, b: a | b,
        "arith.xori": lambda a, b: a ^ b,
    }.get(name)


def _to_f32(v):
    """``arith.truncf`` / ``extf`` to f32 (constants are f64 before it)."""
    return float(np.float32(v)) if isinstance(v, float) else v.float()


class _Translator:
    """Turns one ``func.func`` into a list of steps over value slots."""

    def __init__(self, ir, func):
        self.ir = ir
        self.slots: Dict = {}
        self.constants: List = []
        self.steps: List = []
        block = func.regions[0].blocks[0]
        self.arguments = [self._slot(a) for a in block.arguments]
        self.argument_types = [self.ir.RankedTensorType(a.type) for a in block.arguments]
        for op in block.operations:
            self._translate(op)

    # Values live in numbered slots: the forward pass is a list indexed by them.
    def _slot(self, value) -> int:
        return self.slots.setdefault(value, len(self.slots))

    def _step(self, op, fn: Callable, operands: Sequence, results=None) -> None:
        ins = [self._slot(v) for v in operands]
        outs = [self._slot(r) for r in (op.results if results is None else results)]
        self.steps.append((fn, ins, outs))

    def _unsupported(self, op, why: str = "") -> UnsupportedOp:
        where = re.sub(r'^loc\("-":(\d+):(\d+)\)$', r"folded IR:\1:\2", str(op.location))
        return UnsupportedOp(f"{where}: cannot translate {op.operation.name} to PyTorch"
                             + (f" ({why})" if why else "")
                             + "; write .mlir, .mlirbc or .vmfb instead")

    def _translate(self, op) -> None:
        name = op.operation.name
        handler = getattr(self, "_op_" + name.replace(".", "_"), None)
        if handler is not None:
            handler(op)
            return
        binary = _binary(name)  # scalar arith between ops (rare)
        named = {"linalg.add": "arith.addf", "linalg.sub": "arith.subf", "linalg.mul": "arith.mulf",
                 "linalg.div": "arith.divf", "linalg.max": "arith.maximumf",
                 "linalg.min": "arith.minimumf"}.get(name)
        if named is not None:
            fn = _binary(named)
            self._step(op, lambda a, b, _out: fn(_materialize(a), _materialize(b)), op.operands)
        elif binary is not None:
            self._step(op, binary, op.operands)
        else:
            raise self._unsupported(op)

    # --- constants and shapes ------------------------------------------------

    def _op_arith_constant(self, op) -> None:
        import torch

        ir = self.ir
        attr = op.attributes["value"]
        if isinstance(attr, ir.DenseElementsAttr):
            dense = ir.DenseElementsAttr(attr)
            shape = ir.RankedTensorType(op.result.type).shape
            if dense.is_splat:
                value = np.full(shape, np.array(dense.get_splat_value().value), dtype=np.float32)
            else:
                value = np.array(dense).reshape(shape)
            if value.dtype != np.float32:
                raise self._unsupported(op, f"{value.dtype} constants")
            index = len(self.constants)
            self.constants.append(torch.from_numpy(np.ascontiguousarray(value)))
            # A step whose function is a name reads the module's buffer.
            self._step(op, f"constant_{index}", [])
        elif isinstance(attr, ir.FloatAttr):
            value = ir.FloatAttr(attr).value
            self._step(op, lambda v=value: v, [])
        elif isinstance(attr, ir.IntegerAttr):
            value = ir.IntegerAttr(attr).value
            self._step(op, lambda v=value: v, [])
        else:
            raise self._unsupported(op, f"constant {attr}")

    def _op_tensor_dim(self, op) -> None:
        self._step(op, lambda t, i: t.shape[i], op.operands)

    def _result_shape(self, op) -> Callable:
        """A function of the dynamic sizes giving the result's shape."""
        dims = self.ir.RankedTensorType(op.result.type).shape
        dynamic = self.ir.ShapedType.get_dynamic_size()

        def shape(*sizes):
            it = iter(sizes)
            return [next(it) if d == dynamic else d for d in dims]
        return shape

    def _op_tensor_empty(self, op) -> None:
        shape = self._result_shape(op)
        self._step(op, lambda *sizes: _Filled(shape(*sizes)), op.operands)

    def _op_linalg_fill(self, op) -> None:
        def fill(value, out):
            return _Filled(out.shape, value) if isinstance(out, _Filled) else out * 0 + value
        self._step(op, fill, op.operands)

    # --- linalg ----------------------------------------------------------------

    def _maps(self, op) -> List:
        ir = self.ir
        return [ir.AffineMapAttr(m).value for m in ir.ArrayAttr(op.attributes["indexing_maps"])]

    def _op_linalg_matmul(self, op) -> None:
        ir = self.ir
        letters = "abcdefghijklmnopqrstuvwxyz"
        terms = []
        for m in self._maps(op):
            if not all(isinstance(e, ir.AffineDimExpr) for e in m.results):
                raise self._unsupported(op, f"indexing map {m}")
            terms.append("".join(letters[e.position] for e in m.results))
        equation = f"{terms[0]},{terms[1]}->{terms[2]}"

        def matmul(a, b, out):
            import torch

            product = torch.einsum(equation, _materialize(a), _materialize(b))
            if isinstance(out, _Filled):
                return product if not out.value else product + out.value
            return product + out
        self._step(op, matmul, op.operands)

    def _op_linalg_transpose(self, op) -> None:
        permutation = list(self.ir.DenseI64ArrayAttr(op.attributes["permutation"]))
        self._step(op, lambda x, _out: _materialize(x).permute(*permutation), op.operands)

    def _op_linalg_broadcast(self, op) -> None:
        added = sorted(self.ir.DenseI64ArrayAttr(op.attributes["dimensions"]))

        def broadcast(x, out):
            x = _materialize(x)
            for dim in added:
                x = x.unsqueeze(dim)
            return x.expand(*out.shape)
        self._step(op, broadcast, op.operands)

    def _op_linalg_copy(self, op) -> None:
        self._step(op, lambda x, _out: _materialize(x), op.operands)

    def _op_linalg_generic(self, op) -> None:
        ir = self.ir
        iterators = [str(t) for t in ir.ArrayAttr(op.attributes["iterator_types"])]
        if any("parallel" not in t for t in iterators):
            raise self._unsupported(op, "reduction iterators")
        segments = list(ir.DenseI32ArrayAttr(op.operation.attributes["operandSegmentSizes"]))
        n_in, n_out = segments
        if n_out != 1:
            raise self._unsupported(op, f"{n_out} outputs")
        maps = self._maps(op)
        loops = len(iterators)
        views = [self._broadcast_view(op, m, loops) for m in maps]
        out_map = maps[-1]
        if [e.position if isinstance(e, ir.AffineDimExpr) else None
                for e in out_map.results] != list(range(loops)):
            raise self._unsupported(op, f"output indexing map {out_map}")
        body = op.regions[0].blocks[0]
        body_fn = self._body(op, body)
        captured = sorted({self.slots[v] for v in self._captured(body)})

        def generic(*values):
            operands, captured_values = values[:n_in + 1], values[n_in + 1:]
            out = operands[-1]
            args = []
            for i, (value, view) in enumerate(zip(operands, views)):
                if i == n_in and isinstance(value, _Filled) and value.value is None:
                    args.append(None)  # tensor.empty: its values are never read
                    continue
                args.append(view(_materialize(value)))
            result = body_fn(args, dict(zip(captured, captured_values)))
            return _broadcast_to(result, out.shape)
        ins = [self._slot(v) for v in op.operands] + captured
        self.steps.append((generic, ins, [self._slot(op.result)]))

    def _broadcast_view(self, op, affine_map, loops: int) -> Callable:
        """A function viewing an operand in the loop order: permuted,
        constant-0 dimensions dropped, unused loops as size-1 dimensions."""
        ir = self.ir
        positions, drop = [], []
        for i, e in enumerate(affine_map.results):
            if isinstance(e, ir.AffineDimExpr):
                positions.append(e.position)
            elif isinstance(e, ir.AffineConstantExpr) and e.value == 0:
                drop.append(i)
            else:
                raise self._unsupported(op, f"indexing map {affine_map}")
        if len(set(positions)) != len(positions):
            raise self._unsupported(op, f"indexing map {affine_map}")
        order = sorted(range(len(positions)), key=lambda k: positions[k])

        def view(t):
            for i in reversed(drop):
                t = t.select(i, 0)
            t = t.permute(*order) if order != list(range(len(order))) else t
            shape_positions = sorted(positions)
            for loop in range(loops):
                if loop not in shape_positions:
                    t = t.unsqueeze(loop)
            return t
        return view

    def _captured(self, block) -> List:
        """Values a region reads from outside it (scalars such as 0.0)."""
        inside = set(block.arguments) | {r for o in block.operations for r in o.results}
        return [v for o in block.operations for v in o.operands if v not in inside]

    def _body(self, generic_op, block) -> Callable:
        """The region's arith ops as one function of whole tensors."""
        ir = self.ir
        program = []
        for o in block.operations:
            name = o.operation.name
            if name == "linalg.yield":
                program.append(("yield", list(o.operands)))
                continue
            if name == "arith.cmpf":
                predicate = _CMPF_PREDICATES[ir.IntegerAttr(o.attributes["predicate"]).value]
                fn = lambda a, b, _p=predicate: _cmpf(_p, a, b)  # noqa: E731
            elif name == "arith.select":
                import torch
                fn = lambda c, a, b: torch.where(c, a, b)  # noqa: E731
            elif name in ("arith.truncf", "arith.extf"):
                fn = _to_f32
            elif name == "arith.negf":
                fn = lambda a: -a  # noqa: E731
            elif name == "arith.constant":
                attr = o.attributes["value"]
                if not isinstance(attr, ir.FloatAttr):
                    raise self._unsupported(o, f"constant {attr} in a linalg.generic")
                fn = lambda _v=ir.FloatAttr(attr).value: _v  # noqa: E731
            elif _binary(name) is not None:
                fn = _binary(name)
            else:
                raise self._unsupported(o, "in a linalg.generic body")
            program.append((fn, list(o.operands), o.results[0]))
        arguments = list(block.arguments)
        slots = self.slots

        def run(args, captured):
            env = dict(zip(arguments, args))
            read = lambda v: env[v] if v in env else captured[slots[v]]  # noqa: E731
            for step in program:
                if step[0] == "yield":
                    return read(step[1][0])
                fn, operands, result = step
                env[result] = fn(*[read(v) for v in operands])
            raise AssertionError("linalg.generic body without linalg.yield")
        return run

    # --- tensor ------------------------------------------------------------------

    # --- convolutions, pooling, padding (CNNs) ------------------------------

    def _window_attributes(self, op) -> tuple:
        """The (strides, dilations) of a conv / pooling op, as int lists."""
        ir = self.ir
        values = []
        for name in ("strides", "dilations"):
            attr = ir.DenseIntElementsAttr(op.attributes[name])
            values.append([int(v) for v in attr])
        return tuple(values)

    @staticmethod
    def _add_initial(result, out):
        """``result`` accumulated into the op's initial value ``out``."""
        if isinstance(out, _Filled):
            return result if not out.value else result + out.value
        return result + out

    def _op_linalg_conv_2d_nchw_fchw(self, op) -> None:
        strides, dilations = self._window_attributes(op)

        def conv(x, weight, out):
            import torch.nn.functional as F

            result = F.conv2d(_materialize(x), _materialize(weight), stride=strides,
                              dilation=dilations)
            return self._add_initial(result, out)
        self._step(op, conv, op.operands)

    def _pooling(self, op, pool: Callable, combine: Callable) -> None:
        strides, dilations = self._window_attributes(op)
        window = self.ir.RankedTensorType(op.operands[1].type).shape
        if any(d == self.ir.ShapedType.get_dynamic_size() for d in window):
            raise self._unsupported(op, "a dynamic window")

        def pooling(x, _window, out):
            result = pool(_materialize(x), window, strides, dilations)
            if isinstance(out, _Filled) and out.value is not None and not np.isfinite(out.value):
                return result  # the identity of max pooling, -inf
            return combine(result, _materialize(out))
        self._step(op, pooling, op.operands)

    def _op_linalg_pooling_nchw_max(self, op) -> None:
        import torch
        import torch.nn.functional as F

        self._pooling(op, lambda x, k, s, d: F.max_pool2d(x, k, stride=s, dilation=d),
                      torch.maximum)

    def _op_linalg_pooling_nchw_sum(self, op) -> None:
        import torch.nn.functional as F

        if self._window_attributes(op)[1] != [1, 1]:
            raise self._unsupported(op, "dilated sum pooling")
        self._pooling(op, lambda x, k, s, d: F.avg_pool2d(x, k, stride=s, divisor_override=1),
                      lambda a, b: a + b)

    def _op_tensor_pad(self, op) -> None:
        ir = self.ir
        dynamic = ir.ShapedType.get_dynamic_size()
        low = list(ir.DenseI64ArrayAttr(op.attributes["static_low"]))
        high = list(ir.DenseI64ArrayAttr(op.attributes["static_high"]))
        if dynamic in low or dynamic in high or len(op.operands) != 1:
            raise self._unsupported(op, "dynamic padding sizes")
        body = op.regions[0].blocks[0]
        yielded = list(body.operations)[-1].operands[0]
        if len(list(body.operations)) != 1 or any(yielded == a for a in body.arguments):
            raise self._unsupported(op, "a padding value computed per position")
        # F.pad lists (low, high) pairs from the last dimension backwards.
        pads = [p for dim in reversed(range(len(low))) for p in (low[dim], high[dim])]

        def pad(x, value):
            import torch.nn.functional as F

            return F.pad(_materialize(x), pads, value=float(value))
        self._step(op, pad, [op.operands[0], yielded])

    def _op_tensor_concat(self, op) -> None:
        import torch

        dim = self.ir.IntegerAttr(op.attributes["dim"]).value
        self._step(op, lambda *xs: torch.cat([_materialize(x) for x in xs], dim), op.operands)

    def _op_tensor_cast(self, op) -> None:
        self._step(op, lambda x: x, op.operands)

    def _reshape(self, op) -> None:
        shape = self.ir.RankedTensorType(op.result.type).shape
        dynamic = self.ir.ShapedType.get_dynamic_size()
        if sum(d == dynamic for d in shape) > 1:
            raise self._unsupported(op, "more than one dynamic dimension")
        target = [-1 if d == dynamic else d for d in shape]
        self._step(op, lambda x, *_sizes: _materialize(x).reshape(target), op.operands)

    _op_tensor_collapse_shape = _reshape
    _op_tensor_expand_shape = _reshape

    def _op_tensor_extract_slice(self, op) -> None:
        ir = self.ir
        dynamic = ir.ShapedType.get_dynamic_size()
        offsets = list(ir.DenseI64ArrayAttr(op.attributes["static_offsets"]))
        sizes = list(ir.DenseI64ArrayAttr(op.attributes["static_sizes"]))
        strides = list(ir.DenseI64ArrayAttr(op.attributes["static_strides"]))
        if any(s != 1 for s in strides):
            raise self._unsupported(op, "non-unit strides")
        result_shape = ir.RankedTensorType(op.result.type).shape

        def extract(source, *dynamic_values):
            values = iter(dynamic_values)
            offs = [next(values) if o == dynamic else o for o in offsets]
            lens = [next(values) if s == dynamic else s for s in sizes]
            t = _materialize(source)
            for dim, (o, n) in enumerate(zip(offs, lens)):
                t = t.narrow(dim, o, n)
            # Dropped unit dimensions (rank-reducing slices).
            static = [d for d in result_shape]
            return t.reshape([-1 if d == dynamic else d for d in static]) if len(static) != t.dim() else t
        self._step(op, extract, op.operands)

    def _op_func_return(self, op) -> None:
        self._step(op, "return", op.operands, results=[])


def _broadcast_to(result, shape):
    import torch

    if not isinstance(result, torch.Tensor):
        return torch.full(tuple(shape), result, dtype=torch.float32)
    return result.expand(*shape) if tuple(result.shape) != tuple(shape) else result


def _parse_function(text: str, function: str):
    """The MLIR context, module and the function to translate."""
    from torch_mlir import ir

    from lin_frontend import inline_dense_resources

    context = ir.Context()
    # lin's own attributes (#lin.profile on activations the fold kept) are
    # read as opaque: the translation does not need them.
    context.allow_unregistered_dialects = True
    try:
        module = ir.Module.parse(inline_dense_resources(text), context)
    except Exception as e:  # an MLIRError listing the diagnostics
        raise CliError(f"cannot parse the folded IR with torch-mlir's MLIR: "
                       f"{str(e).splitlines()[0]}") from None
    funcs = [op for op in module.body.operations if op.operation.name == "func.func"]
    public = [f for f in funcs if "sym_visibility" not in f.attributes]
    named = [f for f in funcs if f.attributes["sym_name"].value == function]
    chosen = named or (public if len(public) == 1 else [])
    if not chosen:
        raise CliError(f"the IR has no function @{function} and not exactly one public function")
    return ir, context, module, chosen[0]


def module_from_mlir(text: str, function: str = "main"):
    """An ``nn.Module`` computing ``function`` of the MLIR ``text``, and the
    input shapes (None for a dynamic dimension)."""
    import torch

    ir, context, module, func = _parse_function(text, function)
    with context:
        translator = _Translator(ir, func)
    dynamic = ir.ShapedType.get_dynamic_size()
    shapes = [[None if d == dynamic else d for d in t.shape] for t in translator.argument_types]

    class FoldedModel(torch.nn.Module):
        """The compressed model lin wrote (its steps are the IR's ops)."""

        def __init__(self):
            super().__init__()
            for i, c in enumerate(translator.constants):
                self.register_buffer(f"constant_{i}", c)
            self._steps = translator.steps
            self._arguments = translator.arguments
            self._slots = len(translator.slots)

        def forward(self, *inputs):
            values = [None] * self._slots
            for slot, x in zip(self._arguments, inputs):
                values[slot] = x
            for fn, ins, outs in self._steps:
                if fn == "return":
                    results = [_materialize(values[i]) for i in ins]
                    return results[0] if len(results) == 1 else tuple(results)
                result = getattr(self, fn) if isinstance(fn, str) else fn(*[values[i] for i in ins])
                for slot in outs:
                    values[slot] = result
            raise AssertionError("function without func.return")

    return FoldedModel().eval(), shapes


def _export_arguments(shapes):
    """Example inputs (dynamic dimensions of size 2) and their dynamic shapes
    (for ``forward(*inputs)``: one entry, the tuple of the inputs')."""
    import torch

    examples = tuple(torch.zeros([2 if d is None else d for d in s]) for s in shapes)
    batch = torch.export.Dim("batch")
    dynamic = tuple({i: batch for i, d in enumerate(s) if d is None} or None for s in shapes)
    return examples, (dynamic,)


def exported_program(text: str, function: str = "main"):
    """``torch.export.export`` of :func:`module_from_mlir`."""
    import torch

    model, shapes = module_from_mlir(text, function)
    examples, dynamic = _export_arguments(shapes)
    return torch.export.export(model, examples, dynamic_shapes=dynamic)


def save_exported(text: str, path: os.PathLike) -> None:
    """Writes the folded IR ``text`` as a ``.pt2`` (``torch.export.load`` it)."""
    import torch

    torch.export.save(exported_program(text), str(path))


def save_onnx(text: str, path: os.PathLike) -> None:
    """Writes the folded IR ``text`` as ONNX (dynamic batch; input ``x``,
    output ``y`` for one input and result)."""
    import contextlib
    import io
    import logging

    import torch

    model, shapes = module_from_mlir(text)
    examples, dynamic = _export_arguments(shapes)
    names = ["x"] if len(shapes) == 1 else [f"x{i}" for i in range(len(shapes))]
    # The exporter reports its progress on stdout and logs about optional
    # packages (torchvision): not the user's business.
    logging.getLogger("torch.onnx").setLevel(logging.ERROR)
    with contextlib.redirect_stdout(io.StringIO()):
        torch.onnx.export(model, examples, str(path), dynamo=True, input_names=names,
                          output_names=["y"], dynamic_shapes=dynamic, verbose=False,
                          external_data=False)
