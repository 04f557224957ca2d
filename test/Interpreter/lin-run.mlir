// lin-run's batching, outputs and accuracy.

// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 6,3 --values=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18
// RUN: %python %inputs/interpreter/npy_tool.py %t.labels.npy --shape 6 --dtype "<i8" --values=2,2,0,2,1,2

// A dynamic batch dimension takes --batch samples per run, the last batch
// being smaller; --max-samples stops early.
// RUN: lin-run %s --function dynamic --input %t.x.npy --batch 4 --print --quiet | FileCheck %s --check-prefix=DYN
// RUN: lin-run %s --function dynamic --input %t.x.npy --batch 4 --max-samples 3 --print --quiet | FileCheck %s --check-prefix=MAX
// DYN:      r0[0]: 2 4 6
// DYN-NEXT: r0[1]: 8 10 12
// DYN-NEXT: r0[2]: 14 16 18
// DYN-NEXT: r0[3]: 20 22 24
// DYN-NEXT: r0[4]: 26 28 30
// DYN-NEXT: r0[5]: 32 34 36
// DYN-NOT:  r0
// MAX:      r0[2]: 14 16 18
// MAX-NOT:  r0[3]

// A static batch of 4 runs the 6 samples as 4, then 2 padded with 2 zero
// samples; the padding is cut from the outputs.
// RUN: lin-run %s --function static --input %t.x.npy --print --quiet | FileCheck %s --check-prefix=STATIC
// STATIC:      r0[0]: 2 4 6
// STATIC:      r0[5]: 32 34 36
// STATIC-NOT:  r0[6]

// Outputs are float32 .npy files with one row per sample.
// RUN: lin-run %s --function dynamic --input %t.x.npy --batch 4 --output %t.out.npy --quiet
// RUN: %python %inputs/interpreter/npy_tool.py --dump %t.out.npy | FileCheck %s --check-prefix=OUT
// OUT:      descr: <f4
// OUT-NEXT: shape: (6, 3)
// OUT-NEXT: values: 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 32 34 36

// Accuracy of the argmax of the first result: scores = x * [1, -1, 0.1]
// have their argmax at 0 for every (positive) sample, so labels
// [2, 2, 0, 2, 1, 2] give 1 correct of 6.
// RUN: lin-run %s --function scores --input %t.x.npy --labels %t.labels.npy --batch 4 --quiet | FileCheck %s --check-prefix=ACC
// ACC:      accuracy: 0.166667
// ACC-NEXT: samples: 6

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

func.func @dynamic(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %y = linalg.add ins(%x, %x : tensor<?x3xf32>, tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

func.func @static(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x3xf32>
  %y = linalg.add ins(%x, %x : tensor<4x3xf32>, tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

func.func @scores(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %w = arith.constant dense<[1.0, -1.0, 0.1]> : tensor<3xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %w : tensor<?x3xf32>, tensor<3xf32>) outs(%e : tensor<?x3xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
