// affine.apply / min / max on runtime sizes and checked cf.assert, as
// torch-mlir emits them around shapes (token batches: `s0 * 5`, "mismatched
// size for broadcast") and in batch-norm bodies ("tensor with zero
// element"). Five samples in batches of 2, 2 and 1: each row shows its
// batch's values.

// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 5,2 --values=0,1,2,3,4,5,6,7,8,9
// RUN: lin-run %s --function=maps --input %t.x.npy --batch 2 --print --quiet | FileCheck %s --check-prefix=MAPS
// RUN: not lin-run %s --function=failing_scope --input %t.x.npy --batch 2 --quiet 2>&1 | FileCheck %s --check-prefix=SCOPE
// RUN: not lin-run %s --function=failing_body --input %t.x.npy --batch 2 --quiet 2>&1 | FileCheck %s --check-prefix=BODY

// n = 2: (n * 6) floordiv 4 = 3, (n + 2) mod 3 = 1, (n * 3) ceildiv 2 = 3,
// min(n, 2 - n) = 0, max(2n, 3) = 4; n = 1: 1, 0, 2, 1, 3.
// MAPS:      r0[0]: 3 1 3 0 4
// MAPS-NEXT: r0[1]: 3 1 3 0 4
// MAPS-NEXT: r1[0]: 0 1
// MAPS-NEXT: r1[1]: 2 3
// MAPS-NEXT: r0[2]: 3 1 3 0 4
// MAPS-NEXT: r0[3]: 3 1 3 0 4
// MAPS:      r0[4]: 1 0 2 1 3
// MAPS-NEXT: r1[4]: 8 9
func.func @maps(%x: tensor<?x2xf32>) -> (tensor<?x5xf32>, tensor<?x2xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %a = affine.apply affine_map<(d0) -> (d0 * 6 floordiv 4)>(%n)
  %b = affine.apply affine_map<(d0)[s0] -> ((d0 + s0) mod 3)>(%n)[%c2]
  %c = affine.apply affine_map<()[s0] -> ((s0 * 3) ceildiv 2)>()[%n]
  %d = affine.min affine_map<(d0) -> (d0, 2 - d0)>(%n)
  %e = affine.max affine_map<(d0) -> (d0 * 2, 3)>(%n)
  %nonEmpty = arith.cmpi sge, %n, %c1 : index
  cf.assert %nonEmpty, "the batch is not empty"
  %ai = arith.index_cast %a : index to i64
  %bi = arith.index_cast %b : index to i64
  %ci = arith.index_cast %c : index to i64
  %di = arith.index_cast %d : index to i64
  %ei = arith.index_cast %e : index to i64
  %af = arith.sitofp %ai : i64 to f32
  %bf = arith.sitofp %bi : i64 to f32
  %cf = arith.sitofp %ci : i64 to f32
  %df = arith.sitofp %di : i64 to f32
  %ef = arith.sitofp %ei : i64 to f32
  %values = tensor.from_elements %af, %bf, %cf, %df, %ef : tensor<5xf32>
  %init = tensor.empty(%n) : tensor<?x5xf32>
  %rows = linalg.broadcast ins(%values : tensor<5xf32>) outs(%init : tensor<?x5xf32>) dimensions = [0]
  // A body assertion every element satisfies.
  %limit = arith.constant 100.0 : f32
  %init2 = tensor.empty(%n) : tensor<?x2xf32>
  %checked = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<?x2xf32>) outs(%init2 : tensor<?x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %ok = arith.cmpf olt, %in, %limit : f32
    cf.assert %ok, "below the limit"
    linalg.yield %in : f32
  } -> tensor<?x2xf32>
  return %rows, %checked : tensor<?x5xf32>, tensor<?x2xf32>
}

// A failing assertion at function scope is a located error with its message,
// although nothing reads a result of it; the last batch (n = 1) fails.
// SCOPE: affine-assert.mlir:[[@LINE+6]]:3: error: lin interpreter: assertion failed: mismatched size for broadcast
func.func @failing_scope(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %even = affine.apply affine_map<(d0) -> (d0 mod 2)>(%n)
  %ok = arith.cmpi eq, %even, %c0 : index
  cf.assert %ok, "mismatched size for broadcast"
  return %x : tensor<?x2xf32>
}

// A failing assertion in a linalg body (x reaches 3 in the second batch) is a
// located error on the linalg op.
// BODY: affine-assert.mlir:[[@LINE+6]]:8: error: lin interpreter: assertion failed: x below 3
func.func @failing_body(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %three = arith.constant 3.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %init = tensor.empty(%n) : tensor<?x2xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<?x2xf32>) outs(%init : tensor<?x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %ok = arith.cmpf olt, %in, %three : f32
    cf.assert %ok, "x below 3"
    linalg.yield %in : f32
  } -> tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}
