"""Run lin-opt / lin-run for the ``lin`` command: a missing tool or a
failing run becomes a one-line :class:`CliError` (the tool's first
``error:`` line, which is located in the user's files)."""

from __future__ import annotations

import os
import subprocess
from typing import Sequence

from lin_toolchain import ToolNotFound, find_tool

from .errors import CliError

__all__ = ["lin_tool", "run_lin_tool"]


def lin_tool(name: str) -> str:
    """The path of ``name`` (lin_toolchain.find_tool's search order)."""
    try:
        path = find_tool(name)
    except ToolNotFound as e:
        raise CliError(f"{e}; build lin (ninja -C build in the repository), put its build/bin "
                       f"on PATH or set LIN_BUILD_DIR") from None
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):  # an explicit $LIN_<TOOL>
        raise CliError(f"{name}: {path} is not an executable file")
    return path


def _error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if "error:" in line:
            return line.strip()
    return lines[-1].strip() if lines else "no message"


def run_lin_tool(args: Sequence[str], *, stream_stderr: bool = False) -> str:
    """Runs ``[tool, *args]`` and returns its stdout; ``stream_stderr``
    shows the tool's own progress lines as they come."""
    command = [lin_tool(args[0]), *map(str, args[1:])]
    proc = subprocess.run(command, stdout=subprocess.PIPE,
                          stderr=None if stream_stderr else subprocess.PIPE, text=True)
    if proc.returncode != 0:
        detail = "see above" if stream_stderr else _error_line(proc.stderr)
        raise CliError(f"{args[0]} failed: {detail}")
    return proc.stdout
