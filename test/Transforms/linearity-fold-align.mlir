// align: the layers the fold narrows are emitted zero-padded to a multiple
// of `align` neurons (default 16), never wider than the model had them; the
// sizes reported are those of the padded IR, and the planner chooses on
// them. Numbers are checked against IREE in linearity-fold-align-random.py.
//
// The 8-48-40-4 model: 20 always-dead neurons in the first hidden layer and
// 3 designed dead and 2 designed active ones in the second (8 more never
// leave their piece on the profiled samples).
// RUN: %python %inputs/transforms/wide_mlp.py --widths 8,48,40,4 --dead 20,3 --active 0,2 > %t.wide.mlir
// RUN: lin-opt %t.wide.mlir --linearity-fold="activation-layout=batch-major weight-layout=in-out verbose report=%t.json" 2> %t.table | FileCheck %s --check-prefix=PADDED
// RUN: FileCheck %s --check-prefix=TABLE < %t.table
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// RUN: lin-opt %t.wide.mlir --linearity-fold="activation-layout=batch-major weight-layout=in-out align=1 verbose" 2> %t.table1 | FileCheck %s --check-prefix=UNPADDED
// RUN: FileCheck %s --check-prefix=TABLE1 < %t.table1
//
// A layer whose padded width would exceed the original stays as folded.
// RUN: %python %inputs/transforms/wide_mlp.py --widths 8,20,4 --dead 3 > %t.narrow.mlir
// RUN: lin-opt %t.narrow.mlir --linearity-fold="activation-layout=batch-major weight-layout=in-out" | FileCheck %s --check-prefix=NARROW
//
// RUN: not lin-opt %t.wide.mlir --linearity-fold="align=0" 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not lin-opt %t.wide.mlir --linearity-fold="align=-16 dispatch-cost=-1" 2>&1 | FileCheck %s --check-prefix=NEGATIVE

// 28 kept neurons are emitted as 32, 29 as 32: every weight has the padded
// widths, the output keeps its 4.
// PADDED-LABEL: func.func @main(%arg0: tensor<?x8xf32>) -> tensor<?x4xf32>
// PADDED: linalg.matmul ins(%arg0, %{{.*}} : tensor<?x8xf32>, tensor<8x32xf32>)
// PADDED: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x32xf32>, tensor<32x32xf32>)
// PADDED: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x32xf32>, tensor<32x4xf32>)
// PADDED-NOT: linalg.matmul
// PADDED: return %{{.*}} : tensor<?x4xf32>

// TABLE: layer neurons folded removed kept emitted params params-after
// TABLE-NEXT: relu_0 48 0 20 28 32 432 288
// TABLE-NEXT: relu_1 40 0 11 29 32 1960 1056
// TABLE-NEXT: total parameters: 2556 -> 1476
// TABLE: matmuls: 3 -> 3

// JSON: "matmuls_after": 3
// JSON: "params_after": 1476
// JSON: "emitted_width": 32
// JSON-NEXT: "folded": 0
// JSON-NEXT: "kept": 28

// Without padding the second layer's active neurons pay for a skip matmul
// (with it, the 19 kept would still take 32 lanes, so merging saves nothing).
// UNPADDED-LABEL: func.func @main
// UNPADDED-DAG: linalg.matmul ins(%arg0, %{{.*}} : tensor<?x8xf32>, tensor<8x28xf32>)
// UNPADDED-DAG: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x28xf32>, tensor<28x19xf32>)
// UNPADDED-DAG: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x28xf32>, tensor<28x4xf32>)
// UNPADDED-DAG: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x19xf32>, tensor<19x4xf32>)
// TABLE1: relu_0 48 0 20 28 28 432 252
// TABLE1-NEXT: relu_1 40 10 11 19 19 1960 551
// TABLE1: matmuls: 3 -> 4

// NARROW-LABEL: func.func @main
// NARROW: tensor<8x17xf32>
// NARROW-NOT: x32xf32

// ZERO: error: linearity-fold: align must be positive, got 0
// NEGATIVE: error: linearity-fold: align must be positive, got -16
// NEGATIVE: error: linearity-fold: dispatch-cost must be a finite number >= 0, got -1

// objective=latency: a matmul costs dispatch-cost weight elements. The skip
// of the second layer saves 218 parameters, less than a dispatch at 3000
// (the calibrated default), more than one at 100.
// RUN: lin-opt %t.wide.mlir --linearity-fold="activation-layout=batch-major weight-layout=in-out align=1 objective=latency verbose" 2>&1 >/dev/null | FileCheck %s --check-prefix=LATENCY
// RUN: lin-opt %t.wide.mlir --linearity-fold="activation-layout=batch-major weight-layout=in-out align=1 objective=latency dispatch-cost=100 verbose" 2>&1 >/dev/null | FileCheck %s --check-prefix=CHEAP
// LATENCY: relu_1 40 0 11 29 29 1960 841
// LATENCY: total parameters: 2556 -> 1213
// LATENCY: matmuls: 3 -> 3
// CHEAP: relu_1 40 10 11 19 19 1960 551
// CHEAP: matmuls: 3 -> 4

// With feature-major activations the skip is read with the kept path in one
// matmul (its root is the first layer, which the second layer's path reads
// too), so it costs no dispatch and the latency objective takes it.
// RUN: lin-opt %t.wide.mlir --linearity-fold="weight-layout=in-out align=1 objective=latency activation-layout=feature-major verbose" 2>&1 >/dev/null | FileCheck %s --check-prefix=FEATURE-MAJOR
// FEATURE-MAJOR: relu_1 40 10 11 19 19 1960 551
// FEATURE-MAJOR: matmuls: 3 -> 3
