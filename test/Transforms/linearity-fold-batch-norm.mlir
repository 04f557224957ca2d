// RUN: lin-opt %s -split-input-file -verify-diagnostics --linearity-fold="policy=all activation-layout=batch-major report=%t.json" | FileCheck %s
// RUN: FileCheck %s --check-prefix=REPORT < %t.json

// BatchNorm1d in eval mode as torch-mlir emits it: the per-feature scale
// 1 / sqrt(var + eps) computed from constants by generics, one of which
// checks with cf.assert; then (z - mean) * scale * weight + bias. The affine
// forms read the scale as a constant (the evaluator runs the check), so the
// batch norm folds into the matmul before it, and the scale's computation
// goes with the old layer.

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
#vec = affine_map<(d0) -> (d0)>

// CHECK-LABEL: func.func @linear_batch_norm_relu
// CHECK-NOT: math.sqrt
// CHECK-NOT: cf.assert
// CHECK: linalg.matmul {{.*}} ins(%arg0, %{{.*}} : tensor<?x2xf32>, tensor<1x2xf32>)
// CHECK: arith.maximumf
// CHECK-NEXT: linalg.yield
// CHECK-NEXT: } -> tensor<?x1xf32>
// CHECK: linalg.matmul {{.*}} ins(%arg0, %{{.*}} : tensor<?x2xf32>, tensor<1x2xf32>)
// CHECK-NOT: math.sqrt
// CHECK: return
// REPORT: "params_before": 21
// REPORT: "params_after": 7
func.func @linear_batch_norm_relu(%x: tensor<?x2xf32>) -> tensor<?x1xf32> {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %eps = arith.constant 1.0e-05 : f64
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %w1 = arith.constant dense<[[1.0, 0.5, 2.0], [-1.0, 0.25, 1.0]]> : tensor<2x3xf32>
  %mean = arith.constant dense<[0.5, 1.0, -1.0]> : tensor<3xf32>
  %var = arith.constant dense<[4.0, 1.0, 0.25]> : tensor<3xf32>
  %gamma = arith.constant dense<[1.0, 2.0, 0.5]> : tensor<3xf32>
  %beta = arith.constant dense<[0.0, -20.0, 30.0]> : tensor<3xf32>
  %e3 = tensor.empty(%n) : tensor<?x3xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x2xf32>, tensor<2x3xf32>) outs(%f3 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %ev = tensor.empty() : tensor<3xf32>
  %v1 = linalg.generic {indexing_maps = [#vec, #vec], iterator_types = ["parallel"]} ins(%var : tensor<3xf32>) outs(%ev : tensor<3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = arith.truncf %eps : f64 to f32
    %s = arith.addf %in, %t : f32
    linalg.yield %s : f32
  } -> tensor<3xf32>
  %v2 = linalg.generic {indexing_maps = [#vec, #vec], iterator_types = ["parallel"]} ins(%v1 : tensor<3xf32>) outs(%ev : tensor<3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = math.sqrt %in : f32
    linalg.yield %s : f32
  } -> tensor<3xf32>
  %scale = linalg.generic {indexing_maps = [#vec, #vec], iterator_types = ["parallel"]} ins(%v2 : tensor<3xf32>) outs(%ev : tensor<3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %ne = arith.cmpf one, %in, %zero : f32
    cf.assert %ne, "unimplemented: tensor with zero element"
    %r = arith.divf %one, %in : f32
    linalg.yield %r : f32
  } -> tensor<3xf32>
  %c = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%m1, %mean : tensor<?x3xf32>, tensor<3xf32>) outs(%e3 : tensor<?x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.subf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  %s1 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%c, %scale : tensor<?x3xf32>, tensor<3xf32>) outs(%e3 : tensor<?x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.mulf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  %s2 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%s1, %gamma : tensor<?x3xf32>, tensor<3xf32>) outs(%e3 : tensor<?x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.mulf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  %z = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%s2, %beta : tensor<?x3xf32>, tensor<3xf32>) outs(%e3 : tensor<?x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  // Neuron 1 is dead, neuron 2 always active (merged into a skip from %x).
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z : tensor<?x3xf32>) outs(%e3 : tensor<?x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 4, counts = [2, 4, 0, 2, 0, 4], minimum = [-1.0, -30.0, 20.0], maximum = [1.0, -10.0, 40.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x3xf32>
  %w2 = arith.constant dense<[[1.0], [3.0], [-2.0]]> : tensor<3x1xf32>
  %e1 = tensor.empty(%n) : tensor<?x1xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x1xf32>) -> tensor<?x1xf32>
  %m2 = linalg.matmul ins(%a, %w2 : tensor<?x3xf32>, tensor<3x1xf32>) outs(%f1 : tensor<?x1xf32>) -> tensor<?x1xf32>
  return %m2 : tensor<?x1xf32>
}
