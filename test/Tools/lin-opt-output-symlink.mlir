// An output path that is a symbolic link is written through: the file it
// points to is replaced, the link stays a link (also for a chain of links, a
// dangling link and a report file). On failure the target is untouched.

// RUN: rm -rf %t && mkdir -p %t/real
// RUN: echo "previous output" > %t/real/target.mlir && cp %t/real/target.mlir %t/target.orig
// RUN: ln -s real/target.mlir %t/link.mlir
// RUN: ln -s link.mlir %t/chain.mlir
// RUN: ln -s real/new.mlir %t/dangling.mlir

// RUN: not lin-opt %s --no-such-option -o %t/link.mlir
// RUN: test -L %t/link.mlir
// RUN: cmp %t/real/target.mlir %t/target.orig
// RUN: not lin-opt %s --linearity-fold="allow-unprofiled=1 report=%t/missing/r.json" -o %t/link.mlir
// RUN: test -L %t/link.mlir
// RUN: cmp %t/real/target.mlir %t/target.orig

// RUN: lin-opt %s -o %t/link.mlir
// RUN: test -L %t/link.mlir
// RUN: FileCheck %s --input-file=%t/real/target.mlir

// RUN: cp %t/target.orig %t/real/target.mlir
// RUN: lin-opt %s -o %t/chain.mlir
// RUN: test -L %t/chain.mlir && test -L %t/link.mlir
// RUN: FileCheck %s --input-file=%t/real/target.mlir

// RUN: lin-opt %s -o %t/dangling.mlir
// RUN: test -L %t/dangling.mlir
// RUN: FileCheck %s --input-file=%t/real/new.mlir

// RUN: echo "{}" > %t/real/report.json
// RUN: ln -s real/report.json %t/report-link.json
// RUN: lin-opt %s --linearity-fold="allow-unprofiled=1 report=%t/report-link.json" -o /dev/null
// RUN: test -L %t/report-link.json
// RUN: FileCheck %s --check-prefix=REPORT --input-file=%t/real/report.json
// REPORT: "params_before"

// RUN: ls -A %t | FileCheck %s --check-prefix=FILES --implicit-check-not=tmp
// RUN: ls -A %t/real | FileCheck %s --check-prefix=REAL --implicit-check-not=tmp
// FILES: chain.mlir
// FILES: dangling.mlir
// FILES: link.mlir
// FILES: real
// FILES: report-link.json
// FILES: target.orig
// REAL: new.mlir
// REAL: report.json
// REAL: target.mlir

// CHECK: func.func @f
func.func @f(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  return %x : tensor<4x2xf32>
}
