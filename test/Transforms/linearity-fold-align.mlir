// align: the layers the fold narrows are emitted zero-padded to a multiple
// of `align` neurons (default 16), never wider than the model had them and
// only where the folded weights are large enough for it to pay
// (kMinPaddedWeightElements, 8192); the sizes reported are those of the
// padded IR, and the planner chooses on them. Numbers are checked against
// IREE in linearity-fold-align-random.py.
//
// The 512-48-40-4 model: 20 always-dead neurons in the first hidden layer,
// 3 designed dead and 2 designed active ones in the second (more never
// leave their piece on the profiled samples). Emission is pinned to the
// batch-major in-out form the CHECK lines spell.
// RUN: %python %inputs/transforms/wide_mlp.py --widths 512,48,40,4 --dead 20,3 --active 0,2 > %t.wide.mlir
// RUN: lin-opt %t.wide.mlir --linearity-fold="activation-layout=batch-major weight-layout=in-out verbose report=%t.json" 2> %t.table | FileCheck %s --check-prefix=PADDED
// RUN: FileCheck %s --check-prefix=TABLE < %t.table
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// RUN: lin-opt %t.wide.mlir --linearity-fold="activation-layout=batch-major weight-layout=in-out align=1 verbose" 2> %t.table1 | FileCheck %s --check-prefix=UNPADDED
// RUN: FileCheck %s --check-prefix=TABLE1 < %t.table1
//
// A layer whose padded width would exceed the original stays as folded.
// RUN: %python %inputs/transforms/wide_mlp.py --widths 512,20,4 --dead 3 > %t.narrow.mlir
// RUN: lin-opt %t.narrow.mlir --linearity-fold="verbose" 2>&1 >/dev/null | FileCheck %s --check-prefix=NARROW
//
// RUN: not lin-opt %t.wide.mlir --linearity-fold="align=0" 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not lin-opt %t.wide.mlir --linearity-fold="align=-16 dispatch-cost=-1" 2>&1 | FileCheck %s --check-prefix=NEGATIVE

// The first layer's 28 kept neurons (512 inputs) are emitted as 32; the
// second layer's 19 (28 inputs: 532 weights) stay 19, too small to pad. The
// output keeps its 4.
// PADDED-LABEL: func.func @main(%arg0: tensor<?x512xf32>) -> tensor<?x4xf32>
// PADDED-DAG: linalg.matmul ins(%arg0, %{{.*}} : tensor<?x512xf32>, tensor<512x32xf32>)
// PADDED-DAG: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x32xf32>, tensor<32x19xf32>)
// PADDED-DAG: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x19xf32>, tensor<19x4xf32>)
// PADDED-DAG: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x32xf32>, tensor<32x4xf32>)
// PADDED: return %{{.*}} : tensor<?x4xf32>

// TABLE: layer neurons folded removed kept emitted params params-after
// TABLE-NEXT: relu_0 48 0 20 28 32 24624 16416
// TABLE-NEXT: relu_1 40 8 13 19 19 1960 627
// TABLE-NEXT: total parameters: 26748 -> 17251
// TABLE: matmuls: 3 -> 4

// JSON: "matmuls_after": 4
// JSON: "params_after": 17251
// JSON: "emitted_width": 32
// JSON-NEXT: "folded": 0
// JSON-NEXT: "kept": 28

// UNPADDED-LABEL: func.func @main
// UNPADDED-DAG: linalg.matmul ins(%arg0, %{{.*}} : tensor<?x512xf32>, tensor<512x28xf32>)
// UNPADDED-DAG: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x28xf32>, tensor<28x19xf32>)
// UNPADDED-DAG: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x19xf32>, tensor<19x4xf32>)
// UNPADDED-DAG: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x28xf32>, tensor<28x4xf32>)
// TABLE1: relu_0 48 0 20 28 28 24624 14364
// TABLE1-NEXT: relu_1 40 8 13 19 19 1960 551
// TABLE1-NEXT: total parameters: 26748 -> 15107

// 17 kept of 20 would pad to 32, wider than the layer was.
// NARROW: relu_0 20 0 3 17 17

// ZERO: error: linearity-fold: align must be positive, got 0
// NEGATIVE: error: linearity-fold: align must be positive, got -16
// NEGATIVE: error: linearity-fold: dispatch-cost must be a finite number >= 0, got -1

// objective=latency: a matmul costs dispatch-cost weight elements. With
// batch-major emission the second layer's skip is a matmul of its own that
// saves 232 parameters, less than a dispatch at 6000 (the default), more
// than one at 100.
// RUN: lin-opt %t.wide.mlir --linearity-fold="align=1 objective=latency activation-layout=batch-major verbose" 2>&1 >/dev/null | FileCheck %s --check-prefix=LATENCY
// RUN: lin-opt %t.wide.mlir --linearity-fold="align=1 objective=latency dispatch-cost=100 activation-layout=batch-major verbose" 2>&1 >/dev/null | FileCheck %s --check-prefix=CHEAP
// LATENCY: relu_1 40 0 13 27 27 1960 783
// LATENCY: total parameters: 26748 -> 15259
// LATENCY: matmuls: 3 -> 3
// CHEAP: relu_1 40 8 13 19 19 1960 551
// CHEAP: matmuls: 3 -> 4

// With feature-major activations (the default) the skip is read with the
// kept path in one matmul (its root is the first layer, which the second
// layer's path reads too), so it costs no dispatch and the latency
// objective takes it.
// RUN: lin-opt %t.wide.mlir --linearity-fold="align=1 objective=latency verbose" 2>&1 >/dev/null | FileCheck %s --check-prefix=FEATURE-MAJOR
// FEATURE-MAJOR: relu_1 40 8 13 19 19 1960 551
// FEATURE-MAJOR: matmuls: 3 -> 3
