// RUN: lin-opt %s -split-input-file -verify-diagnostics

func.func @wrong_neuron_count(%z: tensor<4x3xf32>, %e: tensor<4x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{profile describes 2 neurons but the op's neuron dimension (1) has 3}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 1,
                   counts = [1, 0, 0, 1],
                   minimum = [-1.0, 1.0], maximum = [-1.0, 1.0]>}
      ins(%z, %e : tensor<4x3xf32>, tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

// -----

func.func @counts_do_not_sum(%z: tensor<4x2xf32>, %e: tensor<4x2xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{counts of neuron 1 sum to 3 but the profile has 4 samples}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 4,
                   counts = [1, 2, 3, 1],
                   minimum = [-1.0, -1.0], maximum = [1.0, 1.0]>}
      ins(%z, %e : tensor<4x2xf32>, tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

func.func @negative_count(%z: tensor<4x1xf32>, %e: tensor<4x1xf32>) -> tensor<4x1xf32> {
  // expected-error @+1 {{neuron 0 has negative count -1 in piece 0}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 4,
                   counts = [-1, 5],
                   minimum = [-1.0], maximum = [1.0]>}
      ins(%z, %e : tensor<4x1xf32>, tensor<4x1xf32>) outs(%e : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// -----

func.func @negative_samples(%z: tensor<4x1xf32>, %e: tensor<4x1xf32>) -> tensor<4x1xf32> {
  // expected-error @+1 {{sample count must be non-negative, got -2}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = -2,
                   counts = [0, 0],
                   minimum = [-1.0], maximum = [1.0]>}
      ins(%z, %e : tensor<4x1xf32>, tensor<4x1xf32>) outs(%e : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// -----

func.func @min_above_max(%z: tensor<4x2xf32>, %e: tensor<4x2xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{neuron 1 has minimum 3.000000e+00 greater than maximum 2.000000e+00}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 1,
                   counts = [0, 0, 1, 1],
                   minimum = [1.0, 3.0], maximum = [1.0, 2.0]>}
      ins(%z, %e : tensor<4x2xf32>, tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

func.func @pieces_do_not_fit_kind(%z: tensor<4x2xf32>, %e: tensor<4x2xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{'clamp' has 3 pieces, so 2 neurons need 6 counts, got 4}}
  %r = linalg.max {lin.profile = #lin.profile<clamp, observed, samples = 1,
                   counts = [1, 0, 0, 1],
                   minimum = [1.0, 1.0], maximum = [1.0, 2.0]>}
      ins(%z, %e : tensor<4x2xf32>, tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

func.func @extrema_sizes_differ(%z: tensor<4x2xf32>, %e: tensor<4x2xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{minimum has 2 entries but maximum has 1}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 1,
                   counts = [1, 0, 0, 1],
                   minimum = [1.0, 1.0], maximum = [1.0]>}
      ins(%z, %e : tensor<4x2xf32>, tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

func.func @not_a_profile(%z: tensor<4x2xf32>, %e: tensor<4x2xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{'lin.profile' must be a #lin.profile attribute}}
  %r = linalg.max {lin.profile = 3 : i64}
      ins(%z, %e : tensor<4x2xf32>, tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

func.func @dynamic_features(%z: tensor<4x?xf32>, %e: tensor<4x?xf32>) -> tensor<4x?xf32> {
  // expected-error @+1 {{'lin.profile' needs a static neuron dimension (dimension 1)}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 0,
                   counts = [0, 0],
                   minimum = [1.0], maximum = [1.0]>}
      ins(%z, %e : tensor<4x?xf32>, tensor<4x?xf32>) outs(%e : tensor<4x?xf32>) -> tensor<4x?xf32>
  return %r : tensor<4x?xf32>
}

// -----

func.func @unknown_lin_attribute(%z: tensor<4x2xf32>, %e: tensor<4x2xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{unknown lin attribute 'lin.bogus'}}
  %r = linalg.max {lin.bogus = 1 : i64}
      ins(%z, %e : tensor<4x2xf32>, tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

func.func @unknown_kind(%z: tensor<4x1xf32>, %e: tensor<4x1xf32>) -> tensor<4x1xf32> {
  // expected-error @+2 {{expected ::lin::ActivationKind to be one of: relu, leaky_relu, clamp}}
  // expected-error @+1 {{failed to parse Lin_ProfileAttr parameter 'kind'}}
  %r = linalg.max {lin.profile = #lin.profile<sigmoid, observed, samples = 0, counts = [0, 0], minimum = [1.0], maximum = [1.0]>}
      ins(%z, %e : tensor<4x1xf32>, tensor<4x1xf32>) outs(%e : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// -----

func.func @counts_overflow(%z: tensor<4x1xf32>, %e: tensor<4x1xf32>) -> tensor<4x1xf32> {
  // expected-error @+1 {{counts of neuron 0 sum to more than 9223372036854775807 but the profile has 4 samples}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 4,
                   counts = [9223372036854775807, 5],
                   minimum = [-1.0], maximum = [1.0]>}
      ins(%z, %e : tensor<4x1xf32>, tensor<4x1xf32>) outs(%e : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// -----

func.func @count_beyond_int64(%z: tensor<4x1xf32>, %e: tensor<4x1xf32>) -> tensor<4x1xf32> {
  // expected-error @+4 {{integer value too large}}
  // expected-error @+3 {{expected ']'}}
  // expected-error @+2 {{failed to parse Lin_ProfileAttr parameter 'counts'}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 4,
                   counts = [9223372036854775808, 0],
                   minimum = [-1.0], maximum = [1.0]>}
      ins(%z, %e : tensor<4x1xf32>, tensor<4x1xf32>) outs(%e : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// -----

func.func @samples_beyond_int64(%z: tensor<4x1xf32>, %e: tensor<4x1xf32>) -> tensor<4x1xf32> {
  // expected-error @+2 {{integer value too large}}
  // expected-error @+1 {{failed to parse Lin_ProfileAttr parameter 'samples'}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 18446744073709551620,
                   counts = [0, 0], minimum = [-1.0], maximum = [1.0]>}
      ins(%z, %e : tensor<4x1xf32>, tensor<4x1xf32>) outs(%e : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// -----

func.func @nan_minimum(%z: tensor<4x2xf32>, %e: tensor<4x2xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{neuron 1 has a NaN extremum}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 1,
                   counts = [1, 0, 0, 1],
                   minimum = [-1.0, 0x7FC00000], maximum = [-1.0, 1.0]>}
      ins(%z, %e : tensor<4x2xf32>, tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

func.func @negative_nan_maximum(%z: tensor<4x1xf32>, %e: tensor<4x1xf32>) -> tensor<4x1xf32> {
  // expected-error @+1 {{neuron 0 has a NaN extremum}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 1,
                   counts = [0, 1], minimum = [1.0], maximum = [0xFFC00001]>}
      ins(%z, %e : tensor<4x1xf32>, tensor<4x1xf32>) outs(%e : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// -----

func.func @infinite_min_above_max(%z: tensor<4x1xf32>, %e: tensor<4x1xf32>) -> tensor<4x1xf32> {
  // Extrema in diagnostics print as in the attribute.
  // expected-error @+1 {{neuron 0 has minimum 0x7F800000 greater than maximum 1.00000012}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 1,
                   counts = [0, 1], minimum = [0x7F800000], maximum = [1.00000012]>}
      ins(%z, %e : tensor<4x1xf32>, tensor<4x1xf32>) outs(%e : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// -----

func.func @hex_wider_than_f32(%z: tensor<4x1xf32>, %e: tensor<4x1xf32>) -> tensor<4x1xf32> {
  // expected-error @+3 {{hexadecimal float constant out of range for type}}
  // expected-error @+2 {{failed to parse Lin_ProfileAttr parameter 'minimum'}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 0,
                   counts = [0, 0], minimum = [0x7FF0000000000000], maximum = [1.0]>}
      ins(%z, %e : tensor<4x1xf32>, tensor<4x1xf32>) outs(%e : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// -----

func.func @negated_hex(%z: tensor<4x1xf32>, %e: tensor<4x1xf32>) -> tensor<4x1xf32> {
  // expected-error @+3 {{hexadecimal float literal should not have a leading minus}}
  // expected-error @+2 {{failed to parse Lin_ProfileAttr parameter 'minimum'}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 0,
                   counts = [0, 0], minimum = [-0x7F800000], maximum = [1.0]>}
      ins(%z, %e : tensor<4x1xf32>, tensor<4x1xf32>) outs(%e : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// -----

func.func @integer_extremum(%z: tensor<4x1xf32>, %e: tensor<4x1xf32>) -> tensor<4x1xf32> {
  // expected-error @+4 {{unexpected decimal integer literal for a floating point value}}
  // expected-note @+3 {{add a trailing dot to make the literal a float}}
  // expected-error @+2 {{failed to parse Lin_ProfileAttr parameter 'maximum'}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 0,
                   counts = [0, 0], minimum = [1.0], maximum = [2]>}
      ins(%z, %e : tensor<4x1xf32>, tensor<4x1xf32>) outs(%e : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// -----

func.func @inf_keyword(%z: tensor<4x1xf32>, %e: tensor<4x1xf32>) -> tensor<4x1xf32> {
  // expected-error @+3 {{expected floating point literal}}
  // expected-error @+2 {{failed to parse Lin_ProfileAttr parameter 'maximum'}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 0,
                   counts = [0, 0], minimum = [1.0], maximum = [inf]>}
      ins(%z, %e : tensor<4x1xf32>, tensor<4x1xf32>) outs(%e : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// -----

func.func @axis_out_of_range(%z: tensor<4x2xf32>, %e: tensor<4x2xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{profile axis 2 is out of range for a result of rank 2}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 0,
                   counts = [0, 0], minimum = [1.0], maximum = [1.0], axis = 2>}
      ins(%z, %e : tensor<4x2xf32>, tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

func.func @axis_negative(%z: tensor<4x2xf32>, %e: tensor<4x2xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{axis must be non-negative, got -1}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 0,
                   counts = [0, 0], minimum = [1.0], maximum = [1.0], axis = -1>}
      ins(%z, %e : tensor<4x2xf32>, tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

// The neuron dimension of a feature-major value is its first: a profile
// without `axis` describes the last dimension, whatever the sizes.
func.func @feature_major_needs_axis(%z: tensor<3x4xf32>, %e: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{profile describes 3 neurons but the op's neuron dimension (1) has 4}}
  %r = linalg.max {lin.profile = #lin.profile<relu, observed, samples = 0,
                   counts = [0, 0, 0, 0, 0, 0], minimum = [1.0, 1.0, 1.0], maximum = [1.0, 1.0, 1.0]>}
      ins(%z, %e : tensor<3x4xf32>, tensor<3x4xf32>) outs(%e : tensor<3x4xf32>) -> tensor<3x4xf32>
  return %r : tensor<3x4xf32>
}
