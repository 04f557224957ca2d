// RUN: lin-opt %s -split-input-file -verify-diagnostics --linearity-fold="policy=all" | FileCheck %s

// A ReLU layer next to activations that are not piecewise linear (GELU as
// torch-mlir writes it, with erf; tanh): the smooth activation's input is a
// sink like any op the affine forms do not look through, so the ReLU's own
// neurons fold. Neuron 1 is dead (removed), neuron 2 always active (merged
// into a skip from %x into the GELU's input), neuron 0 stays.

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// CHECK-LABEL: func.func @relu_then_gelu_then_tanh
// The ReLU keeps neuron 0 alone, row 0 of the input's stacked matmul (its
// other rows the skips into the GELU's input), computed in place:
// CHECK: arith.maximumf
// CHECK-NEXT: arith.select
// CHECK-NEXT: linalg.yield
// CHECK-NEXT: } -> tensor<3x?xf32>
// CHECK: tensor.expand_shape {{.*}} into tensor<1x?xf32>
// CHECK: math.erf
// CHECK: math.tanh
// CHECK-NOT: arith.maximumf
// CHECK: return
func.func @relu_then_gelu_then_tanh(%x: tensor<?x2xf32>) -> tensor<?x1xf32> {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %half = arith.constant 0.5 : f32
  %sqrt2 = arith.constant 1.41421354 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %w1 = arith.constant dense<[[1.0, 0.5, 2.0], [-1.0, 0.25, 1.0]]> : tensor<2x3xf32>
  %b1 = arith.constant dense<[0.0, -9.0, 9.0]> : tensor<3xf32>
  %e3 = tensor.empty(%n) : tensor<?x3xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x2xf32>, tensor<2x3xf32>) outs(%f3 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %z1 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<?x3xf32>, tensor<3xf32>) outs(%e3 : tensor<?x3xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z1 : tensor<?x3xf32>) outs(%e3 : tensor<?x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 4, counts = [2, 4, 0, 2, 0, 4], minimum = [-1.0, -10.0, 8.0], maximum = [1.0, -8.0, 10.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x3xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %b2 = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %e2 = tensor.empty(%n) : tensor<?x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x3xf32>, tensor<3x2xf32>) outs(%f2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %z2 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%m2, %b2 : tensor<?x2xf32>, tensor<2xf32>) outs(%e2 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  %gelu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z2 : tensor<?x2xf32>) outs(%e2 : tensor<?x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %d = arith.divf %in, %sqrt2 : f32
    %erf = math.erf %d : f32
    %p = arith.addf %erf, %one : f32
    %h = arith.mulf %p, %half : f32
    %g = arith.mulf %in, %h : f32
    linalg.yield %g : f32
  } -> tensor<?x2xf32>
  %w3 = arith.constant dense<[[1.0, 1.0], [1.0, -1.0]]> : tensor<2x2xf32>
  %m3 = linalg.matmul ins(%gelu, %w3 : tensor<?x2xf32>, tensor<2x2xf32>) outs(%f2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %tanh = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%m3 : tensor<?x2xf32>) outs(%e2 : tensor<?x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = math.tanh %in : f32
    linalg.yield %t : f32
  } -> tensor<?x2xf32>
  %w4 = arith.constant dense<[[1.0], [-3.0]]> : tensor<2x1xf32>
  %e1 = tensor.empty(%n) : tensor<?x1xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x1xf32>) -> tensor<?x1xf32>
  %m4 = linalg.matmul ins(%tanh, %w4 : tensor<?x2xf32>, tensor<2x1xf32>) outs(%f1 : tensor<?x1xf32>) -> tensor<?x1xf32>
  return %m4 : tensor<?x1xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// The same ReLU read by a product of two values (x * x, not affine in x):
// the product's input is the sink. Nothing is in one piece here, and the
// remark says so.
// CHECK-LABEL: func.func @relu_then_square
// CHECK: arith.maximumf
// CHECK: arith.mulf %[[IN:.*]], %[[IN]]
func.func @relu_then_square(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %e2 = tensor.empty(%n) : tensor<?x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %w1 = arith.constant dense<[[1.0, 0.5], [-1.0, 0.25]]> : tensor<2x2xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x2xf32>, tensor<2x2xf32>) outs(%f2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  // expected-remark @below {{not folded: no neuron stays in one linear piece on enough samples (merge-threshold 1, remove-threshold 1)}}
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%m1 : tensor<?x2xf32>) outs(%e2 : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 4, counts = [2, 1, 2, 3], minimum = [-1.0, -1.0], maximum = [1.0, 1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x2xf32>, tensor<2x2xf32>) outs(%f2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %sq = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%m2, %m2 : tensor<?x2xf32>, tensor<?x2xf32>) outs(%e2 : tensor<?x2xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.mulf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  return %sq : tensor<?x2xf32>
}
