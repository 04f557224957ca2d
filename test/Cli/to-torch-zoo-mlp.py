# The zoo's other MLPs written back as PyTorch and ONNX: ELU (exp on the
# negative side), leaky ReLU and hardtanh after a ReLU layer, and a residual
# MLP.
# Each model (python/lin_testing/zoo.py) is compressed by `lin compress` from
# PyTorch (.pt2) and from ONNX at threshold 1.0 (the residual MLP also with
# --threshold 0.9 --refit), written as .pt2 and (from the PyTorch route, and
# refit) .onnx, reloaded (torch.export.load, ONNX Runtime) and run on the
# calibration data: equal to lin-run on the folded IR and, lossless, to
# PyTorch on the original, up to a relative error of 1e-5
# (lin_testing.round_trip).
#
# REQUIRES: torch-mlir, onnx
# RUN: %python %s | FileCheck %s

from lin_testing.round_trip import check_zoo

check_zoo(["elu", "leaky-relu", "hardtanh", "residual"], refit=["residual"])
# CHECK: elu torch lossless:
# CHECK: elu onnx lossless:
# CHECK: leaky-relu torch lossless:
# CHECK: leaky-relu onnx lossless:
# CHECK: hardtanh torch lossless:
# CHECK: hardtanh onnx lossless:
# CHECK: residual torch lossless:
# CHECK: residual onnx lossless:
# CHECK: residual torch refit:
