// Contractions in the forms frontends emit, on x = [[-1.5, 0, 2], [3, -4, 0.5]]
// and W = [[1, 0, -1], [2, 1, 0.5]]: x W^T = [[-3.5, -2], [2.5, 2.25]].

// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 2,3 --values=-1.5,0,2,3,-4,0.5
// RUN: lin-run %s --function matmuls --input %t.x.npy --print --quiet | FileCheck %s --check-prefix=MATMUL
// RUN: lin-run %s --function batched --input %t.x.npy --print --quiet | FileCheck %s --check-prefix=BATCH
// RUN: lin-run %s --function reductions --input %t.x.npy --print --quiet | FileCheck %s --check-prefix=REDUCE
// RUN: lin-run %s --function softmax --input %t.x.npy --print --quiet | FileCheck %s --check-prefix=SOFTMAX
// RUN: lin-run %s --function other_forms --input %t.x.npy --print --quiet | FileCheck %s --check-prefix=OTHER

#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
#nm = affine_map<(m, n, k) -> (n, m)>
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// 1. torch-mlir: transpose of the weight, matmul into a zero fill.
// 2. linalg.matmul with indexing_maps reading W transposed.
// 3. A matmul-like linalg.generic with W transposed.
// 4. A matmul accumulating into a broadcast bias [10, 20] (beta = 1).
// 5. A generic contraction computing the transposed product, stored back
//    transposed (the result is contiguous along m).
// MATMUL:      r0[0]: -3.5 -2
// MATMUL-NEXT: r0[1]: 2.5 2.25
// MATMUL-NEXT: r1[0]: -3.5 -2
// MATMUL-NEXT: r1[1]: 2.5 2.25
// MATMUL-NEXT: r2[0]: -3.5 -2
// MATMUL-NEXT: r2[1]: 2.5 2.25
// MATMUL-NEXT: r3[0]: 6.5 18
// MATMUL-NEXT: r3[1]: 12.5 22.25
// MATMUL-NEXT: r4[0]: -3.5 -2
// MATMUL-NEXT: r4[1]: 2.5 2.25
func.func @matmuls(%x: tensor<?x3xf32>) -> (tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[1.0, 0.0, -1.0], [2.0, 1.0, 0.5]]> : tensor<2x3xf32>
  %bias = arith.constant dense<[10.0, 20.0]> : tensor<2xf32>
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?x2xf32>
  %zeros = linalg.fill ins(%zero : f32) outs(%e : tensor<?x2xf32>) -> tensor<?x2xf32>
  %et = tensor.empty() : tensor<3x2xf32>
  %wt = linalg.transpose ins(%w : tensor<2x3xf32>) outs(%et : tensor<3x2xf32>) permutation = [1, 0]
  %r0 = linalg.matmul ins(%x, %wt : tensor<?x3xf32>, tensor<3x2xf32>) outs(%zeros : tensor<?x2xf32>) -> tensor<?x2xf32>
  %r1 = linalg.matmul indexing_maps = [#mk, #nk, #mn]
      ins(%x, %w : tensor<?x3xf32>, tensor<2x3xf32>) outs(%zeros : tensor<?x2xf32>) -> tensor<?x2xf32>
  %r2 = linalg.generic {indexing_maps = [#mk, #nk, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<?x3xf32>, tensor<2x3xf32>) outs(%zeros : tensor<?x2xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  %bb = linalg.broadcast ins(%bias : tensor<2xf32>) outs(%e : tensor<?x2xf32>) dimensions = [0]
  %r3 = linalg.matmul ins(%x, %wt : tensor<?x3xf32>, tensor<3x2xf32>) outs(%bb : tensor<?x2xf32>) -> tensor<?x2xf32>
  %et2 = tensor.empty(%n) : tensor<2x?xf32>
  %zt = linalg.fill ins(%zero : f32) outs(%et2 : tensor<2x?xf32>) -> tensor<2x?xf32>
  %r4t = linalg.generic {indexing_maps = [#mk, #kn, #nm], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %wt : tensor<?x3xf32>, tensor<3x2xf32>) outs(%zt : tensor<2x?xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x?xf32>
  %r4 = linalg.transpose ins(%r4t : tensor<2x?xf32>) outs(%e : tensor<?x2xf32>) permutation = [1, 0]
  return %r0, %r1, %r2, %r3, %r4 : tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>
}

// linalg.batch_matmul: every sample is a 1x3 matrix times its own copy of
// W^T; linalg.matvec (no BLAS form: the structured kernel's reduction)
// computes x [1, 2, 4].
// BATCH:      r0[0]: -3.5 -2
// BATCH-NEXT: r0[1]: 2.5 2.25
// BATCH-NEXT: r1[0]: 6.5
// BATCH-NEXT: r1[1]: -3
func.func @batched(%x: tensor<?x3xf32>) -> (tensor<?x2xf32>, tensor<?xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[1.0, 0.0, -1.0], [2.0, 1.0, 0.5]]> : tensor<2x3xf32>
  %v = arith.constant dense<[1.0, 2.0, 4.0]> : tensor<3xf32>
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %x3 = tensor.expand_shape %x [[0, 1], [2]] output_shape [%n, 1, 3] : tensor<?x3xf32> into tensor<?x1x3xf32>
  %et = tensor.empty() : tensor<3x2xf32>
  %wt = linalg.transpose ins(%w : tensor<2x3xf32>) outs(%et : tensor<3x2xf32>) permutation = [1, 0]
  %eb = tensor.empty(%n) : tensor<?x3x2xf32>
  %wb = linalg.broadcast ins(%wt : tensor<3x2xf32>) outs(%eb : tensor<?x3x2xf32>) dimensions = [0]
  %e3 = tensor.empty(%n) : tensor<?x1x2xf32>
  %z3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<?x1x2xf32>) -> tensor<?x1x2xf32>
  %y3 = linalg.batch_matmul ins(%x3, %wb : tensor<?x1x3xf32>, tensor<?x3x2xf32>) outs(%z3 : tensor<?x1x2xf32>) -> tensor<?x1x2xf32>
  %y = tensor.collapse_shape %y3 [[0, 1], [2]] : tensor<?x1x2xf32> into tensor<?x2xf32>
  %ev = tensor.empty(%n) : tensor<?xf32>
  %zv = linalg.fill ins(%zero : f32) outs(%ev : tensor<?xf32>) -> tensor<?xf32>
  %mv = linalg.matvec ins(%x, %v : tensor<?x3xf32>, tensor<3xf32>) outs(%zv : tensor<?xf32>) -> tensor<?xf32>
  return %y, %mv : tensor<?x2xf32>, tensor<?xf32>
}

// Row sums and row maxima as reduction generics (the pattern of decomposed
// softmax and argmax).
// REDUCE:      r0[0]: 0.5
// REDUCE-NEXT: r0[1]: -0.5
// REDUCE-NEXT: r1[0]: 2
// REDUCE-NEXT: r1[1]: 3
func.func @reductions(%x: tensor<?x3xf32>) -> (tensor<?xf32>, tensor<?xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %lowest = arith.constant -3.40282347E+38 : f32
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?xf32>
  %zeros = linalg.fill ins(%zero : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<?x3xf32>) outs(%zeros : tensor<?xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<?xf32>
  %lows = linalg.fill ins(%lowest : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  %max = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<?x3xf32>) outs(%lows : tensor<?xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %m = arith.maximumf %in, %acc : f32
    linalg.yield %m : f32
  } -> tensor<?xf32>
  return %sum, %max : tensor<?xf32>, tensor<?xf32>
}

// SOFTMAX:      r0[0]: 0.0259087 0.116115 {{0.85797[67]}}
// SOFTMAX-NEXT: r0[1]: 0.923364 0.000841999 0.0757943
func.func @softmax(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %s = linalg.softmax dimension(1) ins(%x : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %s : tensor<?x3xf32>
}

// linalg.vecmat of constants ([1, 2] W = [5, 2, 0]) added to x, and
// linalg.contract computing x W^T.
// OTHER:      r0[0]: 3.5 2 2
// OTHER-NEXT: r0[1]: 8 -2 0.5
// OTHER-NEXT: r1[0]: -3.5 -2
// OTHER-NEXT: r1[1]: 2.5 2.25
func.func @other_forms(%x: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?x2xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %w = arith.constant dense<[[1.0, 0.0, -1.0], [2.0, 1.0, 0.5]]> : tensor<2x3xf32>
  %v = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %e3 = tensor.empty() : tensor<3xf32>
  %z3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<3xf32>) -> tensor<3xf32>
  %vm = linalg.vecmat ins(%v, %w : tensor<2xf32>, tensor<2x3xf32>) outs(%z3 : tensor<3xf32>) -> tensor<3xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %b = linalg.broadcast ins(%vm : tensor<3xf32>) outs(%e : tensor<?x3xf32>) dimensions = [0]
  %s = linalg.add ins(%x, %b : tensor<?x3xf32>, tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %e2 = tensor.empty(%n) : tensor<?x2xf32>
  %z2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %c = linalg.contract indexing_maps = [#mk, #nk, #mn]
      ins(%x, %w : tensor<?x3xf32>, tensor<2x3xf32>) outs(%z2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %s, %c : tensor<?x3xf32>, tensor<?x2xf32>
}
