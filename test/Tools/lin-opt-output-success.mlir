// A successful lin-opt run writes its output: a new file, an existing file
// (replaced, keeping its permissions), standard output (also as
// /dev/stdout), and the input file itself; no temporary file is left behind.

// RUN: rm -rf %t && mkdir %t

// RUN: lin-opt %s -o %t/new.mlir
// RUN: FileCheck %s --input-file=%t/new.mlir

// RUN: echo "previous output" > %t/old.mlir && chmod 640 %t/old.mlir
// RUN: lin-opt %s -o %t/old.mlir
// RUN: FileCheck %s --input-file=%t/old.mlir
// RUN: stat -c %%a %t/old.mlir | FileCheck %s --check-prefix=MODE
// MODE: 640

// RUN: lin-opt %s -o - | FileCheck %s
// RUN: lin-opt %s | FileCheck %s

// /dev/stdout names a descriptor: written in place, after what is there.
// RUN: lin-opt %s -o /dev/stdout | FileCheck %s
// RUN: { echo "// header"; lin-opt %s -o /dev/stdout; } > %t/stdout.txt
// RUN: FileCheck %s --check-prefix=HEADER --input-file=%t/stdout.txt
// HEADER: // header
// HEADER-NEXT: module

// RUN: cp %s %t/model.mlir
// RUN: lin-opt %t/model.mlir -o %t/model.mlir
// RUN: FileCheck %s --input-file=%t/model.mlir

// RUN: ls -A %t | FileCheck %s --check-prefix=FILES --implicit-check-not=tmp
// FILES: model.mlir
// FILES: new.mlir
// FILES: old.mlir
// FILES: stdout.txt

// CHECK: func.func @f(%[[X:.*]]: tensor<4x2xf32>) -> tensor<4x2xf32>
// CHECK:   return %[[X]] : tensor<4x2xf32>
func.func @f(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  return %x : tensor<4x2xf32>
}
