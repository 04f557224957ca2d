# The zoo's grouped (groups=2, linalg.conv_2d_ngchw_gfchw) and depthwise
# (linalg.depthwise_conv_2d_nchw_chw) convolutions written back as PyTorch
# and ONNX (F.conv2d with groups).
# Each model (python/lin_testing/zoo.py) is compressed by `lin compress` from
# PyTorch (.pt2) and from ONNX at threshold 1.0, written as .pt2 and (from the
# PyTorch route, and refit) .onnx, reloaded (torch.export.load, ONNX Runtime)
# and run on the calibration data: equal to lin-run on the folded IR and to
# PyTorch on the original, up to a relative error of 1e-5
# (lin_testing.round_trip).
#
# REQUIRES: torch-mlir, onnx
# RUN: %python %s | FileCheck %s

from lin_testing.round_trip import check_zoo

check_zoo(["grouped-conv", "depthwise-conv"])
# CHECK: grouped-conv torch lossless:
# CHECK: grouped-conv onnx lossless:
# CHECK: depthwise-conv torch lossless:
# CHECK: depthwise-conv onnx lossless:
