// Thresholds, reports, kept profiles. Shares of the four neurons: active
// 10/10, active 9/10, inactive 10/10, inactive 9/10.
// RUN: lin-opt %s --linearity-fold="report=%t.default.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=DEFAULT < %t.default.json
// RUN: lin-opt %s --linearity-fold="merge-threshold=0.9 report=%t.merge.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=MERGE < %t.merge.json
// RUN: lin-opt %s --linearity-fold="threshold=0.9 report=%t.both.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=BOTH < %t.both.json
// RUN: lin-opt %s --linearity-fold="target-size=0.8 report=%t.target.json" -o /dev/null 2>&1 | FileCheck %s --allow-empty --check-prefix=TARGET-REMARK
// RUN: FileCheck %s --check-prefix=TARGET < %t.target.json
// RUN: lin-opt %s --linearity-fold="target-size=0.5 report=%t.half.json" -mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s --check-prefix=HALF-REMARK
// RUN: FileCheck %s --check-prefix=HALF < %t.half.json
// RUN: lin-opt %s --linearity-fold="target-size=0.1 report=%t.tenth.json" -mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s --check-prefix=TENTH-REMARK
// RUN: FileCheck %s --check-prefix=TENTH < %t.tenth.json
// RUN: lin-opt %s --linearity-fold="keep-profiles=1" | FileCheck %s --check-prefix=KEEP
// RUN: lin-opt %s --linearity-fold="verbose=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=TABLE

// Parameters before: 2*4 + 4 + 4*2 + 2 = 22. Default: merge n0 (a 2x2
// skip), remove n2: (2*2 + 2) + (2*2 + 2*2 + 2) = 16.
// DEFAULT: "folded": 1
// DEFAULT-NEXT: "kept": 2
// DEFAULT-NEXT: "name": "relu_0"
// DEFAULT-NEXT: "neurons": 4
// DEFAULT-NEXT: "params_after": 6
// DEFAULT-NEXT: "params_before": 12
// DEFAULT-NEXT: "refitted": false
// DEFAULT-NEXT: "removed": 1
// DEFAULT: "params_after": 16
// DEFAULT-NEXT: "params_before": 22

// merge-threshold 0.9 merges n1 too: (2*1 + 1) + (1*2 + 2*2 + 2) = 11.
// MERGE: "folded": 2
// MERGE-NEXT: "kept": 1
// MERGE: "removed": 1
// MERGE: "params_after": 11

// threshold 0.9 also removes n3: the layer is gone, 2*2 + 2 = 6 remain.
// BOTH: "folded": 2
// BOTH-NEXT: "kept": 0
// BOTH: "removed": 2
// BOTH: "params_after": 6

// Target 80 % of 22 = 17.6: the default thresholds already reach 16.
// TARGET-REMARK-NOT: target-size
// TARGET: "params_after": 16

// Target 50 % = 11: the merge threshold drops to the next share, 0.9.
// HALF-REMARK: remark: target-size 5.000000e-01: merge threshold lowered to 0.900000
// HALF: "params_after": 11

// Target 10 % cannot be met: everything with a non-zero share folds.
// TENTH-REMARK: remark: target-size 1.000000e-01 not reached: folding every neuron with a non-zero share gives 6 of 22 parameters
// TENTH-REMARK: remark: target-size 1.000000e-01: merge threshold lowered to 0.100000
// TENTH: "params_after": 6

// Neurons 1 and 3 are kept, with their own counts (piece-major).
// KEEP: lin.profile = #lin.profile<relu, observed, samples = 10, counts = [1, 9, 9, 1], minimum = [-5.000000e-01, -2.000000e+00], maximum = [2.000000e+00, 5.000000e-01], axis = 0>
// KEEP-NOT: lin.profile

// TABLE: layer neurons folded removed kept emitted params params-after
// TABLE-NEXT: relu_0 4 1 1 2 2 12 6
// TABLE-NEXT: total parameters: 22 -> 16 (72.7%)


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
