// tensor dialect ops on x = [[-1.5, 0, 2], [3, -4, 0.5]].

// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 2,3 --values=-1.5,0,2,3,-4,0.5
// RUN: lin-run %s --function slices --input %t.x.npy --print --quiet | FileCheck %s --check-prefix=SLICE
// RUN: lin-run %s --function reshapes --input %t.x.npy --print --quiet | FileCheck %s --check-prefix=RESHAPE

// extract_slice of columns 1..2; insert_slice of it into a zero tensor at
// column 0; a stride-2 slice (columns 0 and 2); pad with 7 left and right;
// concat of x with its columns 0..1.
// SLICE:      r0[0]: 0 2
// SLICE-NEXT: r0[1]: -4 0.5
// SLICE-NEXT: r1[0]: 0 2 0
// SLICE-NEXT: r1[1]: -4 0.5 0
// SLICE-NEXT: r2[0]: -1.5 2
// SLICE-NEXT: r2[1]: 3 0.5
// SLICE-NEXT: r3[0]: 7 -1.5 0 2 7 7
// SLICE-NEXT: r3[1]: 7 3 -4 0.5 7 7
// SLICE-NEXT: r4[0]: -1.5 0 2 -1.5 0
// SLICE-NEXT: r4[1]: 3 -4 0.5 3 -4
func.func @slices(%x: tensor<?x3xf32>) -> (tensor<?x2xf32>, tensor<?x3xf32>, tensor<?x2xf32>, tensor<?x6xf32>, tensor<?x5xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %seven = arith.constant 7.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %s = tensor.extract_slice %x[0, 1] [%n, 2] [1, 1] : tensor<?x3xf32> to tensor<?x2xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %i = tensor.insert_slice %s into %z[0, 0] [%n, 2] [1, 1] : tensor<?x2xf32> into tensor<?x3xf32>
  %strided = tensor.extract_slice %x[0, 0] [%n, 2] [1, 2] : tensor<?x3xf32> to tensor<?x2xf32>
  %p = tensor.pad %x low[0, 1] high[0, 2] {
  ^bb0(%a: index, %b: index):
    tensor.yield %seven : f32
  } : tensor<?x3xf32> to tensor<?x6xf32>
  %head = tensor.extract_slice %x[0, 0] [%n, 2] [1, 1] : tensor<?x3xf32> to tensor<?x2xf32>
  %c = tensor.concat dim(1) %x, %head : (tensor<?x3xf32>, tensor<?x2xf32>) -> tensor<?x5xf32>
  return %s, %i, %strided, %p, %c : tensor<?x2xf32>, tensor<?x3xf32>, tensor<?x2xf32>, tensor<?x6xf32>, tensor<?x5xf32>
}

// Reshapes share storage; the function computes every sample's sum of
// squares through a 3-d view and reads one element back with tensor.extract.
// RESHAPE:      r0[0]: -1.5 0 2
// RESHAPE-NEXT: r0[1]: 3 -4 0.5
// RESHAPE-NEXT: r1[0]: 6.25
// RESHAPE-NEXT: r1[1]: 25.25
// RESHAPE-NEXT: r2[0]: 0.5 0.5
// RESHAPE-NEXT: r2[1]: 0.5 0.5
func.func @reshapes(%x: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?x1xf32>, tensor<?x2xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %x3 = tensor.expand_shape %x [[0], [1, 2]] output_shape [%n, 3, 1] : tensor<?x3xf32> into tensor<?x3x1xf32>
  %flat = tensor.collapse_shape %x3 [[0, 1, 2]] : tensor<?x3x1xf32> into tensor<?xf32>
  %back = tensor.expand_shape %flat [[0, 1]] output_shape [%n, 3] : tensor<?xf32> into tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?x1xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<?x1xf32>) -> tensor<?x1xf32>
  %sq = linalg.generic {
      indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>],
      iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%x3 : tensor<?x3x1xf32>) outs(%z : tensor<?x1xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %m = arith.mulf %in, %in : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<?x1xf32>
  // x[1, 2] = 0.5, broadcast into every sample through a captured scalar.
  %c2 = arith.constant 2 : index
  %v = tensor.extract %x[%c1, %c2] : tensor<?x3xf32>
  %e2 = tensor.empty(%n) : tensor<?x2xf32>
  %filled = linalg.fill ins(%v : f32) outs(%e2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %back, %sq, %filled : tensor<?x3xf32>, tensor<?x1xf32>, tensor<?x2xf32>
}
