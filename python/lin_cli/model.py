"""Load the user's model and bring it to linalg-on-tensors MLIR text.

Supported inputs, by suffix: ``.pt2`` (``torch.export.save``), ``.pt`` /
``.pth`` (``torch.save`` of a whole ``nn.Module``), ``.onnx`` and
``.mlir`` / ``.mlirbc`` (already exported). Every mistake a user can make
here (a missing file, an unknown suffix, a pickled class Python cannot
import, data of the wrong shape) becomes a :class:`CliError` with one line
that says what to do.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Optional, Sequence

from .errors import CliError

__all__ = ["MODEL_SUFFIXES", "check_input_shape", "input_shape_of", "load_as_mlir", "model_kind",
           "require_file"]

MODEL_SUFFIXES = {".pt2": "torch", ".pt": "torch", ".pth": "torch", ".onnx": "onnx",
                  ".mlir": "mlir", ".mlirbc": "mlir"}


def require_file(path: Path, what: str) -> Path:
    """``path`` if it is a readable file, else a CliError naming ``what``."""
    if not path.is_file():
        raise CliError(f"{path}: {what} not found")
    return path


def model_kind(path: Path) -> str:
    """``torch``, ``onnx`` or ``mlir``, from the suffix."""
    kind = MODEL_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise CliError(f"{path}: unknown model suffix {path.suffix or '(none)'!r}; "
                       f"expected one of {', '.join(MODEL_SUFFIXES)}", status=2)
    return kind


def _first_line(e: BaseException) -> str:
    lines = [line.strip() for line in str(e).splitlines() if line.strip()]
    return lines[0] if lines else type(e).__name__


def _export_torch(path: Path, feature_shape: Sequence[int], source: Optional[Path]) -> str:
    import torch

    from lin_frontend import export_torch
    from lin_frontend.load import ModelLoadError, load_torch_model

    try:
        model = load_torch_model(path, source)
    except ModelLoadError as e:
        raise CliError(str(e)) from None
    if isinstance(model, torch.export.ExportedProgram):
        return export_torch(model, None)
    try:
        # torch logs the failing trace (with its traceback) before raising:
        # the one line below says what went wrong.
        logging.disable(logging.ERROR)
        return export_torch(model, torch.zeros(2, *feature_shape))
    except Exception as e:  # torch.export's errors for a wrong shape vary by layer
        raise CliError(f"{path}: the model does not run on inputs of shape "
                       f"[batch, {', '.join(map(str, feature_shape))}] ({_first_line(e)}); "
                       f"check --input-shape / the calibration data") from None
    finally:
        logging.disable(logging.NOTSET)


def load_as_mlir(path: Path, feature_shape: Sequence[int], *, source: Optional[Path] = None) -> str:
    """The model at ``path`` as linalg-on-tensors MLIR text (bytecode stays
    bytes: lin-opt reads either). ``feature_shape``: one sample's shape, for
    a pickled ``nn.Module``."""
    from lin_frontend import export_onnx

    kind = model_kind(path)
    require_file(path, "model")
    if kind == "mlir":
        return path.read_bytes() if path.suffix == ".mlirbc" else path.read_text()
    if kind == "onnx":
        try:
            return export_onnx(path)
        except Exception as e:  # onnx.checker / the importer
            raise CliError(f"{path}: cannot import the ONNX model ({_first_line(e)})") from None
    return _export_torch(path, feature_shape, source)


_SIGNATURE = re.compile(r"func\.func\s+(?:public\s+)?@[\w$.-]+\s*\(\s*%[\w$.-]+\s*:\s*tensor<([^>]*)>")


def input_shape_of(mlir_text: str) -> Optional[list]:
    """The first argument's shape of the first function, None for a dynamic
    dimension (``tensor<?x64xf32>`` -> ``[None, 64]``), or None when the
    text has no such function."""
    m = _SIGNATURE.search(mlir_text)
    if not m:
        return None
    dims = m.group(1).split("x")[:-1]
    return [None if d == "?" else int(d) for d in dims]


def check_input_shape(model_shape: Optional[list], data_shape: Sequence[int], data: Path) -> None:
    """A CliError when ``data`` (all samples) does not fit the model's input."""
    if model_shape is None:
        return
    want = ", ".join("batch" if d is None else str(d) for d in model_shape)
    fits = len(model_shape) == len(data_shape) and all(
        m is None or m == d for m, d in zip(model_shape[1:], data_shape[1:]))
    if not fits:
        raise CliError(f"{data}: shape [{', '.join(map(str, data_shape))}] does not match the "
                       f"model's input [{want}]")
