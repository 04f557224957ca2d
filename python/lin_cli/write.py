"""Write the compressed model in the format the output's suffix asks for,
atomically: into a temporary file next to the output, renamed over it only
when complete, so that a failure leaves an existing output untouched."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

from .errors import CliError
from .tools import run_lin_tool

__all__ = ["OUTPUT_SUFFIXES", "check_output_path", "write_atomically", "write_model"]

OUTPUT_SUFFIXES = (".mlir", ".mlirbc", ".vmfb", ".pt2", ".onnx")


def check_output_path(path: Path) -> None:
    """A CliError (before any work is done) for an output lin cannot write."""
    if path.suffix.lower() not in OUTPUT_SUFFIXES:
        raise CliError(f"{path}: unknown output suffix {path.suffix or '(none)'!r}; expected one "
                       f"of {', '.join(OUTPUT_SUFFIXES)}", status=2)
    if not path.parent.resolve().is_dir():
        raise CliError(f"{path}: directory {path.parent} does not exist")


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """``write(temporary)`` then rename the temporary file to ``path``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_vmfb(folded: Path, target_cpu: str) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        from lin_toolchain.iree import compile_module

        try:
            tmp.write_bytes(compile_module(folded.read_text(), target_cpu=target_cpu,
                                           generalize_on_error=True))
        except Exception as e:  # iree.compiler.CompilerToolError: the first error line
            lines = [line for line in str(e).splitlines() if "error:" in line]
            raise CliError(f"iree-compile failed: {(lines or [str(e)])[0].strip()}") from None
    return write


def _write_torch(folded: Path, fmt: str) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        from .to_torch import save_exported, save_onnx

        (save_exported if fmt == ".pt2" else save_onnx)(folded.read_text(), tmp)
    return write


def write_model(folded: Path, out: Path, *, target_cpu: str = "host") -> None:
    """Writes the folded MLIR text file ``folded`` to ``out`` in ``out``'s format."""
    suffix = out.suffix.lower()
    if suffix == ".mlir":
        writer = lambda tmp: tmp.write_bytes(folded.read_bytes())  # noqa: E731
    elif suffix == ".mlirbc":
        writer = lambda tmp: run_lin_tool(["lin-opt", folded, "-emit-bytecode", "-o", tmp])  # noqa: E731
    elif suffix == ".vmfb":
        writer = _write_vmfb(folded, target_cpu)
    else:
        writer = _write_torch(folded, suffix)
    write_atomically(out, writer)
