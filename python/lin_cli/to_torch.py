"""Folded linalg-on-tensors MLIR back into PyTorch: an ``nn.Module`` that
computes what the IR computes, saved as a ``torch.export`` ExportedProgram
(``.pt2``) or as ONNX.

The IR is parsed with the MLIR Python bindings shipped with torch-mlir
(``torch_mlir.ir``), its dense constants become the module's buffers, and
every op of the function becomes one step of the module's ``forward``:
``torch.export`` traces those steps into an FX graph. The ops are the ones
lin's fold emits and torch-mlir's exports (PyTorch and ONNX routes) of
ordinary models contain -- MLPs, CNNs, softmax / log-softmax heads,
LayerNorm, batch norm, GELU / SiLU / tanh / sigmoid / ELU, attention and
transformer encoder layers (test/Cli/to-torch-zoo-*.py):

* ``linalg.generic`` whose indexing maps are projections, permutations and
  constant indices (broadcasts, ``keepdim`` outputs). Its body is evaluated
  on whole tensors, the operands viewed in the loop order: the ``arith`` and
  ``math`` ops of :mod:`lin_cli.torch_ops` (float arithmetic, comparisons,
  ``select``, casts, integer and index arithmetic, ``exp``, ``log``,
  ``tanh``, ``erf``, ``sqrt``, ``rsqrt``, ``powf``, ...), ``linalg.index``
  (an ``arange`` along its loop) and ``tensor.extract`` (a view where the
  indices are loop positions or sizes -- torch-mlir's broadcasts --, else a
  gather). With reduction iterators the body must be ``combiner(output,
  f(inputs))``: ``f`` is evaluated on whole tensors and reduced over the
  reduction loops by the combiner (``addf``: sum, ``mulf``: product,
  ``maximumf`` / ``minimumf``: amax / amin, ``maxnumf`` / ``minnumf``: the
  same ignoring NaN, ``andi`` / ``ori``: all / any), then combined with the
  initial value. Results nobody reads (the index beside a max) are not
  translated. ``linalg.map`` and ``linalg.reduce`` are translated as the
  generics they stand for; ``linalg.softmax`` is ``Tensor.softmax``;
* ``linalg.matmul`` / ``batch_matmul`` with any indexing maps (lin's
  ``[out, in]`` weights read through a transposed map, feature-major
  ``W x^T``): ``torch.einsum``;
* ``linalg.fill`` / ``tensor.empty`` (the initial values they give),
  ``linalg.transpose``, ``linalg.broadcast``, the named elementwise
  ``linalg.add`` / ``sub`` / ``mul`` / ``div`` / ``max`` / ``min`` / ``copy``;
* ``tensor.concat``, ``tensor.extract_slice`` and ``insert_slice`` (unit
  strides; an insertion is a concatenation of the destination's parts
  around the source), ``tensor.collapse_shape`` / ``expand_shape``, ``tensor.cast``,
  ``tensor.dim``, ``tensor.extract``; sizes computed between ops
  (``affine.apply``, ``arith`` index ops) and torch-mlir's ``cf.assert`` on
  them (which hold for every input the exported program accepts);
* convolutions and pooling: ``linalg.conv_2d_nchw_fchw`` and
  ``conv_1d_ncw_fcw`` (``F.conv2d`` / ``conv1d`` with the op's strides and
  dilations, plus its initial value: the bias), the grouped
  ``conv_2d_ngchw_gfchw`` and ``depthwise_conv_2d_nchw_chw`` (``groups``),
  ``linalg.pooling_nchw_max`` / ``pooling_ncw_max`` / ``pooling_nchw_sum``
  (``F.max_pool2d`` / ``max_pool1d``, ``F.avg_pool2d`` times the window),
  and ``tensor.pad`` with static sizes and a constant padding value
  (``F.pad``).

Anything else (an argmax, whose reduction also yields the index; a strided
slice; an NHWC or 3-D convolution) raises :class:`UnsupportedOp` naming the
op and its location. NaN
and infinity behave as in the IR: unordered comparisons, ``maximumf`` /
``maxnumf`` and the reductions have their exact torch counterparts.
"""

from __future__ import annotations

import os
import re
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np

from .errors import CliError
from .torch_ops import combiner, elementwise

__all__ = ["UnsupportedOp", "module_from_mlir", "save_exported", "save_onnx"]


class UnsupportedOp(CliError):
    """The IR holds an op the translation does not know."""


class _Filled:
    """The value of ``tensor.empty`` (``value`` None) or ``linalg.fill``:
    a shape and a constant, made a tensor only where an op reads its values."""

    def __init__(self, shape, dtype, value=None):
        self.shape, self.dtype, self.value = shape, dtype, value

    def tensor(self):
        import torch

        if isinstance(self.value, torch.Tensor):
            return self.value.to(self.dtype).expand(*self.shape)
        return torch.full(tuple(self.shape), 0 if self.value is None else self.value,
                          dtype=self.dtype)


class _LoopIndex:
    """``linalg.index`` in a ``linalg.generic`` body: loop ``dim``'s
    position, a tensor only where an op computes with it (an ``arange``
    along the loop); ``tensor.extract`` at loop positions is a view."""

    def __init__(self, dim: int, loop_shape: Sequence):
        self.dim, self.loop_shape = dim, loop_shape

    def tensor(self):
        import torch

        shape = [1] * len(self.loop_shape)
        shape[self.dim] = self.loop_shape[self.dim]
        return torch.arange(self.loop_shape[self.dim]).reshape(shape)


def _materialize(v):
    return v.tensor() if isinstance(v, (_Filled, _LoopIndex)) else v


def _torch_dtype(element_type):
    """The torch dtype of an MLIR element type (index: int64)."""
    import torch

    return {"f32": torch.float32, "f64": torch.float64, "f16": torch.float16,
            "bf16": torch.bfloat16, "i1": torch.bool, "i8": torch.int8, "i32": torch.int32,
            "i64": torch.int64, "index": torch.int64}.get(str(element_type))


def _loop_view(t, positions: Sequence[Optional[int]], constants: Sequence, loops: int):
    """``t`` viewed in a generic's loop order: dimension ``j`` of ``t`` is
    loop ``positions[j]``, or (None) read at index ``constants[j]``; loops
    no dimension runs along are size-1 dimensions."""
    for j in reversed(range(len(positions))):
        if positions[j] is None:
            t = t.select(j, constants[j])
    kept = [p for p in positions if p is not None]
    order = sorted(range(len(kept)), key=lambda k: kept[k])
    if order != list(range(len(kept))):
        t = t.permute(*order)
    for loop in range(loops):
        if loop not in kept:
            t = t.unsqueeze(loop)
    return t


def _extract(source, *indices):
    """``tensor.extract``: at loop positions (``linalg.index``) and sizes, a
    view of ``source`` in the loop order; at computed indices, a gather."""
    import torch

    source = _materialize(source)
    loops = [i for i in indices if isinstance(i, _LoopIndex)]
    if loops and len({i.dim for i in loops}) == len(loops) and \
            not any(isinstance(i, torch.Tensor) for i in indices):
        positions = [i.dim if isinstance(i, _LoopIndex) else None for i in indices]
        return _loop_view(source, positions, indices, len(loops[0].loop_shape))
    return source[tuple(_materialize(i) for i in indices)]


def _broadcast_to(result, shape, dtype):
    """``result`` (a tensor or a Python number) expanded to ``shape``."""
    import torch

    if not isinstance(result, torch.Tensor):
        return torch.full(tuple(shape), result, dtype=dtype)
    return result.expand(*shape) if tuple(result.shape) != tuple(shape) else result


def _leaves_unchanged(out, identity) -> bool:
    """Whether accumulating into the initial value ``out`` changes nothing:
    ``out`` is ``tensor.empty`` (undefined values: the op overwrites them)
    or filled with ``identity`` (None: no value is)."""
    return isinstance(out, _Filled) and (out.value is None or (
        identity is not None and isinstance(out.value, (bool, int, float))
        and out.value == identity))


def _add_initial(result, out):
    """``result`` accumulated into an op's initial value ``out`` (a conv's
    bias, a matmul's accumulator)."""
    return result if _leaves_unchanged(out, 0.0) else result + _materialize(out)


class _Body:
    """A ``linalg.generic`` body as functions of whole tensors. Values are
    numbered (the forward pass holds no MLIR object: the module is gone
    when it runs); ``definitions`` maps a number to (kind, function,
    operand numbers) with kind ``index`` (``linalg.index``, the function
    its dimension), ``raw`` (reads loop positions and Python conditions as
    they are) or ``tensors``."""

    def __init__(self, definitions: Dict[int, tuple]):
        self.definitions = definitions

    def evaluate(self, value: int, env: Dict, loop_shape: Sequence):
        """``value`` on whole tensors; ``env`` maps the block arguments and
        the captured values, and memoizes the body's."""
        if value in env:
            return env[value]
        kind, fn, operands = self.definitions[value]
        if kind == "index":
            result = _LoopIndex(fn, loop_shape)
        else:
            args = [self.evaluate(v, env, loop_shape) for v in operands]
            result = fn(*(args if kind == "raw" else [_materialize(a) for a in args]))
        env[value] = result
        return result


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

    def _elementwise(self, op) -> Optional[Callable]:
        """The torch function of an ``arith`` / ``math`` op (None: unknown)."""
        return elementwise(op.operation.name,
                           lambda key: self.ir.IntegerAttr(op.attributes[key]).value)

    def _element_dtype(self, value):
        return _torch_dtype(self.ir.ShapedType(value.type).element_type)

    def _translate(self, op) -> None:
        name = op.operation.name
        handler = getattr(self, "_op_" + name.replace(".", "_"), None)
        if handler is not None:
            handler(op)
            return
        named = {"linalg.add": "arith.addf", "linalg.sub": "arith.subf", "linalg.mul": "arith.mulf",
                 "linalg.div": "arith.divf", "linalg.max": "arith.maximumf",
                 "linalg.min": "arith.minimumf"}.get(name)
        if named is not None:
            fn = elementwise(named, None)
            self._step(op, lambda a, b, _out: fn(_materialize(a), _materialize(b)), op.operands)
            return
        fn = self._elementwise(op)  # scalar ops between ops: sizes, constants
        if fn is None:
            raise self._unsupported(op)
        self._step(op, lambda *xs: fn(*[_materialize(x) for x in xs]), op.operands)

    # --- constants, sizes and assertions -----------------------------------------

    def _op_arith_constant(self, op) -> None:
        import torch

        ir = self.ir
        attr = op.attributes["value"]
        if isinstance(attr, ir.DenseElementsAttr):
            dense = ir.DenseElementsAttr(attr)
            shape = ir.RankedTensorType(op.result.type).shape
            dtype = {"f32": np.float32, "i64": np.int64, "i32": np.int32}.get(
                str(ir.ShapedType(op.result.type).element_type))
            if dtype is None:
                raise self._unsupported(op, f"{ir.ShapedType(op.result.type).element_type} "
                                            f"constants")
            if dense.is_splat:
                value = np.full(shape, dense.get_splat_value().value, dtype=dtype)
            else:
                value = np.array(dense).reshape(shape).astype(dtype, copy=False)
            index = len(self.constants)
            # np.ascontiguousarray would make a 0-d constant 1-d.
            self.constants.append(torch.from_numpy(np.array(value, order="C")))
            # A step whose function is a name reads the module's buffer.
            self._step(op, f"constant_{index}", [])
        elif isinstance(attr, (ir.FloatAttr, ir.IntegerAttr, ir.BoolAttr)):
            value = self._scalar(op, attr)
            self._step(op, lambda v=value: v, [])
        else:
            raise self._unsupported(op, f"constant {attr}")

    def _scalar(self, op, attr):
        """A scalar constant's value as a Python number."""
        ir = self.ir
        for kind in (ir.BoolAttr, ir.FloatAttr, ir.IntegerAttr):
            if isinstance(attr, kind):
                return kind(attr).value
        raise self._unsupported(op, f"constant {attr}")

    def _op_tensor_dim(self, op) -> None:
        self._step(op, lambda t, i: t.shape[i], op.operands)

    def _op_cf_assert(self, op) -> None:
        """Checks of sizes torch-mlir inserts (a non-negative batch): they
        hold for every input the exported program accepts."""

    def _op_affine_apply(self, op) -> None:
        affine_map = self.ir.AffineMapAttr(op.attributes["map"]).value
        expression = self._affine_expression(op, affine_map.results[0])
        dims = affine_map.n_dims
        self._step(op, lambda *values: expression(values[:dims], values[dims:]), op.operands)

    def _affine_expression(self, op, e) -> Callable:
        """An affine expression as a function of (dims, symbols)."""
        ir = self.ir
        if isinstance(e, ir.AffineDimExpr):
            return lambda dims, symbols, p=e.position: dims[p]
        if isinstance(e, ir.AffineSymbolExpr):
            return lambda dims, symbols, p=e.position: symbols[p]
        if isinstance(e, ir.AffineConstantExpr):
            return lambda dims, symbols, v=e.value: v
        combine = {ir.AffineAddExpr: lambda a, b: a + b, ir.AffineMulExpr: lambda a, b: a * b,
                   ir.AffineModExpr: lambda a, b: a % b,
                   ir.AffineFloorDivExpr: lambda a, b: a // b,
                   ir.AffineCeilDivExpr: lambda a, b: -((-a) // b)}.get(type(e))
        if combine is None:
            raise self._unsupported(op, f"affine expression {e}")
        lhs, rhs = self._affine_expression(op, e.lhs), self._affine_expression(op, e.rhs)
        return lambda dims, symbols: combine(lhs(dims, symbols), rhs(dims, symbols))

    def _result_shape(self, op) -> Callable:
        """A function of the dynamic sizes giving the result's shape."""
        dims = self.ir.RankedTensorType(op.result.type).shape
        dynamic = self.ir.ShapedType.get_dynamic_size()

        def shape(*sizes):
            it = iter(sizes)
            return [next(it) if d == dynamic else d for d in dims]
        return shape

    def _op_tensor_empty(self, op) -> None:
        shape, dtype = self._result_shape(op), self._element_dtype(op.result)
        self._step(op, lambda *sizes: _Filled(shape(*sizes), dtype), op.operands)

    def _op_linalg_fill(self, op) -> None:
        dtype = self._element_dtype(op.result)
        self._step(op, lambda value, out: _Filled(out.shape, dtype, value), op.operands)

    # --- linalg ----------------------------------------------------------------

    def _maps(self, op) -> List:
        ir = self.ir
        return [ir.AffineMapAttr(m).value for m in ir.ArrayAttr(op.attributes["indexing_maps"])]

    def _op_linalg_matmul(self, op) -> None:
        """Any contraction with projected-permutation maps (``matmul``,
        ``batch_matmul``): ``torch.einsum``."""
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

            return _add_initial(torch.einsum(equation, _materialize(a), _materialize(b)), out)
        self._step(op, matmul, op.operands)

    _op_linalg_batch_matmul = _op_linalg_matmul

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

    def _map_positions(self, op, affine_map) -> tuple:
        """An indexing map as (loop position or None per operand dimension,
        the constant index where None)."""
        ir = self.ir
        positions, constants = [], []
        for e in affine_map.results:
            if isinstance(e, ir.AffineDimExpr):
                positions.append(e.position)
                constants.append(None)
            elif isinstance(e, ir.AffineConstantExpr):
                positions.append(None)
                constants.append(e.value)
            else:
                raise self._unsupported(op, f"indexing map {affine_map}")
        kept = [p for p in positions if p is not None]
        if len(set(kept)) != len(kept):
            raise self._unsupported(op, f"indexing map {affine_map}")
        return positions, constants

    def _op_linalg_generic(self, op) -> None:
        ir = self.ir
        iterators = [str(t) for t in ir.ArrayAttr(op.attributes["iterator_types"])]
        reduced = [d for d, t in enumerate(iterators) if "reduction" in t]
        n_in, n_out = list(ir.DenseI32ArrayAttr(op.operation.attributes["operandSegmentSizes"]))
        maps = [self._map_positions(op, m) for m in self._maps(op)]
        self._structured(op, len(iterators), reduced, maps, n_in, n_out)

    def _op_linalg_map(self, op) -> None:
        """``linalg.map``: a parallel generic with identity maps."""
        rank = self.ir.ShapedType(op.results[0].type).rank
        identity = (list(range(rank)), [None] * rank)
        self._structured(op, rank, [], [identity] * len(op.operands), len(op.operands) - 1, 1)

    def _op_linalg_reduce(self, op) -> None:
        """``linalg.reduce``: a generic reducing ``dimensions`` of its inputs."""
        reduced = sorted(self.ir.DenseI64ArrayAttr(op.attributes["dimensions"]))
        n = len(op.operands) // 2
        rank = self.ir.ShapedType(op.operands[0].type).rank
        kept = [d for d in range(rank) if d not in reduced]
        maps = [(list(range(rank)), [None] * rank)] * n + [(kept, [None] * len(kept))] * n
        self._structured(op, rank, reduced, maps, n, n)

    def _op_linalg_softmax(self, op) -> None:
        dim = self.ir.IntegerAttr(op.attributes["dimension"]).value
        self._step(op, lambda x, _out: _materialize(x).softmax(dim), op.operands)

    def _structured(self, op, loops: int, reduced: Sequence[int], maps: Sequence, n_in: int,
                    n_out: int) -> None:
        """A structured op with one region (``generic``, ``map``,
        ``reduce``), its operands read through ``maps`` (per operand, the
        loop position or constant index of each dimension). Parallel loops:
        the body on whole tensors (operands viewed in the loop order).
        Reduction loops: a body ``combiner(out, f(ins))`` is ``f`` on whole
        tensors reduced over those loops (``addf``: sum, ``maximumf``:
        amax, ...) and combined with the initial value."""
        ir = self.ir
        size_sources = self._loop_size_sources(op, maps, loops)
        outputs = [self._output_layout(op, maps[n_in + k], loops, reduced,
                                       ir.ShapedType(op.results[k].type).shape)
                   for k in range(n_out)]
        dtypes = [self._element_dtype(r) for r in op.results]
        block = op.regions[0].blocks[0]
        yielded = list(list(block.operations)[-1].operands)
        used = [k for k, r in enumerate(op.results) if any(True for _ in r.uses)]
        body, number, defining, captured = self._compile_body(block, [yielded[k] for k in used])
        arguments = [number[a] for a in block.arguments]
        accumulators = list(block.arguments)[n_in:]
        # Per used result: (its combiner and the combining op, or None for a
        # parallel generic; the number of the value reduced / yielded).
        plans = {}
        for k in used:
            if reduced:
                reduce, combine, value = self._reduction_plan(op, defining, yielded[k],
                                                              accumulators[k], accumulators)
                plans[k] = (reduce, combine, number[value])
            else:
                plans[k] = (None, None, number[yielded[k]])
        captured_numbers = [number[v] for v in captured]

        def generic(*values):
            operands, captured_values = values[:n_in + n_out], values[n_in + n_out:]
            loop_shape = [operands[i].shape[j] for i, j in size_sources]
            env = dict(zip(captured_numbers, captured_values))
            for k, (argument, value, (positions, constants)) in enumerate(
                    zip(arguments, operands, maps)):
                if isinstance(value, _Filled):
                    env[argument] = value.value  # a constant, or never read (tensor.empty)
                elif k < n_in or not reduced:
                    env[argument] = _loop_view(_materialize(value), positions, constants, loops)
            results = []
            for k in range(n_out):
                if k not in plans:
                    results.append(None)  # nobody reads it
                    continue
                reduce, combine, value = plans[k]
                x = _broadcast_to(_materialize(body.evaluate(value, env, loop_shape)), loop_shape,
                                  dtypes[k])
                if reduce is not None:
                    x = reduce.reduce(x, reduced)
                x = outputs[k](x)
                out = operands[n_in + k]
                if reduce is not None and not _leaves_unchanged(out, reduce.identity):
                    x = combine(_materialize(out), x)
                results.append(x)
            return results[0] if n_out == 1 else tuple(results)
        ins = [self._slot(v) for v in op.operands] + [self._slot(v) for v in captured]
        self.steps.append((generic, ins, [self._slot(r) for r in op.results]))

    def _compile_body(self, block, needed: Sequence) -> tuple:
        """The :class:`_Body` computing the ``needed`` values of ``block``
        (the ops they depend on; the others are never translated), the
        numbers of its values, the op defining each and the values it reads
        from outside (scalars, tensors it extracts from)."""
        number: Dict = {}
        for a in block.arguments:
            number.setdefault(a, len(number))
        defining_op = {r: o for o in block.operations for r in o.results}
        defining, captured, definitions = {}, [], {}
        visited = set(block.arguments)
        stack = list(needed)
        while stack:
            value = stack.pop()
            if value in visited:
                continue
            visited.add(value)
            number.setdefault(value, len(number))
            o = defining_op.get(value)
            if o is None:
                captured.append(value)
                continue
            defining[value] = o
            kind, fn = self._body_op(o)
            for v in o.operands:
                number.setdefault(v, len(number))
            definitions[number[value]] = (kind, fn, [number[v] for v in o.operands])
            stack.extend(o.operands)
        return _Body(definitions), number, defining, captured

    def _loop_size_sources(self, op, maps, loops: int) -> List:
        """Per loop, an (operand, dimension) whose size is the loop's."""
        sources = []
        for loop in range(loops):
            source = next(((i, j) for i, (positions, _) in enumerate(maps)
                           for j, p in enumerate(positions) if p == loop), None)
            if source is None:
                raise self._unsupported(op, f"loop {loop} that no operand runs along")
            sources.append(source)
        return sources

    def _output_layout(self, op, output_map, loops: int, reduced: Sequence,
                       shape: Sequence) -> Callable:
        """A function from the body's result over the kept loops (in loop
        order) to the output's layout: permuted, size-1 dimensions where the
        map has the constant 0."""
        positions, constants = output_map
        kept = [d for d in range(loops) if d not in reduced]
        if sorted(p for p in positions if p is not None) != kept or any(
                c is not None and (c != 0 or shape[j] != 1) for j, c in enumerate(constants)):
            raise self._unsupported(op, "an output indexing map that is not the parallel loops")
        order = [kept.index(p) for p in positions if p is not None]
        ones = [j for j, p in enumerate(positions) if p is None]

        def layout(x):
            x = x.permute(*order) if order != sorted(order) else x
            for j in ones:
                x = x.unsqueeze(j)
            return x
        return layout

    def _reduction_plan(self, op, defining: Dict, value, accumulator, accumulators) -> tuple:
        """(combiner, its elementwise op, the value it folds in) of a
        reduction result: ``value`` must be ``combiner(accumulator, x)``
        with ``x`` reading no accumulator."""

        def reads_accumulator(v) -> bool:
            if any(v == a for a in accumulators):
                return True
            o = defining.get(v)
            return o is not None and any(reads_accumulator(w) for w in o.operands)

        o = defining.get(value)
        if o is not None:
            reduce = combiner(o.operation.name)
            operands = list(o.operands)
            if reduce is not None and len(operands) == 2 and accumulator in operands:
                x = operands[1] if operands[0] == accumulator else operands[0]
                if not reads_accumulator(x):
                    return reduce, self._elementwise(o), x
        raise self._unsupported(op, "a reduction body that is not combiner(output, f(inputs)) "
                                    "with addf, mulf, maximumf, minimumf, maxnumf, minnumf, "
                                    "andi or ori")

    def _body_op(self, o) -> tuple:
        """(kind, function) of an op in a generic body: kind ``index``
        (``linalg.index``, the function its dimension), ``raw`` (reads loop
        positions and conditions as they are) or ``tensors``."""
        name = o.operation.name
        if name == "linalg.index":
            return "index", self.ir.IntegerAttr(o.attributes["dim"]).value
        if name == "tensor.extract":
            return "raw", _extract
        if name == "arith.constant":
            value = self._scalar(o, o.attributes["value"])
            return "tensors", lambda v=value: v
        fn = self._elementwise(o)
        if fn is None:
            raise self._unsupported(o, "in a linalg.generic body")
        return ("raw" if name == "arith.select" else "tensors"), fn

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

    def _convolution(self, op, conv: Callable) -> None:
        """``conv(x, weight, strides, dilations)`` plus the op's initial value."""
        strides, dilations = self._window_attributes(op)

        def convolution(x, weight, out):
            return _add_initial(conv(_materialize(x), _materialize(weight), strides, dilations),
                                out)
        self._step(op, convolution, op.operands)

    def _op_linalg_conv_2d_nchw_fchw(self, op) -> None:
        import torch.nn.functional as F

        self._convolution(op, lambda x, w, s, d: F.conv2d(x, w, stride=s, dilation=d))

    def _op_linalg_conv_1d_ncw_fcw(self, op) -> None:
        import torch.nn.functional as F

        self._convolution(op, lambda x, w, s, d: F.conv1d(x, w, stride=s, dilation=d))

    def _op_linalg_conv_2d_ngchw_gfchw(self, op) -> None:
        """Grouped: input [N, G, C, H, W], filter [G, F, C, KH, KW]."""
        import torch.nn.functional as F

        def grouped(x, w, s, d):
            groups = x.shape[1]
            y = F.conv2d(x.flatten(1, 2), w.flatten(0, 1), stride=s, dilation=d, groups=groups)
            return y.unflatten(1, (groups, w.shape[1]))
        self._convolution(op, grouped)

    def _op_linalg_depthwise_conv_2d_nchw_chw(self, op) -> None:
        """Depthwise: filter [C, KH, KW], one per channel."""
        import torch.nn.functional as F

        self._convolution(op, lambda x, w, s, d: F.conv2d(x, w.unsqueeze(1), stride=s,
                                                          dilation=d, groups=w.shape[0]))

    def _pooling(self, op, pool: Callable, combine: Callable, identity: float) -> None:
        """``pool(x, window, strides, dilations)`` combined with the op's
        initial value (unless it is ``identity``)."""
        strides, dilations = self._window_attributes(op)
        window = self.ir.RankedTensorType(op.operands[1].type).shape
        if any(d == self.ir.ShapedType.get_dynamic_size() for d in window):
            raise self._unsupported(op, "a dynamic window")

        def pooling(x, _window, out):
            result = pool(_materialize(x), window, strides, dilations)
            return result if _leaves_unchanged(out, identity) else combine(result,
                                                                            _materialize(out))
        self._step(op, pooling, op.operands)

    def _op_linalg_pooling_nchw_max(self, op) -> None:
        import torch
        import torch.nn.functional as F

        self._pooling(op, lambda x, k, s, d: F.max_pool2d(x, k, stride=s, dilation=d),
                      torch.maximum, float("-inf"))

    def _op_linalg_pooling_ncw_max(self, op) -> None:
        import torch
        import torch.nn.functional as F

        self._pooling(op, lambda x, k, s, d: F.max_pool1d(x, k, stride=s, dilation=d),
                      torch.maximum, float("-inf"))

    def _op_linalg_pooling_nchw_sum(self, op) -> None:
        import torch.nn.functional as F

        if self._window_attributes(op)[1] != [1, 1]:
            raise self._unsupported(op, "dilated sum pooling")
        self._pooling(op, lambda x, k, s, d: F.avg_pool2d(x, k, stride=s, divisor_override=1),
                      lambda a, b: a + b, 0.0)

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

    def _op_tensor_extract(self, op) -> None:
        self._step(op, _extract, op.operands)

    def _reshape(self, op) -> None:
        shape = self.ir.RankedTensorType(op.result.type).shape
        dynamic = self.ir.ShapedType.get_dynamic_size()
        if sum(d == dynamic for d in shape) > 1:
            raise self._unsupported(op, "more than one dynamic dimension")
        target = [-1 if d == dynamic else d for d in shape]
        self._step(op, lambda x, *_sizes: _materialize(x).reshape(target), op.operands)

    _op_tensor_collapse_shape = _reshape
    _op_tensor_expand_shape = _reshape

    def _slice_box(self, op):
        """A function of the op's dynamic index operands giving the offsets
        and sizes of its slice (unit strides only)."""
        ir = self.ir
        dynamic = ir.ShapedType.get_dynamic_size()
        offsets = list(ir.DenseI64ArrayAttr(op.attributes["static_offsets"]))
        sizes = list(ir.DenseI64ArrayAttr(op.attributes["static_sizes"]))
        strides = list(ir.DenseI64ArrayAttr(op.attributes["static_strides"]))
        if any(s != 1 for s in strides):
            raise self._unsupported(op, "non-unit strides")

        def box(dynamic_values):
            values = iter(dynamic_values)
            offs = [next(values) if o == dynamic else o for o in offsets]
            lens = [next(values) if s == dynamic else s for s in sizes]
            return offs, lens
        return box

    def _op_tensor_insert_slice(self, op) -> None:
        import torch

        box = self._slice_box(op)

        def insert(source, dest, *dynamic_values):
            offs, lens = box(dynamic_values)
            t, s = _materialize(dest), _materialize(source).reshape(lens)
            partial = [d for d, (o, n) in enumerate(zip(offs, lens)) if o != 0 or n != t.shape[d]]
            if not partial:
                return s
            if len(partial) == 1:
                # Functional (no in-place write): what torch.export and
                # ONNX take best.
                d = partial[0]
                o, n = offs[d], lens[d]
                return torch.cat([t.narrow(d, 0, o), s, t.narrow(d, o + n, t.shape[d] - o - n)], d)
            out = t.clone()
            view = out
            for d, (o, n) in enumerate(zip(offs, lens)):
                view = view.narrow(d, o, n)
            view.copy_(s)
            return out
        self._step(op, insert, op.operands)

    def _op_tensor_extract_slice(self, op) -> None:
        ir = self.ir
        dynamic = ir.ShapedType.get_dynamic_size()
        box = self._slice_box(op)
        result_shape = ir.RankedTensorType(op.result.type).shape

        def extract(source, *dynamic_values):
            offs, lens = box(dynamic_values)
            t = _materialize(source)
            for dim, (o, n) in enumerate(zip(offs, lens)):
                t = t.narrow(dim, o, n)
            # Dropped unit dimensions (rank-reducing slices).
            static = [d for d in result_shape]
            return t.reshape([-1 if d == dynamic else d for d in static]) if len(static) != t.dim() else t
        self._step(op, extract, op.operands)

    def _op_func_return(self, op) -> None:
        self._step(op, "return", op.operands, results=[])


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
                if len(outs) == 1:
                    values[outs[0]] = result
                else:  # an op with several results returns a tuple
                    for slot, value in zip(outs, result):
                        values[slot] = value
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
