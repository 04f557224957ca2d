// Non-finite calibration or budget data is an error unless
// allow-non-finite, as it is for linearity-profile: otherwise the refit
// computes on NaN (every consumer's error is NaN and nothing is refitted)
// and the budget metric is NaN (no candidate is within an mse budget) or
// meaningless (argmax of NaN rows: an agreement of 0 % for any candidate).

// RUN: rm -rf %t && mkdir %t
// RUN: %python %inputs/interpreter/npy_tool.py %t/nan.npy --shape 5,2 --values=0.1,0.5,0.25,nan,0.5,0.05,0.4,0.2,0.3,-0.2
// RUN: %python %inputs/interpreter/npy_tool.py %t/inf.npy --shape 5,2 --values=0.1,0.5,0.25,0.3,inf,0.05,0.4,0.2,0.3,-0.2
// RUN: not lin-opt %s --linearity-fold="refit=lstsq data=%t/nan.npy quiet=1" -o %t/out.mlir 2>&1 | FileCheck %s
// RUN: not lin-opt %s --linearity-fold="refit=lstsq data=%t/inf.npy quiet=1" -o %t/out.mlir 2>&1 | FileCheck %s
// RUN: not lin-opt %s --linearity-fold="budget=1 budget-metric=agreement budget-data=%t/nan.npy" -o %t/out.mlir 2>&1 | FileCheck %s
// RUN: not lin-opt %s --linearity-fold="budget=1 budget-metric=mse budget-data=%t/inf.npy" -o %t/out.mlir 2>&1 | FileCheck %s
// RUN: not test -e %t/out.mlir
// CHECK: error: {{.*}}not finite

// allow-non-finite lets the refit run.
// RUN: lin-opt %s --linearity-fold="refit=lstsq data=%t/nan.npy allow-non-finite=1 quiet=1" -o /dev/null

#map = affine_map<(d0, d1) -> (d0, d1)>
#map1 = affine_map<(d0, d1) -> (d1)>
func.func @shares(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %w1 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  %b1 = arith.constant dense<[1.0, 0.0, -9.0, -1.0]> : tensor<4xf32>
  %e1 = tensor.empty(%n) : tensor<?x4xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x2xf32>, tensor<2x4xf32>) outs(%f1 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %z1 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<?x4xf32>, tensor<4xf32>) outs(%e1 : tensor<?x4xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x4xf32>
  %a1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%z1 : tensor<?x4xf32>) outs(%e1 : tensor<?x4xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 5, counts = [0, 1, 5, 1, 5, 4, 0, 4], minimum = [3.0e-01, -6.0e-01, -9.5, -1.4], maximum = [3.6, 3.2, -5.2, 3.4]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x4xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %b2 = arith.constant dense<[0.5, 0.5]> : tensor<2xf32>
  %e2 = tensor.empty(%n) : tensor<?x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %y = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%m2, %b2 : tensor<?x2xf32>, tensor<2xf32>) outs(%e2 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
