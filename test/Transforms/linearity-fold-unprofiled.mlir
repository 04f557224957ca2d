// A fold of a module nothing has profiled folds nothing: a forgotten
// linearity-profile is a located error with a non-zero exit, saying what to
// run, unless allow-unprofiled says that folding nothing is intended.
// RUN: not lin-opt %s --linearity-fold 2>&1 | FileCheck %s --check-prefix=ERROR
// RUN: lin-opt %s --linearity-fold="allow-unprofiled=1" | FileCheck %s --check-prefix=ALLOWED
// A profile on any activation of the module is enough.
// RUN: lin-opt %s --linearity-prove="lower=0.5" --linearity-fold | FileCheck %s --check-prefix=PROVEN

// ERROR: linearity-fold-unprofiled.mlir:[[@LINE+5]]:1: error: linearity-fold: no activation carries a #lin.profile, so nothing would fold; profile first (--linearity-profile="data=calib.npy"), or profile and fold in one pass (--linearity-compress="data=calib.npy"), or pass allow-unprofiled=1 to fold nothing
// ALLOWED-LABEL: func.func @mlp
// ALLOWED-COUNT-2: linalg.matmul
// PROVEN-LABEL: func.func @mlp
// PROVEN-NOT: arith.maximumf
func.func @mlp(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %zero = arith.constant 0.0 : f32
  %w1 = arith.constant dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>
  %w2 = arith.constant dense<[[2.0, 0.0], [0.0, 3.0]]> : tensor<2x2xf32>
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<4x2xf32>, tensor<2x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %a = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%z : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<4x2xf32>
  %y = linalg.matmul ins(%a, %w2 : tensor<4x2xf32>, tensor<2x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}
