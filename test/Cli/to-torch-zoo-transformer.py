# The zoo's nn.TransformerEncoderLayer (eval, batch_first, ReLU feed-forward
# block) over [batch, tokens, features] written back as PyTorch and ONNX:
# attention (batch_matmul, softmax), LayerNorm, the feed-forward block,
# torch-mlir's broadcasts by tensor.extract at linalg.index and the ONNX
# route's gathers.
# The model (python/lin_testing/zoo.py) is compressed by `lin compress` from
# PyTorch (.pt2) and from ONNX at threshold 1.0 (the PyTorch route also with
# --threshold 0.9 --refit), written as .pt2 and .onnx (from both routes: the
# ONNX route gathers), reloaded (torch.export.load, ONNX Runtime) and run on
# the calibration data: equal to lin-run on the folded IR and, lossless, to
# PyTorch on the original, up to a relative error of 1e-5
# (lin_testing.round_trip).
#
# REQUIRES: torch-mlir, onnx
# RUN: %python %s | FileCheck %s

from lin_testing.round_trip import check_zoo

check_zoo(["transformer"], refit=["transformer"],
          onnx_from=["torch", "onnx"])
# CHECK: transformer torch lossless:
# CHECK: transformer onnx lossless: {{.*}} .onnx vs lin-run
# CHECK: transformer torch refit:
