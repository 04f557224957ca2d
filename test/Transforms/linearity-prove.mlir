// RUN: lin-opt %s -split-input-file -verify-diagnostics --linearity-prove | FileCheck %s
// RUN: lin-opt %s -split-input-file -verify-diagnostics --linearity-prove --linearity-fold="allow-unprofiled=1 activation-layout=batch-major weight-layout=in-out" | FileCheck %s --check-prefix=FOLD
// RUN: not lin-opt %s --split-input-file --linearity-prove="lower=1 upper=0" 2>&1 | FileCheck %s --check-prefix=ERROR

// ERROR: error: linearity-prove: lower (1) must not exceed upper (0)

// Inputs in [0, 1]^2: z0 = x0 + 2 x1 + 0.5 in [0.5, 3.5] (always active),
// z1 = x0 - x1 - 10 in [-11, -9] (always inactive), z2 = x0 - x1 in [-1, 1].
// CHECK-LABEL: func.func @box
// CHECK: lin.profile = #lin.profile<relu, proven, samples = 0, counts = [0, 0, 0, 0, 0, 0], minimum = [5.000000e-01, -1.100000e+01, -1.000000e+00], maximum = [3.500000e+00, -9.000000e+00, 1.000000e+00]>
// Folded: neuron 0 merged (skip x [1 2]^T, bias 0.5 + 0.25), neuron 1
// removed, neuron 2 kept.
// FOLD-LABEL: func.func @box
// FOLD: arith.constant dense<{{\[}}[1.000000e+00], [-1.000000e+00]]> : tensor<2x1xf32>
// FOLD: arith.constant dense<-2.000000e+00> : tensor<1x1xf32>
// FOLD: arith.constant dense<{{\[}}[1.000000e+00], [2.000000e+00]]> : tensor<2x1xf32>
// FOLD: arith.constant dense<7.500000e-01> : tensor<1xf32>
func.func @box(%x: tensor<?x2xf32>) -> tensor<?x1xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %w1 = arith.constant dense<[[1.0, 1.0, 1.0], [2.0, -1.0, -1.0]]> : tensor<2x3xf32>
  %b1 = arith.constant dense<[0.5, -10.0, 0.0]> : tensor<3xf32>
  %e1 = tensor.empty(%n) : tensor<?x3xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x2xf32>, tensor<2x3xf32>) outs(%f1 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %z1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<?x3xf32>, tensor<3xf32>) outs(%e1 : tensor<?x3xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  %a1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%z1 : tensor<?x3xf32>) outs(%e1 : tensor<?x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x3xf32>
  %w2 = arith.constant dense<[[1.0], [1.0], [-2.0]]> : tensor<3x1xf32>
  %b2 = arith.constant dense<[0.25]> : tensor<1xf32>
  %e2 = tensor.empty(%n) : tensor<?x1xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x1xf32>) -> tensor<?x1xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x3xf32>, tensor<3x1xf32>) outs(%f2 : tensor<?x1xf32>) -> tensor<?x1xf32>
  %z2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m2, %b2 : tensor<?x1xf32>, tensor<1xf32>) outs(%e2 : tensor<?x1xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x1xf32>
  return %z2 : tensor<?x1xf32>
}


// -----

// A pre-activation computed from something without bounds is not proven.
// CHECK-LABEL: func.func @unbounded
// CHECK-NOT: lin.profile
func.func @unbounded(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %ex = linalg.exp ins(%x : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  // expected-remark @below {{not proven: its pre-activation depends on a value without bounds}}
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%ex : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}
