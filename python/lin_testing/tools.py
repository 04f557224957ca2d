"""Running lin's and LLVM's command-line tools from Python tests."""

from __future__ import annotations

import subprocess
import sys


def run_tool(args: list[str], stdin: str | None = None) -> str:
    """Runs a tool and returns its stdout; exits the test (failing it) when
    the tool fails or prints a warning: lin warns only about internal
    inconsistencies, which a test must not let pass."""
    result = subprocess.run(args, input=stdin, capture_output=True, text=True)
    if result.returncode != 0 or "warning:" in result.stderr:
        sys.exit(f"FAILED: {' '.join(args)}\n{result.stderr}")
    return result.stdout
