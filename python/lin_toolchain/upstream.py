"""Compile linalg-on-tensors MLIR with upstream MLIR and clang only, and call it from numpy.

A second CPU route next to IREE (:mod:`lin_toolchain.iree`): whether a folded
model runs faster than its original should not depend on one compiler's
heuristics. This route uses nothing but LLVM 22's own tools: ``mlir-opt``
bufferizes and lowers linalg to plain loops and the LLVM dialect,
``mlir-translate`` emits LLVM IR, and ``clang -O3`` builds a shared library
whose C interface (``_mlir_ciface_<func>``) is called through ctypes. There is
no tiling or packing, so times measure the loops LLVM's optimizer makes of
lin's IR as it is, not a tuned matmul library.

    call = compile_upstream(text)          # func @main as a Python callable
    y = call(x)                            # numpy in (rank 2, f32), numpy out
"""

from __future__ import annotations

import ctypes
import re
import tempfile
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .locate import DEBIAN_LLVM_BIN
from .run import run_tool

__all__ = ["LOWERING_PASSES", "CLANG_FLAGS", "fold_weight_transposes", "lower_to_llvm_ir",
           "build_shared_library", "compile_upstream"]

# Dead tensor.empty of removed transposes dropped, tensors to buffers,
# intermediate buffers freed (the result is malloc'ed and freed by the
# caller), linalg to scf loops, everything to the LLVM dialect with
# C-interface wrappers.
LOWERING_PASSES = (
    "--canonicalize",
    "--one-shot-bufferize=bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map",
    "--buffer-deallocation-pipeline",
    "--convert-linalg-to-loops",
    "--convert-scf-to-cf",
    # Before lower-affine: the subviews of a tensor.concat expand to
    # affine.apply.
    "--expand-strided-metadata",
    "--lower-affine",
    "--finalize-memref-to-llvm",
    "--convert-math-to-llvm",
    "--convert-arith-to-llvm",
    "--convert-cf-to-llvm",
    "--llvm-request-c-wrappers",
    "--convert-func-to-llvm",
    "--reconcile-unrealized-casts",
)
# -O3 without host-specific flags: the portable counterpart of IREE's
# --iree-llvmcpu-target-cpu=host route.
# memrefCopy (the copies of tensor.concat's buffers) comes from MLIR's C
# runner utilities, next to the tools.
_RUNNER_UTILS_DIR = str(DEBIAN_LLVM_BIN.parent / "lib")
CLANG_FLAGS = ("-O3", "-shared", "-fPIC", "-lm", f"-L{_RUNNER_UTILS_DIR}", "-lmlir_c_runner_utils",
               f"-Wl,-rpath,{_RUNNER_UTILS_DIR}")


def lower_to_llvm_ir(mlir_text: str) -> str:
    """The module as LLVM IR text (``mlir-opt`` lowering, ``mlir-translate``)."""
    llvm_dialect = run_tool(["mlir-opt", *LOWERING_PASSES], mlir_text)
    return run_tool(["mlir-translate", "--mlir-to-llvmir"], llvm_dialect)


def build_shared_library(llvm_ir: str, out: Path, flags: Sequence[str] = CLANG_FLAGS) -> Path:
    """Compiles LLVM IR text into the shared library ``out`` with clang."""
    src = out.with_suffix(".ll")
    src.write_text(llvm_ir)
    run_tool(["clang", *flags, str(src), "-o", str(out), "-Wno-override-module"])
    return out


class _MemRef2D(ctypes.Structure):
    """MLIR's ranked memref descriptor of rank 2 (the C interface's layout)."""
    _fields_ = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
                ("offset", ctypes.c_int64), ("sizes", ctypes.c_int64 * 2),
                ("strides", ctypes.c_int64 * 2)]


def _describe(a: np.ndarray) -> _MemRef2D:
    ptr = a.ctypes.data_as(ctypes.c_void_p)
    return _MemRef2D(ptr, ptr, 0, (ctypes.c_int64 * 2)(*a.shape), (ctypes.c_int64 * 2)(a.shape[1], 1))


_TRANSPOSED_MATMUL_MAPS = ("indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, "
                           "affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]")


def fold_weight_transposes(mlir_text: str) -> str:
    """torch-mlir's nn.Linear form ``linalg.transpose`` of a constant ``[out, in]``
    weight feeding ``linalg.matmul`` rewritten as one matmul that reads the
    constant through a transposed indexing map (lin's ``weight-layout=out-in``).

    IREE evaluates such transposes once at load time; upstream MLIR has no
    pass for it, so without this rewrite the original model would transpose
    all its weights on every call and look slower than it is. Transposes of
    anything but an ``arith.constant`` or with other users are left alone.
    """
    constants = set(re.findall(r"(%[\w.]+) = arith\.constant", mlir_text))
    transposes = re.finditer(r"^ *(%[\w.]+) = linalg\.transpose ins\((%[\w.]+) : (tensor<[^>]*>)\) "
                             r"outs\([^)]*\) permutation = \[1, 0\] *\n", mlir_text, re.M)
    for t in transposes:
        result, weight, weight_type = t.groups()
        uses = re.findall(rf"{re.escape(result)}\b", mlir_text)
        matmul = re.compile(rf"linalg\.matmul ins\((%[\w.]+), {re.escape(result)} : (tensor<[^>]*>), tensor<[^>]*>\)")
        if weight not in constants or len(uses) != 2 or not matmul.search(mlir_text):
            continue
        mlir_text = mlir_text.replace(t.group(0), "")
        mlir_text = matmul.sub(lambda m: f"linalg.matmul {_TRANSPOSED_MATMUL_MAPS} ins({m.group(1)}, {weight} : "
                                         f"{m.group(2)}, {weight_type})", mlir_text)
    return mlir_text


def compile_upstream(mlir_text: str, func: str = "main", *, flags: Sequence[str] = CLANG_FLAGS,
                     workdir: Path | None = None) -> Callable:
    """Builds ``func`` (one rank-2 f32 argument, one rank-2 f32 result) and
    returns it as a callable on numpy arrays. Weight transposes are folded
    first (:func:`fold_weight_transposes`). The library lives in ``workdir``
    (default: a temporary directory kept for the life of the callable)."""
    tmp = None
    if workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="lin-upstream-")
        workdir = Path(tmp.name)
    llvm_ir = lower_to_llvm_ir(fold_weight_transposes(mlir_text))
    lib = ctypes.CDLL(str(build_shared_library(llvm_ir, Path(workdir) / f"{func}.so", flags)))
    entry = getattr(lib, f"_mlir_ciface_{func}")
    entry.argtypes = [ctypes.POINTER(_MemRef2D), ctypes.POINTER(_MemRef2D)]   # result, argument
    entry.restype = None
    free = ctypes.CDLL(None).free
    free.argtypes = [ctypes.c_void_p]

    def call(x: np.ndarray) -> np.ndarray:
        x = np.ascontiguousarray(x, dtype=np.float32)
        result = _MemRef2D()
        entry(ctypes.byref(result), ctypes.byref(_describe(x)))
        rows, cols = result.sizes
        start = result.aligned + 4 * result.offset
        view = np.ctypeslib.as_array(ctypes.cast(start, ctypes.POINTER(ctypes.c_float)),
                                     shape=(rows * result.strides[0],))
        y = view.reshape(rows, result.strides[0])[:, :cols].copy()
        free(result.allocated)
        return y

    call.keepalive = (lib, tmp)    # the library (and its directory) live as long as the callable
    return call
