// A layer whose pre-activation changes only because an upstream layer folds
// (it folds nothing itself): its consumers, unchanged, must read the new
// activation. On the 10 samples below, relu_0 merges neuron a (always
// active) and removes b (always inactive); relu_1 (neurons active on 8 and
// 10 of 10 samples) folds nothing at threshold 1, so the output consumer
// keeps its weights but must read the rewritten relu_1.
//
// Parameters: before 2*3+3 + 3*2+2 + 2*2+2 = 23; after: relu_0 keeps c
// (2*1 + 1), relu_1 reads x through a skip (2*2) and c (1*2) plus its bias
// (2), the output is unchanged (6): 3 + 8 + 6 = 17.

// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 10,2 --values=1,0,0,1,-1,0,0,-1,1,1,-1,-1,2,-1,-1,2,0.5,0.5,-0.5,1.5
// RUN: lin-opt %s --linearity-fold="report=%t.json verbose=1" -o %t.folded.mlir 2>&1 | FileCheck %s --check-prefix=TABLE --implicit-check-not=warning
// RUN: FileCheck %s --check-prefix=REPORT < %t.json
// RUN: FileCheck %s --check-prefix=IR < %t.folded.mlir
// RUN: lin-run %s --input %t.x.npy --print --quiet > %t.original.txt
// RUN: lin-run %t.folded.mlir --input %t.x.npy --print --quiet > %t.folded.txt
// RUN: diff %t.original.txt %t.folded.txt

// The refit finds every consumer exact and changes nothing.
// RUN: lin-opt %s --linearity-fold="refit=lstsq data=%t.x.npy quiet=1" -o %t.refit.mlir 2>&1 | FileCheck %s --allow-empty --check-prefix=QUIET --implicit-check-not=warning
// RUN: cmp %t.folded.mlir %t.refit.mlir
// QUIET-NOT: warning

// TABLE: relu_0 3 1 1 1 1 9 3
// TABLE-NEXT: relu_1 2 0 0 2 2 8 8
// TABLE-NEXT: total parameters: 23 -> 17 (73.9%)

// REPORT: "params_after": 17,
// REPORT-NEXT: "params_before": 23

// The original relu_0 (3 neurons) is gone.
// IR-LABEL: func.func @upstream
// IR-NOT: tensor<2x3xf32>
// IR: return

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
func.func @upstream(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %w1 = arith.constant dense<[[1.0, 1.0, 1.0], [1.0, -1.0, -1.0]]> : tensor<2x3xf32>
  %b1 = arith.constant dense<[10.0, -10.0, 0.25]> : tensor<3xf32>
  %e1 = tensor.empty(%n) : tensor<?x3xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x2xf32>, tensor<2x3xf32>) outs(%f1 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %z1 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<?x3xf32>, tensor<3xf32>) outs(%e1 : tensor<?x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z1 : tensor<?x3xf32>) outs(%e1 : tensor<?x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [0, 10, 4, 10, 0, 6], minimum = [8.0, -13.0, -2.75], maximum = [12.0, -7.0, 3.25]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x3xf32>
  %w2 = arith.constant dense<[[0.5, 1.0], [1.0, 1.0], [1.0, -1.0]]> : tensor<3x2xf32>
  %b2 = arith.constant dense<[-5.0, 0.0]> : tensor<2xf32>
  %e2 = tensor.empty(%n) : tensor<?x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x3xf32>, tensor<3x2xf32>) outs(%f2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %z2 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%m2, %b2 : tensor<?x2xf32>, tensor<2xf32>) outs(%e2 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  %a2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z2 : tensor<?x2xf32>) outs(%e2 : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [2, 0, 8, 10], minimum = [-0.75, 7.75], maximum = [3.75, 11.75]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  %w3 = arith.constant dense<[[1.0, -1.0], [0.5, 2.0]]> : tensor<2x2xf32>
  %b3 = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %e3 = tensor.empty(%n) : tensor<?x2xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m3 = linalg.matmul ins(%a2, %w3 : tensor<?x2xf32>, tensor<2x2xf32>) outs(%f3 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%m3, %b3 : tensor<?x2xf32>, tensor<2xf32>) outs(%e3 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
