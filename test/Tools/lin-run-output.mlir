// lin-run --output goes through the same atomic writer as lin-opt: a
// symbolic link is written through (the link stays), /dev/null and a FIFO
// are written in place (not replaced by a regular file), a full disk is a
// located error, and a failing run keeps an existing output file.

// RUN: rm -rf %t && mkdir -p %t/real
// RUN: %python %inputs/interpreter/npy_tool.py %t/x.npy --shape 2,3 --values=1,2,3,4,5,6

// RUN: echo "previous output" > %t/real/out.npy
// RUN: ln -s real/out.npy %t/link.npy
// RUN: lin-run %s --input %t/x.npy --output %t/link.npy --quiet
// RUN: test -L %t/link.npy
// RUN: %python %inputs/interpreter/npy_tool.py --dump %t/real/out.npy | FileCheck %s
// CHECK:      shape: (2, 3)
// CHECK-NEXT: values: 2 4 6 8 10 12

// RUN: lin-run %s --input %t/x.npy --output /dev/null --quiet
// RUN: test -c /dev/null

// RUN: mkfifo %t/fifo
// RUN: timeout 60 cat %t/fifo > %t/from-fifo.npy & lin-run %s --input %t/x.npy --output %t/fifo --quiet && wait $!
// RUN: test -p %t/fifo
// RUN: %python %inputs/interpreter/npy_tool.py --dump %t/from-fifo.npy | FileCheck %s

// RUN: not lin-run %s --input %t/x.npy --output /dev/full --quiet 2>&1 | FileCheck %s --check-prefix=FULL --implicit-check-not="LLVM ERROR"
// FULL: lin-run-output.mlir:{{[0-9]+}}:1: error: /dev/full: write failed: No space left on device

// A run that fails (no such input) keeps the previous output.
// RUN: cp %t/real/out.npy %t/out.orig
// RUN: not lin-run %s --input %t/missing.npy --output %t/link.npy --quiet
// RUN: cmp %t/real/out.npy %t/out.orig

// RUN: ls -A %t/real | FileCheck %s --check-prefix=FILES --implicit-check-not=tmp
// FILES: out.npy
func.func @main(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %y = linalg.add ins(%x, %x : tensor<?x3xf32>, tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
