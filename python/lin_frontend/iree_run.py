"""Run exported linalg-on-tensors MLIR with IREE (independent numerical check).

IREE's compiler accepts the linalg-on-tensors text that torch-mlir emits, so it
serves as a second executor next to lin's own interpreter: an exported module
run through IREE must reproduce PyTorch's outputs up to float rounding.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

__all__ = ["compile_iree", "run_iree", "run_iree_batched"]


def compile_iree(mlir_text: str, func: str = "main") -> Callable:
    """Compiles ``mlir_text`` for the local CPU; returns ``func`` as a callable
    taking numpy arrays and returning a numpy array (or a list of them)."""
    import iree.compiler as ireec
    import iree.runtime as ireert

    vmfb = ireec.compile_str(
        mlir_text,
        target_backends=["llvm-cpu"],
        extra_args=["--iree-llvmcpu-target-cpu=generic"],
    )
    config = ireert.Config("local-task")
    ctx = ireert.SystemContext(config=config)
    ctx.add_vm_module(ireert.VmModule.copy_buffer(ctx.instance, vmfb))
    fn = ctx.modules.module[func]

    def call(*inputs: np.ndarray):
        out = fn(*[np.ascontiguousarray(x) for x in inputs])
        if isinstance(out, (list, tuple)):
            return [np.asarray(o.to_host()) for o in out]
        return np.asarray(out.to_host())

    return call


def run_iree(mlir_text: str, inputs: Sequence[np.ndarray] | np.ndarray, func: str = "main"):
    """Compile ``mlir_text`` for the local CPU and call ``func`` on ``inputs``.

    Returns a numpy array (single result) or a list of arrays.
    """
    if isinstance(inputs, np.ndarray):
        inputs = [inputs]
    return compile_iree(mlir_text, func)(*inputs)


def run_iree_batched(mlir_text: str, x: np.ndarray, batch: int | None = None,
                     func: str = "main") -> np.ndarray:
    """Runs a single-input, single-result function over the rows of ``x`` in
    chunks of ``batch`` rows (a static batch dimension), concatenating the
    results. ``batch=None`` runs everything at once (a dynamic batch)."""
    call = compile_iree(mlir_text, func)
    if batch is None:
        return call(x)
    if len(x) % batch:
        raise ValueError(f"{len(x)} samples do not split into batches of {batch}")
    return np.concatenate([call(x[i:i + batch]) for i in range(0, len(x), batch)])
