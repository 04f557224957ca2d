// Elementwise ops in their named and generic forms, run by lin-run on
// x = [[-1.5, 0, 2], [3, -4, 0.5]] (two samples of three features).

// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 2,3 --values=-1.5,0,2,3,-4,0.5
// RUN: lin-run %s --function unary --input %t.x.npy --print --quiet | FileCheck %s --check-prefix=UNARY
// RUN: lin-run %s --function binary --input %t.x.npy --print --quiet | FileCheck %s --check-prefix=BINARY
// RUN: lin-run %s --function activations --input %t.x.npy --print --quiet | FileCheck %s --check-prefix=ACT
// RUN: lin-run %s --function body_ops --input %t.x.npy --print --quiet | FileCheck %s --check-prefix=BODY

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
#scalar = affine_map<(d0, d1) -> ()>

// UNARY:      r0[0]: 1.5 0 2
// UNARY-NEXT: r0[1]: 3 4 0.5
// UNARY-NEXT: r1[0]: 1.5 -0 -2
// UNARY-NEXT: r1[1]: -3 4 -0.5
// UNARY-NEXT: r2[0]: 0.22313 1 7.38906
// UNARY-NEXT: r2[1]: 20.0855 0.0183156 1.64872
func.func @unary(%x: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>) {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %abs = linalg.abs ins(%x : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %neg = linalg.negf ins(%x : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %exp = linalg.exp ins(%x : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %abs, %neg, %exp : tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>
}

// Against b = [1, 2, 4] broadcast over the samples.
// BINARY:      r0[0]: -0.5 2 6
// BINARY-NEXT: r0[1]: 4 -2 4.5
// BINARY-NEXT: r1[0]: -2.5 -2 -2
// BINARY-NEXT: r1[1]: 2 -6 -3.5
// BINARY-NEXT: r2[0]: -1.5 0 8
// BINARY-NEXT: r2[1]: 3 -8 2
// BINARY-NEXT: r3[0]: -1.5 0 0.5
// BINARY-NEXT: r3[1]: 3 -2 0.125
// BINARY-NEXT: r4[0]: 1 2 4
// BINARY-NEXT: r4[1]: 3 2 4
// BINARY-NEXT: r5[0]: -1.5 0 2
// BINARY-NEXT: r5[1]: 1 -4 0.5
func.func @binary(%x: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>) {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %row = arith.constant dense<[1.0, 2.0, 4.0]> : tensor<3xf32>
  %b = linalg.broadcast ins(%row : tensor<3xf32>) outs(%e : tensor<?x3xf32>) dimensions = [0]
  %add = linalg.add ins(%x, %b : tensor<?x3xf32>, tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %sub = linalg.sub ins(%x, %b : tensor<?x3xf32>, tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %mul = linalg.mul ins(%x, %b : tensor<?x3xf32>, tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %div = linalg.div ins(%x, %b : tensor<?x3xf32>, tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %max = linalg.max ins(%x, %b : tensor<?x3xf32>, tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %min = linalg.min ins(%x, %b : tensor<?x3xf32>, tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %add, %sub, %mul, %div, %max, %min : tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>
}

// ReLU as torch-mlir writes it (cmpf ugt + select), as maximumf against a
// 0-d constant, as linalg.max against a zero fill; leaky ReLU 0.1 with the
// slope captured from the function body; clamp to [-1, 1].
// ACT:      r0[0]: 0 0 2
// ACT-NEXT: r0[1]: 3 0 0.5
// ACT-NEXT: r1[0]: 0 0 2
// ACT-NEXT: r1[1]: 3 0 0.5
// ACT-NEXT: r2[0]: 0 0 2
// ACT-NEXT: r2[1]: 3 0 0.5
// ACT-NEXT: r3[0]: -0.15 0 2
// ACT-NEXT: r3[1]: 3 -0.4 0.5
// ACT-NEXT: r4[0]: -1 0 1
// ACT-NEXT: r4[1]: 1 -1 0.5
func.func @activations(%x: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %zero_tensor = arith.constant dense<0.0> : tensor<f32>
  %slope = arith.constant 1.000000e-01 : f64
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %relu1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %c = arith.cmpf ugt, %in, %zero : f32
    %s = arith.select %c, %in, %zero : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  %relu2 = linalg.generic {indexing_maps = [#id, #scalar, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %zero_tensor : tensor<?x3xf32>, tensor<f32>) outs(%e : tensor<?x3xf32>) {
  ^bb0(%in: f32, %z: f32, %out: f32):
    %m = arith.maximumf %in, %z : f32
    linalg.yield %m : f32
  } -> tensor<?x3xf32>
  %zeros = linalg.fill ins(%zero : f32) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %relu3 = linalg.max ins(%x, %zeros : tensor<?x3xf32>, tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %leaky = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %k = arith.truncf %slope : f64 to f32
    %c = arith.cmpf ogt, %in, %zero : f32
    %scaled = arith.mulf %in, %k : f32
    %s = arith.select %c, %in, %scaled : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  %clamp = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %lo = arith.constant -1.0 : f32
    %hi = arith.constant 1.0 : f32
    %a = arith.maximumf %in, %lo : f32
    %b = arith.minimumf %a, %hi : f32
    linalg.yield %b : f32
  } -> tensor<?x3xf32>
  return %relu1, %relu2, %relu3, %leaky, %clamp : tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>
}

// Integer and index arithmetic in a body: (x > 0 ? 1 : 0) + column index * 10
// through casts, and the body reading its init (accumulating onto ones).
// BODY:      r0[0]: 0 10 21
// BODY-NEXT: r0[1]: 1 10 21
// BODY-NEXT: r1[0]: -0.5 1 3
// BODY-NEXT: r1[1]: 4 -3 1.5
func.func @body_ops(%x: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>) {
  %c0 = arith.constant 0 : index
  %one = arith.constant 1.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %flags = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %zero = arith.constant 0.0 : f32
    %ten = arith.constant 10 : i64
    %positive = arith.cmpf ogt, %in, %zero : f32
    %bit = arith.extui %positive : i1 to i64
    %j = linalg.index 1 : index
    %ji = arith.index_cast %j : index to i64
    %tens = arith.muli %ji, %ten : i64
    %sum = arith.addi %tens, %bit : i64
    %f = arith.sitofp %sum : i64 to f32
    linalg.yield %f : f32
  } -> tensor<?x3xf32>
  %ones = linalg.fill ins(%one : f32) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %acc = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x3xf32>) outs(%ones : tensor<?x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  return %flags, %acc : tensor<?x3xf32>, tensor<?x3xf32>
}

// Other structured forms: a generic with two results, linalg.map,
// linalg.reduce and linalg.elementwise.
// RUN: lin-run %s --function structured_forms --input %t.x.npy --print --quiet | FileCheck %s --check-prefix=FORMS
// FORMS:      r0[0]: -0.5 1 3
// FORMS-NEXT: r0[1]: 4 -3 1.5
// FORMS-NEXT: r1[0]: -3 0 4
// FORMS-NEXT: r1[1]: 6 -8 1
// FORMS-NEXT: r2[0]: -2.5 -1 1
// FORMS-NEXT: r2[1]: 2 -5 -0.5
// FORMS-NEXT: r3[0]: 0.5
// FORMS-NEXT: r3[1]: -0.5
// FORMS-NEXT: r4[0]: 0.22313 1 7.38906
// FORMS-NEXT: r4[1]: 20.0855 0.0183156 1.64872
func.func @structured_forms(%x: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?xf32>, tensor<?x3xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %plus, %twice = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x3xf32>) outs(%e, %e : tensor<?x3xf32>, tensor<?x3xf32>) {
  ^bb0(%in: f32, %o1: f32, %o2: f32):
    %one = arith.constant 1.0 : f32
    %two = arith.constant 2.0 : f32
    %p = arith.addf %in, %one : f32
    %t = arith.mulf %in, %two : f32
    linalg.yield %p, %t : f32, f32
  } -> (tensor<?x3xf32>, tensor<?x3xf32>)
  %mapped = linalg.map ins(%x : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>)
    (%in: f32, %init: f32) {
      %one = arith.constant 1.0 : f32
      %m = arith.subf %in, %one : f32
      linalg.yield %m : f32
    }
  %er = tensor.empty(%n) : tensor<?xf32>
  %zr = linalg.fill ins(%zero : f32) outs(%er : tensor<?xf32>) -> tensor<?xf32>
  %sum = linalg.reduce ins(%x : tensor<?x3xf32>) outs(%zr : tensor<?xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  %exp = linalg.elementwise kind=#linalg.elementwise_kind<exp> ins(%x : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %plus, %twice, %mapped, %sum, %exp : tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?xf32>, tensor<?x3xf32>
}
