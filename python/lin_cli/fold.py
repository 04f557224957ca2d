"""The fold step of ``lin compress``: ``lin-opt --linearity-fold`` with the
options the command takes, then canonicalize + cse (what
``--linearity-compress`` runs after profiling). Returns lin's report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from .tools import run_lin_tool

__all__ = ["FoldOptions", "fold_model", "run_fold"]


@dataclass
class FoldOptions:
    """The fold options of ``lin compress`` (None: lin-opt's default)."""

    threshold: float = 1.0
    merge_threshold: Optional[float] = None
    remove_threshold: Optional[float] = None
    target_size: Optional[float] = None
    refit: bool = False
    refit_block: Optional[int] = None
    budget: Optional[float] = None
    val: Optional[Path] = None
    val_labels: Optional[Path] = None

    def plan_options(self) -> list:
        """The options that choose the plan (every run of a sharded refit
        passes the same)."""
        options = [f"threshold={self.threshold}"]
        for name, value in (("merge-threshold", self.merge_threshold),
                            ("remove-threshold", self.remove_threshold),
                            ("target-size", self.target_size)):
            if value is not None:
                options.append(f"{name}={value}")
        return options

    def pass_options(self, calib: Sequence[Path], report: Path) -> str:
        """The option string of ``--linearity-fold``."""
        options = [*self.plan_options(), f"report={report}"]
        if self.refit or self.budget is not None:
            # The refit and the budget's candidates read the calibration data again.
            options.append("data=" + ",".join(str(p) for p in calib))
        if self.refit:
            options.append("refit=lstsq")
            if self.refit_block is not None:
                options.append(f"refit-block={self.refit_block}")
        if self.budget is not None:
            options += [f"budget={self.budget}", f"budget-data={self.val}"]
            if self.val_labels is not None:
                options.append(f"budget-labels={self.val_labels}")
        return " ".join(options)


def fold_model(profiled: Path, calib: Sequence[Path], out: Path, report: Path,
               options: FoldOptions) -> dict:
    """Folds the profiled model into ``out`` (MLIR text); returns the report
    (``report.json`` as lin-opt wrote it, see docs/use-on-your-model.md)."""
    return run_fold(profiled, options.pass_options(calib, report), out, report)


def run_fold(profiled: Path, pass_options: str, out: Path, report: Path) -> dict:
    """``lin-opt --linearity-fold=<pass_options>`` then canonicalize + cse
    into ``out``; returns the report it wrote to ``report``."""
    run_lin_tool(["lin-opt", profiled, f"--linearity-fold={pass_options}",
                  "--canonicalize", "--cse", "-o", out])
    return json.loads(report.read_text())
