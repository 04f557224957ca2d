"""A model through ``lin compress`` and back to PyTorch and ONNX, checked
against executors that share no code with the translation: lin-run on the
folded IR and, where the fold is lossless on the data (threshold 1.0, no
refit: exact on the calibration samples), PyTorch on the original.

:func:`round_trip` exports a :class:`~lin_testing.zoo.ZooModel` as lin's
user would (``torch.export.save`` -> ``.pt2``, or ``torch.onnx.export`` ->
``.onnx``), compresses it with the ``lin`` command to MLIR, writes that as
``.pt2`` and ``.onnx`` (what ``lin compress -o OUT.pt2`` / ``OUT.onnx`` do
after the fold) and reloads them (``torch.export.load``, onnxruntime) to
run the calibration data in a batch other than the traced one.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
from pathlib import Path
from typing import Dict, Sequence

import numpy as np

from .tools import run_tool
from .zoo import ZooModel, calibration_data, zoo

__all__ = ["REFIT", "TOLERANCE", "check_zoo", "relative_error", "round_trip", "save_model"]

TOLERANCE = 1e-5
# Lossy: neurons in one piece on 90 % of the samples fold, their consumers
# refit by least squares (the written model must still match lin-run).
REFIT = ("--threshold", "0.9", "--refit")


def relative_error(got, want) -> float:
    return float(np.abs(got - want).max()) / max(1.0, float(np.abs(want).max()))


def save_model(model: ZooModel, route: str, directory: Path) -> Path:
    """``model`` saved for ``lin compress``: ``torch`` -> ``.pt2`` (dynamic
    batch), ``onnx`` -> ``.onnx``."""
    import torch

    from lin_frontend import save_onnx

    module = model.build()
    example = torch.zeros(2, *model.sample_shape)
    if route == "torch":
        path = directory / f"{model.name}.pt2"
        program = torch.export.export(module, (example,),
                                      dynamic_shapes=({0: torch.export.Dim("batch")},))
        torch.export.save(program, str(path))
        return path
    path = directory / f"{model.name}.onnx"
    logging.getLogger("torch.onnx").setLevel(logging.ERROR)
    with contextlib.redirect_stdout(io.StringIO()):
        save_onnx(module, example, path)
    return path


def _compress(args: Sequence[str], name: str) -> str:
    """``lin ARGS`` in this process (the command's own code, without a
    second Python start); returns its stdout, fails on an error."""
    from lin_cli.main import main

    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = main(args)
    assert status == 0, f"{name}: lin {' '.join(args)}: {stderr.getvalue()}"
    return stdout.getvalue()


def _run_lin_run(folded: Path, x: np.ndarray, directory: Path) -> np.ndarray:
    inputs, outputs = directory / "x.npy", directory / "lin-run.npy"
    np.save(inputs, x)
    run_tool(["lin-run", str(folded), "--input", str(inputs), "--output", str(outputs), "--quiet"])
    return np.load(outputs)


def round_trip(model: ZooModel, route: str, directory: os.PathLike,
               options: Sequence[str] = (), samples: int = 48,
               write_onnx: bool = True) -> Dict[str, float]:
    """Compresses ``model`` (``options``: extra ``lin compress`` options)
    and returns the relative errors of the written ``.pt2`` and (with
    ``write_onnx``) ``.onnx`` against lin-run on the folded IR, and against
    PyTorch when lossless, with the parameter counts (``params``: ``before
    -> after``). Raises AssertionError when ``lin compress`` fails."""
    import onnxruntime
    import torch

    from lin_cli.to_torch import save_exported, save_onnx

    d = Path(directory)
    saved = save_model(model, route, d)
    calib = calibration_data(model, samples)
    np.save(d / "calib.npy", calib)
    folded = d / f"{model.name}.folded.mlir"
    table = _compress(["compress", str(saved), "--calib", str(d / "calib.npy"), "-q",
                       "-o", str(folded), *options], f"{model.name} ({route})")
    params = re.search(r"^parameters: (\d+ -> \d+)", table, re.M).group(1)

    text = folded.read_text()
    pt2, onnx_file = d / f"{model.name}.small.pt2", d / f"{model.name}.small.onnx"
    save_exported(text, pt2)
    with torch.no_grad():
        outputs = {".pt2": torch.export.load(str(pt2)).module()(torch.from_numpy(calib)).numpy()}
    if write_onnx:
        save_onnx(text, onnx_file)
        session = onnxruntime.InferenceSession(str(onnx_file))
        outputs[".onnx"] = session.run(None, {session.get_inputs()[0].name: calib})[0]

    references = {"lin-run": _run_lin_run(folded, calib, d)}
    if not options:
        with torch.no_grad():
            references["PyTorch"] = model.build()(torch.from_numpy(calib)).numpy()
    errors = {"params": params}
    for reference, want in references.items():
        for written, got in outputs.items():
            errors[f"{written} vs {reference}"] = relative_error(got, want)
    return errors


def check_zoo(names: Sequence[str], *, refit: Sequence[str] = (),
              onnx_from: Sequence[str] = ("torch",)) -> None:
    """:func:`round_trip` of the zoo models ``names`` from both routes
    (PyTorch ``.pt2`` and ONNX), lossless, and of the ``refit`` ones with
    :data:`REFIT` from the PyTorch route; the ``.onnx`` is written from the
    routes ``onnx_from`` (an ONNX export takes seconds: the ONNX route's
    IR needs it only where it has ops the PyTorch route's lacks). Prints a
    row per run (model, route, parameters, errors); exits failing the test
    when an error exceeds :data:`TOLERANCE`."""
    import sys
    import tempfile

    models = {m.name: m for m in zoo()}
    failures = []
    for name in names:
        runs = [("torch", ()), ("onnx", ())] + ([("torch", REFIT)] if name in refit else [])
        for route, options in runs:
            kind = "refit" if options else "lossless"
            with tempfile.TemporaryDirectory() as directory:
                errors = round_trip(models[name], route, directory, options,
                                    write_onnx=bool(options) or route in onnx_from)
            params = errors.pop("params")
            worst = max(errors.values())
            print(f"{name} {route} {kind}: parameters {params}, "
                  + ", ".join(f"{k} {v:.1e}" for k, v in errors.items()), flush=True)
            if worst > TOLERANCE:
                failures.append(f"{name} {route} {kind}: relative error {worst:.1e}")
    if failures:
        sys.exit("FAILED: " + "; ".join(failures))
