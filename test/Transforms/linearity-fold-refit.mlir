// The least-squares refit of linearity-fold on a two-hidden-layer ReLU MLP
// with profiles of the 10 calibration samples below: what the report and
// the table say per consumer, the refitted weights, and that refit=none
// leaves the fold as it was.
//
// Calibration samples x (10 x 2) and pre-activations z1 = x W1 + b1:
//   neuron a: x0 + x1 + 10, in [8, 12], always active
//   neuron b: x0 - x1 - 10, always inactive
//   neuron c: x0 - x1 + 0.25, active on 6 of 10 samples
// z2 = relu(z1) W2 + b2 (a, b, c standing for their activations):
//   neuron d: 0.5 a + b + c - 5, active on 8 of 10
//   neuron e: a + b - c, always active
//   neuron f: a + 2 c - 11.25, active on 5 of 10
// y = relu(z2) W3 + b3.
//
// The expected numbers were computed independently with numpy (float64
// np.linalg.lstsq of the original values on the compressed model's inputs
// and a column of ones; relative errors ||z - z_original|| / ||z_original||).

// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 10,2 --values=1,0,0,1,-1,0,0,-1,1,1,-1,-1,2,-1,-1,2,0.5,0.5,-0.5,1.5

// Threshold 0.8: the cost policy keeps a and removes b (exact), merges d
// and e (d inexactly) and keeps f. relu_0 and relu_1 read exact inputs;
// the output is refitted on [relu(a), relu(c), relu(f)] (3 features):
// numpy's relative error 0.0198297 before, 0.0023578 after.
// RUN: lin-opt %s --linearity-fold="activation-layout=batch-major weight-layout=in-out threshold=0.8 refit=lstsq refit-ridge=0 data=%t.x.npy quiet=1 verbose=1 report=%t.08.json" -o %t.08.mlir 2>&1 | FileCheck %s --check-prefix=TABLE08
// RUN: FileCheck %s --check-prefix=REPORT08 < %t.08.json
// RUN: FileCheck %s --check-prefix=IR08 < %t.08.mlir
// TABLE08: layer neurons folded removed kept emitted params params-after
// TABLE08-NEXT: relu_0 3 0 1 2 2 9 6
// TABLE08-NEXT: relu_1 3 2 0 1 1 12 3
// TABLE08: refit on 10 calibration samples:
// TABLE08-NEXT: consumer refitted features ridge error-before error-after
// TABLE08-NEXT: relu_0 no 2 0.0E+00 0.000000 0.000000 the algebraic fold is exact on the calibration data
// TABLE08-NEXT: relu_1 no 2 0.0E+00 0.000000 0.000000 the algebraic fold is exact on the calibration data
// TABLE08-NEXT: output_0 yes 3 0.0E+00 0.01983{{[0-9]}} 0.00235{{[0-9]}} {{$}}

// REPORT08: "functions": [
// REPORT08: "name": "two",
// REPORT08-NEXT: "params_after": 17,
// REPORT08-NEXT: "params_before": 29,
// REPORT08-NEXT: "refit": {
// REPORT08-NEXT: "consumers": [
// REPORT08-NEXT: {
// REPORT08-NEXT: "error_after": 0,
// REPORT08-NEXT: "error_before": 0,
// REPORT08-NEXT: "features": 2,
// REPORT08-NEXT: "name": "relu_0",
// REPORT08-NEXT: "refitted": false,
// REPORT08-NEXT: "ridge": 0,
// REPORT08-NEXT: "why_not": "the algebraic fold is exact on the calibration data"
// REPORT08: "name": "relu_1",
// REPORT08-NEXT: "refitted": false,
// REPORT08: "error_after": 0.002357{{[0-9]+}},
// REPORT08-NEXT: "error_before": 0.0198296{{[0-9]+}},
// REPORT08-NEXT: "features": 3,
// REPORT08-NEXT: "name": "output_0",
// REPORT08-NEXT: "refitted": true,
// REPORT08-NEXT: "ridge": 0,
// REPORT08-NEXT: "why_not": ""
// REPORT08: "samples": 10
// No layer's pre-activation was refitted.
// REPORT08: "layers": [
// REPORT08-NOT: "refitted": true

// numpy's least squares: weights [[0.734636, 1.765364], [0.0049094,
// -2.5049094]] on relu(a), relu(c); [[1.2560613, 0.7439387]] on relu(f);
// bias [-1.5558684, 1.0558684].
// IR08-DAG: arith.constant dense<[-1.55586{{[0-9]*}}, 1.05586{{[0-9]*}}]> : tensor<2xf32>
// IR08-DAG: arith.constant dense<{{\[}}[7.3463{{[0-9]*}}e-01, 1.76536{{[0-9]*}}], [0.0049094{{[0-9]*}}, -2.50490{{[0-9]*}}]]> : tensor<2x2xf32>
// IR08-DAG: arith.constant dense<{{\[}}[1.25606{{[0-9]*}}, 0.74393{{[0-9]*}}]]> : tensor<1x2xf32>

// Threshold 0.6 also merges c (active piece): layer 0 is gone, relu_1's
// pre-activation reads x only and is refitted (0.8953802 -> 0.3973237),
// then the output on the refitted relu(f) (0.1748121 -> 0.0510528).
// RUN: lin-opt %s --linearity-fold="activation-layout=batch-major weight-layout=in-out threshold=0.6 refit=lstsq refit-ridge=0 data=%t.x.npy quiet=1 verbose=1 report=%t.06.json" -o %t.06.mlir 2>&1 | FileCheck %s --check-prefix=TABLE06
// RUN: FileCheck %s --check-prefix=REPORT06 < %t.06.json
// RUN: FileCheck %s --check-prefix=IR06 < %t.06.mlir
// TABLE06: relu_0 3 2 1 0 0 9 0
// TABLE06-NEXT: relu_1 3 2 0 1 1 12 3
// TABLE06: consumer refitted features ridge error-before error-after
// TABLE06-NEXT: relu_1 yes 2 0.0E+00 0.89538{{[0-9]}} 0.39732{{[0-9]}} {{$}}
// TABLE06-NEXT: output_0 yes 3 0.0E+00 0.17481{{[0-9]}} 0.05105{{[0-9]}} {{$}}
// REPORT06: "name": "relu_1",
// REPORT06-NEXT: "refitted": true,
// REPORT06: "layers": [
// REPORT06: "name": "relu_0",
// REPORT06: "refitted": false,
// REPORT06: "name": "relu_1",
// REPORT06: "refitted": true,
// numpy: relu_1's f = x [2.2826797, 0.1454248] + 0.1781046.
// IR06-DAG: arith.constant dense<{{\[}}[2.28267{{[0-9]*}}], [0.14542{{[0-9]*}}]]> : tensor<2x1xf32>
// IR06-DAG: arith.constant dense<0.17810{{[0-9]*}}> : tensor<1xf32>

// A fixed relative ridge of 0.5 adds 0.5 times the mean of the features'
// sums of squares to the diagonal, not to the intercept (numpy: 0.5160171
// for relu_1, then 0.1803465 -> 0.0849197 for the output).
// RUN: lin-opt %s --linearity-fold="activation-layout=batch-major weight-layout=in-out threshold=0.6 refit=lstsq refit-ridge=0.5 data=%t.x.npy quiet=1 verbose=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=RIDGE
// RIDGE: relu_1 yes 2 5.0E-01 0.89538{{[0-9]}} 0.51601{{[0-9]}} {{$}}
// RIDGE-NEXT: output_0 yes 3 5.0E-01 0.18034{{[0-9]}} 0.08492{{[0-9]}} {{$}}

// refit-ridge=auto: each candidate ridge is fitted on the first half of the
// samples (refit-holdout=0.5) and scored on the second; numpy scores the
// candidates 0 ... 1 with held-out residuals 14.125 ... 13.489 (at 0.1),
// 22.17 (at 1) for relu_1 and 21.55 ... 17.42 (at 0.1), 38.52 for the
// output: 0.1 for both, then refitted on all samples.
// RUN: lin-opt %s --linearity-fold="activation-layout=batch-major weight-layout=in-out threshold=0.6 refit=lstsq data=%t.x.npy refit-holdout=0.5 quiet=1 verbose=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=AUTO
// The same in batches of 3: the held-out slice starts inside a batch.
// RUN: lin-opt %s --linearity-fold="activation-layout=batch-major weight-layout=in-out threshold=0.6 refit=lstsq data=%t.x.npy refit-holdout=0.5 batch=3 quiet=1 verbose=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=AUTO
// AUTO: relu_1 yes 2 1.0E-01 0.89538{{[0-9]}} 0.40869{{[0-9]}} {{$}}
// AUTO-NEXT: output_0 yes 3 1.0E-01 0.17526{{[0-9]}} 0.05634{{[0-9]}} {{$}}

// The normal equations are sums over samples: batches of 3 give the same
// refit as one batch of 10.
// RUN: lin-opt %s --linearity-fold="activation-layout=batch-major weight-layout=in-out threshold=0.6 refit=lstsq refit-ridge=0 data=%t.x.npy batch=3 quiet=1 verbose=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=TABLE06

// A static batch of 4 pads the last of the 3 batches: the padding rows do
// not enter the statistics.
// RUN: sed -e 's/?x/4x/g' -e 's/tensor.empty(%%n)/tensor.empty()/' -e '/tensor.dim/d' %s > %t.static.mlir
// RUN: lin-opt %t.static.mlir --linearity-fold="activation-layout=batch-major weight-layout=in-out threshold=0.6 refit=lstsq refit-ridge=0 data=%t.x.npy quiet=1 verbose=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=TABLE06

// max-samples limits the calibration data the refit reads.
// RUN: lin-opt %s --linearity-fold="activation-layout=batch-major weight-layout=in-out threshold=0.6 refit=lstsq refit-ridge=0 data=%t.x.npy max-samples=6 quiet=1 verbose=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=MAX
// MAX: refit on 6 calibration samples:

// At threshold 1 everything folded is exact: nothing is refitted and the
// output is the algebraic fold's.
// RUN: lin-opt %s --linearity-fold="activation-layout=batch-major weight-layout=in-out threshold=1 refit=lstsq data=%t.x.npy quiet=1 verbose=1" -o %t.exact.mlir 2>&1 | FileCheck %s --check-prefix=EXACT
// RUN: lin-opt %s --linearity-fold="activation-layout=batch-major weight-layout=in-out threshold=1" -o %t.exact-plain.mlir
// RUN: cmp %t.exact.mlir %t.exact-plain.mlir
// EXACT: relu_0 no 2 0.0E+00 0.000000 0.000000 the algebraic fold is exact on the calibration data
// EXACT-NEXT: relu_1 no 2 0.0E+00 0.000000 0.000000 the algebraic fold is exact on the calibration data
// EXACT-NEXT: output_0 no 4 0.0E+00 0.000000 0.000000 the algebraic fold is exact on the calibration data

// refit=none is the algebraic fold, whatever the data and refit options
// say; its report has no refit section; the refit changed the weights.
// RUN: lin-opt %s --linearity-fold="activation-layout=batch-major weight-layout=in-out threshold=0.6 report=%t.plain.json" -o %t.plain.mlir
// RUN: lin-opt %s --linearity-fold="activation-layout=batch-major weight-layout=in-out threshold=0.6 refit=none data=%t.x.npy refit-ridge=1 refit-holdout=0.5 report=%t.none.json" -o %t.none.mlir
// RUN: cmp %t.plain.mlir %t.none.mlir
// RUN: cmp %t.plain.json %t.none.json
// RUN: not cmp %t.plain.mlir %t.06.mlir
// RUN: FileCheck %s --check-prefix=NONE --implicit-check-not='"refit":' < %t.none.json
// RUN: FileCheck %s --check-prefix=ALGEBRAIC < %t.none.mlir
// NONE: "name": "two",
// NONE-NEXT: "params_after": 11,
// NONE-NEXT: "params_before": 29
// By hand: f = a + 2 c - 11.25 with a and c linear is x [3, -1] - 0.75.
// ALGEBRAIC-DAG: arith.constant dense<{{\[}}[3.000000e+00], [-1.000000e+00]]> : tensor<2x1xf32>
// ALGEBRAIC-DAG: arith.constant dense<-7.500000e-01> : tensor<1xf32>

// linearity-compress profiles the same data and refits the same way.
// RUN: lin-opt %s --linearity-compress="activation-layout=batch-major weight-layout=in-out threshold=0.6 refit=lstsq refit-ridge=0 data=%t.x.npy quiet=1 verbose=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=TABLE06

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
func.func @two(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
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
  %w2 = arith.constant dense<[[0.5, 1.0, 1.0], [1.0, 1.0, 0.0], [1.0, -1.0, 2.0]]> : tensor<3x3xf32>
  %b2 = arith.constant dense<[-5.0, 0.0, -11.25]> : tensor<3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x3xf32>, tensor<3x3xf32>) outs(%f2 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %z2 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%m2, %b2 : tensor<?x3xf32>, tensor<3xf32>) outs(%e1 : tensor<?x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  %a2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z2 : tensor<?x3xf32>) outs(%e1 : tensor<?x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [2, 0, 5, 8, 10, 5], minimum = [-0.75, 7.75, -2.75], maximum = [3.75, 11.75, 6.25]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x3xf32>
  %w3 = arith.constant dense<[[1.0, -1.0], [0.5, 2.0], [1.0, 1.0]]> : tensor<3x2xf32>
  %b3 = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %e3 = tensor.empty(%n) : tensor<?x2xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m3 = linalg.matmul ins(%a2, %w3 : tensor<?x3xf32>, tensor<3x2xf32>) outs(%f3 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%m3, %b3 : tensor<?x2xf32>, tensor<2xf32>) outs(%e3 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
