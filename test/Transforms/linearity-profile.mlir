// Profiles computed by hand. With W = [[1, -1, 0], [0, 1, 1]] (2x3) and
// b = [0, 0.5, -1], the five samples x give the pre-activations z = x W + b:
//
//   x            z
//   (1, 1)       (1, 0.5, 0)
//   (-2, 0)      (-2, 2.5, -1)
//   (0, 3)       (0, 3.5, 2)
//   (2, -1)      (2, -2.5, -2)
//   (0.5, 2)     (0.5, 2, 1)
//
// ReLU and leaky ReLU, piece 0 is z <= 0: neuron 0 has 2 samples there
// (-2, 0), neuron 1 one (-2.5), neuron 2 three (0, -1, -2).
// Clamp to [-1, 1], piece 0 is z < -1, piece 2 is z > 1: neuron 0 has 1 / 3
// / 1 samples below / inside / above, neuron 1 has 1 / 1 / 3, neuron 2 has
// 1 / 3 / 1 (-1 and 1 are inside).

// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 5,2 --values=1,1,-2,0,0,3,2,-1,0.5,2
// RUN: lin-opt %s --linearity-profile="data=%t.x.npy batch=2 quiet=true" | FileCheck %s
// RUN: lin-opt %s --linearity-profile="data=%t.x.npy batch=512 quiet=true" | FileCheck %s

// A static batch of 2 pads the last batch with a zero sample (whose z,
// (0, 0.5, -1), would change the counts): the padding is not profiled.
// RUN: lin-opt %s --linearity-profile="data=%t.x.npy function=static quiet=true" | FileCheck %s --check-prefix=STATIC

// Profiling again merges into the existing profiles (shards add up).
// RUN: lin-opt %s --linearity-profile="data=%t.x.npy quiet=true" | lin-opt --linearity-profile="data=%t.x.npy batch=3 quiet=true" | FileCheck %s --check-prefix=MERGED

// --max-samples=3 profiles the first three samples only.
// RUN: lin-opt %s --linearity-profile="data=%t.x.npy max-samples=3 quiet=true" | FileCheck %s --check-prefix=FIRST3

// An activation whose result nothing reads is run (and profiled) anyway.
// RUN: lin-opt %s --linearity-profile="data=%t.x.npy function=unused quiet=true" | FileCheck %s --check-prefix=UNUSED

// Every position of a sequence counts as a sample of the neuron (the last
// dimension): the 3 samples of 2 positions are the rows s0 s1 s2 s3 s4 s0.
// RUN: %python %inputs/interpreter/npy_tool.py %t.x3.npy --shape 3,2,2 --values=1,1,-2,0,0,3,2,-1,0.5,2,1,1
// RUN: lin-opt %s --linearity-profile="data=%t.x3.npy function=positions quiet=true" | FileCheck %s --check-prefix=POSITIONS

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// The bias add is not an activation: no profile before the first one.
// CHECK-LABEL: func.func @main
// CHECK-NOT: lin.profile
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}}lin.profile = #lin.profile<relu, observed, samples = 5, counts = [2, 1, 3, 3, 4, 2], minimum = [-2.000000e+00, -2.500000e+00, -2.000000e+00], maximum = [2.000000e+00, 3.500000e+00, 2.000000e+00]>
// CHECK: linalg.generic {{.*}}lin.profile = #lin.profile<leaky_relu, observed, samples = 5, counts = [2, 1, 3, 3, 4, 2], minimum = [-2.000000e+00, -2.500000e+00, -2.000000e+00], maximum = [2.000000e+00, 3.500000e+00, 2.000000e+00]>
// CHECK: linalg.generic {{.*}}lin.profile = #lin.profile<clamp, observed, samples = 5, counts = [1, 1, 1, 3, 1, 3, 1, 3, 1], minimum = [-2.000000e+00, -2.500000e+00, -2.000000e+00], maximum = [2.000000e+00, 3.500000e+00, 2.000000e+00]>
// CHECK: linalg.max {lin.profile = #lin.profile<relu, observed, samples = 5, counts = [2, 1, 3, 3, 4, 2],

// MERGED: #lin.profile<relu, observed, samples = 10, counts = [4, 2, 6, 6, 8, 4], minimum = [-2.000000e+00, -2.500000e+00, -2.000000e+00], maximum = [2.000000e+00, 3.500000e+00, 2.000000e+00]>
// MERGED: #lin.profile<leaky_relu, observed, samples = 10, counts = [4, 2, 6, 6, 8, 4],
// MERGED: #lin.profile<clamp, observed, samples = 10, counts = [2, 2, 2, 6, 2, 6, 2, 6, 2],

// First three samples: z = (1, 0.5, 0), (-2, 2.5, -1), (0, 3.5, 2).
// FIRST3: #lin.profile<relu, observed, samples = 3, counts = [2, 0, 2, 1, 3, 1], minimum = [-2.000000e+00, 5.000000e-01, -1.000000e+00], maximum = [1.000000e+00, 3.500000e+00, 2.000000e+00]>
func.func @main(%x: tensor<?x2xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[1.0, -1.0, 0.0], [0.0, 1.0, 1.0]]> : tensor<2x3xf32>
  %b = arith.constant dense<[0.0, 0.5, -1.0]> : tensor<3xf32>
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %m = linalg.matmul ins(%x, %w : tensor<?x2xf32>, tensor<2x3xf32>) outs(%f : tensor<?x3xf32>) -> tensor<?x3xf32>
  %z = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m, %b : tensor<?x3xf32>, tensor<3xf32>) outs(%e : tensor<?x3xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%z : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %c = arith.cmpf ugt, %in, %zero : f32
    %s = arith.select %c, %in, %zero : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  %leaky = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%z : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %k = arith.constant 0.01 : f32
    %c = arith.cmpf ogt, %in, %zero : f32
    %scaled = arith.mulf %in, %k : f32
    %s = arith.select %c, %in, %scaled : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  %clamp = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%z : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %lo = arith.constant -1.0 : f32
    %hi = arith.constant 1.0 : f32
    %a = arith.maximumf %in, %lo : f32
    %s = arith.minimumf %a, %hi : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  %zeros = linalg.fill ins(%zero : f32) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %max = linalg.max ins(%z, %zeros : tensor<?x3xf32>, tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %relu, %leaky, %clamp, %max : tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>
}

// STATIC-LABEL: func.func private @static
// STATIC: lin.profile = #lin.profile<relu, observed, samples = 5, counts = [2, 1, 3, 3, 4, 2], minimum = [-2.000000e+00, -2.500000e+00, -2.000000e+00], maximum = [2.000000e+00, 3.500000e+00, 2.000000e+00]>
func.func private @static(%x: tensor<2x2xf32>) -> tensor<2x3xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[1.0, -1.0, 0.0], [0.0, 1.0, 1.0]]> : tensor<2x3xf32>
  %b = arith.constant dense<[0.0, 0.5, -1.0]> : tensor<3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %bb = linalg.broadcast ins(%b : tensor<3xf32>) outs(%e : tensor<2x3xf32>) dimensions = [0]
  %z = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x3xf32>) outs(%bb : tensor<2x3xf32>) -> tensor<2x3xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%z : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.maximumf %in, %zero : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  return %relu : tensor<2x3xf32>
}

// Rows s0..s4, s0: z2 of s0 is 0 (piece 0) once more, the others piece 1.
// POSITIONS-LABEL: func.func private @positions
// POSITIONS: lin.profile = #lin.profile<relu, observed, samples = 6, counts = [2, 1, 4, 4, 5, 2], minimum = [-2.000000e+00, -2.500000e+00, -2.000000e+00], maximum = [2.000000e+00, 3.500000e+00, 2.000000e+00]>
func.func private @positions(%x: tensor<?x2x2xf32>) -> tensor<?x2x3xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[1.0, -1.0, 0.0], [0.0, 1.0, 1.0]]> : tensor<2x3xf32>
  %b = arith.constant dense<[0.0, 0.5, -1.0]> : tensor<3xf32>
  %n = tensor.dim %x, %c0 : tensor<?x2x2xf32>
  %e = tensor.empty(%n) : tensor<?x2x3xf32>
  %bb = linalg.broadcast ins(%b : tensor<3xf32>) outs(%e : tensor<?x2x3xf32>) dimensions = [0, 1]
  %z = linalg.generic {
      indexing_maps = [affine_map<(s, p, j, k) -> (s, p, k)>, affine_map<(s, p, j, k) -> (k, j)>, affine_map<(s, p, j, k) -> (s, p, j)>],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<?x2x2xf32>, tensor<2x3xf32>) outs(%bb : tensor<?x2x3xf32>) {
  ^bb0(%a: f32, %v: f32, %acc: f32):
    %p = arith.mulf %a, %v : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<?x2x3xf32>
  %relu = linalg.generic {
      indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>],
      iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%z : tensor<?x2x3xf32>) outs(%e : tensor<?x2x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.maximumf %in, %zero : f32
    linalg.yield %s : f32
  } -> tensor<?x2x3xf32>
  return %relu : tensor<?x2x3xf32>
}

// UNUSED-LABEL: func.func private @unused
// UNUSED: linalg.generic {{.*}}lin.profile = #lin.profile<relu, observed, samples = 5, counts = [2, 1, 3, 3, 4, 2],
func.func private @unused(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[1.0, -1.0, 0.0], [0.0, 1.0, 1.0]]> : tensor<2x3xf32>
  %b = arith.constant dense<[0.0, 0.5, -1.0]> : tensor<3xf32>
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %bb = linalg.broadcast ins(%b : tensor<3xf32>) outs(%e : tensor<?x3xf32>) dimensions = [0]
  %z = linalg.matmul ins(%x, %w : tensor<?x2xf32>, tensor<2x3xf32>) outs(%bb : tensor<?x3xf32>) -> tensor<?x3xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%z : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.maximumf %in, %zero : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  return %x : tensor<?x2xf32>
}
