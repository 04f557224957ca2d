// RUN: lin-opt %s -split-input-file --linearity-fold="activation-layout=batch-major weight-layout=in-out" | FileCheck %s
// RUN: lin-opt %s -split-input-file --linearity-fold="activation-layout=batch-major weight-layout=in-out policy=all" | FileCheck %s --check-prefix=ALL
// The output is plain upstream IR.
// RUN: lin-opt %s -split-input-file --linearity-fold="activation-layout=batch-major weight-layout=in-out" | mlir-opt -split-input-file | FileCheck %s --check-prefix=UPSTREAM
// UPSTREAM-NOT: lin.profile

// Hand-computed folds. Weights are in `x @ W` layout ([in x out]); every
// profile below says which piece each neuron stays in.

// The whole hidden layer is dead: only the output bias remains.
// CHECK-LABEL: func.func @all_dead
// CHECK-NOT: linalg.matmul
// CHECK: %[[BIAS:.*]] = arith.constant dense<[5.000000e-01, -5.000000e-01]> : tensor<2xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[BIAS]] :
// CHECK-NOT: linalg.matmul
// CHECK: return
func.func @all_dead(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %w1 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b1 = arith.constant dense<[-10.0, -20.0]> : tensor<2xf32>
  %e1 = tensor.empty(%n) : tensor<?x2xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x2xf32>, tensor<2x2xf32>) outs(%f1 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %z1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<?x2xf32>, tensor<2xf32>) outs(%e1 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  %a1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%z1 : tensor<?x2xf32>) outs(%e1 : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 5, counts = [5, 5, 0, 0], minimum = [-12.0, -25.0], maximum = [-8.0, -15.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  %w2 = arith.constant dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>
  %b2 = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %e2 = tensor.empty(%n) : tensor<?x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x2xf32>, tensor<2x2xf32>) outs(%f2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %z2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m2, %b2 : tensor<?x2xf32>, tensor<2xf32>) outs(%e2 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  return %z2 : tensor<?x2xf32>
}

// -----

// Leaky ReLU: neuron 0 always on the 0.25 slope, neuron 1 always on the
// identity: y = 4 (0.25 (2x - 1)) + 5 (3x + 1) + 1 = 17x + 5.
// CHECK-LABEL: func.func @leaky_both_sides
// CHECK: %[[W:.*]] = arith.constant dense<1.700000e+01> : tensor<1x1xf32>
// CHECK: %[[MM:.*]] = linalg.matmul ins(%arg0, %[[W]] :
// CHECK: %[[B:.*]] = arith.constant dense<5.000000e+00> : tensor<1xf32>
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%[[MM]], %[[B]] :
// CHECK-NOT: arith.select
// CHECK: return %[[Y]]
func.func @leaky_both_sides(%x: tensor<?x1xf32>) -> tensor<?x1xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x1xf32>
  %w1 = arith.constant dense<[[2.0, 3.0]]> : tensor<1x2xf32>
  %b1 = arith.constant dense<[-1.0, 1.0]> : tensor<2xf32>
  %e1 = tensor.empty(%n) : tensor<?x2xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x1xf32>, tensor<1x2xf32>) outs(%f1 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %z1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<?x2xf32>, tensor<2xf32>) outs(%e1 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  %a1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%z1 : tensor<?x2xf32>) outs(%e1 : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<leaky_relu, observed, samples = 4, counts = [4, 0, 0, 4], minimum = [-5.0, 0.5], maximum = [-1.0, 4.0]>} {
  ^bb0(%in: f32, %out: f32):
    %k = arith.constant 0.25 : f32
    %p = arith.cmpf ugt, %in, %zero : f32
    %q = arith.mulf %in, %k : f32
    %r = arith.select %p, %in, %q : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  %w2 = arith.constant dense<[[4.0], [5.0]]> : tensor<2x1xf32>
  %b2 = arith.constant dense<[1.0]> : tensor<1xf32>
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

// Clamp [-1, 2]: neuron 0 saturated low (-1 * 1), neuron 1 saturated high
// (2 * 10), neuron 2 inside (merged: 100 (x + 0.5)), neuron 3 kept:
// y = 1000 clamp(x) + 100 x + 69.
// CHECK-LABEL: func.func @clamp_pieces
// CHECK: %[[W1:.*]] = arith.constant dense<1.000000e+00> : tensor<1x1xf32>
// CHECK: %[[Z:.*]] = linalg.matmul ins(%arg0, %[[W1]] :
// The kept neuron's bias is 0: no bias add.
// CHECK-NOT: tensor<1xf32>
// CHECK: %[[A:.*]] = linalg.generic {{.*}} ins(%[[Z]] : tensor<?x1xf32>)
// CHECK: arith.maximumf %{{.*}}, %{{.*}}
// CHECK: arith.minimumf
// CHECK: %[[W2:.*]] = arith.constant dense<1.000000e+03> : tensor<1x1xf32>
// CHECK: %[[KEPT:.*]] = linalg.matmul ins(%[[A]], %[[W2]] :
// CHECK: %[[SKIPW:.*]] = arith.constant dense<1.000000e+02> : tensor<1x1xf32>
// CHECK: %[[SKIP:.*]] = linalg.matmul ins(%arg0, %[[SKIPW]] : {{.*}}) outs(%[[KEPT]] :
// CHECK: %[[B:.*]] = arith.constant dense<6.900000e+01> : tensor<1xf32>
// CHECK: linalg.generic {{.*}} ins(%[[SKIP]], %[[B]] :
func.func @clamp_pieces(%x: tensor<?x1xf32>) -> tensor<?x1xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x1xf32>
  %w1 = arith.constant dense<[[1.0, 1.0, 1.0, 1.0]]> : tensor<1x4xf32>
  %b1 = arith.constant dense<[-9.0, 9.0, 0.5, 0.0]> : tensor<4xf32>
  %e1 = tensor.empty(%n) : tensor<?x4xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x1xf32>, tensor<1x4xf32>) outs(%f1 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %z1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<?x4xf32>, tensor<4xf32>) outs(%e1 : tensor<?x4xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x4xf32>
  %a1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%z1 : tensor<?x4xf32>) outs(%e1 : tensor<?x4xf32>) attrs = {lin.profile = #lin.profile<clamp, observed, samples = 3, counts = [3, 0, 0, 1, 0, 0, 3, 2, 0, 3, 0, 0], minimum = [-10.0, 8.0, 0.0, -3.0], maximum = [-8.0, 10.0, 1.0, 0.0]>} {
  ^bb0(%in: f32, %out: f32):
    %lo = arith.constant -1.0 : f32
    %hi = arith.constant 2.0 : f32
    %l = arith.maximumf %in, %lo : f32
    %r = arith.minimumf %l, %hi : f32
    linalg.yield %r : f32
  } -> tensor<?x4xf32>
  %w2 = arith.constant dense<[[1.0], [10.0], [100.0], [1000.0]]> : tensor<4x1xf32>
  %b2 = arith.constant dense<[0.0]> : tensor<1xf32>
  %e2 = tensor.empty(%n) : tensor<?x1xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x1xf32>) -> tensor<?x1xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x4xf32>, tensor<4x1xf32>) outs(%f2 : tensor<?x1xf32>) -> tensor<?x1xf32>
  %z2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m2, %b2 : tensor<?x1xf32>, tensor<1xf32>) outs(%e2 : tensor<?x1xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x1xf32>
  return %z2 : tensor<?x1xf32>
}

// -----

// Two folded layers: the skip out of layer 2 reaches back through layer 1
// to the input. By hand: z2 = a1' [2 1] + x [[1 -1] [3 -3]] + [15 -10], so
// y = 7 a2' + 3 z2[0] = 7 a2' + 6 a1' + x [3 9]^T + 45.
// CHECK-LABEL: func.func @chain_of_two
// CHECK: %[[W1:.*]] = arith.constant dense<{{\[}}[2.000000e+00], [4.000000e+00]]> : tensor<2x1xf32>
// CHECK: linalg.matmul ins(%arg0, %[[W1]] :
// CHECK: %[[A1:.*]] = linalg.generic {{.*}} ins(%{{[0-9]+}} : tensor<?x1xf32>)
// CHECK: %[[W2:.*]] = arith.constant dense<1.000000e+00> : tensor<1x1xf32>
// CHECK: %[[M2:.*]] = linalg.matmul ins(%[[A1]], %[[W2]] :
// CHECK: %[[S2:.*]] = arith.constant dense<{{\[}}[-1.000000e+00], [-3.000000e+00]]> : tensor<2x1xf32>
// CHECK: linalg.matmul ins(%arg0, %[[S2]] : {{.*}}) outs(%[[M2]] :
// CHECK: arith.constant dense<-1.000000e+01> : tensor<1xf32>
// CHECK: %[[A2:.*]] = linalg.generic {{.*}} ins(%{{[0-9]+}} : tensor<?x1xf32>)
// CHECK: %[[W3:.*]] = arith.constant dense<7.000000e+00> : tensor<1x1xf32>
// CHECK: %[[M3:.*]] = linalg.matmul ins(%[[A2]], %[[W3]] :
// CHECK: %[[S31:.*]] = arith.constant dense<6.000000e+00> : tensor<1x1xf32>
// CHECK: %[[M31:.*]] = linalg.matmul ins(%[[A1]], %[[S31]] : {{.*}}) outs(%[[M3]] :
// CHECK: %[[S30:.*]] = arith.constant dense<{{\[}}[3.000000e+00], [9.000000e+00]]> : tensor<2x1xf32>
// CHECK: %[[M30:.*]] = linalg.matmul ins(%arg0, %[[S30]] : {{.*}}) outs(%[[M31]] :
// CHECK: %[[B:.*]] = arith.constant dense<4.500000e+01> : tensor<1xf32>
// CHECK: linalg.generic {{.*}} ins(%[[M30]], %[[B]] :
func.func @chain_of_two(%x: tensor<?x2xf32>) -> tensor<?x1xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %w1 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b1 = arith.constant dense<[10.0, 0.0]> : tensor<2xf32>
  %e1 = tensor.empty(%n) : tensor<?x2xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x2xf32>, tensor<2x2xf32>) outs(%f1 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %z1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<?x2xf32>, tensor<2xf32>) outs(%e1 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  %a1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%z1 : tensor<?x2xf32>) outs(%e1 : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 6, counts = [0, 3, 6, 3], minimum = [1.0, -1.0], maximum = [5.0, 1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  %w2 = arith.constant dense<[[1.0, -1.0], [2.0, 1.0]]> : tensor<2x2xf32>
  %b2 = arith.constant dense<[5.0, 0.0]> : tensor<2xf32>
  %e2 = tensor.empty(%n) : tensor<?x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x2xf32>, tensor<2x2xf32>) outs(%f2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %z2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m2, %b2 : tensor<?x2xf32>, tensor<2xf32>) outs(%e2 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  %a2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%z2 : tensor<?x2xf32>) outs(%e2 : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 6, counts = [0, 2, 6, 4], minimum = [1.0, -1.0], maximum = [5.0, 1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  %w3 = arith.constant dense<[[3.0], [7.0]]> : tensor<2x1xf32>
  %b3 = arith.constant dense<[0.0]> : tensor<1xf32>
  %e3 = tensor.empty(%n) : tensor<?x1xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<?x1xf32>) -> tensor<?x1xf32>
  %m3 = linalg.matmul ins(%a2, %w3 : tensor<?x2xf32>, tensor<2x1xf32>) outs(%f3 : tensor<?x1xf32>) -> tensor<?x1xf32>
  %z3 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m3, %b3 : tensor<?x1xf32>, tensor<1xf32>) outs(%e3 : tensor<?x1xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x1xf32>
  return %z3 : tensor<?x1xf32>
}

// -----

// Merging neuron 2 would cost a 4x4 skip for 4+4+1 saved: policy=cost
// leaves the layer alone, and so does policy=all, which would merge it but
// never grows the model (27 weights; merging would store 36: see
// linearity-fold-sizes.mlir for the remark).
// CHECK-LABEL: func.func @merge_does_not_pay
// CHECK-COUNT-2: linalg.matmul
// CHECK-NOT: linalg.matmul
// CHECK: return
// ALL-LABEL: func.func @merge_does_not_pay
// ALL-COUNT-2: linalg.matmul
// ALL-NOT: linalg.matmul
// ALL: return
func.func @merge_does_not_pay(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x4xf32>
  %w1 = arith.constant dense<[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]> : tensor<4x3xf32>
  %b1 = arith.constant dense<[0.0, 0.0, 9.0]> : tensor<3xf32>
  %e1 = tensor.empty(%n) : tensor<?x3xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x4xf32>, tensor<4x3xf32>) outs(%f1 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %z1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<?x3xf32>, tensor<3xf32>) outs(%e1 : tensor<?x3xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  %a1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%z1 : tensor<?x3xf32>) outs(%e1 : tensor<?x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 5, counts = [2, 3, 0, 3, 2, 5], minimum = [-1.0, -1.0, 8.0], maximum = [1.0, 1.0, 10.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x3xf32>
  %w2 = arith.constant dense<[[1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0]]> : tensor<3x4xf32>
  %b2 = arith.constant dense<[0.0, 0.0, 0.0, 0.0]> : tensor<4xf32>
  %e2 = tensor.empty(%n) : tensor<?x4xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x3xf32>, tensor<3x4xf32>) outs(%f2 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %z2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m2, %b2 : tensor<?x4xf32>, tensor<4xf32>) outs(%e2 : tensor<?x4xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x4xf32>
  return %z2 : tensor<?x4xf32>
}

// -----

// One activation read by two layers, one of them with a residual connection
// of the input (an identity term). Cost keeps neuron 0 (merging would need
// skips into both consumers) and removes dead neuron 1; `all` merges neuron 0
// too, so the layer disappears; the residual stays an add beside the skip:
// r = 2 (x0 + 3 x1 + 5) + 1 + x = x [[2 0] [6 0]] + x + [11 1].
// CHECK-LABEL: func.func @two_consumers_and_residual
// CHECK: %[[A:.*]] = linalg.generic {{.*}} ins(%{{[0-9]+}} : tensor<?x1xf32>)
// CHECK: linalg.matmul ins(%[[A]], %{{.*}} : tensor<?x1xf32>, tensor<1x2xf32>)
// CHECK: linalg.matmul ins(%[[A]], %{{.*}} : tensor<?x1xf32>, tensor<1x2xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %arg0 : tensor<?x2xf32>, tensor<?x2xf32>)
// ALL-LABEL: func.func @two_consumers_and_residual
// ALL-NOT: arith.maximumf
// ALL: %[[SKIPW:.*]] = arith.constant dense<{{\[}}[2.000000e+00, 0.000000e+00], [6.000000e+00, 0.000000e+00]]> : tensor<2x2xf32>
// ALL: %[[SKIP:.*]] = linalg.matmul ins(%arg0, %[[SKIPW]] :
// ALL: %[[RES:.*]] = linalg.generic {{.*}} ins(%[[SKIP]], %arg0 : tensor<?x2xf32>, tensor<?x2xf32>)
// ALL: arith.constant dense<[1.100000e+01, 1.000000e+00]> : tensor<2xf32>
// ALL: return
func.func @two_consumers_and_residual(%x: tensor<?x2xf32>) -> (tensor<?x2xf32>, tensor<?x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %w1 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b1 = arith.constant dense<[5.0, -5.0]> : tensor<2xf32>
  %e1 = tensor.empty(%n) : tensor<?x2xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x2xf32>, tensor<2x2xf32>) outs(%f1 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %z1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<?x2xf32>, tensor<2xf32>) outs(%e1 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  %a1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%z1 : tensor<?x2xf32>) outs(%e1 : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 4, counts = [0, 4, 4, 0], minimum = [1.0, -2.0], maximum = [2.0, -1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  %w2 = arith.constant dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>
  %b2 = arith.constant dense<[0.0, 0.0]> : tensor<2xf32>
  %e2 = tensor.empty(%n) : tensor<?x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x2xf32>, tensor<2x2xf32>) outs(%f2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %z2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m2, %b2 : tensor<?x2xf32>, tensor<2xf32>) outs(%e2 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  %w3 = arith.constant dense<[[2.0, 0.0], [0.0, 2.0]]> : tensor<2x2xf32>
  %b3 = arith.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %e3 = tensor.empty(%n) : tensor<?x2xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m3 = linalg.matmul ins(%a1, %w3 : tensor<?x2xf32>, tensor<2x2xf32>) outs(%f3 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %z3 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m3, %b3 : tensor<?x2xf32>, tensor<2xf32>) outs(%e3 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%z3, %x : tensor<?x2xf32>, tensor<?x2xf32>) outs(%e3 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  return %z2, %r : tensor<?x2xf32>, tensor<?x2xf32>
}

