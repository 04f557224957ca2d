// A FIFO cannot be renamed over: lin-opt writes into it (the reader gets the
// output) and it stays a FIFO. The reader has a timeout so that a broken
// lin-opt cannot hang the test.

// RUN: rm -rf %t && mkdir %t && mkfifo %t/fifo
// RUN: timeout 60 cat %t/fifo > %t/from-fifo & lin-opt %s -o %t/fifo && wait $!
// RUN: test -p %t/fifo
// RUN: FileCheck %s --input-file=%t/from-fifo

// The same for a report.
// RUN: timeout 60 cat %t/fifo > %t/report & lin-opt %s --linearity-fold="allow-unprofiled=1 report=%t/fifo" -o /dev/null && wait $!
// RUN: test -p %t/fifo
// RUN: FileCheck %s --check-prefix=REPORT --input-file=%t/report
// REPORT: "params_before"

// RUN: ls -A %t | FileCheck %s --check-prefix=FILES --implicit-check-not=tmp
// FILES: fifo
// FILES: from-fifo
// FILES: report

// CHECK: func.func @f
func.func @f(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  return %x : tensor<4x2xf32>
}
