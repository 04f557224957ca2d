// Problems with the IR are located on the op.

// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 3,2 --values=1,-1
// RUN: lin-opt %s -split-input-file -verify-diagnostics --linearity-profile="data=%t.x.npy quiet=true"

#id = affine_map<(d0, d1) -> (d0, d1)>

func.func @unsupported(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %e = tensor.empty(%n) : tensor<?x2xf32>
  // expected-error @+1 {{lin interpreter: unsupported operation 'bufferization.alloc_tensor'}}
  %a = bufferization.alloc_tensor(%n) : tensor<?x2xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x2xf32>) outs(%a : tensor<?x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.maximumf %in, %zero : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  return %relu : tensor<?x2xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// An existing profile of another kind cannot absorb the new counts.
func.func @kind_mismatch(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %e = tensor.empty(%n) : tensor<?x2xf32>
  // expected-error @+1 {{linearity-profile: cannot merge into the existing profile: cannot merge a 'relu' profile into a 'leaky_relu' profile}}
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x2xf32>) outs(%e : tensor<?x2xf32>)
      attrs = {lin.profile = #lin.profile<leaky_relu, observed, samples = 1, counts = [1, 0, 0, 1], minimum = [-1.0, 1.0], maximum = [-1.0, 1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %s = arith.maximumf %in, %zero : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  return %relu : tensor<?x2xf32>
}

// -----

// expected-warning @+1 {{linearity-profile: no piecewise-linear activation to profile}}
func.func @no_activation(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  return %x : tensor<?x2xf32>
}
