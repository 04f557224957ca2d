// RUN: lin-opt %s -split-input-file -verify-diagnostics --linearity-fold | FileCheck %s
// RUN: lin-opt %s -split-input-file --linearity-fold=verbose=1 -o /dev/null 2>&1 | FileCheck %s --check-prefix=TABLE

// The conv fold removes channels always in one constant piece (profiles with
// axis = 1 over NCHW activations), as torch-mlir spells convolutions: bias
// broadcast into the init, tensor.pad for padding, pooling named ops,
// collapse_shape + matmul for flatten -> Linear.

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// A clamp(-1, 1) layer without padding: channel 1 is always at the upper
// bound (1), channel 2 at the lower one (-1). Both leave the producer, and the
// consumer's bias gains c * sum of the channel's taps:
//   [0.25 + 1 * 10 - 1 * 2, -0.25 + 1 * 1 - 1 * 4] = [8.25, -3.25].
// CHECK-LABEL: func.func @clamp_no_padding
// CHECK: %[[W1:.*]] = arith.constant dense<5.000000e-01> : tensor<1x1x2x2xf32>
// CHECK: %[[B1:.*]] = arith.constant dense<1.000000e+00> : tensor<1xf32>
// CHECK: linalg.broadcast ins(%[[B1]] : tensor<1xf32>)
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins(%{{.*}}, %[[W1]] : tensor<?x1x4x4xf32>, tensor<1x1x2x2xf32>) {{.*}} -> tensor<?x1x3x3xf32>
// CHECK: linalg.generic
// CHECK-NOT: lin.profile
// CHECK: } -> tensor<?x1x3x3xf32>
// CHECK: %[[W2:.*]] = arith.constant dense<1.000000e+00> : tensor<2x1x2x2xf32>
// CHECK: %[[B2:.*]] = arith.constant dense<[8.250000e+00, -3.250000e+00]> : tensor<2xf32>
// CHECK: linalg.broadcast ins(%[[B2]] : tensor<2xf32>)
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins(%{{.*}}, %[[W2]] : tensor<?x1x3x3xf32>, tensor<2x1x2x2xf32>) {{.*}} -> tensor<?x2x2x2xf32>
// TABLE: {{^}}layer
// TABLE-NEXT: conv_clamp_0 3 0 2 1 1 15 5
// TABLE-NEXT: total parameters: 41 -> 15
func.func @clamp_no_padding(%x: tensor<?x1x4x4xf32>) -> tensor<?x2x2x2xf32> {
  %c0 = arith.constant 0 : index
  %lo = arith.constant -1.0 : f32
  %hi = arith.constant 1.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x1x4x4xf32>
  %w1 = arith.constant dense<0.5> : tensor<3x1x2x2xf32>
  %b1 = arith.constant dense<[1.0, 5.0, -5.0]> : tensor<3xf32>
  %w2 = arith.constant dense<[[[[1.0, 1.0], [1.0, 1.0]], [[1.0, 2.0], [3.0, 4.0]], [[0.5, 0.5], [0.5, 0.5]]],
                              [[[1.0, 1.0], [1.0, 1.0]], [[0.0, 0.0], [0.0, 1.0]], [[1.0, 1.0], [1.0, 1.0]]]]> : tensor<2x3x2x2xf32>
  %b2 = arith.constant dense<[0.25, -0.25]> : tensor<2xf32>
  %e1 = tensor.empty(%n) : tensor<?x3x3x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e1 : tensor<?x3x3x3xf32>) dimensions = [0, 2, 3]
  %z1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w1 : tensor<?x1x4x4xf32>, tensor<3x1x2x2xf32>) outs(%i1 : tensor<?x3x3x3xf32>) -> tensor<?x3x3x3xf32>
  // expected-remark @below {{channel 0 is kept although always in the identity piece: every other channel leaves, and a convolution needs one}}
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%z1 : tensor<?x3x3x3xf32>) outs(%e1 : tensor<?x3x3x3xf32>) attrs = {lin.profile = #lin.profile<clamp, observed, samples = 18, counts = [0, 0, 18, 18, 0, 0, 0, 18, 0], minimum = [-0.5, 4.0, -6.0], maximum = [0.5, 6.0, -4.0], axis = 1>} {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %lo : f32
    %r = arith.minimumf %m, %hi : f32
    linalg.yield %r : f32
  } -> tensor<?x3x3x3xf32>
  %e2 = tensor.empty(%n) : tensor<?x2x2x2xf32>
  %i2 = linalg.broadcast ins(%b2 : tensor<2xf32>) outs(%e2 : tensor<?x2x2x2xf32>) dimensions = [0, 2, 3]
  %z2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%a1, %w2 : tensor<?x3x3x3xf32>, tensor<2x3x2x2xf32>) outs(%i2 : tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32>
  return %z2 : tensor<?x2x2x2xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// The consumer pads with zeros: channel 0 (always at ReLU6's lower bound 0)
// is removed, channel 1 (always at 6) is kept, since the consumer reads 6
// inside and 0 at the border. Its zero padding loses the channel too.
// CHECK-LABEL: func.func @relu6_zero_padding
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} -> tensor<?x2x3x3xf32>
// CHECK: tensor.pad
// CHECK: } : tensor<?x2x3x3xf32> to tensor<?x2x5x5xf32>
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x2x5x5xf32>, tensor<1x2x3x3xf32>)
// TABLE: {{^}}layer
// TABLE-NEXT: conv_clamp_0 3 0 1 2 2 15 10
func.func @relu6_zero_padding(%x: tensor<?x1x4x4xf32>) -> tensor<?x1x3x3xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x1x4x4xf32>
  %w1 = arith.constant dense<0.5> : tensor<3x1x2x2xf32>
  %b1 = arith.constant dense<[-9.0, 9.0, 1.0]> : tensor<3xf32>
  %w2 = arith.constant dense<0.25> : tensor<1x3x3x3xf32>
  %b2 = arith.constant dense<0.5> : tensor<1xf32>
  %e1 = tensor.empty(%n) : tensor<?x3x3x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e1 : tensor<?x3x3x3xf32>) dimensions = [0, 2, 3]
  %z1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w1 : tensor<?x1x4x4xf32>, tensor<3x1x2x2xf32>) outs(%i1 : tensor<?x3x3x3xf32>) -> tensor<?x3x3x3xf32>
  // expected-remark @below {{1 constant channel(s) kept: its constant 6 meets the padding value 0 of 'tensor.pad', so the border differs}}
  // expected-remark @below {{1 channel(s) always in the identity piece kept: 'tensor.pad' lies between the activation and the convolution, so the composed kernel would not be exact}}
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%z1 : tensor<?x3x3x3xf32>) outs(%e1 : tensor<?x3x3x3xf32>) attrs = {lin.profile = #lin.profile<clamp, observed, samples = 18, counts = [18, 0, 0, 0, 0, 18, 0, 18, 0], minimum = [-9.0, 9.0, 1.0], maximum = [-8.0, 10.0, 2.0], axis = 1>} {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    %r = arith.minimumf %m, %six : f32
    linalg.yield %r : f32
  } -> tensor<?x3x3x3xf32>
  %p = tensor.pad %a1 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1_: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<?x3x3x3xf32> to tensor<?x3x5x5xf32>
  %e2 = tensor.empty(%n) : tensor<?x1x3x3xf32>
  %i2b = linalg.broadcast ins(%b2 : tensor<1xf32>) outs(%e2 : tensor<?x1x3x3xf32>) dimensions = [0, 2, 3]
  %z2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%p, %w2 : tensor<?x3x5x5xf32>, tensor<1x3x3x3xf32>) outs(%i2b : tensor<?x1x3x3xf32>) -> tensor<?x1x3x3xf32>
  return %z2 : tensor<?x1x3x3xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#m2 = affine_map<(d0, d1) -> (d0, d1)>
#b2 = affine_map<(d0, d1) -> (d1)>

// ReLU -> 2x2 max pooling -> flatten -> Linear (torch-mlir's transposed
// [out x in] weight): dead channel 1 leaves the conv, the pooling and its
// 2 * 2 columns of the Linear's weight; its constant 0 adds nothing.
// CHECK-LABEL: func.func @max_pool_flatten_linear
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} -> tensor<?x1x4x4xf32>
// CHECK: linalg.pooling_nchw_max {{.*}} outs(%{{.*}} : tensor<?x1x2x2xf32>)
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2, 3]] : tensor<?x1x2x2xf32> into tensor<?x4xf32>
// CHECK: %[[FC:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00], [9.000000e+00, 1.000000e+01, 1.100000e+01, 1.200000e+01]]> : tensor<2x4xf32>
// CHECK: linalg.transpose ins(%[[FC]] : tensor<2x4xf32>) outs(%{{.*}} : tensor<4x2xf32>) permutation = [1, 0]
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x4xf32>, tensor<4x2xf32>)
func.func @max_pool_flatten_linear(%x: tensor<?x1x5x5xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %n = tensor.dim %x, %c0 : tensor<?x1x5x5xf32>
  %w1 = arith.constant dense<0.5> : tensor<2x1x2x2xf32>
  %b1 = arith.constant dense<[1.0, -9.0]> : tensor<2xf32>
  %fc = arith.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0]]> : tensor<2x8xf32>
  %fb = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %e1 = tensor.empty(%n) : tensor<?x2x4x4xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<2xf32>) outs(%e1 : tensor<?x2x4x4xf32>) dimensions = [0, 2, 3]
  %z1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w1 : tensor<?x1x5x5xf32>, tensor<2x1x2x2xf32>) outs(%i1 : tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32>
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%z1 : tensor<?x2x4x4xf32>) outs(%e1 : tensor<?x2x4x4xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 32, counts = [5, 32, 27, 0], minimum = [-1.0, -12.0], maximum = [3.0, -7.0], axis = 1>} {
  ^bb0(%in: f32, %out: f32):
    %c = arith.cmpf ugt, %in, %zero : f32
    %r = arith.select %c, %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2x4x4xf32>
  %pe = tensor.empty(%n) : tensor<?x2x2x2xf32>
  %pf = linalg.fill ins(%ninf : f32) outs(%pe : tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %pool = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%a1, %win : tensor<?x2x4x4xf32>, tensor<2x2xf32>) outs(%pf : tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32>
  %flat = tensor.collapse_shape %pool [[0], [1, 2, 3]] : tensor<?x2x2x2xf32> into tensor<?x8xf32>
  %te = tensor.empty() : tensor<8x2xf32>
  %fct = linalg.transpose ins(%fc : tensor<2x8xf32>) outs(%te : tensor<8x2xf32>) permutation = [1, 0]
  %me = tensor.empty(%n) : tensor<?x2xf32>
  %mf = linalg.fill ins(%zero : f32) outs(%me : tensor<?x2xf32>) -> tensor<?x2xf32>
  %mm = linalg.matmul ins(%flat, %fct : tensor<?x8xf32>, tensor<8x2xf32>) outs(%mf : tensor<?x2xf32>) -> tensor<?x2xf32>
  %y = linalg.generic {indexing_maps = [#m2, #b2, #m2], iterator_types = ["parallel", "parallel"]} ins(%mm, %fb : tensor<?x2xf32>, tensor<2xf32>) outs(%me : tensor<?x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// Max pooling with padding pads with -inf; every 3x3 window with stride 2
// holds a real position, so channel 0, always at 1, stays 1 and moves into
// the 1x1 consumer's bias: 0.5 + 1 * 2 = 2.5.
// CHECK-LABEL: func.func @padded_max_pool
// CHECK: tensor.pad
// CHECK: } : tensor<?x1x4x4xf32> to tensor<?x1x6x6xf32>
// CHECK: %[[B:.*]] = arith.constant dense<2.500000e+00> : tensor<1xf32>
// CHECK: linalg.broadcast ins(%[[B]] : tensor<1xf32>)
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} tensor<?x1x2x2xf32>, tensor<1x1x1x1xf32>
func.func @padded_max_pool(%x: tensor<?x1x5x5xf32>) -> tensor<?x1x2x2xf32> {
  %c0 = arith.constant 0 : index
  %lo = arith.constant -1.0 : f32
  %hi = arith.constant 1.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %n = tensor.dim %x, %c0 : tensor<?x1x5x5xf32>
  %w1 = arith.constant dense<0.5> : tensor<2x1x2x2xf32>
  %b1 = arith.constant dense<[9.0, 0.0]> : tensor<2xf32>
  %w2 = arith.constant dense<[[[[2.0]], [[3.0]]]]> : tensor<1x2x1x1xf32>
  %b2 = arith.constant dense<0.5> : tensor<1xf32>
  %e1 = tensor.empty(%n) : tensor<?x2x4x4xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<2xf32>) outs(%e1 : tensor<?x2x4x4xf32>) dimensions = [0, 2, 3]
  %z1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w1 : tensor<?x1x5x5xf32>, tensor<2x1x2x2xf32>) outs(%i1 : tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32>
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%z1 : tensor<?x2x4x4xf32>) outs(%e1 : tensor<?x2x4x4xf32>) attrs = {lin.profile = #lin.profile<clamp, observed, samples = 32, counts = [0, 10, 0, 22, 32, 0], minimum = [8.0, -2.0], maximum = [10.0, 0.5], axis = 1>} {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %lo : f32
    %r = arith.minimumf %m, %hi : f32
    linalg.yield %r : f32
  } -> tensor<?x2x4x4xf32>
  %p = tensor.pad %a1 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1_: index, %i2: index, %i3: index):
    tensor.yield %ninf : f32
  } : tensor<?x2x4x4xf32> to tensor<?x2x6x6xf32>
  %pe = tensor.empty(%n) : tensor<?x2x2x2xf32>
  %pf = linalg.fill ins(%ninf : f32) outs(%pe : tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32>
  %win = tensor.empty() : tensor<3x3xf32>
  %pool = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%p, %win : tensor<?x2x6x6xf32>, tensor<3x3xf32>) outs(%pf : tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32>
  %e2 = tensor.empty(%n) : tensor<?x1x2x2xf32>
  %i2 = linalg.broadcast ins(%b2 : tensor<1xf32>) outs(%e2 : tensor<?x1x2x2xf32>) dimensions = [0, 2, 3]
  %z2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%pool, %w2 : tensor<?x2x2x2xf32>, tensor<1x2x1x1xf32>) outs(%i2 : tensor<?x1x2x2xf32>) -> tensor<?x1x2x2xf32>
  return %z2 : tensor<?x1x2x2xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// avg_pool2d as torch-mlir writes it: sum pooling, then a division by the
// window size. Channel 1, always at -1, sums to -4 and divides back to -1;
// the consumer has no bias (a zero fill) and gets one: -1 * 3 = -3.
// CHECK-LABEL: func.func @avg_pool_no_bias
// CHECK: linalg.pooling_nchw_sum {{.*}} outs(%{{.*}} : tensor<?x1x2x2xf32>)
// CHECK: arith.divf
// CHECK: %[[B:.*]] = arith.constant dense<-3.000000e+00> : tensor<1xf32>
// CHECK: linalg.broadcast ins(%[[B]] : tensor<1xf32>)
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} tensor<?x1x2x2xf32>, tensor<1x1x1x1xf32>
func.func @avg_pool_no_bias(%x: tensor<?x1x5x5xf32>) -> tensor<?x1x2x2xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %four = arith.constant 4.0 : f32
  %lo = arith.constant -1.0 : f32
  %hi = arith.constant 1.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x1x5x5xf32>
  %w1 = arith.constant dense<0.5> : tensor<2x1x2x2xf32>
  %b1 = arith.constant dense<[0.0, -9.0]> : tensor<2xf32>
  %w2 = arith.constant dense<[[[[2.0]], [[3.0]]]]> : tensor<1x2x1x1xf32>
  %e1 = tensor.empty(%n) : tensor<?x2x4x4xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<2xf32>) outs(%e1 : tensor<?x2x4x4xf32>) dimensions = [0, 2, 3]
  %z1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w1 : tensor<?x1x5x5xf32>, tensor<2x1x2x2xf32>) outs(%i1 : tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32>
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%z1 : tensor<?x2x4x4xf32>) outs(%e1 : tensor<?x2x4x4xf32>) attrs = {lin.profile = #lin.profile<clamp, observed, samples = 32, counts = [10, 32, 22, 0, 0, 0], minimum = [-2.0, -12.0], maximum = [0.5, -7.0], axis = 1>} {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %lo : f32
    %r = arith.minimumf %m, %hi : f32
    linalg.yield %r : f32
  } -> tensor<?x2x4x4xf32>
  %pe = tensor.empty(%n) : tensor<?x2x2x2xf32>
  %pf = linalg.fill ins(%zero : f32) outs(%pe : tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %sum = linalg.pooling_nchw_sum {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%a1, %win : tensor<?x2x4x4xf32>, tensor<2x2xf32>) outs(%pf : tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32>
  %avg = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sum : tensor<?x2x2x2xf32>) outs(%pe : tensor<?x2x2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %d = arith.divf %in, %four : f32
    linalg.yield %d : f32
  } -> tensor<?x2x2x2xf32>
  %e2 = tensor.empty(%n) : tensor<?x1x2x2xf32>
  %i2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x1x2x2xf32>) -> tensor<?x1x2x2xf32>
  %z2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%avg, %w2 : tensor<?x2x2x2xf32>, tensor<1x2x1x1xf32>) outs(%i2 : tensor<?x1x2x2xf32>) -> tensor<?x1x2x2xf32>
  return %z2 : tensor<?x1x2x2xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// Every channel is dead: one stays, since a convolution of no channels is no
// model.
// CHECK-LABEL: func.func @all_dead
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} -> tensor<?x1x3x3xf32>
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} tensor<?x1x3x3xf32>, tensor<1x1x3x3xf32>
func.func @all_dead(%x: tensor<?x1x4x4xf32>) -> tensor<?x1x1x1xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x1x4x4xf32>
  %w1 = arith.constant dense<0.5> : tensor<2x1x2x2xf32>
  %b1 = arith.constant dense<[-9.0, -8.0]> : tensor<2xf32>
  %w2 = arith.constant dense<0.25> : tensor<1x2x3x3xf32>
  %b2 = arith.constant dense<0.5> : tensor<1xf32>
  %e1 = tensor.empty(%n) : tensor<?x2x3x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<2xf32>) outs(%e1 : tensor<?x2x3x3xf32>) dimensions = [0, 2, 3]
  %z1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w1 : tensor<?x1x4x4xf32>, tensor<2x1x2x2xf32>) outs(%i1 : tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32>
  // expected-remark @below {{channel 0 is kept although constant: every channel is, and a convolution needs one}}
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%z1 : tensor<?x2x3x3xf32>) outs(%e1 : tensor<?x2x3x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 18, counts = [18, 18, 0, 0], minimum = [-10.0, -9.0], maximum = [-8.0, -7.0], axis = 1>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2x3x3xf32>
  %e2 = tensor.empty(%n) : tensor<?x1x1x1xf32>
  %i2 = linalg.broadcast ins(%b2 : tensor<1xf32>) outs(%e2 : tensor<?x1x1x1xf32>) dimensions = [0, 2, 3]
  %z2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%a1, %w2 : tensor<?x2x3x3xf32>, tensor<1x2x3x3xf32>) outs(%i2 : tensor<?x1x1x1xf32>) -> tensor<?x1x1x1xf32>
  return %z2 : tensor<?x1x1x1xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// The layers the conv fold leaves as they are, each with its reason; the
// IR is unchanged.
// CHECK-LABEL: func.func @returned_activation
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} -> tensor<?x2x3x3xf32>
func.func @returned_activation(%x: tensor<?x1x4x4xf32>) -> tensor<?x2x3x3xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x1x4x4xf32>
  %w1 = arith.constant dense<0.5> : tensor<2x1x2x2xf32>
  %b1 = arith.constant dense<[-9.0, 1.0]> : tensor<2xf32>
  %e1 = tensor.empty(%n) : tensor<?x2x3x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<2xf32>) outs(%e1 : tensor<?x2x3x3xf32>) dimensions = [0, 2, 3]
  %z1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w1 : tensor<?x1x4x4xf32>, tensor<2x1x2x2xf32>) outs(%i1 : tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32>
  // expected-remark @below {{not folded: its value is used by 'func.return', which the conv fold does not look through}}
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%z1 : tensor<?x2x3x3xf32>) outs(%e1 : tensor<?x2x3x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 18, counts = [18, 0, 0, 18], minimum = [-10.0, 1.0], maximum = [-8.0, 2.0], axis = 1>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2x3x3xf32>
  return %a1 : tensor<?x2x3x3xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// CHECK-LABEL: func.func @filter_argument
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} -> tensor<?x2x3x3xf32>
func.func @filter_argument(%x: tensor<?x1x4x4xf32>, %w1: tensor<2x1x2x2xf32>) -> tensor<?x1x2x2xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x1x4x4xf32>
  %b1 = arith.constant dense<[-9.0, 1.0]> : tensor<2xf32>
  %w2 = arith.constant dense<0.25> : tensor<1x2x2x2xf32>
  %e1 = tensor.empty(%n) : tensor<?x2x3x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<2xf32>) outs(%e1 : tensor<?x2x3x3xf32>) dimensions = [0, 2, 3]
  %z1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w1 : tensor<?x1x4x4xf32>, tensor<2x1x2x2xf32>) outs(%i1 : tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32>
  // expected-remark @below {{not folded: the filter of 'linalg.conv_2d_nchw_fchw' is not a constant it alone reads}}
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%z1 : tensor<?x2x3x3xf32>) outs(%e1 : tensor<?x2x3x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 18, counts = [18, 0, 0, 18], minimum = [-10.0, 1.0], maximum = [-8.0, 2.0], axis = 1>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2x3x3xf32>
  %e2 = tensor.empty(%n) : tensor<?x1x2x2xf32>
  %i2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x1x2x2xf32>) -> tensor<?x1x2x2xf32>
  %z2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%a1, %w2 : tensor<?x2x3x3xf32>, tensor<1x2x2x2xf32>) outs(%i2 : tensor<?x1x2x2xf32>) -> tensor<?x1x2x2xf32>
  return %z2 : tensor<?x1x2x2xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// A residual add reads the activation: not a channel-wise op the fold can
// carry a constant through.
// CHECK-LABEL: func.func @residual_add
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} -> tensor<?x2x3x3xf32>
func.func @residual_add(%x: tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x2x3x3xf32>
  %w1 = arith.constant dense<0.5> : tensor<2x2x1x1xf32>
  %b1 = arith.constant dense<[-9.0, 1.0]> : tensor<2xf32>
  %e1 = tensor.empty(%n) : tensor<?x2x3x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<2xf32>) outs(%e1 : tensor<?x2x3x3xf32>) dimensions = [0, 2, 3]
  %z1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w1 : tensor<?x2x3x3xf32>, tensor<2x2x1x1xf32>) outs(%i1 : tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32>
  // expected-remark @below {{not folded: its value reaches a 'linalg.generic' that is not a multiplication or division by a scalar constant}}
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%z1 : tensor<?x2x3x3xf32>) outs(%e1 : tensor<?x2x3x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 18, counts = [18, 0, 0, 18], minimum = [-10.0, 1.0], maximum = [-8.0, 2.0], axis = 1>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2x3x3xf32>
  %sum = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%a1, %x : tensor<?x2x3x3xf32>, tensor<?x2x3x3xf32>) outs(%e1 : tensor<?x2x3x3xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    linalg.yield %s : f32
  } -> tensor<?x2x3x3xf32>
  return %sum : tensor<?x2x3x3xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// CHECK-LABEL: func.func @no_conv_producer
// CHECK: linalg.generic
func.func @no_conv_producer(%x: tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  // expected-remark @below {{not folded: its input is not computed by 'linalg.conv_2d_nchw_fchw'}}
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<?x2x3x3xf32>) outs(%x : tensor<?x2x3x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 18, counts = [18, 0, 0, 18], minimum = [-10.0, 1.0], maximum = [-8.0, 2.0], axis = 1>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2x3x3xf32>
  return %a1 : tensor<?x2x3x3xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// Channels 0 and 2 are always active: they merge into a skip convolution of
// the producer's input, kernel K = W2[:, J] composed with W1[J] (1x1 then 2x2:
// 2x2), K[0, 0] = 2 * [1, 2, 3, 4] + 4 * [0.5, 0.5, 0.5, 0.5] = [4, 6, 8, 10],
// and their biases pass into the consumer's: 0.25 + 0.5 * 10 + 1.5 * 2 = 8.25.
// The consumer accumulates the kept channel on the skip's result.
// CHECK-LABEL: func.func @merge_identity
// CHECK: %[[W1:.*]] = arith.constant dense<3.000000e+00> : tensor<1x1x1x1xf32>
// CHECK: %[[B1:.*]] = arith.constant dense<-1.000000e+00> : tensor<1xf32>
// CHECK: linalg.broadcast ins(%[[B1]]
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins(%[[X:.*]], %[[W1]] : {{.*}} -> tensor<?x1x4x4xf32>
// CHECK: %[[ACT:.*]] = linalg.generic
// CHECK: %[[W2:.*]] = arith.constant dense<1.000000e+00> : tensor<1x1x2x2xf32>
// CHECK: %[[B2:.*]] = arith.constant dense<8.250000e+00> : tensor<1xf32>
// CHECK: %[[BIAS:.*]] = linalg.broadcast ins(%[[B2]]
// CHECK: %[[K:.*]] = arith.constant dense<{{\[\[\[\[}}4.000000e+00, 6.000000e+00], [8.000000e+00, 1.000000e+01]]]]> : tensor<1x1x2x2xf32>
// CHECK: %[[SKIP:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%[[X]], %[[K]] : tensor<?x1x4x4xf32>, tensor<1x1x2x2xf32>) outs(%[[BIAS]] : tensor<?x1x3x3xf32>)
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins(%[[ACT]], %[[W2]] : tensor<?x1x4x4xf32>, tensor<1x1x2x2xf32>) outs(%[[SKIP]] : tensor<?x1x3x3xf32>)
// TABLE: conv_relu_0 3 2 0 1 1 6 6
// TABLE-NEXT: total parameters: 19 -> 11
func.func @merge_identity(%x: tensor<?x1x4x4xf32>) -> tensor<?x1x3x3xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x1x4x4xf32>
  %w1 = arith.constant dense<[[[[2.0]]], [[[3.0]]], [[[4.0]]]]> : tensor<3x1x1x1xf32>
  %b1 = arith.constant dense<[0.5, -1.0, 1.5]> : tensor<3xf32>
  %w2 = arith.constant dense<[[[[1.0, 2.0], [3.0, 4.0]], [[1.0, 1.0], [1.0, 1.0]], [[0.5, 0.5], [0.5, 0.5]]]]> : tensor<1x3x2x2xf32>
  %b2 = arith.constant dense<0.25> : tensor<1xf32>
  %e1 = tensor.empty(%n) : tensor<?x3x4x4xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e1 : tensor<?x3x4x4xf32>) dimensions = [0, 2, 3]
  %z1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w1 : tensor<?x1x4x4xf32>, tensor<3x1x1x1xf32>) outs(%i1 : tensor<?x3x4x4xf32>) -> tensor<?x3x4x4xf32>
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%z1 : tensor<?x3x4x4xf32>) outs(%e1 : tensor<?x3x4x4xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 32, counts = [0, 16, 0, 32, 16, 32], minimum = [0.5, -2.0, 1.5], maximum = [3.0, 2.0, 4.0], axis = 1>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x3x4x4xf32>
  %e2 = tensor.empty(%n) : tensor<?x1x3x3xf32>
  %i2 = linalg.broadcast ins(%b2 : tensor<1xf32>) outs(%e2 : tensor<?x1x3x3xf32>) dimensions = [0, 2, 3]
  %z2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%a1, %w2 : tensor<?x3x4x4xf32>, tensor<1x3x2x2xf32>) outs(%i2 : tensor<?x1x3x3xf32>) -> tensor<?x1x3x3xf32>
  return %z2 : tensor<?x1x3x3xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// A merge that does not pay: the composed 4x4 kernel (2x2 then 3x3) for two
// outputs holds more weights than the identity channel frees.
// CHECK-LABEL: func.func @merge_does_not_pay
// CHECK-COUNT-2: linalg.conv_2d_nchw_fchw
// CHECK-NOT: linalg.conv_2d_nchw_fchw
func.func @merge_does_not_pay(%x: tensor<?x1x4x4xf32>) -> tensor<?x2x1x1xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x1x4x4xf32>
  %w1 = arith.constant dense<0.5> : tensor<2x1x2x2xf32>
  %b1 = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %w2 = arith.constant dense<1.0> : tensor<2x2x3x3xf32>
  %b2 = arith.constant dense<[0.25, -0.25]> : tensor<2xf32>
  %e1 = tensor.empty(%n) : tensor<?x2x3x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<2xf32>) outs(%e1 : tensor<?x2x3x3xf32>) dimensions = [0, 2, 3]
  %z1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w1 : tensor<?x1x4x4xf32>, tensor<2x1x2x2xf32>) outs(%i1 : tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32>
  // expected-remark @below {{1 channel(s) always in the identity piece kept: a skip convolution of 32 weights would free only 23}}
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%z1 : tensor<?x2x3x3xf32>) outs(%e1 : tensor<?x2x3x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 18, counts = [0, 9, 18, 9], minimum = [0.5, -1.0], maximum = [3.0, 4.0], axis = 1>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2x3x3xf32>
  %e2 = tensor.empty(%n) : tensor<?x2x1x1xf32>
  %i2 = linalg.broadcast ins(%b2 : tensor<2xf32>) outs(%e2 : tensor<?x2x1x1xf32>) dimensions = [0, 2, 3]
  %z2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%a1, %w2 : tensor<?x2x3x3xf32>, tensor<2x2x3x3xf32>) outs(%i2 : tensor<?x2x1x1xf32>) -> tensor<?x2x1x1xf32>
  return %z2 : tensor<?x2x1x1xf32>
}
