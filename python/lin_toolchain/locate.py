"""Find the command-line tools lin's Python code runs.

One search order for every tool, so that tests, benchmarks and the frontend
all run the same binaries and nothing depends on where the repository or
LLVM happens to be installed:

1. ``$LIN_<TOOL>``: an explicit path for that one tool (the name upper-cased,
   other characters as ``_``: ``LIN_MLIR_OPT``, ``LIN_LIN_OPT``,
   ``LIN_FILECHECK``, ``LIN_IREE_COMPILE``);
2. ``<build>/bin/<tool>``, the build directory of lin: ``$LIN_BUILD_DIR``
   (lit sets it to the build under test), else ``build/`` of the repository
   this package lies in;
3. ``PATH``;
4. the running Python's scripts directory (a venv's ``bin/``, where pip puts
   ``iree-compile`` and ``torch-mlir-opt``), for scripts run as
   ``.venv/bin/python x.py`` without activating the venv;
5. ``/usr/lib/llvm-22/bin``: where Debian's ``llvm-22`` / ``mlir-22-tools``
   packages install ``mlir-opt``, ``FileCheck`` etc. without putting them
   on PATH. The last resort, for a default Debian install.

A caller with an explicit build directory (a ``--build`` option) passes
``build_dir``: then only that directory is searched.
"""

from __future__ import annotations

import os
import shutil
import sysconfig
from pathlib import Path
from typing import Optional, Union

__all__ = ["REPO", "ToolNotFound", "default_build_dir", "find_tool"]

# python/lin_toolchain/locate.py -> the repository root.
REPO = Path(__file__).resolve().parents[2]
DEBIAN_LLVM_BIN = Path("/usr/lib/llvm-22/bin")


class ToolNotFound(FileNotFoundError):
    """No executable of that name in any searched place."""


def default_build_dir() -> Path:
    """lin's build directory: ``$LIN_BUILD_DIR``, else the repository's ``build/``."""
    return Path(os.environ.get("LIN_BUILD_DIR") or REPO / "build")


def _env_name(tool: str) -> str:
    return "LIN_" + "".join(c if c.isalnum() else "_" for c in tool).upper()


def _executable(path: Path) -> Optional[str]:
    return str(path) if path.is_file() and os.access(path, os.X_OK) else None


def find_tool(name: str, *, build_dir: Union[str, os.PathLike, None] = None,
              required: bool = True) -> Optional[str]:
    """The path of tool ``name`` (see the module docstring for the order).

    Raises :class:`ToolNotFound` (or returns None with ``required=False``)
    when there is none.
    """
    if build_dir is not None:
        found = _executable(Path(build_dir) / "bin" / name)
        searched = f"{build_dir}/bin"
    else:
        explicit = os.environ.get(_env_name(name))
        found = explicit or (
            _executable(default_build_dir() / "bin" / name)
            or shutil.which(name)
            or _executable(Path(sysconfig.get_path("scripts")) / name)
            or _executable(DEBIAN_LLVM_BIN / name))
        searched = (f"${_env_name(name)}, {default_build_dir()}/bin, PATH, "
                    f"{sysconfig.get_path('scripts')}, {DEBIAN_LLVM_BIN}")
    if found is None and required:
        raise ToolNotFound(f"{name} not found in {searched}")
    return found
