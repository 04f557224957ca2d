// Bad bounds: an error naming the pass and the option, non-zero exit.
// Infinite bounds are rejected too: interval products with them give NaN.
// RUN: not lin-opt %s --linearity-prove="lower=2 upper=1" 2>&1 | FileCheck %s --check-prefix=ORDER
// RUN: not lin-opt %s --linearity-prove="lower=-inf" 2>&1 | FileCheck %s --check-prefix=LOWER-INF
// RUN: not lin-opt %s --linearity-prove="lower=-inf upper=inf" 2>&1 | FileCheck %s --check-prefix=BOTH-INF
// RUN: not lin-opt %s --linearity-prove="upper=1e400" 2>&1 | FileCheck %s --check-prefix=UPPER-OVERFLOW
// ORDER: error: linearity-prove: lower (2) must not exceed upper (1)
// LOWER-INF: error: linearity-prove: lower must be a finite number, got -inf
// BOTH-INF: error: linearity-prove: lower must be a finite number, got -inf
// BOTH-INF: error: linearity-prove: upper must be a finite number, got inf
// UPPER-OVERFLOW: error: linearity-prove: upper must be a finite number, got inf

// NaN and empty values are rejected when the options are parsed.
// RUN: not lin-opt %s --linearity-prove="lower=nan" 2>&1 | FileCheck %s --check-prefix=LOWER-NAN
// RUN: not lin-opt %s --linearity-prove="upper=NAN" 2>&1 | FileCheck %s --check-prefix=UPPER-NAN
// RUN: not lin-opt %s --linearity-prove="lower=" 2>&1 | FileCheck %s --check-prefix=LOWER-EMPTY
// RUN: not lin-opt %s --linearity-prove="replace=" 2>&1 | FileCheck %s --check-prefix=REPLACE-EMPTY
// LOWER-NAN: for the --lower option: 'nan' is not a number
// UPPER-NAN: for the --upper option: 'NAN' is not a number
// LOWER-EMPTY: for the --lower option: empty value; expected a number
// REPLACE-EMPTY: for the --replace option: empty value; expected true or false

// A point box is fine.
// RUN: lin-opt %s --linearity-prove="lower=-0.5 upper=-0.5 replace" -o /dev/null

func.func @f(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  return %x : tensor<4x2xf32>
}
