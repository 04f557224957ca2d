// Bad options of linearity-summary: an error naming the pass and the option.
// RUN: not lin-opt %s --linearity-summary="share=2" 2>&1 | FileCheck %s --check-prefix=SHARE
// RUN: not lin-opt %s --linearity-summary="share=-0.1" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not lin-opt %s --linearity-summary="output=" 2>&1 | FileCheck %s --check-prefix=OUTPUT
// SHARE: error: linearity-summary: share must be in [0, 1], got 2
// NEGATIVE: error: linearity-summary: share must be in [0, 1], got -0.1
// OUTPUT: error: linearity-summary: output must not be empty

// NaN and empty numbers are rejected when the options are parsed.
// RUN: not lin-opt %s --linearity-summary="share=nan" 2>&1 | FileCheck %s --check-prefix=NAN
// RUN: not lin-opt %s --linearity-summary="share=" 2>&1 | FileCheck %s --check-prefix=EMPTY
// NAN: for the --share option: 'nan' is not a number
// EMPTY: for the --share option: empty value; expected a number

// The ends of the range are fine.
// RUN: lin-opt %s --linearity-summary="share=0" -o /dev/null 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: lin-opt %s --linearity-summary="share=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=ONE
// ZERO: >=0.00%
// ONE: >=1.00%

func.func @f(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  return %x : tensor<4x2xf32>
}
