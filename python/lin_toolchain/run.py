"""Run a command-line tool: stdout as a string, or time and peak memory.

A bare tool name as the first argument is looked up with
:func:`~lin_toolchain.locate.find_tool`, so ``run_tool(["lin-opt", ...])``
runs the same binary everywhere.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

from .locate import find_tool

__all__ = ["Measured", "ToolError", "run_measured", "run_tool"]


class ToolError(RuntimeError):
    """A tool failed (or warned, where warnings count as failures)."""


def _command(args: Sequence) -> list[str]:
    command = [str(a) for a in args]
    if os.sep not in command[0]:
        command[0] = find_tool(command[0])
    return command


def run_tool(args: Sequence, stdin: Optional[str] = None, *,
             env: Optional[Mapping[str, str]] = None, fail_on_warning: bool = False) -> str:
    """Runs ``args`` and returns its stdout.

    Raises :class:`ToolError` with the command and its stderr when the tool
    exits non-zero, or, with ``fail_on_warning``, prints ``warning:``: lin
    warns only about internal inconsistencies, which a test must not let pass.
    """
    command = _command(args)
    result = subprocess.run(command, input=stdin, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise ToolError(f"{' '.join(command)} failed ({result.returncode})\n{result.stderr}")
    if fail_on_warning and "warning:" in result.stderr:
        raise ToolError(f"{' '.join(command)} warned\n{result.stderr}")
    return result.stdout


@dataclass
class Measured:
    seconds: float       # wall time
    peak_rss_kib: int    # maximum resident set size of the process
    stdout: str
    stderr: str


def run_measured(args: Sequence, *, env: Optional[Mapping[str, str]] = None) -> Measured:
    """Runs ``args`` to completion; raises :class:`ToolError` if it fails.

    The peak memory is the child's own ``ru_maxrss`` from ``wait4`` (what GNU
    time reports), so no external timing tool is needed.
    """
    command = _command(args)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise ToolError(f"{' '.join(command)} failed ({proc.returncode})\n{stderr[-2000:]}")
    return Measured(seconds, usage.ru_maxrss, stdout, stderr)
