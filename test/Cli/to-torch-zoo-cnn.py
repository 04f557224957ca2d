# The zoo's CNNs written back as PyTorch and ONNX: Conv2d -> BatchNorm2d
# (eval: math.sqrt of the variance) -> ReLU -> AdaptiveAvgPool2d((1, 1)) (a
# sum reduction over H, W), a mean over H, W, Conv1d -> MaxPool1d
# (to-torch-zoo-groups.py: grouped and depthwise convolutions).
# Each model (python/lin_testing/zoo.py) is compressed by `lin compress` from
# PyTorch (.pt2) and from ONNX at threshold 1.0 (the batch-norm CNN also with
# --threshold 0.9 --refit), written as .pt2 and (from the PyTorch route, and
# refit) .onnx, reloaded (torch.export.load, ONNX Runtime) and run on the
# calibration data: equal to lin-run on the folded IR and, lossless, to
# PyTorch on the original, up to a relative error of 1e-5
# (lin_testing.round_trip).
#
# REQUIRES: torch-mlir, onnx
# RUN: %python %s | FileCheck %s

from lin_testing.round_trip import check_zoo

check_zoo(["cnn-batchnorm-avgpool", "cnn-mean", "conv1d-maxpool1d"],
          refit=["cnn-batchnorm-avgpool"])
# CHECK: cnn-batchnorm-avgpool torch lossless:
# CHECK: cnn-batchnorm-avgpool onnx lossless:
# CHECK: cnn-batchnorm-avgpool torch refit:
# CHECK: cnn-mean torch lossless:
# CHECK: cnn-mean onnx lossless:
# CHECK: conv1d-maxpool1d torch lossless:
# CHECK: conv1d-maxpool1d onnx lossless:
