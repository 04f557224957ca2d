// Layers are named after the name locations frontends give the ops
// (lin_frontend: PyTorch module paths; ONNX: node names): the name of the op
// computing the pre-activation, else `<kind>@<name>` of the activation's own,
// else `<kind>_<index>`; a name two layers share (a module called twice)
// gets the layer's `:<kind>_<index>` appended. Remarks, the verbose table and
// the report use them. (End to end from PyTorch and ONNX:
// test/Frontend/layer-names.py.)
// RUN: lin-opt %s -verify-diagnostics --linearity-fold="align=1" -o /dev/null
// RUN: lin-opt %s --linearity-fold="align=1 verbose=1 report=%t.json" -o /dev/null 2>&1 | FileCheck %s
// RUN: FileCheck %s --check-prefix=REPORT < %t.json

// CHECK: remark: layer enc:relu_0 not folded
// CHECK: layer{{ +}}neurons
// CHECK-NEXT: enc:relu_0{{ +}}2
// CHECK-NEXT: enc:relu_1{{ +}}2
// CHECK-NEXT: relu@act{{ +}}2
// CHECK-NEXT: head.0{{ +}}2
// CHECK-NEXT: total parameters
// REPORT: "name": "enc:relu_0"
// REPORT: "name": "enc:relu_1"
// REPORT: "name": "relu@act"
// REPORT: "name": "head.0"

#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @names(%x: tensor<?x1xf32>) -> (tensor<?x1xf32>, tensor<?x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x1xf32>
  %e = tensor.empty(%n) : tensor<?x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x2xf32>) -> tensor<?x2xf32>
  %w0 = arith.constant dense<[[1.0, 0.5]]> : tensor<1x2xf32>
  %m0 = linalg.matmul ins(%x, %w0 : tensor<?x1xf32>, tensor<1x2xf32>) outs(%f : tensor<?x2xf32>) -> tensor<?x2xf32> loc("enc")
  // expected-remark @below {{layer enc:relu_0 not folded: its value is used by 'func.return'}}
  %a0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%m0 : tensor<?x2xf32>) outs(%e : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 4, counts = [0, 4, 4, 0], minimum = [1.0, -2.0], maximum = [2.0, -1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  %w1 = arith.constant dense<[[1.0, 0.5], [0.25, 2.0]]> : tensor<2x2xf32>
  %m1 = linalg.matmul ins(%a0, %w1 : tensor<?x2xf32>, tensor<2x2xf32>) outs(%f : tensor<?x2xf32>) -> tensor<?x2xf32> loc("enc")
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%m1 : tensor<?x2xf32>) outs(%e : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 4, counts = [0, 4, 4, 0], minimum = [1.0, -2.0], maximum = [2.0, -1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  %w2 = arith.constant dense<[[2.0, 0.5], [0.25, 3.0]]> : tensor<2x2xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x2xf32>, tensor<2x2xf32>) outs(%f : tensor<?x2xf32>) -> tensor<?x2xf32>
  %a2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%m2 : tensor<?x2xf32>) outs(%e : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 4, counts = [0, 4, 4, 0], minimum = [1.0, -2.0], maximum = [2.0, -1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32> loc("act")
  %w3 = arith.constant dense<[[3.0, 0.5], [0.25, 4.0]]> : tensor<2x2xf32>
  %m3 = linalg.matmul ins(%a2, %w3 : tensor<?x2xf32>, tensor<2x2xf32>) outs(%f : tensor<?x2xf32>) -> tensor<?x2xf32> loc("head.0")
  %a3 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%m3 : tensor<?x2xf32>) outs(%e : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 4, counts = [0, 4, 4, 0], minimum = [1.0, -2.0], maximum = [2.0, -1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  %w4 = arith.constant dense<[[1.5], [2.5]]> : tensor<2x1xf32>
  %e1 = tensor.empty(%n) : tensor<?x1xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x1xf32>) -> tensor<?x1xf32>
  %y = linalg.matmul ins(%a3, %w4 : tensor<?x2xf32>, tensor<2x1xf32>) outs(%f1 : tensor<?x1xf32>) -> tensor<?x1xf32>
  return %y, %a0 : tensor<?x1xf32>, tensor<?x2xf32>
}
