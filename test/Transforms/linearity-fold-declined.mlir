// RUN: lin-opt %s -split-input-file -verify-diagnostics --linearity-fold | FileCheck %s

// Folds lin declines: the IR stays as it was and a remark says why.

// CHECK-LABEL: func.func @returned_activation
// CHECK: return %{{.*}} : tensor<?x2xf32>
func.func @returned_activation(%x: tensor<?x1xf32>) -> tensor<?x2xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x1xf32>
  %w1 = arith.constant dense<[[1.0, 1.0]]> : tensor<1x2xf32>
  %b1 = arith.constant dense<[5.0, -5.0]> : tensor<2xf32>
  %e1 = tensor.empty(%n) : tensor<?x2xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x1xf32>, tensor<1x2xf32>) outs(%f1 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %z1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<?x2xf32>, tensor<2xf32>) outs(%e1 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  // expected-remark @below {{not folded: its value is used by 'func.return', which is not part of an affine layer with constant weights}}
  %a1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%z1 : tensor<?x2xf32>) outs(%e1 : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 4, counts = [0, 4, 4, 0], minimum = [1.0, -2.0], maximum = [2.0, -1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  return %a1 : tensor<?x2xf32>
}

// -----

// CHECK-LABEL: func.func @weight_argument
// CHECK-COUNT-2: linalg.matmul
func.func @weight_argument(%x: tensor<?x1xf32>, %w: tensor<1x2xf32>) -> tensor<?x1xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x1xf32>
  %b1 = arith.constant dense<[5.0, -5.0]> : tensor<2xf32>
  %e1 = tensor.empty(%n) : tensor<?x2xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m1 = linalg.matmul ins(%x, %w : tensor<?x1xf32>, tensor<1x2xf32>) outs(%f1 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %z1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<?x2xf32>, tensor<2xf32>) outs(%e1 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  // expected-remark @below {{not folded: its pre-activation is not an affine layer: linalg.matmul whose weight operand is not a constant}}
  %a1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%z1 : tensor<?x2xf32>) outs(%e1 : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 4, counts = [0, 4, 4, 0], minimum = [1.0, -2.0], maximum = [2.0, -1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  %w2 = arith.constant dense<[[1.0], [1.0]]> : tensor<2x1xf32>
  %b2 = arith.constant dense<[0.0]> : tensor<1xf32>
  %e2 = tensor.empty(%n) : tensor<?x1xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x1xf32>) -> tensor<?x1xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x2xf32>, tensor<2x1xf32>) outs(%f2 : tensor<?x1xf32>) -> tensor<?x1xf32>
  %z2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m2, %b2 : tensor<?x1xf32>, tensor<1xf32>) outs(%e2 : tensor<?x1xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x1xf32>
  return %z2 : tensor<?x1xf32>
}

// -----

// CHECK-LABEL: func.func @non_affine_consumer
// CHECK: linalg.exp
func.func @non_affine_consumer(%x: tensor<?x1xf32>) -> tensor<?x2xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x1xf32>
  %w1 = arith.constant dense<[[1.0, 1.0]]> : tensor<1x2xf32>
  %b1 = arith.constant dense<[5.0, -5.0]> : tensor<2xf32>
  %e1 = tensor.empty(%n) : tensor<?x2xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x1xf32>, tensor<1x2xf32>) outs(%f1 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %z1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<?x2xf32>, tensor<2xf32>) outs(%e1 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  // expected-remark @below {{not folded: its value is used by 'linalg.exp'}}
  %a1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%z1 : tensor<?x2xf32>) outs(%e1 : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 4, counts = [0, 4, 4, 0], minimum = [1.0, -2.0], maximum = [2.0, -1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  %ex = linalg.exp ins(%a1 : tensor<?x2xf32>) outs(%e1 : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %ex : tensor<?x2xf32>
}

// -----

// CHECK-LABEL: func.func @not_an_activation
// CHECK: math.exp
func.func @not_an_activation(%z: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %e = tensor.empty() : tensor<4x2xf32>
  // expected-remark @below {{not folded: the profiled op is not a recognised piecewise-linear activation: the body contains 'math.exp', which is not piecewise linear}}
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%z : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 4, counts = [0, 4, 4, 0], minimum = [1.0, -2.0], maximum = [2.0, -1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %x = math.exp %in : f32
    linalg.yield %x : f32
  } -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

// CHECK-LABEL: func.func @kind_mismatch
// CHECK: arith.maximumf
func.func @kind_mismatch(%z: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  // expected-remark @below {{not folded: the profile is for 'leaky_relu' but the op computes 'relu'}}
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%z : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) attrs = {lin.profile = #lin.profile<leaky_relu, observed, samples = 4, counts = [0, 4, 4, 0], minimum = [1.0, -2.0], maximum = [2.0, -1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %x = arith.maximumf %in, %zero : f32
    linalg.yield %x : f32
  } -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}
