// Sizes read from a file or from the IR are checked (issue 9): a shape whose
// size overflows 64 bits, or a tensor too large to allocate, is an error
// naming the file or located on the op, with exit code 1: never an abort,
// never a run on a wrapped-around size. The sizes asked for exceed any
// address space (> 2^47 bytes), so the allocations fail on every machine.

// A header whose shape product overflows int64, on a dynamic feature
// dimension: lin-opt aborted (std::length_error), lin-run died in malloc, or
// with --output exited 0 and wrote a .npy without data.
// RUN: %python %inputs/interpreter/npy_tool.py %t.overflow.npy --shape 4,4 --values=1 --header "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 4611686018427387904), }"
// RUN: not lin-run %s --function dynamic --input %t.overflow.npy --output %t.out.npy 2>&1 | FileCheck %s --check-prefix=OVERFLOW
// RUN: not test -e %t.out.npy
// RUN: not lin-opt %s --linearity-profile="data=%t.overflow.npy function=dynamic" -o %t.mlir 2>&1 | FileCheck %s --check-prefix=OVERFLOW
// OVERFLOW: error: {{.*}}overflow.npy: shape (4, 4611686018427387904) of <f4 is too large: its size in bytes overflows 64 bits

// A static batch of 2^40 samples: the batch cannot be allocated.
// RUN: %python %inputs/interpreter/npy_tool.py %t.rows.npy --shape 2,64 --values=1
// RUN: not lin-run %s --function static --input %t.rows.npy 2>&1 | FileCheck %s --check-prefix=BATCH
// BATCH: error: {{.*}}rows.npy: cannot hold a batch of 1099511627776 samples: cannot allocate 281474976710656 bytes for a tensor of shape 1099511627776x64: out of memory

// tensor.empty + linalg.fill of tensor<100000000000x100000xf32> ended in
// `LLVM ERROR: out of memory`; now an error on the fill, at run time ...
// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 2,3 --values=1
// RUN: not lin-run %s --function fill --input %t.x.npy 2>&1 | FileCheck %s --check-prefix=FILL
// FILL: huge-shapes.mlir:[[# @LINE + 11]]:8: error: lin interpreter: cannot allocate 40000000000000000 bytes for a tensor of shape 100000000000x100000: out of memory

// ... or on the constant that needs it, when the interpreter evaluates the
// constant part of the function before running.
// RUN: not lin-run %s --function constant_fill --input %t.x.npy 2>&1 | FileCheck %s --check-prefix=CONSTANT
// CONSTANT: huge-shapes.mlir:[[# @LINE + 13]]:8: error: lin interpreter: cannot allocate 40000000000000000 bytes

func.func private @fill(%x: tensor<?x3xf32>) -> tensor<100000000000x100000xf32> {
  %c0 = arith.constant 0 : index
  %v = tensor.extract %x[%c0, %c0] : tensor<?x3xf32>
  %e = tensor.empty() : tensor<100000000000x100000xf32>
  %f = linalg.fill ins(%v : f32) outs(%e : tensor<100000000000x100000xf32>) -> tensor<100000000000x100000xf32>
  return %f : tensor<100000000000x100000xf32>
}

func.func private @constant_fill(%x: tensor<?x3xf32>) -> tensor<100000000000x100000xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<100000000000x100000xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<100000000000x100000xf32>) -> tensor<100000000000x100000xf32>
  return %f : tensor<100000000000x100000xf32>
}

// A splat constant of the same size is cheap in the IR, not in memory.
// RUN: not lin-run %s --function splat --input %t.x.npy 2>&1 | FileCheck %s --check-prefix=SPLAT
// SPLAT: huge-shapes.mlir:[[# @LINE + 2]]:8: error: lin interpreter: cannot allocate 40000000000000000 bytes
func.func private @splat(%x: tensor<?x3xf32>) -> tensor<100000000000x100000xf32> {
  %c = arith.constant dense<1.0> : tensor<100000000000x100000xf32>
  return %c : tensor<100000000000x100000xf32>
}

// A runtime shape whose element count overflows: tensor.empty reports it.
// RUN: not lin-run %s --function empty --input %t.x.npy 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: huge-shapes.mlir:[[# @LINE + 4]]:8: error: lin interpreter: a tensor of shape 2x4611686018427387904x4 has too many elements
func.func private @empty(%x: tensor<?x3xf32>) -> tensor<?x4611686018427387904x4xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?x4611686018427387904x4xf32>
  return %e : tensor<?x4611686018427387904x4xf32>
}

func.func private @dynamic(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %zero = arith.constant 0.0 : f32
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<?x?xf32>) outs(%x : tensor<?x?xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

func.func private @static(%x: tensor<1099511627776x64xf32>) -> tensor<1099511627776x64xf32> {
  return %x : tensor<1099511627776x64xf32>
}
