"""Run exported linalg-on-tensors MLIR with IREE (independent numerical check).

IREE's compiler accepts the linalg-on-tensors text that torch-mlir emits, so it
serves as a second executor next to lin's own interpreter: an exported module
run through IREE must reproduce PyTorch's outputs up to float rounding.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["run_iree"]


def run_iree(mlir_text: str, inputs: Sequence[np.ndarray] | np.ndarray, func: str = "main"):
    """Compile ``mlir_text`` for the local CPU and call ``func`` on ``inputs``.

    Returns a numpy array (single result) or a list of arrays.
    """
    import iree.compiler as ireec
    import iree.runtime as ireert

    if isinstance(inputs, np.ndarray):
        inputs = [inputs]
    vmfb = ireec.compile_str(
        mlir_text,
        target_backends=["llvm-cpu"],
        extra_args=["--iree-llvmcpu-target-cpu=generic"],
    )
    config = ireert.Config("local-task")
    ctx = ireert.SystemContext(config=config)
    ctx.add_vm_module(ireert.VmModule.copy_buffer(ctx.instance, vmfb))
    fn = ctx.modules.module[func]
    out = fn(*[np.ascontiguousarray(x) for x in inputs])
    if isinstance(out, (list, tuple)):
        return [np.asarray(o.to_host()) for o in out]
    return np.asarray(out.to_host())
