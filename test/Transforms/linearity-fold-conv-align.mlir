// RUN: lin-opt %s -split-input-file -verify-diagnostics --linearity-fold | FileCheck %s --check-prefix=ALIGN16
// RUN: lin-opt %s -split-input-file --linearity-fold=align=2 2>&1 | FileCheck %s --check-prefix=ALIGN2
// RUN: lin-opt %s -split-input-file --linearity-fold=align=1 2>&1 | FileCheck %s --check-prefix=ALIGN1

// The conv fold honours `align`: a layer whose kept channels the fold would
// leave at a count that is not a multiple of it (when the producer's filter
// holds >= 8192 elements, FoldAlignment.h) keeps removable channels until it
// is. 32 channels of a 32-input 3x3 convolution, 29-31 always in ReLU's
// constant piece (0): align=16 keeps all 32 (no multiple of 16 lies between
// 29 and 32), align=2 keeps 30 (channel 29 stays, 30 and 31 leave), align=1
// removes all three. Keeping a constant channel is exact.

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// ALIGN16-LABEL: func.func @relu_dead_channels
// ALIGN16: linalg.conv_2d_nchw_fchw {{.*}} tensor<32x32x3x3xf32>) {{.*}} -> tensor<?x32x3x3xf32>
// ALIGN16: linalg.conv_2d_nchw_fchw {{.*}} tensor<1x32x3x3xf32>) {{.*}} -> tensor<?x1x1x1xf32>
// ALIGN2: remark: 1 constant channel(s) kept: 30 channels are a multiple of align=2
// ALIGN2-LABEL: func.func @relu_dead_channels
// ALIGN2: linalg.conv_2d_nchw_fchw {{.*}} tensor<30x32x3x3xf32>) {{.*}} -> tensor<?x30x3x3xf32>
// ALIGN2: linalg.conv_2d_nchw_fchw {{.*}} tensor<1x30x3x3xf32>) {{.*}} -> tensor<?x1x1x1xf32>
// ALIGN1-NOT: remark
// ALIGN1-LABEL: func.func @relu_dead_channels
// ALIGN1: linalg.conv_2d_nchw_fchw {{.*}} tensor<29x32x3x3xf32>) {{.*}} -> tensor<?x29x3x3xf32>
// ALIGN1: linalg.conv_2d_nchw_fchw {{.*}} tensor<1x29x3x3xf32>) {{.*}} -> tensor<?x1x1x1xf32>
func.func @relu_dead_channels(%x: tensor<?x32x5x5xf32>) -> tensor<?x1x1x1xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x32x5x5xf32>
  %w1 = arith.constant dense<0.125> : tensor<32x32x3x3xf32>
  %b1 = arith.constant dense<0.5> : tensor<32xf32>
  %w2 = arith.constant dense<0.25> : tensor<1x32x3x3xf32>
  %b2 = arith.constant dense<0.5> : tensor<1xf32>
  %e1 = tensor.empty(%n) : tensor<?x32x3x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<32xf32>) outs(%e1 : tensor<?x32x3x3xf32>) dimensions = [0, 2, 3]
  %z1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w1 : tensor<?x32x5x5xf32>, tensor<32x32x3x3xf32>) outs(%i1 : tensor<?x32x3x3xf32>) -> tensor<?x32x3x3xf32>
  // expected-remark @below {{3 constant channel(s) kept: 32 channels are a multiple of align=16}}
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%z1 : tensor<?x32x3x3xf32>) outs(%e1 : tensor<?x32x3x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 18, counts = [9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 18, 18, 18, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 0, 0, 0], minimum = [-1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -2.0, -2.0, -2.0], maximum = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, -1.0, -1.0, -1.0], axis = 1>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x32x3x3xf32>
  %e2 = tensor.empty(%n) : tensor<?x1x1x1xf32>
  %i2 = linalg.broadcast ins(%b2 : tensor<1xf32>) outs(%e2 : tensor<?x1x1x1xf32>) dimensions = [0, 2, 3]
  %z2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%a1, %w2 : tensor<?x32x3x3xf32>, tensor<1x32x3x3xf32>) outs(%i2 : tensor<?x1x1x1xf32>) -> tensor<?x1x1x1xf32>
  return %z2 : tensor<?x1x1x1xf32>
}

// -----

// Identity channels merge into a skip convolution only while the kept count
// stays a multiple of align: channels 29-31 always in ReLU's identity piece
// (the skip conv 64 -> 1 of 576 weights frees 1,734): align=16 merges none,
// align=2 merges two (30 kept), align=1 all three (29 kept).
// ALIGN16-LABEL: func.func @relu_identity_channels
// ALIGN16: linalg.conv_2d_nchw_fchw {{.*}} tensor<32x64x3x3xf32>) {{.*}} -> tensor<?x32x3x3xf32>
// ALIGN16-NOT: tensor<1x64x3x3xf32>
// ALIGN2: remark: 1 channel(s) always in the identity piece kept: 30 channels are a multiple of align=2
// ALIGN2-LABEL: func.func @relu_identity_channels
// ALIGN2: linalg.conv_2d_nchw_fchw {{.*}} tensor<30x64x3x3xf32>) {{.*}} -> tensor<?x30x3x3xf32>
// ALIGN2: linalg.conv_2d_nchw_fchw {{.*}} tensor<1x64x3x3xf32>) {{.*}} -> tensor<?x1x3x3xf32>
// ALIGN2: linalg.conv_2d_nchw_fchw {{.*}} tensor<1x30x1x1xf32>) {{.*}} -> tensor<?x1x3x3xf32>
// ALIGN1-LABEL: func.func @relu_identity_channels
// ALIGN1: linalg.conv_2d_nchw_fchw {{.*}} tensor<29x64x3x3xf32>) {{.*}} -> tensor<?x29x3x3xf32>
// ALIGN1: linalg.conv_2d_nchw_fchw {{.*}} tensor<1x64x3x3xf32>) {{.*}} -> tensor<?x1x3x3xf32>
// ALIGN1: linalg.conv_2d_nchw_fchw {{.*}} tensor<1x29x1x1xf32>) {{.*}} -> tensor<?x1x3x3xf32>

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

func.func @relu_identity_channels(%x: tensor<?x64x5x5xf32>) -> tensor<?x1x3x3xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x64x5x5xf32>
  %w1 = arith.constant dense<0.125> : tensor<32x64x3x3xf32>
  %b1 = arith.constant dense<0.5> : tensor<32xf32>
  %w2 = arith.constant dense<0.25> : tensor<1x32x1x1xf32>
  %b2 = arith.constant dense<0.5> : tensor<1xf32>
  %e1 = tensor.empty(%n) : tensor<?x32x3x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<32xf32>) outs(%e1 : tensor<?x32x3x3xf32>) dimensions = [0, 2, 3]
  %z1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w1 : tensor<?x64x5x5xf32>, tensor<32x64x3x3xf32>) outs(%i1 : tensor<?x32x3x3xf32>) -> tensor<?x32x3x3xf32>
  // expected-remark @below {{3 channel(s) always in the identity piece kept: 32 channels are a multiple of align=16}}
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%z1 : tensor<?x32x3x3xf32>) outs(%e1 : tensor<?x32x3x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 18, counts = [9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 18, 18, 18], minimum = [-1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, 1.0, 1.0, 1.0], maximum = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0], axis = 1>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x32x3x3xf32>
  %e2 = tensor.empty(%n) : tensor<?x1x3x3xf32>
  %i2 = linalg.broadcast ins(%b2 : tensor<1xf32>) outs(%e2 : tensor<?x1x3x3xf32>) dimensions = [0, 2, 3]
  %z2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%a1, %w2 : tensor<?x32x3x3xf32>, tensor<1x32x1x1xf32>) outs(%i2 : tensor<?x1x3x3xf32>) -> tensor<?x1x3x3xf32>
  return %z2 : tensor<?x1x3x3xf32>
}
