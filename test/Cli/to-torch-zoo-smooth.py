# The zoo's MLPs with a smooth activation after a ReLU layer written back
# as PyTorch and ONNX: GELU (math.erf), SiLU and sigmoid (math.exp), tanh.
# Each model (python/lin_testing/zoo.py) is compressed by `lin compress` from
# PyTorch (.pt2) and from ONNX at threshold 1.0 (the GELU MLP also with
# --threshold 0.9 --refit), written as .pt2 and (from the PyTorch route, and
# refit) .onnx, reloaded (torch.export.load, ONNX Runtime) and run on the
# calibration data: equal to lin-run on the folded IR and, lossless, to
# PyTorch on the original, up to a relative error of 1e-5
# (lin_testing.round_trip).
#
# REQUIRES: torch-mlir, onnx
# RUN: %python %s | FileCheck %s

from lin_testing.round_trip import check_zoo

check_zoo(["gelu", "silu", "tanh", "sigmoid"], refit=["gelu"])
# CHECK: gelu torch lossless:
# CHECK: gelu onnx lossless:
# CHECK: gelu torch refit:
# CHECK: silu torch lossless:
# CHECK: silu onnx lossless:
# CHECK: tanh torch lossless:
# CHECK: tanh onnx lossless:
# CHECK: sigmoid torch lossless:
# CHECK: sigmoid onnx lossless:
