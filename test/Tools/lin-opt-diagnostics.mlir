// Diagnostics name the op and its location without dumping it: an error on
// the module used to print the whole module in generic form, and remarks
// printed whole ops with their profiles. -mlir-print-op-on-diagnostic still
// turns the dump on.

// RUN: not lin-opt %s --linearity-fold="allow-unprofiled=1 report=%t.missing/r.json" 2>&1 | FileCheck %s --implicit-check-not="see current operation" --implicit-check-not=func.func
// CHECK: error: linearity-fold: cannot write report

// RUN: not lin-opt %s --linearity-fold="allow-unprofiled=1 report=%t.missing/r.json" -mlir-print-op-on-diagnostic 2>&1 | FileCheck %s --check-prefix=DUMP
// DUMP: error: linearity-fold: cannot write report
// DUMP: note: see current operation:
// DUMP: "func.func"

func.func @f(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  return %x : tensor<4x2xf32>
}
