// A failing lin-opt run leaves an existing -o file byte-identical, whatever
// fails: a bad option, the input, a pass at run time, and also when -o names
// the input. (Upstream's driver truncated -o at start-up and deleted it on
// failure.)

// RUN: rm -rf %t && mkdir %t
// RUN: cp %s %t/model.mlir && cp %s %t/model.orig
// RUN: echo "previous output" > %t/out.mlir && cp %t/out.mlir %t/out.orig

// A bad command-line option.
// RUN: not lin-opt %t/model.mlir --no-such-option -o %t/out.mlir
// RUN: cmp %t/out.mlir %t/out.orig

// A pass that fails at run time (its report cannot be written).
// RUN: not lin-opt %t/model.mlir --linearity-fold="allow-unprofiled=1 report=%t/missing/r.json" -o %t/out.mlir
// RUN: cmp %t/out.mlir %t/out.orig

// An input that does not parse, and one that does not exist.
// RUN: echo "func.func @broken(" > %t/broken.mlir
// RUN: not lin-opt %t/broken.mlir -o %t/out.mlir
// RUN: cmp %t/out.mlir %t/out.orig
// RUN: not lin-opt %t/missing.mlir -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: cmp %t/out.mlir %t/out.orig
// MISSING: lin-opt: {{.*}}missing.mlir: cannot open: No such file or directory

// -o naming the input: the model survives a bad option and a failing pass.
// RUN: not lin-opt %t/model.mlir --no-such-option -o %t/model.mlir
// RUN: cmp %t/model.mlir %t/model.orig
// RUN: not lin-opt %t/model.mlir --linearity-fold="allow-unprofiled=1 report=%t/missing/r.json" -o %t/model.mlir
// RUN: cmp %t/model.mlir %t/model.orig

// No temporary file is left behind.
// RUN: ls -A %t | FileCheck %s --check-prefix=FILES --implicit-check-not=tmp
// FILES: broken.mlir
// FILES: model.mlir
// FILES: model.orig
// FILES: out.mlir
// FILES: out.orig

func.func @f(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  return %x : tensor<4x2xf32>
}
