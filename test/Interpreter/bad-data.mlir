// Bad data files are clear errors naming the file, never crashes; a failed
// run leaves no output file behind.

// RUN: %python %inputs/interpreter/npy_tool.py %t.good.npy --shape 2,3 --values=1
// RUN: %python %inputs/interpreter/npy_tool.py %t.truncated.npy --shape 2,3 --values=1 --truncate 5
// RUN: %python %inputs/interpreter/npy_tool.py %t.magic.npy --shape 2,3 --values=1 --magic PICKLE
// RUN: %python %inputs/interpreter/npy_tool.py %t.complex.npy --shape 2,3 --values=1 --dtype "<c8"
// RUN: %python %inputs/interpreter/npy_tool.py %t.bigendian.npy --shape 2,3 --values=1 --dtype ">f4"
// RUN: %python %inputs/interpreter/npy_tool.py %t.fortran.npy --shape 2,3 --values=1 --fortran
// RUN: %python %inputs/interpreter/npy_tool.py %t.wide.npy --shape 2,4 --values=1
// RUN: %python %inputs/interpreter/npy_tool.py %t.rank3.npy --shape 2,3,1 --values=1
// RUN: %python %inputs/interpreter/npy_tool.py %t.header.npy --shape 2,3 --values=1 --header "{'descr': '<f4', 'shape': (2, 3), }"
// RUN: %python %inputs/interpreter/npy_tool.py %t.three.npy --shape 3,3 --values=1
// RUN: %python %inputs/interpreter/npy_tool.py %t.labels.npy --shape 1 --dtype "<i8" --values=0
// RUN: %python %inputs/interpreter/npy_tool.py %t.empty.npy --shape 0,3

// RUN: not lin-run %s --input %t.truncated.npy 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// TRUNCATED: error: {{.*}}truncated.npy: truncated: shape (2, 3) of <f4 needs 24 bytes of data, the file has 19

// RUN: not lin-run %s --input %t.magic.npy 2>&1 | FileCheck %s --check-prefix=MAGIC
// MAGIC: error: {{.*}}magic.npy: not a .npy file (bad magic; expected '\x93NUMPY')

// RUN: not lin-run %s --input %t.complex.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: error: {{.*}}complex.npy: unsupported dtype '<c8'

// RUN: not lin-run %s --input %t.bigendian.npy 2>&1 | FileCheck %s --check-prefix=BIG
// BIG: error: {{.*}}bigendian.npy: big-endian dtype '>f4' is not supported

// RUN: not lin-run %s --input %t.fortran.npy 2>&1 | FileCheck %s --check-prefix=FORTRAN
// FORTRAN: error: {{.*}}fortran.npy: Fortran-order arrays are not supported

// RUN: not lin-run %s --input %t.wide.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: not lin-run %s --input %t.rank3.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: error: {{.*}}.npy: shape ({{.*}}) does not match argument #0 of @main ('tensor<?x3xf32>')

// RUN: not lin-run %s --input %t.header.npy 2>&1 | FileCheck %s --check-prefix=HEADER
// HEADER: error: {{.*}}header.npy: malformed header: 'descr', 'fortran_order' or 'shape' is missing

// RUN: not lin-run %s --input %t.empty.npy 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: error: the data has no samples

// RUN: not lin-run %s --input %t.missing.npy 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: {{.*}}missing.npy: cannot open: No such file or directory

// RUN: not lin-run %s 2>&1 | FileCheck %s --check-prefix=COUNT
// RUN: not lin-run %s --input %t.good.npy --input %t.good.npy 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: error: @main takes 1 argument(s), but {{[02]}} data file(s) were given

// RUN: not lin-run %s --function pair --input %t.good.npy --input %t.three.npy 2>&1 | FileCheck %s --check-prefix=SAMPLES
// SAMPLES: error: {{.*}}three.npy has 3 samples, but {{.*}}good.npy has 2

// RUN: not lin-run %s --input %t.good.npy --labels %t.labels.npy 2>&1 | FileCheck %s --check-prefix=LABELS
// LABELS: error: {{.*}}labels.npy has 1 labels for 2 samples

// RUN: not lin-run %s --function total --input %t.good.npy --output %t.total.npy 2>&1 | FileCheck %s --check-prefix=PERSAMPLE
// RUN: not test -e %t.total.npy
// PERSAMPLE: error: result #0 has shape scalar: it has no leading sample dimension to split by sample

// RUN: not lin-run %s --input %t.good.npy --output %t.a.npy --output %t.b.npy 2>&1 | FileCheck %s --check-prefix=OUTPUTS
// OUTPUTS: error: 2 --output files for 1 result(s)

// RUN: not lin-run %s --input %t.good.npy --output %t.nodir/out.npy 2>&1 | FileCheck %s --check-prefix=NODIR
// NODIR: error: {{.*}}nodir/out.npy: cannot create a temporary file next to it

// Errors are located on the function (the default function is the only
// public one).
// RUN: not lin-run %s --input %t.fortran.npy 2>&1 | FileCheck %s --check-prefix=LOC
// LOC: bad-data.mlir:[[# @LINE + 1]]:1: error:
func.func @main(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  return %x : tensor<?x3xf32>
}

func.func private @pair(%x: tensor<?x3xf32>, %y: tensor<?x3xf32>) -> tensor<?x3xf32> {
  return %y : tensor<?x3xf32>
}

func.func private @total(%x: tensor<?x3xf32>) -> tensor<f32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %s = linalg.reduce ins(%x : tensor<?x3xf32>) outs(%z : tensor<f32>) dimensions = [0, 1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  return %s : tensor<f32>
}
