// Unsupported ops are located errors, all of them reported before anything
// runs.

// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 2,3 --values=1
// RUN: not lin-run %s --input %t.x.npy --quiet 2>&1 | FileCheck %s

// Each error points at the op (the source line follows the message).
// CHECK-NOT: error
// CHECK: unsupported-ops.mlir:{{[0-9]+}}:11: error: lin interpreter: unsupported operation 'scf.for'
// CHECK-NEXT: %loop = scf.for
// CHECK: unsupported-ops.mlir:{{[0-9]+}}:11: error: lin interpreter: indexing maps with mod, floordiv or symbols are not supported
// CHECK-NEXT: %conv = linalg.generic
// CHECK: unsupported-ops.mlir:{{[0-9]+}}:11: error: lin interpreter: body: unsupported operation 'math.ctpop'
// CHECK-NEXT: %bits = linalg.generic
// CHECK-NOT: error
func.func @main(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %loop = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %x) -> (tensor<?x3xf32>) {
    scf.yield %acc : tensor<?x3xf32>
  }
  %k = arith.constant dense<1.0> : tensor<2xf32>
  %e2 = tensor.empty(%n) : tensor<?x2xf32>
  %conv = linalg.generic {
      indexing_maps = [affine_map<(d0, d1, d2) -> (d0, (d1 + d2) mod 3)>, affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>],
      iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%loop, %k : tensor<?x3xf32>, tensor<2xf32>) outs(%e2 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<?x2xf32>
  %bits = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) {
  ^bb0(%a: f32, %out: f32):
    %i = arith.fptosi %a : f32 to i32
    %p = math.ctpop %i : i32
    %f = arith.sitofp %p : i32 to f32
    linalg.yield %f : f32
  } -> tensor<?x3xf32>
  return %bits : tensor<?x3xf32>
}
