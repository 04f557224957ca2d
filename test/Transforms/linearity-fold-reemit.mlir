// A layer the fold leaves alone whose activation the fold makes several
// sinks read (the skips of merged neurons from a kept first layer) is
// re-emitted unchanged but feature-major (getReemittedSinks,
// FoldRewrite.h): its readers take it into their concatenations instead of
// a stacked matmul whose first reader then costs IREE an elementwise
// dispatch of its own. The planner's dispatch count (objective=latency)
// counts the re-emitted form. IREE's dispatch counts are checked in
// linearity-compress-dispatches.py, the numbers in
// linearity-fold-activation-layout-random.py.
//
// The 16-16-32-32-4 model: the first hidden layer has no neuron that stays
// in one piece (kept), the second and third have 20 always-active and 2
// always-dead neurons.
// RUN: %python %inputs/transforms/wide_mlp.py --widths 16,16,32,32,4 --dead 0,2,2 --active 0,20,20 > %t.mlir
// RUN: lin-opt %t.mlir --linearity-fold -mlir-print-local-scope | FileCheck %s
// RUN: lin-opt %t.mlir --linearity-fold="objective=latency verbose" 2>&1 >/dev/null | FileCheck %s --check-prefix=LATENCY
// RUN: lin-opt %t.mlir --linearity-fold="objective=latency activation-layout=batch-major verbose" 2>&1 >/dev/null | FileCheck %s --check-prefix=BATCH

// relu_1 keeps 7 neurons (the 22 always-active ones merged, 3 removed),
// relu_2 none: relu_0 is read by relu_1 and by the output's skip. It is
// emitted [16 x batch] by its own matmul from the argument, and the output
// reads it concatenated with relu_1: three matmuls, nothing stacked.
// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.+]]: tensor<?x16xf32>) -> tensor<?x4xf32>
// CHECK: linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%{{.+}}, %[[X]] : tensor<16x16xf32>, tensor<?x16xf32>) outs(%{{.+}} : tensor<16x?xf32>)
// CHECK: %[[A0:.+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<16x?xf32>) outs(%{{.+}} : tensor<16x?xf32>)
// CHECK: linalg.matmul ins(%{{.+}}, %[[A0]] : tensor<7x16xf32>, tensor<16x?xf32>) outs(%{{.+}} : tensor<7x?xf32>)
// CHECK: %[[A1:.+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<7x?xf32>) outs(%{{.+}} : tensor<7x?xf32>)
// CHECK: %[[C:.+]] = tensor.concat dim(0) %[[A1]], %[[A0]] : (tensor<7x?xf32>, tensor<16x?xf32>) -> tensor<23x?xf32>
// CHECK: linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%[[C]], %{{.+}} : tensor<23x?xf32>, tensor<4x23xf32>) outs(%{{.+}} : tensor<?x4xf32>)
// CHECK-NOT: tensor.extract_slice
// CHECK-NOT: linalg.matmul
// CHECK: return

// The latency objective merges relu_1 too: the re-emitted form costs no
// dispatch more than the original (the stacked one would have cost one,
// more than the merge saves at dispatch-cost=6000).
// LATENCY: relu_0 16 0 0 16 16 272 272
// LATENCY: relu_1 32 22 3 7 7 544 119
// LATENCY: relu_2 32 24 8 0 0 1056 0
// LATENCY: matmuls: 4 -> 3

// Batch-major, every skip is a matmul of its own: relu_1's merge costs a
// dispatch and is not taken.
// BATCH: relu_1 32 0 3 29 29 544 493
// BATCH: matmuls: 4 -> 3
