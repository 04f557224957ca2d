// Bad options: a located error and a non-zero exit, nothing written.
// RUN: not lin-opt %s --linearity-fold="policy=greedy" 2>&1 | FileCheck %s --check-prefix=POLICY
// RUN: not lin-opt %s --linearity-fold="weight-layout=row-major" 2>&1 | FileCheck %s --check-prefix=LAYOUT
// RUN: not lin-opt %s --linearity-fold="threshold=1.5" 2>&1 | FileCheck %s --check-prefix=THRESHOLD
// RUN: not lin-opt %s --linearity-fold="remove-threshold=-0.5 merge-threshold=2" 2>&1 | FileCheck %s --check-prefix=MERGE
// RUN: not lin-opt %s --linearity-fold="target-size=1.5" 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not lin-opt %s --linearity-fold="allow-unprofiled=1 report=%t.missing-dir/report.json" 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: not test -e %t.missing-dir/report.json

// Enumerated options are parsed by their ODS declarations.
// POLICY: for the --policy option: Cannot find option named 'greedy'!
// LAYOUT: for the --weight-layout option: Cannot find option named 'row-major'!
// THRESHOLD: error: linearity-fold: threshold must be in [0, 1], got 1.5
// Every bad option is reported, not only the first; -1 is the only value
// outside [0, 1] that means "use threshold".
// MERGE: error: linearity-fold: merge-threshold must be in [0, 1] or -1 (threshold), got 2
// MERGE: error: linearity-fold: remove-threshold must be in [0, 1] or -1 (threshold), got -0.5
// TARGET: error: linearity-fold: target-size must be in (0, 1] or -1 (off), got 1.5
// REPORT: error: linearity-fold: cannot write report: {{.*}}report.json

// An empty value is not 0 (plain llvm::cl would read `threshold=` as 0 and
// fold everything) and NaN is not a number; both are rejected when the
// options are parsed, naming the option, like any malformed value.
// RUN: not lin-opt %s --linearity-fold="threshold=" 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not lin-opt %s --linearity-fold="merge-threshold=" 2>&1 | FileCheck %s --check-prefix=EMPTY-MERGE
// RUN: not lin-opt %s --linearity-fold="target-size=" 2>&1 | FileCheck %s --check-prefix=EMPTY-TARGET
// RUN: not lin-opt %s --linearity-fold="threshold=nan" 2>&1 | FileCheck %s --check-prefix=NAN
// RUN: not lin-opt %s --linearity-fold="remove-threshold=-NaN" 2>&1 | FileCheck %s --check-prefix=NAN-REMOVE
// RUN: not lin-opt %s --linearity-fold="target-size=nan" 2>&1 | FileCheck %s --check-prefix=NAN-TARGET
// RUN: not lin-opt %s --linearity-fold="threshold" 2>&1 | FileCheck %s --check-prefix=NOVALUE
// RUN: not lin-opt %s --linearity-fold="threshold=0.5x" 2>&1 | FileCheck %s --check-prefix=JUNK
// EMPTY: for the --threshold option: empty value; expected a number
// EMPTY-MERGE: for the --merge-threshold option: empty value; expected a number
// EMPTY-TARGET: for the --target-size option: empty value; expected a number
// NAN: for the --threshold option: 'nan' is not a number
// NAN-REMOVE: for the --remove-threshold option: '-NaN' is not a number
// NAN-TARGET: for the --target-size option: 'nan' is not a number
// NOVALUE: for the --threshold option: requires a value!
// JUNK: for the --threshold option: '0.5x' value invalid for floating point argument!

// Ranges: negative values (other than -1 where it means something),
// infinities, 0 for target-size.
// RUN: not lin-opt %s --linearity-fold="threshold=-0.5" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not lin-opt %s --linearity-fold="threshold=-1" 2>&1 | FileCheck %s --check-prefix=MINUS-ONE
// RUN: not lin-opt %s --linearity-fold="merge-threshold=-0.5" 2>&1 | FileCheck %s --check-prefix=NEGATIVE-MERGE
// RUN: not lin-opt %s --linearity-fold="threshold=inf" 2>&1 | FileCheck %s --check-prefix=INF
// RUN: not lin-opt %s --linearity-fold="target-size=0" 2>&1 | FileCheck %s --check-prefix=TARGET-ZERO
// RUN: not lin-opt %s --linearity-fold="target-size=-inf" 2>&1 | FileCheck %s --check-prefix=TARGET-INF
// NEGATIVE: error: linearity-fold: threshold must be in [0, 1], got -0.5
// MINUS-ONE: error: linearity-fold: threshold must be in [0, 1], got -1
// NEGATIVE-MERGE: error: linearity-fold: merge-threshold must be in [0, 1] or -1 (threshold), got -0.5
// INF: error: linearity-fold: threshold must be in [0, 1], got inf
// TARGET-ZERO: error: linearity-fold: target-size must be in (0, 1] or -1 (off), got 0
// TARGET-INF: error: linearity-fold: target-size must be in (0, 1] or -1 (off), got -inf

// The documented defaults and sentinels pass.
// RUN: lin-opt %s --linearity-fold="allow-unprofiled=1 threshold=0 merge-threshold=-1 remove-threshold=1 target-size=-1" -o /dev/null
// RUN: lin-opt %s --linearity-fold="allow-unprofiled=1 threshold=1 merge-threshold=0.5 remove-threshold=-1.0 target-size=1" -o /dev/null

// Flags: an empty value is not true (plain llvm::cl reads `verbose=` as
// true); the flag alone is.
// RUN: not lin-opt %s --linearity-fold="verbose=" 2>&1 | FileCheck %s --check-prefix=EMPTY-FLAG
// RUN: not lin-opt %s --linearity-fold="keep-profiles=" 2>&1 | FileCheck %s --check-prefix=EMPTY-KEEP
// RUN: not lin-opt %s --linearity-fold="verbose=maybe" 2>&1 | FileCheck %s --check-prefix=BAD-FLAG
// RUN: lin-opt %s --linearity-fold="allow-unprofiled=1 verbose keep-profiles=false" --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=FLAG
// EMPTY-FLAG: for the --verbose option: empty value; expected true or false
// EMPTY-KEEP: for the --keep-profiles option: empty value; expected true or false
// BAD-FLAG: for the --verbose option: 'maybe' is invalid value for boolean argument! Try 0 or 1
// FLAG: linearity-fold{{{.*}} keep-profiles=false {{.*}} verbose=true

// Enumerations reject an empty value too.
// RUN: not lin-opt %s --linearity-fold="policy=" 2>&1 | FileCheck %s --check-prefix=EMPTY-POLICY
// EMPTY-POLICY: for the --policy option: Cannot find option named ''!

// linearity-compress declares the same options (shared ODS lists), so it
// parses them the same way, and checks them before anything runs.
// RUN: not lin-opt %s --linearity-compress="data=x.npy threshold=" 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not lin-opt %s --linearity-compress="data=x.npy target-size=nan" 2>&1 | FileCheck %s --check-prefix=NAN-TARGET
// RUN: not lin-opt %s --linearity-compress="data=x.npy quiet=" 2>&1 | FileCheck %s --check-prefix=EMPTY-QUIET
// EMPTY-QUIET: for the --quiet option: empty value; expected true or false

func.func @f(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  return %x : tensor<4x2xf32>
}
