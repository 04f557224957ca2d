"""Compile linalg-on-tensors MLIR with IREE and run it on numpy arrays.

IREE's compiler accepts the linalg-on-tensors text that torch-mlir and lin
emit, so it serves as an executor independent of lin's interpreter: exported
IR run through IREE must reproduce PyTorch's outputs, folded IR the original
model's, and benchmarks time compiled models with it. Everything targets the
CPU (``llvm-cpu``).

    call = compile_iree(text)                 # func @main as a Python callable
    y = call(x)                               # numpy in, numpy out
    y = run_in_batches(call, x, 1000)         # over rows, in chunks
    y = run_iree(text, x)                     # compile + call once
    n = count_dispatches(text)                # workloads launched per call
"""

from __future__ import annotations

import re
import time
from typing import Callable, Optional, Sequence, Union

import numpy as np

from .run import run_tool

__all__ = ["compile_module", "compile_timed", "count_dispatches", "load_module", "compile_iree",
           "run_iree", "run_in_batches", "run_iree_batched"]


def _compile(mlir_text: str, target_cpu: str, extra_args: Sequence[str],
             generalize_on_error: bool) -> bytes:
    """iree-compile for llvm-cpu with ``extra_args``; a module IREE rejects is
    retried after upstream ``mlir-opt --linalg-generalize-named-ops`` when
    ``generalize_on_error`` (IREE's MLIR may lag behind LLVM 22's named
    elementwise ops)."""
    import iree.compiler as ireec

    def compile_text(text: str) -> bytes:
        return ireec.compile_str(text, target_backends=["llvm-cpu"],
                                 extra_args=[f"--iree-llvmcpu-target-cpu={target_cpu}", *extra_args])

    try:
        return compile_text(mlir_text)
    except ireec.CompilerToolError:
        if not generalize_on_error:
            raise
    return compile_text(run_tool(["mlir-opt", "--linalg-generalize-named-ops"], mlir_text))


def compile_module(mlir_text: str, *, target_cpu: str = "generic",
                   generalize_on_error: bool = False) -> bytes:
    """Compiles ``mlir_text`` for the CPU; returns the VM flatbuffer.

    ``target_cpu`` is ``--iree-llvmcpu-target-cpu``: ``generic`` for
    numerical checks (the same code on every machine), ``host`` for timing.
    ``generalize_on_error``: see :func:`_compile`.
    """
    return _compile(mlir_text, target_cpu, (), generalize_on_error)


def compile_timed(mlir_text: str, **options) -> tuple[bytes, float]:
    """:func:`compile_module`; returns the flatbuffer and the wall seconds it
    took. Compile time is noisy on a shared machine: callers interleave
    repeated compilations of the models they compare and compare minima."""
    t0 = time.perf_counter()
    vmfb = compile_module(mlir_text, **options)
    return vmfb, time.perf_counter() - t0


def count_dispatches(mlir_text: str, *, target_cpu: str = "host",
                     generalize_on_error: bool = False) -> int:
    """The number of ``flow.dispatch`` ops in the public function of the
    module compiled to IREE's flow level: one per workload IREE launches per
    call (matmuls with their fused bias and activation, softmax, ...).

    Counted on ``--compile-to=flow`` and not on dumped executables, because
    IREE deduplicates identical executables (a chain of equal layers has one
    export but one dispatch per layer). Initializers (constant evaluation at
    load time) are excluded: they do not run per call. Buffer copies
    (``flow.tensor.update``, e.g. a feature-major concatenation) are not
    dispatches and are not counted.
    """
    flow = _compile(mlir_text, target_cpu,
                    ("--compile-to=flow", "--mlir-elide-elementsattrs-if-larger=16",
                     "--mlir-elide-resource-strings-if-larger=16"), generalize_on_error).decode()
    return sum(len(re.findall(r"\bflow\.dispatch @", body)) for body in _public_functions(flow))


def _public_functions(flow_text: str) -> list[str]:
    """The text of each ``util.func public`` in a flow-level module, each up
    to the next function or initializer."""
    starts = [m.start() for m in re.finditer(r"^\s*util\.(?:func|initializer)\b", flow_text, re.M)]
    bounds = zip(starts, starts[1:] + [len(flow_text)])
    return [flow_text[a:b] for a, b in bounds if flow_text[a:b].lstrip().startswith("util.func public")]


def load_module(vmfb: bytes, func: str = "main", *, driver: str = "local-task") -> Callable:
    """Loads a compiled module; returns ``func`` as a callable taking numpy
    arrays and returning a numpy array (or a list of them for several
    results). ``driver``: ``local-task`` (thread pool) or ``local-sync``."""
    import iree.runtime as ireert

    ctx = ireert.SystemContext(config=ireert.Config(driver))
    ctx.add_vm_module(ireert.VmModule.copy_buffer(ctx.instance, vmfb))
    fn = ctx.modules.module[func]

    def call(*inputs: np.ndarray):
        out = fn(*[np.ascontiguousarray(x) for x in inputs])
        if isinstance(out, (list, tuple)):
            return [np.asarray(o.to_host()) for o in out]
        return np.asarray(out.to_host())

    return call


def compile_iree(mlir_text: str, func: str = "main", *, target_cpu: str = "generic",
                 driver: str = "local-task", generalize_on_error: bool = False) -> Callable:
    """:func:`compile_module` + :func:`load_module`."""
    vmfb = compile_module(mlir_text, target_cpu=target_cpu, generalize_on_error=generalize_on_error)
    return load_module(vmfb, func, driver=driver)


def run_iree(mlir_text: str, inputs: Union[Sequence[np.ndarray], np.ndarray],
             func: str = "main", **options):
    """Compiles ``mlir_text`` and calls ``func`` once on ``inputs``; returns
    a numpy array (single result) or a list of arrays."""
    if isinstance(inputs, np.ndarray):
        inputs = [inputs]
    return compile_iree(mlir_text, func, **options)(*inputs)


def run_in_batches(call: Callable, x: np.ndarray, batch: Optional[int]) -> np.ndarray:
    """Calls a single-input, single-result ``call`` on the rows of ``x`` in
    chunks of ``batch`` rows (the last one may be short) and concatenates
    the results; ``batch=None`` passes all rows at once."""
    if batch is None:
        return call(x)
    return np.concatenate([call(x[i:i + batch]) for i in range(0, len(x), batch)])


def run_iree_batched(mlir_text: str, x: np.ndarray, batch: Optional[int] = None,
                     func: str = "main", **options) -> np.ndarray:
    """Runs a module with a static batch dimension of ``batch`` rows (None: a
    dynamic one) over all rows of ``x``, which must fill whole batches."""
    if batch is not None and len(x) % batch:
        raise ValueError(f"{len(x)} samples do not split into batches of {batch}")
    return run_in_batches(compile_iree(mlir_text, func, **options), x, batch)
