// RUN: lin-opt %s -split-input-file | FileCheck %s
// RUN: lin-opt %s -split-input-file -mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC
// Round trip through the generic form too: printing it and parsing it back
// gives the same pretty form.
// RUN: lin-opt %s -split-input-file -mlir-print-op-generic | lin-opt -split-input-file | FileCheck %s
// Printing is a fixed point: parse -> print -> parse -> print gives the same
// text as the first print.
// RUN: lin-opt %s -split-input-file > %t.1.mlir
// RUN: lin-opt %t.1.mlir -split-input-file > %t.2.mlir
// RUN: diff %t.1.mlir %t.2.mlir

#id = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: func.func @relu_mlp
// CHECK: linalg.generic
// CHECK-SAME: lin.profile = #lin.profile<relu, observed, samples = 4, counts = [4, 0, 1, 0, 4, 3], minimum = [-2.000000e+00, 5.000000e-01, -1.000000e+00], maximum = [-5.000000e-01, 3.000000e+00, 2.000000e+00]>
// GENERIC-LABEL: "func.func"
// GENERIC: "linalg.generic"
// GENERIC: }) {lin.profile = #lin.profile<relu, observed, samples = 4
func.func @relu_mlp(%x: tensor<?x2xf32>) -> tensor<?x3xf32> {
  %w = arith.constant dense<[[1.0, -1.0, 0.5], [2.0, 0.0, -0.5]]> : tensor<2x3xf32>
  %c0 = arith.constant 0 : index
  %cst = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %f = linalg.fill ins(%cst : f32) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %z = linalg.matmul ins(%x, %w : tensor<?x2xf32>, tensor<2x3xf32>) outs(%f : tensor<?x3xf32>) -> tensor<?x3xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%z : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>)
      attrs = {lin.profile = #lin.profile<relu, observed, samples = 4,
               counts = [4, 0, 1, 0, 4, 3],
               minimum = [-2.0, 0.5, -1.0],
               maximum = [-0.5, 3.0, 2.0]>} {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %cst : f32
    linalg.yield %m : f32
  } -> tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}

// -----

// CHECK-LABEL: func.func @clamp_proven
// CHECK: lin.profile = #lin.profile<clamp, proven, samples = 0, counts = [0, 0, 0, 0, 0, 0], minimum = [1.000000e+00, -3.000000e+00], maximum = [2.000000e+00, 7.000000e+00]>
func.func @clamp_proven(%z: tensor<8x2xf32>) -> tensor<8x2xf32> {
  %lo = arith.constant 0.0 : f32
  %hi = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<8x2xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%z : tensor<8x2xf32>) outs(%e : tensor<8x2xf32>)
      attrs = {lin.profile = #lin.profile<clamp, proven, samples = 0,
               counts = [0, 0, 0, 0, 0, 0],
               minimum = [1.0, -3.0], maximum = [2.0, 7.0]>} {
  ^bb0(%in: f32, %out: f32):
    %a = arith.maximumf %in, %lo : f32
    %b = arith.minimumf %a, %hi : f32
    linalg.yield %b : f32
  } -> tensor<8x2xf32>
  return %r : tensor<8x2xf32>
}

// -----

// A named-op activation (linalg.max against zeros) carries a profile too.
// CHECK-LABEL: func.func @leaky_named
// CHECK: linalg.max
// CHECK-SAME: lin.profile = #lin.profile<leaky_relu, observed, samples = 3, counts = [1, 3, 2, 0]
func.func @leaky_named(%z: tensor<3x2xf32>, %zeros: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %e = tensor.empty() : tensor<3x2xf32>
  %r = linalg.max {lin.profile = #lin.profile<leaky_relu, observed, samples = 3,
                   counts = [1, 3, 2, 0],
                   minimum = [-1.0, -4.0], maximum = [2.0, -0.5]>}
      ins(%z, %zeros : tensor<3x2xf32>, tensor<3x2xf32>) outs(%e : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}

// -----

// Extrema print so that they parse back bit-identical: the short exponent form
// when exact, else as many digits as f32 needs, and infinities as their bit
// pattern. Hex bit patterns and overlong decimals are read as f32.
// CHECK-LABEL: func.func @exact_extrema
// CHECK: lin.profile = #lin.profile<relu, proven, samples = 0, counts = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
// CHECK-SAME: minimum = [0xFF800000, 1.000000e-01, -3.40282347E+38, 1.401300e-45, -0.000000e+00, 1.000000e-01, 1.6777216E+7, -1.17549435E-38],
// CHECK-SAME: maximum = [0x7F800000, 1.00000012, 3.40282347E+38, 1.17549421E-38, 0.000000e+00, 1.000000e-01, 1.000000e+10, 1.17549435E-38]>
func.func @exact_extrema(%z: tensor<2x8xf32>, %zeros: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %e = tensor.empty() : tensor<2x8xf32>
  %r = linalg.max {lin.profile = #lin.profile<relu, proven, samples = 0,
                   counts = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                   minimum = [0xFF800000, 0.1, -3.40282347e+38, 1.0e-45, -0.0,
                              0x3DCCCCCD, 16777217.0, -1.17549435e-38],
                   maximum = [0x7F800000, 1.00000012, 3.40282347e+38, 1.17549421e-38, 0.0,
                              0.100000001490116119384765625, 1.0e10, 0x00800000]>}
      ins(%z, %zeros : tensor<2x8xf32>, tensor<2x8xf32>) outs(%e : tensor<2x8xf32>) -> tensor<2x8xf32>
  return %r : tensor<2x8xf32>
}

// -----

// An observed profile without samples has no extrema yet: +inf / -inf.
// CHECK-LABEL: func.func @no_samples_yet
// CHECK: lin.profile = #lin.profile<clamp, observed, samples = 0, counts = [0, 0, 0], minimum = [0x7F800000], maximum = [0xFF800000]>
func.func @no_samples_yet(%z: tensor<3x1xf32>, %zeros: tensor<3x1xf32>) -> tensor<3x1xf32> {
  %e = tensor.empty() : tensor<3x1xf32>
  %r = linalg.max {lin.profile = #lin.profile<clamp, observed, samples = 0,
                   counts = [0, 0, 0], minimum = [0x7F800000], maximum = [0xFF800000]>}
      ins(%z, %zeros : tensor<3x1xf32>, tensor<3x1xf32>) outs(%e : tensor<3x1xf32>) -> tensor<3x1xf32>
  return %r : tensor<3x1xf32>
}

// -----

// Counts up to the int64 limit.
// CHECK-LABEL: func.func @largest_counts
// CHECK: lin.profile = #lin.profile<relu, observed, samples = 9223372036854775807, counts = [9223372036854775806, 9223372036854775807, 1, 0]
func.func @largest_counts(%z: tensor<3x2xf32>, %zeros: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %e = tensor.empty() : tensor<3x2xf32>
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 9223372036854775807,
                   counts = [9223372036854775806, 9223372036854775807, 1, 0],
                   minimum = [-1.0, -4.0], maximum = [2.0, -0.5]>}
      ins(%z, %zeros : tensor<3x2xf32>, tensor<3x2xf32>) outs(%e : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}

// -----

// The channels of an NCHW value are its neurons: `axis = 1`, printed only
// when the neurons are not the last dimension.
// CHECK-LABEL: func.func @channel_profile
// CHECK: linalg.max
// CHECK-SAME: lin.profile = #lin.profile<relu, observed, samples = 8, counts = [8, 2, 0, 6], minimum = [-1.000000e+00, -2.000000e+00], maximum = [-5.000000e-01, 3.000000e+00], axis = 1>
// GENERIC-LABEL: "func.func"
// GENERIC: axis = 1>
func.func @channel_profile(%z: tensor<2x2x2x1xf32>, %e: tensor<2x2x2x1xf32>) -> tensor<2x2x2x1xf32> {
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, axis = 1, samples = 8,
                   counts = [8, 2, 0, 6], minimum = [-1.0, -2.0], maximum = [-0.5, 3.0]>}
      ins(%z, %e : tensor<2x2x2x1xf32>, tensor<2x2x2x1xf32>) outs(%e : tensor<2x2x2x1xf32>) -> tensor<2x2x2x1xf32>
  return %r : tensor<2x2x2x1xf32>
}
