// Writing to a full disk (/dev/full) is an error that names the file, with
// a non-zero exit, for every file lin-opt writes; never an abort
// ("LLVM ERROR: IO failure"). Character devices are written in place, never
// renamed over.

// RUN: not lin-opt %s -o /dev/full 2>&1 | FileCheck %s --check-prefix=OUTPUT --implicit-check-not="LLVM ERROR"
// OUTPUT: lin-opt: /dev/full: write failed: No space left on device

// RUN: not lin-opt %s 2>&1 >/dev/full | FileCheck %s --check-prefix=STDOUT --implicit-check-not="LLVM ERROR"
// STDOUT: lin-opt: <stdout>: write failed: No space left on device

// RUN: not lin-opt %s --linearity-fold="allow-unprofiled=1 report=/dev/full" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT --implicit-check-not="LLVM ERROR"
// REPORT: lin-opt-output-full-disk.mlir:{{[0-9]+}}:{{[0-9]+}}: error: linearity-fold: cannot write report: /dev/full: write failed: No space left on device

// RUN: not lin-opt %s --linearity-summary="output=/dev/full" -o /dev/null 2>&1 | FileCheck %s --check-prefix=SUMMARY --implicit-check-not="LLVM ERROR"
// SUMMARY: lin-opt-output-full-disk.mlir:{{[0-9]+}}:{{[0-9]+}}: error: linearity-summary: /dev/full: write failed: No space left on device

// RUN: test -c /dev/full && test -c /dev/null

func.func @f(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  return %x : tensor<4x2xf32>
}
