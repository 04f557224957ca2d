// lin-run's options and labels: ranges, empty values and labels that do not
// fit the data or the scores are errors, never a silently wrong accuracy.

// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 4,3 --values=1,2,3
// RUN: %python %inputs/interpreter/npy_tool.py %t.labels.npy --shape 4 --dtype "<i8" --values=0,1,2,0
// RUN: %python %inputs/interpreter/npy_tool.py %t.negative.npy --shape 4 --dtype "<i8" --values=0,-1
// RUN: %python %inputs/interpreter/npy_tool.py %t.large.npy --shape 4 --dtype "<i8" --values=0,1,2,3
// RUN: %python %inputs/interpreter/npy_tool.py %t.five.npy --shape 5 --dtype "<i8" --values=0
// RUN: %python %inputs/interpreter/npy_tool.py %t.three.npy --shape 3 --dtype "<i8" --values=0

// RUN: not lin-run %s --input %t.x.npy --batch 0 2>&1 | FileCheck %s --check-prefix=BATCH0
// RUN: not lin-run %s --input %t.x.npy --batch=-2 --max-samples=-5 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not lin-run %s --input %t.x.npy --max-samples 0 2>&1 | FileCheck %s --check-prefix=MAX0
// BATCH0: lin-run: --batch must be positive, got 0
// NEGATIVE: lin-run: --batch must be positive, got -2
// NEGATIVE: lin-run: --max-samples must be positive or -1 (all), got -5
// MAX0: lin-run: --max-samples must be positive or -1 (all), got 0

// Empty values: numbers and flags are parse errors (plain llvm::cl reads
// `--quiet=` as true); file names are checked.
// RUN: not lin-run %s --input %t.x.npy --batch= 2>&1 | FileCheck %s --check-prefix=EMPTY-BATCH
// RUN: not lin-run %s --input %t.x.npy --quiet= 2>&1 | FileCheck %s --check-prefix=EMPTY-QUIET
// RUN: not lin-run %s --input %t.x.npy --print= 2>&1 | FileCheck %s --check-prefix=EMPTY-PRINT
// RUN: not lin-run %s --input %t.x.npy --labels= 2>&1 | FileCheck %s --check-prefix=EMPTY-LABELS
// RUN: not lin-run %s --input= 2>&1 | FileCheck %s --check-prefix=EMPTY-INPUT
// RUN: not lin-run %s --input %t.x.npy --output= 2>&1 | FileCheck %s --check-prefix=EMPTY-OUTPUT
// EMPTY-BATCH: lin-run: for the --batch option: empty value; expected an integer
// EMPTY-QUIET: lin-run: for the --quiet option: empty value; expected true or false
// EMPTY-PRINT: lin-run: for the --print option: empty value; expected true or false
// EMPTY-LABELS: lin-run: --labels must not be empty
// EMPTY-INPUT: lin-run: --input must not be empty
// EMPTY-OUTPUT: lin-run: --output must not be empty

// A flag alone is true; `=true` works too.
// RUN: lin-run %s --input %t.x.npy --labels %t.labels.npy --quiet --print=true | FileCheck %s --check-prefix=FLAGS
// FLAGS: r0[3]:
// FLAGS: accuracy: 0.250000

// Labels outside the classes of the first result: the scores have 3 classes.
// RUN: not lin-run %s --input %t.x.npy --labels %t.negative.npy --quiet 2>&1 | FileCheck %s --check-prefix=LABEL-NEGATIVE
// RUN: not lin-run %s --input %t.x.npy --labels %t.large.npy --batch 2 --quiet 2>&1 | FileCheck %s --check-prefix=LABEL-LARGE
// LABEL-NEGATIVE: bad-options.mlir:[[# @LINE + 8]]:1: error: {{.*}}negative.npy: label -1 of sample 1 is not one of the 3 classes of the first result (0 to 2)
// LABEL-LARGE: error: {{.*}}large.npy: label 3 of sample 3 is not one of the 3 classes of the first result (0 to 2)

// As many labels as samples: not fewer, not more.
// RUN: not lin-run %s --input %t.x.npy --labels %t.three.npy --quiet 2>&1 | FileCheck %s --check-prefix=FEWER
// RUN: not lin-run %s --input %t.x.npy --labels %t.five.npy --quiet 2>&1 | FileCheck %s --check-prefix=MORE
// FEWER: error: {{.*}}three.npy has 3 labels for 4 samples
// MORE: error: {{.*}}five.npy has 5 labels for 4 samples
func.func @scores(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  return %x : tensor<?x3xf32>
}

// --max-samples runs a prefix of the data: the labels of the whole data are
// right, and need only cover the run (the data's own count is not known then).
// RUN: lin-run %s --input %t.x.npy --labels %t.labels.npy --max-samples 2 --quiet | FileCheck %s --check-prefix=PREFIX
// RUN: lin-run %s --input %t.x.npy --labels %t.five.npy --max-samples 2 --quiet | FileCheck %s --check-prefix=PREFIX
// PREFIX: samples: 2
