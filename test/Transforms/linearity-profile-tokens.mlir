// Token batches: an activation over [batch, tokens, features], or over the
// batch collapsed with the tokens ([batch * tokens, features], as a
// reshape(-1, F) before a Linear gives), is profiled per feature, every
// token of every sample a sample; the zero samples padding a static batch
// are not counted in either form. Three samples of 2 tokens x 2 features:
// x = [[1, -1], [2, 0]], [[-3, 4], [0, 5]], [[6, -7], [-8, 9]]; feature 0
// is positive in 3 of the 6 tokens, feature 1 in 3.

// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 3,2,2 --values=1,-1,2,0,-3,4,0,5,6,-7,-8,9
// RUN: lin-opt %s --linearity-profile="data=%t.x.npy function=tokens quiet=true" | FileCheck %s --check-prefix=TOKENS
// RUN: lin-opt %s --linearity-profile="data=%t.x.npy function=collapsed quiet=true" | FileCheck %s --check-prefix=COLLAPSED

// A static batch of 2: the second run pads one zero sample (2 zero tokens,
// which would add 2 to piece 0 of both features).
// TOKENS: lin.profile = #lin.profile<relu, observed, samples = 6, counts = [3, 3, 3, 3], minimum = [-8.000000e+00, -7.000000e+00], maximum = [6.000000e+00, 9.000000e+00]>
func.func @tokens(%x: tensor<2x2x2xf32>) -> tensor<2x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2x2xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : tensor<2x2x2xf32>) outs(%e : tensor<2x2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<2x2x2xf32>
  return %relu : tensor<2x2x2xf32>
}

// COLLAPSED: lin.profile = #lin.profile<relu, observed, samples = 6, counts = [3, 3, 3, 3], minimum = [-8.000000e+00, -7.000000e+00], maximum = [6.000000e+00, 9.000000e+00]>
func.func @collapsed(%x: tensor<2x2x2xf32>) -> tensor<2x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %flat = tensor.collapse_shape %x [[0, 1], [2]] : tensor<2x2x2xf32> into tensor<4x2xf32>
  %e = tensor.empty() : tensor<4x2xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%flat : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  %r = tensor.expand_shape %relu [[0, 1], [2]] output_shape [2, 2, 2] : tensor<4x2xf32> into tensor<2x2x2xf32>
  return %r : tensor<2x2x2xf32>
}
