// RUN: lin-opt %s -split-input-file -verify-diagnostics --linearity-fold="policy=all activation-layout=batch-major" | FileCheck %s

// A LayerNorm (reductions over the features, as torch-mlir writes it) is
// not affine: its input is a sink, like a GELU's. The ReLU before the
// matmul that feeds it folds its own neurons into that matmul (neuron 1
// dead, neuron 2 always active), and the ReLU the LayerNorm reads directly
// cannot fold (a normalisation over all its features reads every neuron),
// with a remark saying so.

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
#col = affine_map<(d0, d1) -> (d0)>

// CHECK-LABEL: func.func @relu_linear_layer_norm
// CHECK: arith.maximumf
// CHECK-NEXT: linalg.yield
// CHECK-NEXT: } -> tensor<?x1xf32>
// CHECK: math.rsqrt
// CHECK: arith.maximumf
// CHECK-NEXT: linalg.yield
// CHECK-NEXT: } -> tensor<?x2xf32>
// CHECK: return
func.func @relu_linear_layer_norm(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %zero = arith.constant 0.0 : f32
  %two = arith.constant 2.0 : f32
  %eps = arith.constant 1.0e-05 : f32
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
  %w2 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, -6.0]]> : tensor<3x2xf32>
  %e2 = tensor.empty(%n) : tensor<?x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %h = linalg.matmul ins(%a1, %w2 : tensor<?x3xf32>, tensor<3x2xf32>) outs(%f2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  // LayerNorm over the 2 features of %h.
  %ev = tensor.empty(%n) : tensor<?xf32>
  %fv = linalg.fill ins(%zero : f32) outs(%ev : tensor<?xf32>) -> tensor<?xf32>
  %sum = linalg.generic {indexing_maps = [#id, #col], iterator_types = ["parallel", "reduction"]} ins(%h : tensor<?x2xf32>) outs(%fv : tensor<?xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<?xf32>
  %centered = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%h, %sum : tensor<?x2xf32>, tensor<?xf32>) outs(%e2 : tensor<?x2xf32>) {
  ^bb0(%v: f32, %s: f32, %o: f32):
    %mean = arith.divf %s, %two : f32
    %d = arith.subf %v, %mean : f32
    linalg.yield %d : f32
  } -> tensor<?x2xf32>
  %sumsq = linalg.generic {indexing_maps = [#id, #col], iterator_types = ["parallel", "reduction"]} ins(%centered : tensor<?x2xf32>) outs(%fv : tensor<?xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %sq = arith.mulf %in, %in : f32
    %s = arith.addf %sq, %acc : f32
    linalg.yield %s : f32
  } -> tensor<?xf32>
  %normed = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%centered, %sumsq : tensor<?x2xf32>, tensor<?xf32>) outs(%e2 : tensor<?x2xf32>) {
  ^bb0(%v: f32, %s: f32, %o: f32):
    %var = arith.divf %s, %two : f32
    %ve = arith.addf %var, %eps : f32
    %r = math.rsqrt %ve : f32
    %y = arith.mulf %v, %r : f32
    linalg.yield %y : f32
  } -> tensor<?x2xf32>
  // A ReLU the next LayerNorm reads directly.
  // expected-remark @below {{not folded: its value is used by 'linalg.generic', which is not part of an affine layer with constant weights}}
  %a2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%normed : tensor<?x2xf32>) outs(%e2 : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 4, counts = [4, 2, 0, 2], minimum = [-2.0, -1.0], maximum = [-1.0, 1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  %sum2 = linalg.generic {indexing_maps = [#id, #col], iterator_types = ["parallel", "reduction"]} ins(%a2 : tensor<?x2xf32>) outs(%fv : tensor<?xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<?xf32>
  %out = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%a2, %sum2 : tensor<?x2xf32>, tensor<?xf32>) outs(%e2 : tensor<?x2xf32>) {
  ^bb0(%v: f32, %s: f32, %o: f32):
    %mean = arith.divf %s, %two : f32
    %d = arith.subf %v, %mean : f32
    linalg.yield %d : f32
  } -> tensor<?x2xf32>
  return %out : tensor<?x2xf32>
}
