// An activation over an NCHW convolution is profiled per output channel
// (axis = 1), every batch element and spatial position a sample; shards of
// data merge into it. Two samples of 1x3x3: x0 = -4..4, x1 = all ones; the
// 2x2 filters pick the window's top-left value (channel 0) and its negation
// (channel 1): channel 0 sees -4, -3, -1, 0 and 1, 1, 1, 1; channel 1 their
// negations. Samples: 2 x 2x2 positions = 8.

// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 2,1,3,3 --values=-4,-3,-2,-1,0,1,2,3,4,1,1,1,1,1,1,1,1,1
// RUN: lin-opt %s --linearity-profile="data=%t.x.npy function=dynamic batch=1 quiet=true" | FileCheck %s
// RUN: lin-opt %s --linearity-profile="data=%t.x.npy function=static quiet=true" | FileCheck %s --check-prefix=STATIC
// RUN: lin-opt %s --linearity-profile="data=%t.x.npy function=dynamic quiet=true" | lin-opt --linearity-profile="data=%t.x.npy function=dynamic quiet=true" | FileCheck %s --check-prefix=MERGED

// CHECK-LABEL: func.func @dynamic
// CHECK: lin.profile = #lin.profile<relu, observed, samples = 8, counts = [4, 5, 4, 3], minimum = [-4.000000e+00, -1.000000e+00], maximum = [1.000000e+00, 4.000000e+00], axis = 1>
// MERGED: lin.profile = #lin.profile<relu, observed, samples = 16, counts = [8, 10, 8, 6], minimum = [-4.000000e+00, -1.000000e+00], maximum = [1.000000e+00, 4.000000e+00], axis = 1>
func.func @dynamic(%x: tensor<?x1x3x3xf32>) -> tensor<?x2x2x2xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x1x3x3xf32>
  %w = arith.constant dense<[[[[1.0, 0.0], [0.0, 0.0]]], [[[-1.0, 0.0], [0.0, 0.0]]]]> : tensor<2x1x2x2xf32>
  %e = tensor.empty(%n) : tensor<?x2x2x2xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%x, %w : tensor<?x1x3x3xf32>, tensor<2x1x2x2xf32>) outs(%z : tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%conv : tensor<?x2x2x2xf32>) outs(%e : tensor<?x2x2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<?x2x2x2xf32>
  return %relu : tensor<?x2x2x2xf32>
}

// A static batch of 3: the last run pads one zero sample, which is not
// counted (its zero pre-activations would add to piece 0).
// STATIC-LABEL: func.func @static
// STATIC: lin.profile = #lin.profile<relu, observed, samples = 8, counts = [4, 5, 4, 3], minimum = [-4.000000e+00, -1.000000e+00], maximum = [1.000000e+00, 4.000000e+00], axis = 1>
func.func @static(%x: tensor<3x1x3x3xf32>) -> tensor<3x2x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[[[1.0, 0.0], [0.0, 0.0]]], [[[-1.0, 0.0], [0.0, 0.0]]]]> : tensor<2x1x2x2xf32>
  %e = tensor.empty() : tensor<3x2x2x2xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<3x2x2x2xf32>) -> tensor<3x2x2x2xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%x, %w : tensor<3x1x3x3xf32>, tensor<2x1x2x2xf32>) outs(%z : tensor<3x2x2x2xf32>) -> tensor<3x2x2x2xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%conv : tensor<3x2x2x2xf32>) outs(%e : tensor<3x2x2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<3x2x2x2xf32>
  return %relu : tensor<3x2x2x2xf32>
}
