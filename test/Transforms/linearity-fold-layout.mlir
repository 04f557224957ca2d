// weight-layout: the same fold with [in, out] constants and a plain matmul,
// or [out, in] constants read through a transposed indexing map. Both give
// the same numbers as the original on inputs where the profile holds
// (checked with lin-run here, and with IREE on
// random models in linearity-fold-random.py).
// RUN: lin-opt %s --linearity-fold="activation-layout=batch-major weight-layout=in-out" | FileCheck %s --check-prefix=INOUT
// RUN: lin-opt %s --linearity-fold="activation-layout=batch-major weight-layout=out-in" | FileCheck %s --check-prefix=OUTIN
// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 4,2 --values=0.1,0.5,0.25,0.3,0.5,0.05,0.4,0.2
// RUN: lin-run %s --input %t.x.npy --print --quiet > %t.original.txt
// RUN: lin-opt %s --linearity-fold="activation-layout=batch-major weight-layout=in-out" | lin-run - --input %t.x.npy --print --quiet > %t.inout.txt
// RUN: lin-opt %s --linearity-fold="activation-layout=batch-major weight-layout=out-in" | lin-run - --input %t.x.npy --print --quiet > %t.outin.txt
// RUN: diff %t.original.txt %t.inout.txt
// RUN: diff %t.original.txt %t.outin.txt

// The fold merges neuron 0 (a 2x2 skip from %x), removes neuron 2 and keeps
// neurons 1 and 3: a 2x2 first layer, a 2x2 second layer and the skip.
// INOUT-LABEL: func.func @shares
// INOUT-DAG: arith.constant dense<{{.*}}> : tensor<2x2xf32>
// INOUT: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x2xf32>, tensor<2x2xf32>)
// INOUT-NOT: indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>

// OUTIN-DAG: #[[LHS:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// OUTIN-DAG: #[[RHS:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// OUTIN-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// OUTIN-LABEL: func.func @shares
// OUTIN: linalg.matmul indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]] ins(%{{.*}}, %{{.*}} : tensor<?x2xf32>, tensor<2x2xf32>)
// OUTIN-NOT: linalg.matmul ins(

func.func @shares(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %w1 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  %b1 = arith.constant dense<[1.0, 0.0, -9.0, -1.0]> : tensor<4xf32>
  %e1 = tensor.empty(%n) : tensor<?x4xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x2xf32>, tensor<2x4xf32>) outs(%f1 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %z1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<?x4xf32>, tensor<4xf32>) outs(%e1 : tensor<?x4xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x4xf32>
  %a1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%z1 : tensor<?x4xf32>) outs(%e1 : tensor<?x4xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [0, 1, 10, 9, 10, 9, 0, 1], minimum = [0.5, -0.5, -3.0, -2.0], maximum = [2.0, 2.0, -1.0, 0.5]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x4xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %b2 = arith.constant dense<[0.5, 0.5]> : tensor<2xf32>
  %e2 = tensor.empty(%n) : tensor<?x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %z2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m2, %b2 : tensor<?x2xf32>, tensor<2xf32>) outs(%e2 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  return %z2 : tensor<?x2xf32>
}
