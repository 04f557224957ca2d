// Data problems are located errors and a pass failure; nothing is written.

// RUN: %python %inputs/interpreter/npy_tool.py %t.good.npy --shape 3,2 --values=1,-1
// RUN: %python %inputs/interpreter/npy_tool.py %t.wide.npy --shape 3,3 --values=1
// RUN: %python %inputs/interpreter/npy_tool.py %t.truncated.npy --shape 3,2 --values=1 --truncate 4
// RUN: %python %inputs/interpreter/npy_tool.py %t.magic.npy --shape 3,2 --values=1 --magic XNUMPY
// RUN: %python %inputs/interpreter/npy_tool.py %t.dtype.npy --shape 3,2 --values=1 --dtype "<c8"
// RUN: %python %inputs/interpreter/npy_tool.py %t.empty.npy --shape 0,2

// RUN: not lin-opt %s --linearity-profile 2>&1 | FileCheck %s --check-prefix=NODATA
// NODATA: error: linearity-profile needs calibration data: data=<file.npy>[,<file.npy>...], one file per function argument

// RUN: not lin-opt %s --linearity-profile="data=%t.wide.npy quiet=true" -o %t.out 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: not test -e %t.out
// SHAPE: linearity-profile-errors.mlir:{{[0-9]+}}:1: error: {{.*}}wide.npy: shape (3, 3) does not match argument #0 of @main ('tensor<?x2xf32>')
// SHAPE-NEXT: func.func @main

// RUN: not lin-opt %s --linearity-profile="data=%t.truncated.npy quiet=true" 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// TRUNCATED: error: {{.*}}truncated.npy: truncated: shape (3, 2) of <f4 needs 24 bytes of data, the file has 20

// RUN: not lin-opt %s --linearity-profile="data=%t.magic.npy quiet=true" 2>&1 | FileCheck %s --check-prefix=MAGIC
// MAGIC: error: {{.*}}magic.npy: not a .npy file (bad magic

// RUN: not lin-opt %s --linearity-profile="data=%t.dtype.npy quiet=true" 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: error: {{.*}}dtype.npy: unsupported dtype '<c8'

// RUN: not lin-opt %s --linearity-profile="data=%t.good.npy,%t.good.npy quiet=true" 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: error: @main takes 1 argument(s), but 2 data file(s) were given

// RUN: not lin-opt %s --linearity-profile="data=%t.empty.npy quiet=true" 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: error: linearity-profile: the data has no samples

// RUN: not lin-opt %s --linearity-profile="data=%t.good.npy function=nope quiet=true" 2>&1 | FileCheck %s --check-prefix=NOFUNC
// NOFUNC: error: no function @nope with a body in the module

// Options: numbers and flags given empty are parse errors naming the option
// (plain llvm::cl reads `batch=` as an error but `quiet=` as true); ranges
// are checked before any data is read; every bad option is reported.
// RUN: not lin-opt %s --linearity-profile="data=%t.good.npy batch=" 2>&1 | FileCheck %s --check-prefix=EMPTY-BATCH
// RUN: not lin-opt %s --linearity-profile="data=%t.good.npy max-samples=" 2>&1 | FileCheck %s --check-prefix=EMPTY-MAX
// RUN: not lin-opt %s --linearity-profile="data=%t.good.npy quiet=" 2>&1 | FileCheck %s --check-prefix=EMPTY-QUIET
// RUN: not lin-opt %s --linearity-profile="data=%t.good.npy allow-non-finite=" 2>&1 | FileCheck %s --check-prefix=EMPTY-ALLOW
// RUN: not lin-opt %s --linearity-profile="data=%t.good.npy batch=2.5" 2>&1 | FileCheck %s --check-prefix=FRACTIONAL
// EMPTY-BATCH: for the --batch option: empty value; expected an integer
// EMPTY-MAX: for the --max-samples option: empty value; expected an integer
// EMPTY-QUIET: for the --quiet option: empty value; expected true or false
// EMPTY-ALLOW: for the --allow-non-finite option: empty value; expected true or false
// FRACTIONAL: for the --batch option: '2.5' value invalid for long argument!

// RUN: not lin-opt %s --linearity-profile="data=%t.good.npy batch=0 quiet=1" 2>&1 | FileCheck %s --check-prefix=BATCH0
// RUN: not lin-opt %s --linearity-profile="data=%t.good.npy batch=-3 max-samples=-5 quiet=1" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not lin-opt %s --linearity-profile="data=%t.good.npy max-samples=0 quiet=1" 2>&1 | FileCheck %s --check-prefix=MAX0
// RUN: not lin-opt %s --linearity-profile="data=%t.good.npy, quiet=1" 2>&1 | FileCheck %s --check-prefix=EMPTYFILE
// BATCH0: error: linearity-profile: batch must be positive, got 0
// NEGATIVE: error: linearity-profile: batch must be positive, got -3
// NEGATIVE: error: linearity-profile: max-samples must be positive or -1 (all), got -5
// MAX0: error: linearity-profile: max-samples must be positive or -1 (all), got 0
// EMPTYFILE: error: linearity-profile: data has an empty file name

// The same checks through linearity-compress, which forwards the options.
// RUN: not lin-opt %s --linearity-compress="data=%t.good.npy batch=0 quiet=1" 2>&1 | FileCheck %s --check-prefix=BATCH0
// RUN: not lin-opt %s --linearity-compress="data=%t.good.npy allow-non-finite=" 2>&1 | FileCheck %s --check-prefix=EMPTY-ALLOW

func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %e = tensor.empty(%n) : tensor<?x2xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x2xf32>) outs(%e : tensor<?x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.maximumf %in, %zero : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  return %relu : tensor<?x2xf32>
}
