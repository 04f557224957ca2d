"""Running lin's and LLVM's command-line tools from Python tests."""

from __future__ import annotations

import sys

import lin_toolchain


def run_tool(args: list[str], stdin: str | None = None) -> str:
    """Runs a tool (found by :func:`lin_toolchain.find_tool`) and returns its
    stdout; exits the test (failing it) when the tool fails or prints a
    warning: lin warns only about internal inconsistencies, which a test
    must not let pass."""
    try:
        return lin_toolchain.run_tool(args, stdin, fail_on_warning=True)
    except lin_toolchain.ToolError as error:
        sys.exit(f"FAILED: {error}")
