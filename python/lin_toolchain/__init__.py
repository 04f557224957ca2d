"""lin_toolchain: where lin's, LLVM's and IREE's tools are, and how to run them.

The bottom layer of lin's Python side (no torch, no lin package above it):

* :func:`find_tool` locates ``lin-opt``, ``lin-run``, ``mlir-opt``,
  ``FileCheck``, ``iree-compile``, ... (see its docstring for the order);
* :func:`run_tool` runs one and returns its stdout, :func:`run_measured`
  also measures its wall time and peak memory;
* :mod:`lin_toolchain.iree` compiles linalg-on-tensors text with IREE and
  runs it: the independent executor that tests and benchmarks check lin's
  output with.
* :mod:`lin_toolchain.upstream` builds the same text with upstream MLIR +
  clang only (the benchmarks' second compiler route);
* :mod:`lin_toolchain.timing` times several models interleaved round by
  round, so that machine load hits them alike.
"""

from .locate import REPO, ToolNotFound, default_build_dir, find_tool  # noqa: F401
from .run import Measured, ToolError, run_measured, run_tool  # noqa: F401

__all__ = [
    "REPO",
    "Measured",
    "ToolError",
    "ToolNotFound",
    "default_build_dir",
    "find_tool",
    "run_measured",
    "run_tool",
]
