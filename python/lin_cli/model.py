"""Load the user's model and bring it to linalg-on-tensors MLIR text.

Supported inputs, by suffix: ``.pt2`` (``torch.export.save``), ``.pt`` /
``.pth`` (``torch.save`` of a whole ``nn.Module``), ``.onnx`` and
``.mlir`` / ``.mlirbc`` (already exported). Every mistake a user can make
here (a missing file, an unknown suffix, a pickled class Python cannot
import, data of the wrong shape) becomes a :class:`CliError` with one line
that says what to do.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import sys
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


def _import_source(source: Path) -> None:
    """Defines the classes of the user's script ``source`` where pickle looks
    for them: a model saved by ``torch.save`` from a script records its class
    as ``__main__.Net``, so the script's names are also put into ``__main__``
    (without running its ``if __name__ == "__main__"`` block)."""
    spec = importlib.util.spec_from_file_location(source.stem, source)
    module = importlib.util.module_from_spec(spec)
    sys.modules[source.stem] = module
    try:
        spec.loader.exec_module(module)
    except Exception as e:  # the user's code: any failure is theirs to see
        raise CliError(f"{source}: importing the model source failed: "
                       f"{type(e).__name__}: {e}") from None
    main = sys.modules["__main__"]
    for name, value in vars(module).items():
        if not name.startswith("__") and not hasattr(main, name):
            setattr(main, name, value)


def _unpickle_module(path: Path, source: Optional[Path]):
    """The ``nn.Module`` or ExportedProgram ``torch.save`` wrote to ``path``."""
    import pickle

    import torch

    if source is not None:
        _import_source(require_file(source, "model source"))
    try:
        obj = torch.load(str(path), map_location="cpu", weights_only=False)
    except (AttributeError, ModuleNotFoundError, ImportError) as e:
        missing = re.search(r"Can't get attribute '([^']+)' on <module '([^']+)'", str(e))
        if missing and missing.group(2).endswith("__main__"):
            what = f"class {missing.group(1)} (defined in the script that saved it)"
        elif missing:
            what = f"class {missing.group(1)} of module {missing.group(2)}"
        else:
            what = f"class ({str(e).splitlines()[0]})"
        raise CliError(
            f"{path}: the pickled model's {what} cannot be imported; save the model with "
            f"torch.export.save(torch.export.export(model, (example,)), 'model.pt2') and pass "
            f"the .pt2, or give the file that defines the class with --model-source FILE.py") from None
    except (pickle.UnpicklingError, RuntimeError, EOFError) as e:
        raise CliError(f"{path}: not a PyTorch model file ({str(e).splitlines()[0]})") from None
    if isinstance(obj, (torch.export.ExportedProgram, torch.nn.Module)) and not isinstance(
            obj, torch.jit.ScriptModule):
        return obj
    raise CliError(f"{path}: expected a pickled nn.Module (torch.save(model)), got "
                   f"{type(obj).__name__}; TorchScript and state dicts are not models lin can read")


def _first_line(e: BaseException) -> str:
    lines = [line.strip() for line in str(e).splitlines() if line.strip()]
    return lines[0] if lines else type(e).__name__


def _export_torch(path: Path, feature_shape: Sequence[int], source: Optional[Path]) -> str:
    import torch

    from lin_frontend import export_torch

    if path.suffix == ".pt2":
        try:
            model = torch.export.load(str(path))
        except Exception as e:  # torch raises many kinds for a bad archive
            raise CliError(f"{path}: not a torch.export archive ({_first_line(e)})") from None
        return export_torch(model, None)
    model = _unpickle_module(path, source)
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
