// The refit and budget options of linearity-fold (and linearity-compress,
// which forwards them): every inconsistent or out-of-range combination is a
// located error and a non-zero exit, every bad option of a run is reported,
// and neither the output nor the report is written.

// RUN: rm -rf %t && mkdir %t
// RUN: %python %inputs/interpreter/npy_tool.py %t/x.npy --shape 5,2 --values=0.1,0.5,0.25,0.3,0.5,0.05,0.4,0.2,0.3,-0.2
// RUN: %python %inputs/interpreter/npy_tool.py %t/wide.npy --shape 5,3 --values=1
// RUN: %python %inputs/interpreter/npy_tool.py %t/empty.npy --shape 0,2
// RUN: %python %inputs/interpreter/npy_tool.py %t/y.npy --shape 5 --values=0,1 --dtype "<i8"
// RUN: %python %inputs/interpreter/npy_tool.py %t/y3.npy --shape 3 --values=0,1 --dtype "<i8"
// RUN: %python %inputs/interpreter/npy_tool.py %t/y5x2.npy --shape 5,2 --values=0,1 --dtype "<i8"
// RUN: %python %inputs/interpreter/npy_tool.py %t/negative.npy --shape 5 --values=-1,0 --dtype "<i8"
// RUN: %python %inputs/interpreter/npy_tool.py %t/large.npy --shape 5 --values=0,2 --dtype "<i8"
// RUN: echo "previous output" > %t/out.mlir && cp %t/out.mlir %t/out.orig

// Missing inputs: a refit needs calibration data, a budget budget data, and
// budget data and labels are read only with a budget.
// RUN: not lin-opt %s --linearity-fold="refit=lstsq" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=REFIT-DATA
// RUN: not lin-opt %s --linearity-fold="budget=1" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=BUDGET-DATA
// RUN: not lin-opt %s --linearity-fold="budget-data=%t/x.npy" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=NO-BUDGET
// RUN: not lin-opt %s --linearity-fold="budget-labels=%t/y.npy" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=NO-BUDGET
// RUN: not lin-opt %s --linearity-fold="budget=-1 budget-data=%t/x.npy budget-labels=%t/y.npy" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=NO-BUDGET
// RUN: not lin-opt %s --linearity-fold="budget=1 budget-data=%t/x.npy target-size=0.5" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not lin-opt %s --linearity-fold="budget=1 budget-data=%t/x.npy budget-metric=accuracy" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=LABELS
// RUN: cmp %t/out.mlir %t/out.orig
// The errors are located at the module (line 0 of the file: it is implicit).
// REFIT-DATA: linearity-fold-refit-errors.mlir:0:0: error: linearity-fold: refit=lstsq needs calibration data: data=<file.npy>[,...], one file per function argument
// BUDGET-DATA: linearity-fold-refit-errors.mlir:0:0: error: linearity-fold: a budget needs budget data: budget-data=<file.npy>[,...], one file per function argument
// NO-BUDGET: linearity-fold-refit-errors.mlir:0:0: error: linearity-fold: budget-data and budget-labels are only read with a budget (budget=<points>)
// TARGET: linearity-fold-refit-errors.mlir:0:0: error: linearity-fold: budget and target-size both choose the size; give one
// LABELS: linearity-fold-refit-errors.mlir:0:0: error: linearity-fold: budget-metric=accuracy needs budget-labels=<labels.npy>

// The ridge: auto or a finite number >= 0.
// RUN: not lin-opt %s --linearity-fold="refit-ridge=-1" 2>&1 | FileCheck %s --check-prefix=RIDGE-NEGATIVE
// RUN: not lin-opt %s --linearity-fold="refit-ridge=abc" 2>&1 | FileCheck %s --check-prefix=RIDGE-WORD
// RUN: not lin-opt %s --linearity-fold="refit-ridge=nan" 2>&1 | FileCheck %s --check-prefix=RIDGE-NAN
// RUN: not lin-opt %s --linearity-fold="refit-ridge=inf" 2>&1 | FileCheck %s --check-prefix=RIDGE-INF
// RUN: not lin-opt %s --linearity-fold="refit-ridge=" 2>&1 | FileCheck %s --check-prefix=RIDGE-EMPTY
// RUN: not lin-opt %s --linearity-fold="refit-ridge=0.1x" 2>&1 | FileCheck %s --check-prefix=RIDGE-JUNK
// RIDGE-NEGATIVE: linearity-fold-refit-errors.mlir:0:0: error: linearity-fold: refit-ridge must be auto or a number >= 0, not '-1'
// RIDGE-WORD: error: linearity-fold: refit-ridge must be auto or a number >= 0, not 'abc'
// RIDGE-NAN: error: linearity-fold: refit-ridge must be auto or a number >= 0, not 'nan'
// RIDGE-INF: error: linearity-fold: refit-ridge must be auto or a number >= 0, not 'inf'
// RIDGE-EMPTY: error: linearity-fold: refit-ridge must be auto or a number >= 0, not ''
// RIDGE-JUNK: error: linearity-fold: refit-ridge must be auto or a number >= 0, not '0.1x'

// The budget: percentage points in [0, 100], or -1 (off); at least one
// evaluation.
// RUN: not lin-opt %s --linearity-fold="budget=101 budget-data=%t/x.npy" 2>&1 | FileCheck %s --check-prefix=BUDGET-BIG
// RUN: not lin-opt %s --linearity-fold="budget=-0.5 budget-data=%t/x.npy" 2>&1 | FileCheck %s --check-prefix=BUDGET-NEGATIVE
// RUN: not lin-opt %s --linearity-fold="budget=inf budget-data=%t/x.npy" 2>&1 | FileCheck %s --check-prefix=BUDGET-INF
// RUN: not lin-opt %s --linearity-fold="budget=nan budget-data=%t/x.npy" 2>&1 | FileCheck %s --check-prefix=BUDGET-NAN
// RUN: not lin-opt %s --linearity-fold="budget-evaluations=0" 2>&1 | FileCheck %s --check-prefix=EVALUATIONS-0
// RUN: not lin-opt %s --linearity-fold="budget-evaluations=-3" 2>&1 | FileCheck %s --check-prefix=EVALUATIONS-NEGATIVE
// RUN: not lin-opt %s --linearity-fold="budget-evaluations=" 2>&1 | FileCheck %s --check-prefix=EVALUATIONS-EMPTY
// BUDGET-BIG: linearity-fold-refit-errors.mlir:0:0: error: linearity-fold: budget must be in [0, 100] or -1 (off), got 101
// BUDGET-NEGATIVE: linearity-fold-refit-errors.mlir:0:0: error: linearity-fold: budget must be in [0, 100] or -1 (off), got -0.5
// BUDGET-INF: error: linearity-fold: budget must be in [0, 100] or -1 (off), got inf
// BUDGET-NAN: for the --budget option: 'nan' is not a number
// EVALUATIONS-0: linearity-fold-refit-errors.mlir:0:0: error: linearity-fold: budget-evaluations must be positive, got 0
// EVALUATIONS-NEGATIVE: error: linearity-fold: budget-evaluations must be positive, got -3
// EVALUATIONS-EMPTY: for the --budget-evaluations option: empty value; expected an integer

// Enumerations are parsed by their ODS declarations.
// RUN: not lin-opt %s --linearity-fold="refit=svd" 2>&1 | FileCheck %s --check-prefix=REFIT-ENUM
// RUN: not lin-opt %s --linearity-fold="budget-metric=top5" 2>&1 | FileCheck %s --check-prefix=METRIC-ENUM
// REFIT-ENUM: for the --refit option: Cannot find option named 'svd'!
// METRIC-ENUM: for the --budget-metric option: Cannot find option named 'top5'!

// Every bad option of a run is reported, not only the first.
// RUN: not lin-opt %s --linearity-fold="refit=lstsq refit-ridge=-2 budget=200 budget-evaluations=0 budget-labels=%t/y.npy" 2>&1 | FileCheck %s --check-prefix=ALL
// ALL-DAG: error: linearity-fold: budget must be in [0, 100] or -1 (off), got 200
// ALL-DAG: error: linearity-fold: budget-evaluations must be positive, got 0
// ALL-DAG: error: linearity-fold: refit-ridge must be auto or a number >= 0, not '-2'
// ALL-DAG: error: linearity-fold: refit=lstsq needs calibration data
// ALL-DAG: error: linearity-fold: a budget needs budget data

// linearity-compress checks the same options the same way, before it
// profiles anything.
// RUN: not lin-opt %s --linearity-compress="data=%t/x.npy budget=1" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=BUDGET-DATA
// RUN: not lin-opt %s --linearity-compress="data=%t/x.npy budget-labels=%t/y.npy" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=NO-BUDGET
// RUN: not lin-opt %s --linearity-compress="data=%t/x.npy refit=lstsq refit-ridge=abc" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=RIDGE-WORD
// RUN: not lin-opt %s --linearity-compress="data=%t/x.npy budget=1 budget-data=%t/x.npy target-size=0.5" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not lin-opt %s --linearity-compress="data=%t/x.npy budget=1 budget-data=%t/x.npy budget-metric=accuracy" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=LABELS
// RUN: not lin-opt %s --linearity-compress="data=%t/x.npy budget-evaluations=0" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=EVALUATIONS-0
// RUN: cmp %t/out.mlir %t/out.orig

// Data errors found when the pass runs are located at the function; the
// output and the report are left alone.
// RUN: not lin-opt %s --linearity-fold="budget=1 budget-data=%t/x.npy budget-labels=%t/y3.npy report=%t/r.json" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=LABEL-ROWS
// RUN: not lin-opt %s --linearity-fold="budget=1 budget-data=%t/x.npy budget-labels=%t/y5x2.npy report=%t/r.json" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=LABEL-SHAPE
// RUN: not lin-opt %s --linearity-fold="budget=1 budget-data=%t/x.npy budget-labels=%t/missing.npy report=%t/r.json" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=LABEL-MISSING
// RUN: not lin-opt %s --linearity-fold="budget=1 budget-data=%t/x.npy budget-labels=%t/negative.npy report=%t/r.json" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=LABEL-NEGATIVE
// RUN: not lin-opt %s --linearity-fold="budget=1 budget-data=%t/x.npy budget-labels=%t/large.npy report=%t/r.json" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=LABEL-LARGE
// RUN: not lin-opt %s --linearity-fold="budget=1 budget-data=%t/wide.npy report=%t/r.json" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=BUDGET-WIDE
// RUN: not lin-opt %s --linearity-fold="budget=1 budget-data=%t/empty.npy report=%t/r.json" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=BUDGET-EMPTY
// RUN: not lin-opt %s --linearity-fold="refit=lstsq data=%t/wide.npy report=%t/r.json" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=REFIT-WIDE
// RUN: not lin-opt %s --linearity-fold="refit=lstsq data=%t/empty.npy quiet=1 report=%t/r.json" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=REFIT-EMPTY
// RUN: not lin-opt %s --linearity-fold="refit=lstsq data=%t/x.npy function=nope report=%t/r.json" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=NO-FUNCTION
// RUN: not lin-opt %s --linearity-fold="budget=1 budget-data=%t/x.npy,%t/x.npy report=%t/r.json" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=BUDGET-COUNT
// RUN: cmp %t/out.mlir %t/out.orig
// RUN: not test -e %t/r.json
// LABEL-ROWS: linearity-fold-refit-errors.mlir:[[# @LINE + 37]]:1: error: linearity-fold: budget-labels '{{.*}}y3.npy' must hold one label per budget sample (5), not an array of shape 3
// LABEL-SHAPE: linearity-fold-refit-errors.mlir:[[# @LINE + 36]]:1: error: linearity-fold: budget-labels '{{.*}}y5x2.npy' must hold one label per budget sample (5), not an array of shape 5x2
// LABEL-MISSING: linearity-fold-refit-errors.mlir:[[# @LINE + 35]]:1: error: linearity-fold: {{.*}}missing.npy: cannot open: No such file or directory
// LABEL-NEGATIVE: linearity-fold-refit-errors.mlir:[[# @LINE + 34]]:1: error: linearity-fold: budget-labels '{{.*}}negative.npy': the label of sample 0 is -1, not a class of the first result (0 to 1)
// LABEL-LARGE: linearity-fold-refit-errors.mlir:[[# @LINE + 33]]:1: error: linearity-fold: budget-labels '{{.*}}large.npy': the label of sample 1 is 2, not a class of the first result (0 to 1)
// BUDGET-WIDE: linearity-fold-refit-errors.mlir:[[# @LINE + 32]]:1: error: {{.*}}wide.npy: shape (5, 3) does not match argument #0 of @shares ('tensor<?x2xf32>')
// BUDGET-EMPTY: linearity-fold-refit-errors.mlir:[[# @LINE + 31]]:1: error: linearity-fold: the budget data has no samples
// REFIT-WIDE: linearity-fold-refit-errors.mlir:[[# @LINE + 30]]:1: error: {{.*}}wide.npy: shape (5, 3) does not match argument #0 of @shares ('tensor<?x2xf32>')
// REFIT-EMPTY: linearity-fold-refit-errors.mlir:[[# @LINE + 29]]:1: error: linearity-fold: the calibration data has no samples
// NO-FUNCTION: error: no function @nope with a body in the module
// BUDGET-COUNT: linearity-fold-refit-errors.mlir:[[# @LINE + 27]]:1: error: @shares takes 1 argument(s), but 2 data file(s) were given

// The same runs succeed with consistent inputs.
// RUN: lin-opt %s --linearity-fold="budget=1 budget-data=%t/x.npy budget-labels=%t/y.npy report=%t/r.json" -o %t/out.mlir
// RUN: lin-opt %s --linearity-fold="refit=lstsq data=%t/x.npy quiet=1 refit-ridge=0 refit-holdout=0.5" -o /dev/null
// RUN: lin-opt %s --linearity-fold="refit=none refit-ridge=1e-3 budget=-1 budget-evaluations=1" -o /dev/null
// RUN: FileCheck %s --check-prefix=WRITTEN < %t/r.json
// WRITTEN: "budget": {
// WRITTEN: "metric": "accuracy"

// The held-out share: in (0, 1), both ends excluded, and said so once.
// RUN: not lin-opt %s --linearity-fold="refit-holdout=0" 2>&1 | FileCheck %s --check-prefix=HOLDOUT-0 --implicit-check-not=refit-holdout
// RUN: not lin-opt %s --linearity-fold="refit-holdout=1" 2>&1 | FileCheck %s --check-prefix=HOLDOUT-1 --implicit-check-not=refit-holdout
// RUN: not lin-opt %s --linearity-fold="refit-holdout=1.5" 2>&1 | FileCheck %s --check-prefix=HOLDOUT-BIG --implicit-check-not=refit-holdout
// RUN: not lin-opt %s --linearity-fold="refit-holdout=-0.2" 2>&1 | FileCheck %s --check-prefix=HOLDOUT-NEGATIVE --implicit-check-not=refit-holdout
// RUN: not lin-opt %s --linearity-fold="refit-holdout=" 2>&1 | FileCheck %s --check-prefix=HOLDOUT-EMPTY
// RUN: not lin-opt %s --linearity-fold="refit-holdout=nan" 2>&1 | FileCheck %s --check-prefix=HOLDOUT-NAN
// RUN: not lin-opt %s --linearity-compress="data=%t/x.npy refit-holdout=1" 2>&1 | FileCheck %s --check-prefix=HOLDOUT-1 --implicit-check-not=refit-holdout
// HOLDOUT-0: linearity-fold-refit-errors.mlir:0:0: error: linearity-fold: refit-holdout must be in (0, 1), got 0
// HOLDOUT-1: linearity-fold-refit-errors.mlir:0:0: error: linearity-fold: refit-holdout must be in (0, 1), got 1
// HOLDOUT-BIG: linearity-fold-refit-errors.mlir:0:0: error: linearity-fold: refit-holdout must be in (0, 1), got 1.5
// HOLDOUT-NEGATIVE: linearity-fold-refit-errors.mlir:0:0: error: linearity-fold: refit-holdout must be in (0, 1), got -0.2
// HOLDOUT-EMPTY: for the --refit-holdout option: empty value; expected a number
// HOLDOUT-NAN: for the --refit-holdout option: 'nan' is not a number

#map = affine_map<(d0, d1) -> (d0, d1)>
#map1 = affine_map<(d0, d1) -> (d1)>
func.func @shares(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %w1 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  %b1 = arith.constant dense<[1.0, 0.0, -9.0, -1.0]> : tensor<4xf32>
  %e1 = tensor.empty(%n) : tensor<?x4xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x2xf32>, tensor<2x4xf32>) outs(%f1 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %z1 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<?x4xf32>, tensor<4xf32>) outs(%e1 : tensor<?x4xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x4xf32>
  %a1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%z1 : tensor<?x4xf32>) outs(%e1 : tensor<?x4xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 5, counts = [0, 1, 5, 1, 5, 4, 0, 4], minimum = [3.0e-01, -6.0e-01, -9.5, -1.4], maximum = [3.6, 3.2, -5.2, 3.4]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x4xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %b2 = arith.constant dense<[0.5, 0.5]> : tensor<2xf32>
  %e2 = tensor.empty(%n) : tensor<?x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %y = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%m2, %b2 : tensor<?x2xf32>, tensor<2xf32>) outs(%e2 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
