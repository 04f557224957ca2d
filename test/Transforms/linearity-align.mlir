// Zero-padding of layer widths: the pre-activation of a padded layer gains
// zero columns and bias entries, every affine layer reading it zero rows;
// function results and values read outside the layer graph keep their widths.
// RUN: lin-opt %s -split-input-file --linearity-align="activation-layout=batch-major weight-layout=in-out multiple=4" | FileCheck %s
// RUN: lin-opt %s -split-input-file --linearity-align="activation-layout=batch-major multiple=4 weight-layout=out-in" | FileCheck %s --check-prefix=OUTIN
// RUN: lin-opt %s -split-input-file --linearity-align="activation-layout=batch-major weight-layout=in-out multiple=4 verbose=1" -mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: lin-opt %s -split-input-file --linearity-align="activation-layout=batch-major weight-layout=in-out multiple=1 verbose=1" -mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s --check-prefix=ONE
// Padding does not change the numbers (random models of every activation
// against IREE and numpy: linearity-align-random.py).
// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 4,3 --values=0.1,-0.5,0.25,0.3,0.5,-0.05,-0.4,0.2,0.7,0.0,1.0,-1.0
// RUN: lin-run %s --function chain --input %t.x.npy --print --quiet > %t.original.txt
// RUN: lin-opt %s --linearity-align="activation-layout=batch-major weight-layout=in-out multiple=4" | lin-run - --function chain --input %t.x.npy --print --quiet > %t.padded.txt
// RUN: diff %t.original.txt %t.padded.txt
// Bad options: located errors.
// RUN: not lin-opt %s -split-input-file --linearity-align="multiple=0" 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not lin-opt %s -split-input-file --linearity-align="multiple=-16" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not lin-opt %s -split-input-file --linearity-align="multiple=" 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not lin-opt %s -split-input-file --linearity-align="weight-layout=row-major" 2>&1 | FileCheck %s --check-prefix=LAYOUT

// ZERO: linearity-align.mlir:0:0: error: linearity-align: multiple must be positive, got 0
// NEGATIVE: linearity-align.mlir:0:0: error: linearity-align: multiple must be positive, got -16
// EMPTY: multiple
// LAYOUT: for the --weight-layout option: Cannot find option named 'row-major'!

// ReLU 5 -> 8, then a clamp to [0.5, 6] (f(0) = 0.5 in its padded neuron,
// multiplied by a zero row) 3 -> 4; the output stays 2 wide.
// REMARK: remark: linearity-align: padded relu_0 5 -> 8, clamp_1 3 -> 4 to multiples of 4; weight elements 41 -> 72
// ONE: remark: linearity-align: no layer padded
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[X:.+]]: tensor<?x3xf32>) -> tensor<?x2xf32>
// CHECK: %[[W1:.+]] = arith.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], {{.*}}> : tensor<3x8xf32>
// CHECK: linalg.matmul ins(%[[X]], %[[W1]] : tensor<?x3xf32>, tensor<3x8xf32>)
// CHECK: arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]> : tensor<8xf32>
// CHECK: %[[A1:.+]] = linalg.generic {{.*}} ins(%{{[a-z0-9_]+}} : tensor<?x8xf32>)
// CHECK: arith.maximumf
// CHECK: %[[W2:.+]] = arith.constant dense<{{.*}}[0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]]> : tensor<8x4xf32>
// CHECK: linalg.matmul ins(%[[A1]], %[[W2]] : tensor<?x8xf32>, tensor<8x4xf32>)
// CHECK: %[[A2:.+]] = linalg.generic {{.*}} ins(%{{[a-z0-9_]+}} : tensor<?x4xf32>)
// CHECK: arith.minimumf
// CHECK: %[[W3:.+]] = arith.constant dense<{{.*}}[0.000000e+00, 0.000000e+00]]> : tensor<4x2xf32>
// CHECK: %[[Y:.+]] = linalg.matmul ins(%[[A2]], %[[W3]] : tensor<?x4xf32>, tensor<4x2xf32>)
// CHECK: return %[[Y]] : tensor<?x2xf32>

// OUTIN-LABEL: func.func @chain
// OUTIN: linalg.matmul indexing_maps = {{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x3xf32>, tensor<8x3xf32>)
// OUTIN: linalg.matmul indexing_maps = {{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x8xf32>, tensor<4x8xf32>)
// OUTIN: linalg.matmul indexing_maps = {{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x4xf32>, tensor<2x4xf32>)
#id = affine_map<(d0, d1) -> (d0, d1)>
#bc = affine_map<(d0, d1) -> (d1)>
func.func @chain(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %zero = arith.constant 0.0 : f32
  %lo = arith.constant 0.5 : f32
  %hi = arith.constant 6.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %w1 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 8.0, 9.0, 10.0], [11.0, 12.0, 13.0, 14.0, 15.0]]> : tensor<3x5xf32>
  %b1 = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0]> : tensor<5xf32>
  %e1 = tensor.empty(%n) : tensor<?x5xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x5xf32>) -> tensor<?x5xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x3xf32>, tensor<3x5xf32>) outs(%f1 : tensor<?x5xf32>) -> tensor<?x5xf32>
  %z1 = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<?x5xf32>, tensor<5xf32>) outs(%e1 : tensor<?x5xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x5xf32>
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z1 : tensor<?x5xf32>) outs(%e1 : tensor<?x5xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x5xf32>
  %w2 = arith.constant dense<[[1.0, -2.0, 3.0], [4.0, 5.0, -6.0], [-7.0, 8.0, 9.0], [1.0, 2.0, 3.0], [4.0, -5.0, 6.0]]> : tensor<5x3xf32>
  %e2 = tensor.empty(%n) : tensor<?x3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x5xf32>, tensor<5x3xf32>) outs(%f2 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %a2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%m2 : tensor<?x3xf32>) outs(%e2 : tensor<?x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %l = arith.maximumf %in, %lo : f32
    %u = arith.minimumf %l, %hi : f32
    linalg.yield %u : f32
  } -> tensor<?x3xf32>
  %w3 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %e3 = tensor.empty(%n) : tensor<?x2xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m3 = linalg.matmul ins(%a2, %w3 : tensor<?x3xf32>, tensor<3x2xf32>) outs(%f3 : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %m3 : tensor<?x2xf32>
}

// -----

// An activation returned as it is (read outside the layer graph) keeps its
// width; so does the activation feeding it through a residual connection
// (an add without a weight), and the output.
// REMARK: remark: linearity-align: no layer padded
// ONE: remark: linearity-align: no layer padded
// CHECK-LABEL: func.func @kept
// CHECK-NOT: tensor<?x8xf32>
// CHECK: return %{{.*}} : tensor<?x5xf32>
#ident = affine_map<(d0, d1) -> (d0, d1)>
func.func @kept(%x: tensor<?x3xf32>) -> tensor<?x5xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %w1 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 8.0, 9.0, 10.0], [11.0, 12.0, 13.0, 14.0, 15.0]]> : tensor<3x5xf32>
  %e1 = tensor.empty(%n) : tensor<?x5xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x5xf32>) -> tensor<?x5xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x3xf32>, tensor<3x5xf32>) outs(%f1 : tensor<?x5xf32>) -> tensor<?x5xf32>
  %a1 = linalg.generic {indexing_maps = [#ident, #ident], iterator_types = ["parallel", "parallel"]} ins(%m1 : tensor<?x5xf32>) outs(%e1 : tensor<?x5xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x5xf32>
  %w2 = arith.constant dense<1.0> : tensor<5x5xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x5xf32>, tensor<5x5xf32>) outs(%f1 : tensor<?x5xf32>) -> tensor<?x5xf32>
  %z2 = linalg.generic {indexing_maps = [#ident, #ident, #ident], iterator_types = ["parallel", "parallel"]} ins(%m2, %a1 : tensor<?x5xf32>, tensor<?x5xf32>) outs(%e1 : tensor<?x5xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x5xf32>
  %a2 = linalg.generic {indexing_maps = [#ident, #ident], iterator_types = ["parallel", "parallel"]} ins(%z2 : tensor<?x5xf32>) outs(%e1 : tensor<?x5xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x5xf32>
  return %a2 : tensor<?x5xf32>
}
