# The zoo's classifier heads and normalisation written back as PyTorch and
# ONNX: softmax and log-softmax (reductions: max, sum of exp) and LayerNorm
# (mean and variance).
# Each model (python/lin_testing/zoo.py) is compressed by `lin compress` from
# PyTorch (.pt2) and from ONNX at threshold 1.0 (the softmax MLP also with
# --threshold 0.9 --refit), written as .pt2 and (from the PyTorch route, and
# refit) .onnx, reloaded (torch.export.load, ONNX Runtime) and run on the
# calibration data: equal to lin-run on the folded IR and, lossless, to
# PyTorch on the original, up to a relative error of 1e-5
# (lin_testing.round_trip).
#
# REQUIRES: torch-mlir, onnx
# RUN: %python %s | FileCheck %s

from lin_testing.round_trip import check_zoo

check_zoo(["softmax", "log-softmax", "layernorm"], refit=["softmax"])
# CHECK: softmax torch lossless: parameters 1509 ->
# CHECK: softmax onnx lossless:
# CHECK: softmax torch refit:
# CHECK: log-softmax torch lossless:
# CHECK: log-softmax onnx lossless:
# CHECK: layernorm torch lossless:
# CHECK: layernorm onnx lossless:
