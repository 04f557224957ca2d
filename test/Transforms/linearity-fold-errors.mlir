// Bad options: a located error and a non-zero exit, nothing written.
// RUN: not lin-opt %s --linearity-fold="policy=greedy" 2>&1 | FileCheck %s --check-prefix=POLICY
// RUN: not lin-opt %s --linearity-fold="weight-layout=row-major" 2>&1 | FileCheck %s --check-prefix=LAYOUT
// RUN: not lin-opt %s --linearity-fold="threshold=1.5" 2>&1 | FileCheck %s --check-prefix=THRESHOLD
// RUN: not lin-opt %s --linearity-fold="remove-threshold=-0.5 merge-threshold=2" 2>&1 | FileCheck %s --check-prefix=MERGE
// RUN: not lin-opt %s --linearity-fold="target-size=1.5" 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not lin-opt %s --linearity-fold="report=%t.missing-dir/report.json" 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: not test -e %t.missing-dir/report.json

// Enumerated options are parsed by their ODS declarations.
// POLICY: for the --policy option: Cannot find option named 'greedy'!
// LAYOUT: for the --weight-layout option: Cannot find option named 'row-major'!
// THRESHOLD: error: linearity-fold: threshold must be in [0, 1], got 1.5
// MERGE: error: linearity-fold: merge-threshold must be in [0, 1], got 2
// TARGET: error: linearity-fold: target-size must be in (0, 1], got 1.5
// REPORT: error: linearity-fold: cannot write report '{{.*}}report.json'

func.func @f(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  return %x : tensor<4x2xf32>
}
