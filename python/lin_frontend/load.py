"""Load a saved PyTorch model: a ``.pt2`` (``torch.export.save``) or a whole
module pickled with ``torch.save``, with one-line errors for the usual
mistakes (above all a pickled class that Python cannot import)."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path
from typing import Optional, Union

__all__ = ["ModelLoadError", "import_model_source", "load_torch_model"]


class ModelLoadError(ValueError):
    """The file is no model this loader can read; the message is one line
    that says what to do."""


def _first_line(e: BaseException) -> str:
    lines = [line.strip() for line in str(e).splitlines() if line.strip()]
    return lines[0] if lines else type(e).__name__


def import_model_source(source: Union[str, os.PathLike]) -> None:
    """Defines the classes of the user's script ``source`` where pickle looks
    for them: a model saved by ``torch.save`` from a script records its class
    as ``__main__.Net``, so the script's names are also put into ``__main__``
    (without running its ``if __name__ == "__main__"`` block)."""
    source = Path(source)
    if not source.is_file():
        raise ModelLoadError(f"{source}: model source not found")
    spec = importlib.util.spec_from_file_location(source.stem, source)
    module = importlib.util.module_from_spec(spec)
    sys.modules[source.stem] = module
    try:
        spec.loader.exec_module(module)
    except Exception as e:  # the user's code: any failure is theirs to see
        raise ModelLoadError(f"{source}: importing the model source failed: "
                             f"{type(e).__name__}: {e}") from None
    main = sys.modules["__main__"]
    for name, value in vars(module).items():
        if not name.startswith("__") and not hasattr(main, name):
            setattr(main, name, value)


def _unpickle(path: Path):
    import pickle

    import torch

    try:
        return torch.load(str(path), map_location="cpu", weights_only=False)
    except (AttributeError, ModuleNotFoundError, ImportError) as e:
        missing = re.search(r"Can't get attribute '([^']+)' on <module '([^']+)'", str(e))
        if missing and missing.group(2).endswith("__main__"):
            what = f"class {missing.group(1)} (defined in the script that saved it)"
        elif missing:
            what = f"class {missing.group(1)} of module {missing.group(2)}"
        else:
            what = f"class ({_first_line(e)})"
        raise ModelLoadError(
            f"{path}: the pickled model's {what} cannot be imported; save the model with "
            f"torch.export.save(torch.export.export(model, (example,)), 'model.pt2') and pass "
            f"the .pt2, or give the file that defines the class with --model-source FILE.py"
        ) from None
    except (pickle.UnpicklingError, RuntimeError, EOFError) as e:
        raise ModelLoadError(f"{path}: not a PyTorch model file ({_first_line(e)})") from None


def load_torch_model(path: Union[str, os.PathLike], source: Optional[Union[str, os.PathLike]] = None):
    """The ``torch.export.ExportedProgram`` of a ``.pt2``, or the
    ``nn.Module`` (or ExportedProgram) ``torch.save`` wrote to any other
    file: unpickled with ``weights_only=False``, so load only trusted files.
    ``source``: the script defining the module's class (see
    :func:`import_model_source`)."""
    import torch

    path = Path(path)
    if path.suffix == ".pt2":
        try:
            return torch.export.load(str(path))
        except Exception as e:  # torch raises many kinds for a bad archive
            raise ModelLoadError(f"{path}: not a torch.export archive ({_first_line(e)})") from None
    if source is not None:
        import_model_source(source)
    obj = _unpickle(path)
    if isinstance(obj, (torch.export.ExportedProgram, torch.nn.Module)) and not isinstance(
            obj, torch.jit.ScriptModule):
        return obj
    raise ModelLoadError(f"{path}: expected a pickled nn.Module (torch.save(model)), got "
                         f"{type(obj).__name__}; TorchScript modules and state dicts are not "
                         f"models lin can read")
