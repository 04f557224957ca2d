// A NaN or infinite pre-activation, from the data or from the weights, is an
// error on the activation that sees it: a profile of it would say something
// false (NaN counts in piece 0, so that a ReLU neuron fed NaN looks
// inactive). The message says which activation, how many values of the batch
// and where the first one is; nothing is attached.
// linearity-profile-allow-non-finite.mlir has the option that counts them.

// Samples [1, -1], [2, -2] | [nan, 1], [3, 4] in batches of 2.
// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 4,2 --values=1,-1,2,-2,nan,1,3,4
// RUN: lin-opt %s -split-input-file -verify-diagnostics --linearity-profile="data=%t.x.npy batch=2 quiet=1" -o /dev/null
// RUN: lin-opt %s -split-input-file -verify-diagnostics --linearity-compress="data=%t.x.npy batch=2 quiet=1" -o /dev/null

#id = affine_map<(d0, d1) -> (d0, d1)>

// NaN in the data: the first batch is clean, the second has one NaN.
func.func @relu(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %e = tensor.empty(%n) : tensor<?x2xf32>
  // expected-error @+1 {{lin profiler: 1 pre-activation value(s) of this relu in this batch are not finite (1 NaN, 0 infinite), the first at sample 2, neuron 0: the data or the weights hold NaN or infinity (allow-non-finite counts them instead)}}
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x2xf32>) outs(%e : tensor<?x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.maximumf %in, %zero : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  return %relu : tensor<?x2xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// Weights that overflow f32: at sample 1 (in the first batch), 2 * 3e38 and
// -2 * -3e38 are +inf.
func.func @overflow(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[3.0e38, 0.0], [0.0, -3.0e38]]> : tensor<2x2xf32>
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %e = tensor.empty(%n) : tensor<?x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x2xf32>) -> tensor<?x2xf32>
  %z = linalg.matmul ins(%x, %w : tensor<?x2xf32>, tensor<2x2xf32>) outs(%f : tensor<?x2xf32>) -> tensor<?x2xf32>
  // expected-error @+1 {{lin profiler: 2 pre-activation value(s) of this clamp in this batch are not finite (0 NaN, 2 infinite), the first at sample 1, neuron 0}}
  %clamp = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%z : tensor<?x2xf32>) outs(%e : tensor<?x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %lo = arith.constant -1.0 : f32
    %hi = arith.constant 1.0 : f32
    %a = arith.maximumf %in, %lo : f32
    %b = arith.minimumf %a, %hi : f32
    linalg.yield %b : f32
  } -> tensor<?x2xf32>
  return %clamp : tensor<?x2xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// A profile from earlier data does not excuse the new data.
func.func @profiled(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %e = tensor.empty(%n) : tensor<?x2xf32>
  // expected-error @+1 {{lin profiler: 1 pre-activation value(s) of this relu in this batch are not finite}}
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x2xf32>) outs(%e : tensor<?x2xf32>)
      attrs = {lin.profile = #lin.profile<relu, observed, samples = 1, counts = [0, 1, 1, 0], minimum = [1.0, -1.0], maximum = [1.0, -1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %s = arith.maximumf %in, %zero : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  return %relu : tensor<?x2xf32>
}
