// linearity-compress runs linearity-profile, linearity-fold, canonicalize and
// cse, and hands every option to the pass that owns it.
// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 5,2 --values=0.1,0.5,0.25,0.3,0.5,0.05,0.4,0.2,0.3,-0.2

// Profile and fold in one step: exact on the calibration data.
// RUN: lin-opt %s --linearity-compress="data=%t.x.npy quiet=1 report=%t.json verbose=1" -o %t.compressed.mlir 2>&1 | FileCheck %s --check-prefix=TABLE
// RUN: FileCheck %s --check-prefix=REPORT < %t.json
// RUN: FileCheck %s --check-prefix=PLAIN < %t.compressed.mlir
// RUN: lin-run %s --function shares --input %t.x.npy --print --quiet > %t.original.txt
// RUN: lin-run %t.compressed.mlir --function shares --input %t.x.npy --print --quiet > %t.compressed.txt
// RUN: diff %t.original.txt %t.compressed.txt

// Profile options reach linearity-profile, fold options linearity-fold.
// RUN: lin-opt %s --linearity-compress="data=%t.x.npy function=shares batch=3 quiet=1 keep-profiles=1 weight-layout=out-in" | FileCheck %s --check-prefix=FORWARD
// RUN: lin-opt %s --linearity-compress="data=%t.x.npy max-samples=4 quiet=1 verbose=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=MAX
// RUN: lin-opt %s --linearity-compress="data=%t.x.npy quiet=1 threshold=0.7 verbose=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=THRESHOLD
// RUN: lin-opt %s --linearity-compress="data=%t.x.npy quiet=1 merge-threshold=0 remove-threshold=1 policy=all verbose=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=ALL
// RUN: lin-opt %s --linearity-compress="data=%t.x.npy quiet=1 target-size=0.5 verbose=1" -mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s --check-prefix=TARGET

// Errors of either pass stop the pipeline.
// RUN: not lin-opt %s --linearity-compress="quiet=1" 2>&1 | FileCheck %s --check-prefix=NODATA
// RUN: not lin-opt %s --linearity-compress="data=%t.x.npy threshold=2" 2>&1 | FileCheck %s --check-prefix=BADTHRESHOLD

// On the data, neurons 0, 1 and 3 are active on every sample but the last
// (x = [0.3, -0.2]), where neurons 1 and 3 are inactive; neuron 2 is always
// inactive. At threshold 1.0: merge neuron 0, remove neuron 2.
// TABLE: layer neurons folded removed kept emitted params params-after
// TABLE-NEXT: relu_0 4 1 1 2 2 12 6
// TABLE-NEXT: total parameters: 22 -> 16 (72.7%)

// REPORT: "params_after": 16
// REPORT-NEXT: "params_before": 22

// PLAIN-LABEL: func.func @shares
// PLAIN-NOT: lin.profile

// The kept profile (5 samples in batches of 3) and the transposed weights
// show keep-profiles, batch and weight-layout arrived.
// FORWARD-DAG: #[[RHS:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// FORWARD-LABEL: func.func @shares
// FORWARD: linalg.matmul indexing_maps = [#{{.+}}, #[[RHS]], #{{.+}}]
// FORWARD: lin.profile = #lin.profile<relu, observed, samples = 5, counts = [1, 1, 4, 4]

// max-samples=4 leaves out the last sample: neurons 1 and 3 merge too.
// MAX: relu_0 4 3 1 0

// threshold 0.7 also merges neurons 1 and 3 (active on 4 of 5 samples).
// THRESHOLD: relu_0 4 3 1 0

// ALL: relu_0 4 3 1 0

// TARGET: remark: target-size 5.000000e-01: merge threshold lowered to 0.800000

// NODATA: linearity-profile needs calibration data
// BADTHRESHOLD: error: linearity-fold: threshold must be in [0, 1], got 2

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
  %a1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%z1 : tensor<?x4xf32>) outs(%e1 : tensor<?x4xf32>) {
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
