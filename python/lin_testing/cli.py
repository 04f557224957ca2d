"""Tests of the ``lin`` command: a tiny PyTorch model saved in every form
the command reads, its data, and running the command.

:func:`make_tiny_model` writes into a directory:

* ``tinynet.py``, the module defining ``TinyNet`` (6 -> 16 -> 16 -> 3, ReLU),
  whose biases put some hidden neurons always active and some always dead
  on the data, so that the fold has work to do;
* ``model.pt`` (``torch.save`` of it: its class importable from
  ``tinynet``), ``model.pt2`` (``torch.export.save``), ``model.onnx``;
* ``save_main.py`` and ``main_model.pt``: the same model saved from a
  script, whose class pickle records as ``__main__.ScriptNet``;
* ``calib.npy`` (128 samples), ``val_x.npy`` / ``val_y.npy`` (64 samples,
  labels = the model's own argmax with every fourth one shifted, so that
  the accuracy is neither 0 nor 100 %).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Mapping, Optional, Sequence

import numpy as np

__all__ = ["TINY_NET_PARAMETERS", "TINY_NET_SOURCE", "expect_compressed", "install_package",
           "make_tiny_model", "run_lin"]

TINY_NET_SOURCE = '''\
import torch
import torch.nn as nn


class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 16)
        self.fc2 = nn.Linear(16, 16)
        self.out = nn.Linear(16, 3)
        with torch.no_grad():
            # Hidden neurons always active (+4) or always dead (-4) on the data.
            shift = torch.tensor([4.0, -4.0, 0.0, 0.0] * 4)
            self.fc1.bias += shift
            self.fc2.bias += shift.flip(0)

    def forward(self, x):
        return self.out(torch.relu(self.fc2(torch.relu(self.fc1(x)))))
'''

TINY_NET_PARAMETERS = 6 * 16 + 16 + 16 * 16 + 16 + 16 * 3 + 3

SAVE_MAIN_SOURCE = '''\
import sys

import torch

from tinynet import TinyNet


class ScriptNet(TinyNet):
    """The tiny model, defined in the script that saves it."""


if __name__ == "__main__":
    torch.manual_seed(0)
    torch.save(ScriptNet().eval(), sys.argv[1])
'''


def make_tiny_model(directory: os.PathLike, *, onnx: bool = True) -> Path:
    """Writes the files listed in the module docstring into ``directory``
    (``model.onnx`` only with ``onnx``: the exporter takes seconds)."""
    import torch

    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    (d / "tinynet.py").write_text(TINY_NET_SOURCE)
    (d / "save_main.py").write_text(SAVE_MAIN_SOURCE)
    sys.path.insert(0, str(d))
    try:
        from tinynet import TinyNet

        torch.manual_seed(0)
        model = TinyNet().eval()
        torch.save(model, d / "model.pt")
        batch = torch.export.Dim("batch")
        example = torch.zeros(2, 6)
        torch.export.save(torch.export.export(model, (example,), dynamic_shapes=({0: batch},)),
                          str(d / "model.pt2"))
        if onnx:
            import contextlib
            import io
            import logging

            from lin_frontend import save_onnx

            logging.getLogger("torch.onnx").setLevel(logging.ERROR)
            with contextlib.redirect_stdout(io.StringIO()):
                save_onnx(model, example, d / "model.onnx")
        rng = np.random.default_rng(0)
        calib = rng.normal(size=(128, 6)).astype(np.float32)
        val = rng.normal(size=(64, 6)).astype(np.float32)
        with torch.no_grad():
            labels = model(torch.from_numpy(val)).argmax(1).numpy()
        labels[::4] = (labels[::4] + 1) % 3
        np.save(d / "calib.npy", calib)
        np.save(d / "val_x.npy", val)
        np.save(d / "val_y.npy", labels.astype(np.int64))
    finally:
        sys.path.remove(str(d))
    subprocess.run([sys.executable, str(d / "save_main.py"), str(d / "main_model.pt")],
                   check=True, cwd=d, env={**os.environ, "PYTHONPATH": _pythonpath(d)})
    return d


def _pythonpath(*first: os.PathLike) -> str:
    return os.pathsep.join([*map(str, first), os.environ.get("PYTHONPATH", "")])


def run_lin(args: Sequence, *, cwd: os.PathLike, env: Optional[Mapping[str, str]] = None,
            pythonpath: Sequence[os.PathLike] = ()) -> subprocess.CompletedProcess:
    """``lin ARGS`` (``python -m lin_cli``) in ``cwd``; ``pythonpath`` goes
    before the inherited PYTHONPATH."""
    environment = dict(os.environ if env is None else env)
    environment["PYTHONPATH"] = _pythonpath(*pythonpath)
    return subprocess.run([sys.executable, "-m", "lin_cli", *map(str, args)], cwd=cwd,
                          env=environment, capture_output=True, text=True)


def expect_compressed(result: subprocess.CompletedProcess, name: str) -> int:
    """Fails the test unless ``lin compress`` succeeded on the tiny model,
    printed its table (a row per layer, the parameter totals) and shrank the
    model; returns the parameters after."""
    import re

    if result.returncode != 0 or "Traceback" in result.stderr:
        sys.exit(f"FAILED: {name}: exit {result.returncode}\n{result.stderr}")
    header = result.stdout.splitlines()[0].split()
    assert header == ["layer", "neurons", "merged", "removed", "kept"], result.stdout
    # Layers are named after the module computing them (TinyNet.fc1).
    assert re.search(r"^fc1 +16 +\d+ +\d+ +\d+$", result.stdout, re.M), result.stdout
    parameters = re.search(r"^parameters: (\d+) -> (\d+) \(", result.stdout, re.M)
    assert parameters, result.stdout
    before, after = map(int, parameters.groups())
    assert before == TINY_NET_PARAMETERS and after < before, (name, before, after)
    print(f"{name}: {before} -> {after} parameters")
    return after


def install_package(target: os.PathLike) -> Path:
    """``pip install ./python`` (a regular install, no dependencies: the
    running venv has them) into ``target``; returns the directory holding
    the ``lin`` console script. The sources are copied first, so that the
    build leaves nothing in the repository."""
    import shutil

    target = Path(target)
    source = target / "source"
    python = Path(__file__).resolve().parents[1]
    source.mkdir(parents=True)
    for name in ("pyproject.toml", "requirements.txt"):
        shutil.copy(python / name, source / name)
    for package in ("lin_cli", "lin_frontend", "lin_toolchain"):
        shutil.copytree(python / package, source / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "--no-build-isolation", "--target", str(target / "site"), str(source)],
                   check=True)
    return target / "site" / "bin"
