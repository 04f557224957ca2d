// allow-non-finite counts NaN and infinite pre-activations instead of
// failing (linearity-profile-nonfinite.mlir has the default, an error): NaN
// in piece 0, as PiecewiseLinearFunction::getPieceIndex puts it, and ignored
// by the extrema; an infinity in the piece it falls in and in the extrema. A
// warning on the activation says how many it counted.

// Neuron 0 sees 1, nan, -inf, 2; neuron 1 sees -1, inf, nan, -2.
// RUN: %python %inputs/interpreter/npy_tool.py %t.mixed.npy --shape 4,2 --values=1,-1,nan,inf,-inf,nan,2,-2
// RUN: lin-opt %s --linearity-profile="data=%t.mixed.npy allow-non-finite=true quiet=1" 2>%t.warning | FileCheck %s --check-prefix=MIXED
// RUN: FileCheck %s --check-prefix=WARNING < %t.warning
// RUN: lin-opt %s --linearity-compress="data=%t.mixed.npy allow-non-finite=true keep-profiles=true quiet=1" 2>%t.warning | FileCheck %s --check-prefix=MIXED
// RUN: FileCheck %s --check-prefix=WARNING < %t.warning
// MIXED: #lin.profile<relu, observed, samples = 4, counts = [2, 3, 2, 1], minimum = [0xFF800000, -2.000000e+00], maximum = [2.000000e+00, 0x7F800000]>

// All-NaN calibration data: an error by default. With allow-non-finite every
// sample is in piece 0 (ReLU: inactive) and no neuron has a finite extremum,
// which the warning says; the fold keeps such neurons (no evidence of
// linearity), so nothing folds.
// RUN: %python %inputs/interpreter/npy_tool.py %t.nan.npy --shape 3,2 --values=nan
// RUN: not lin-opt %s --linearity-compress="data=%t.nan.npy quiet=1" -mlir-print-op-on-diagnostic=false -o %t.out.mlir 2>&1 | FileCheck %s --check-prefix=ALLNAN
// RUN: not test -e %t.out.mlir
// ALLNAN: error: lin profiler: 6 pre-activation value(s) of this relu in this batch are not finite (6 NaN, 0 infinite), the first at sample 0, neuron 0
// RUN: lin-opt %s --linearity-compress="data=%t.nan.npy allow-non-finite=1 quiet=1 verbose=1" -mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s --check-prefix=ALLOWNAN
// ALLOWNAN: warning: linearity-profile: counted 6 NaN pre-activation value(s) in piece 0 and 0 infinite one(s) (allow-non-finite); 2 of 2 neuron(s) saw no finite value, so that their profile puts every sample in piece 0
// ALLOWNAN: layer neurons folded removed kept
// ALLOWNAN-NEXT: relu_0 2 0 0 2

#id = affine_map<(d0, d1) -> (d0, d1)>

func.func @main(%x: tensor<?x2xf32>) -> tensor<?x3xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %e = tensor.empty(%n) : tensor<?x2xf32>
  // WARNING: allow-non-finite.mlir:[[# @LINE + 1]]:{{[0-9]+}}: warning: linearity-profile: counted 2 NaN pre-activation value(s) in piece 0 and 2 infinite one(s) (allow-non-finite){{$}}
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x2xf32>) outs(%e : tensor<?x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.maximumf %in, %zero : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  // A consumer, so that the fold has a layer to work on.
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %e3 = tensor.empty(%n) : tensor<?x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e3 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %y = linalg.matmul ins(%relu, %w : tensor<?x2xf32>, tensor<2x3xf32>) outs(%f : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
