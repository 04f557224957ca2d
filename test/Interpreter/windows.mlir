// Convolution and pooling windows (indexing maps such as `d2 * 2 + d3 * 2`)
// and tensor.extract at computed indices in linalg bodies (torch-mlir's
// broadcasts in attention), on x = [3, -1, 4, -1, 5, -9].

// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 1,6 --values=3,-1,4,-1,5,-9
// RUN: lin-run %s --function=windows --input %t.x.npy --print --quiet > %t.out
// RUN: lin-run %s --function=windows_other_forms --input %t.x.npy --print --quiet | sed -e 's/^r0/r3/' -e 's/^r1/r4/' >> %t.out
// RUN: FileCheck %s --check-prefix=WINDOWS < %t.out
// RUN: lin-run %s --function=gather --input %t.x.npy --print --quiet | FileCheck %s --check-prefix=GATHER
// RUN: not lin-run %s --function=window_out_of_bounds --input %t.x.npy --quiet 2>&1 | FileCheck %s --check-prefix=WINDOW-BOUNDS
// RUN: not lin-run %s --function=gather_out_of_bounds --input %t.x.npy --quiet 2>&1 | FileCheck %s --check-prefix=GATHER-BOUNDS

// conv_1d_ncw_fcw with stride 2 and dilation 2, filters [1, -1] and [1, 1]:
// out[f][w] = x[2w] * k[f][0] + x[2w + 2] * k[f][1]; a max pooling of width 3;
// a sum pooling of width 2 with stride 2 and dilation 3.
// WINDOWS:      r0[0]: -1 -1 7 9
// WINDOWS-NEXT: r1[0]: 4 4 5 5
// WINDOWS-NEXT: r2[0]: 2 -5
func.func @windows(%x: tensor<?x6xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x2xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %lowest = arith.constant 0xFF800000 : f32
  %n = tensor.dim %x, %c0 : tensor<?x6xf32>
  %x3 = tensor.expand_shape %x [[0], [1, 2]] output_shape [%n, 1, 6] : tensor<?x6xf32> into tensor<?x1x6xf32>
  %k = arith.constant dense<[[[1.0, -1.0]], [[1.0, 1.0]]]> : tensor<2x1x2xf32>
  %e = tensor.empty(%n) : tensor<?x2x2xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<?x2x2xf32>) -> tensor<?x2x2xf32>
  %conv = linalg.conv_1d_ncw_fcw {dilations = dense<2> : vector<1xi64>, strides = dense<2> : vector<1xi64>}
      ins(%x3, %k : tensor<?x1x6xf32>, tensor<2x1x2xf32>) outs(%z : tensor<?x2x2xf32>) -> tensor<?x2x2xf32>
  %conv2 = tensor.collapse_shape %conv [[0], [1, 2]] : tensor<?x2x2xf32> into tensor<?x4xf32>
  %window = tensor.empty() : tensor<3xf32>
  %pe = tensor.empty(%n) : tensor<?x1x4xf32>
  %pinit = linalg.fill ins(%lowest : f32) outs(%pe : tensor<?x1x4xf32>) -> tensor<?x1x4xf32>
  %pool = linalg.pooling_ncw_max {dilations = dense<1> : vector<1xi64>, strides = dense<1> : vector<1xi64>}
      ins(%x3, %window : tensor<?x1x6xf32>, tensor<3xf32>) outs(%pinit : tensor<?x1x4xf32>) -> tensor<?x1x4xf32>
  %pool2 = tensor.collapse_shape %pool [[0], [1, 2]] : tensor<?x1x4xf32> into tensor<?x4xf32>
  %window2 = tensor.empty() : tensor<2xf32>
  %se = tensor.empty(%n) : tensor<?x1x2xf32>
  %sinit = linalg.fill ins(%zero : f32) outs(%se : tensor<?x1x2xf32>) -> tensor<?x1x2xf32>
  %sum = linalg.pooling_ncw_sum {dilations = dense<3> : vector<1xi64>, strides = dense<2> : vector<1xi64>}
      ins(%x3, %window2 : tensor<?x1x6xf32>, tensor<2xf32>) outs(%sinit : tensor<?x1x2xf32>) -> tensor<?x1x2xf32>
  %sum2 = tensor.collapse_shape %sum [[0], [1, 2]] : tensor<?x1x2xf32> into tensor<?x2xf32>
  return %conv2, %pool2, %sum2 : tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x2xf32>
}

// The same convolution channels-last (conv_1d_nwc_wcf: the product is
// scattered into the output), and as a generic whose body is not a plain
// multiply-accumulate (the structured kernel's loops instead of im2col):
// both give the values above (the NWC result transposed back to NCW).
// WINDOWS-NEXT: r3[0]: -1 -1 7 9
// WINDOWS-NEXT: r4[0]: -1 -1 7 9
func.func @windows_other_forms(%x: tensor<?x6xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x6xf32>
  %xnwc = tensor.expand_shape %x [[0], [1, 2]] output_shape [%n, 6, 1] : tensor<?x6xf32> into tensor<?x6x1xf32>
  %k = arith.constant dense<[[[1.0, 1.0]], [[-1.0, 1.0]]]> : tensor<2x1x2xf32>
  %e = tensor.empty(%n) : tensor<?x2x2xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<?x2x2xf32>) -> tensor<?x2x2xf32>
  %nwc = linalg.conv_1d_nwc_wcf {dilations = dense<2> : vector<1xi64>, strides = dense<2> : vector<1xi64>}
      ins(%xnwc, %k : tensor<?x6x1xf32>, tensor<2x1x2xf32>) outs(%z : tensor<?x2x2xf32>) -> tensor<?x2x2xf32>
  %t = linalg.transpose ins(%nwc : tensor<?x2x2xf32>) outs(%e : tensor<?x2x2xf32>) permutation = [0, 2, 1]
  %r0 = tensor.collapse_shape %t [[0], [1, 2]] : tensor<?x2x2xf32> into tensor<?x4xf32>
  %x3 = tensor.expand_shape %x [[0], [1, 2]] output_shape [%n, 1, 6] : tensor<?x6xf32> into tensor<?x1x6xf32>
  %kf = arith.constant dense<[[[1.0, -1.0]], [[1.0, 1.0]]]> : tensor<2x1x2xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(n, f, w, c, k) -> (n, c, w * 2 + k * 2)>, affine_map<(n, f, w, c, k) -> (f, c, k)>, affine_map<(n, f, w, c, k) -> (n, f, w)>], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%x3, %kf : tensor<?x1x6xf32>, tensor<2x1x2xf32>) outs(%z : tensor<?x2x2xf32>) {
  ^bb0(%in: f32, %w: f32, %acc: f32):
    %p = arith.mulf %in, %w : f32
    %q = arith.mulf %p, %one : f32
    %s = arith.addf %acc, %q : f32
    linalg.yield %s : f32
  } -> tensor<?x2x2xf32>
  %r1 = tensor.collapse_shape %g [[0], [1, 2]] : tensor<?x2x2xf32> into tensor<?x4xf32>
  return %r0, %r1 : tensor<?x4xf32>, tensor<?x4xf32>
}

// x reversed through tensor.extract at `5 - j`.
// GATHER: r0[0]: -9 5 -1 4 -1 3
func.func @gather(%x: tensor<?x6xf32>) -> tensor<?x6xf32> {
  %c0 = arith.constant 0 : index
  %c5 = arith.constant 5 : index
  %n = tensor.dim %x, %c0 : tensor<?x6xf32>
  %e = tensor.empty(%n) : tensor<?x6xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%e : tensor<?x6xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %rj = arith.subi %c5, %j : index
    %v = tensor.extract %x[%i, %rj] : tensor<?x6xf32>
    linalg.yield %v : f32
  } -> tensor<?x6xf32>
  return %r : tensor<?x6xf32>
}

// A window that leaves its operand is a located runtime error (5 outputs of
// a width-2 window need 6 inputs... plus one).
// WINDOW-BOUNDS: windows.mlir:[[@LINE+9]]:8: error: lin interpreter: operand #0 is indexed from 0 to 6 in dimension 1 of size 6
func.func @window_out_of_bounds(%x: tensor<?x6xf32>) -> tensor<?x6xf32> {
  %c0 = arith.constant 0 : index
  %c6 = arith.constant 6 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x6xf32>
  %width = tensor.empty() : tensor<2xf32>
  %e = tensor.empty(%n, %c6) : tensor<?x?xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<?x?xf32>) -> tensor<?x?xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1 + d2)>, affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %width : tensor<?x6xf32>, tensor<2xf32>) outs(%z : tensor<?x?xf32>) {
  ^bb0(%in: f32, %w: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<?x?xf32>
  %c = tensor.cast %r : tensor<?x?xf32> to tensor<?x6xf32>
  return %c : tensor<?x6xf32>
}

// GATHER-BOUNDS: windows.mlir:[[@LINE+6]]:8: error: lin interpreter: body: tensor.extract at index 6 of dimension 1 of size 6
func.func @gather_out_of_bounds(%x: tensor<?x6xf32>) -> tensor<?x6xf32> {
  %c0 = arith.constant 0 : index
  %c6 = arith.constant 6 : index
  %n = tensor.dim %x, %c0 : tensor<?x6xf32>
  %e = tensor.empty(%n) : tensor<?x6xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%e : tensor<?x6xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %rj = arith.subi %c6, %j : index
    %v = tensor.extract %x[%i, %rj] : tensor<?x6xf32>
    linalg.yield %v : f32
  } -> tensor<?x6xf32>
  return %r : tensor<?x6xf32>
}
