"""lin_cli: the ``lin`` command.

* ``lin compress MODEL --calib X.npy -o OUT``: export (PyTorch / ONNX ->
  MLIR), profile, fold, verify and write the compressed model as MLIR,
  bytecode, an IREE module, a PyTorch ExportedProgram or ONNX;
* ``lin inspect MODEL --calib X.npy``: how linear each layer is.

Every step is a function of its own module (:mod:`.model` loads and exports,
:mod:`.calibrate` computes the calibration statistics, :mod:`.fold` folds,
:mod:`.write` writes the output formats, :mod:`.to_torch` turns folded IR
back into PyTorch), so that scripts can call them without the command line.
"""
