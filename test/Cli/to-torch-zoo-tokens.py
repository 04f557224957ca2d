# The zoo's token-batch models [batch, tokens, features] written back as
# PyTorch and ONNX: a feed-forward block and nn.MultiheadAttention (eval,
# batch_first): batch_matmul, softmax, torch-mlir's broadcasts by
# tensor.extract at linalg.index and the ONNX route's gathers
# (to-torch-zoo-transformer.py: nn.TransformerEncoderLayer).
# Each model (python/lin_testing/zoo.py) is compressed by `lin compress` from
# PyTorch (.pt2) and from ONNX at threshold 1.0 (the feed-forward block also
# with --threshold 0.9 --refit), written as .pt2 and .onnx (from both routes:
# the ONNX route gathers), reloaded (torch.export.load, ONNX Runtime) and run
# on the calibration data: equal to lin-run on the folded IR and, lossless, to
# PyTorch on the original, up to a relative error of 1e-5
# (lin_testing.round_trip).
#
# REQUIRES: torch-mlir, onnx
# RUN: %python %s | FileCheck %s

from lin_testing.round_trip import check_zoo

check_zoo(["token-ffn", "attention"], refit=["token-ffn"],
          onnx_from=["torch", "onnx"])
# CHECK: token-ffn torch lossless:
# CHECK: token-ffn onnx lossless:
# CHECK: token-ffn torch refit:
# CHECK: attention torch lossless:
# CHECK: attention onnx lossless: {{.*}} .onnx vs lin-run
