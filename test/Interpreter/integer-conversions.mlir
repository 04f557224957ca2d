// Integer ops on values int64 cannot hold (NaN, 1e30, infinities): the
// interpreter holds integers as floats and converted them with a plain cast,
// undefined behaviour that the sanitizer build aborts on. They saturate now
// (NaN to 0), like the index conversions of tensor ops.

// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 1,6 --values=1e30,nan,inf,-inf,5,-3
// RUN: lin-run %s --input %t.x.npy --print | FileCheck %s
// CHECK: r0[0]: 1 0 1 0 1 1

func.func @main(%x: tensor<?x6xf32>) -> tensor<?x6xf32> {
  %c1 = arith.constant 1 : i64
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<?x6xf32>) outs(%x : tensor<?x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %i = arith.fptosi %in : f32 to i64
    %b = arith.andi %i, %c1 : i64
    %f = arith.sitofp %b : i64 to f32
    linalg.yield %f : f32
  } -> tensor<?x6xf32>
  return %r : tensor<?x6xf32>
}
