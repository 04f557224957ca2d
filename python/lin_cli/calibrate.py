"""The calibration-statistics step of ``lin compress``: run the model on the
calibration data and record per-neuron linearity as ``#lin.profile``.

One function, so that another engine (sharded profiling whose statistics
are merged) can replace it: it takes the exported model and the data and
returns a file with the profiled model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from .tools import run_lin_tool

__all__ = ["profile_model"]


def profile_model(model: Path, calib: Sequence[Path], out: Path, *, batch: int = 512,
                  quiet: bool = False) -> Path:
    """``lin-opt --linearity-profile`` of ``model`` on ``calib`` (one .npy
    per function argument), written as bytecode to ``out`` (the fastest to
    read again); returns ``out``."""
    data = ",".join(str(p) for p in calib)
    options = f"data={data} batch={batch}" + (" quiet=1" if quiet else "")
    run_lin_tool(["lin-opt", model, f"--linearity-profile={options}", "-emit-bytecode", "-o", out],
                 stream_stderr=not quiet)
    return out
