"""lin_frontend: get trained models and data into lin.

* :func:`export_torch` / :func:`export_onnx` turn PyTorch modules and ONNX
  files into linalg-on-tensors MLIR text that Debian's LLVM 22 ``mlir-opt``
  (and therefore lin's tools) parses.
* :mod:`lin_frontend.data` loads Fashion-MNIST, scikit-learn's bundled data
  sets and Titanic with fixed-seed train/calibration/test splits.
* :func:`save_onnx` writes a PyTorch module as an ONNX file (the ONNX route).
* :func:`lin_frontend.load.load_torch_model` loads a ``.pt2`` or a pickled
  module, with one-line errors (:class:`~lin_frontend.load.ModelLoadError`).

Running exported IR with IREE is :mod:`lin_toolchain.iree`; the models lin's
benchmarks train are :mod:`lin_models`.

Command line: ``PYTHONPATH=python .venv/bin/python -m lin_frontend --help``.
"""

from .export import (  # noqa: F401
    MlirVerifyError,
    check_with_mlir_opt,
    export_onnx,
    export_torch,
    inline_dense_resources,
    save_onnx,
    write_text,
)

__all__ = [
    "MlirVerifyError",
    "check_with_mlir_opt",
    "export_onnx",
    "export_torch",
    "inline_dense_resources",
    "save_onnx",
    "write_text",
]
