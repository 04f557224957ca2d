// activation-layout=feature-major: re-emitted layers whose every reader is
// re-emitted hold their values [features, batch]; each consumer reads all
// its feature-major roots with one matmul (tensor.concat dim(0) of the
// roots, one [out, sum in] constant as the left operand); a layer left
// alone that only re-emitted consumers read, two or more with weights, is
// re-emitted feature-major too; a batch-major root (the argument, layers
// left batch-major) read by two or more of the re-emitted consumers is
// read by one stacked matmul through transposed
// maps ([sum of their widths, batch]), of which each consumer adds its rows
// (tensor.extract_slice) with its bias; a batch-major root with one such
// reader has a matmul of its own there. Outputs stay [batch, out]. Values
// are checked against batch-major emission with IREE in
// linearity-fold-activation-layout-random.py.
// RUN: lin-opt %s -split-input-file --linearity-fold="policy=all activation-layout=feature-major weight-layout=in-out" -mlir-print-local-scope 2>&1 | FileCheck %s --check-prefixes=CHECK,INOUT --implicit-check-not=warning
// RUN: lin-opt %s -split-input-file --linearity-fold="policy=all activation-layout=feature-major weight-layout=out-in" -mlir-print-local-scope | FileCheck %s --check-prefixes=CHECK,OUTIN
// RUN: lin-opt %s -split-input-file --linearity-fold="policy=all activation-layout=feature-major" | mlir-opt -split-input-file --linalg-generalize-named-ops --one-shot-bufferize=bufferize-function-boundaries --convert-linalg-to-loops -o /dev/null
// RUN: lin-opt %s -split-input-file --linearity-fold="policy=all activation-layout=feature-major keep-profiles=1" | FileCheck %s --check-prefix=PROFILE
// RUN: lin-opt %s -split-input-file --linearity-fold="policy=all activation-layout=feature-major concat-buffer=0" | FileCheck %s --check-prefix=NOBUF
// RUN: lin-opt %s -split-input-file --linearity-fold="policy=all activation-layout=feature-major" | FileCheck %s --check-prefix=MATMULS
// RUN: lin-opt %s -split-input-file --linearity-fold="policy=all activation-layout=batch-major" | FileCheck %s --check-prefix=BATCH
// RUN: %python %inputs/interpreter/npy_tool.py %t.x.npy --shape 4,2 --values=0.1,0.5,0.25,0.3,0.5,0.05,0.4,0.2
// RUN: lin-opt %s -split-input-file --linearity-compress="data=%t.x.npy activation-layout=feature-major quiet=1" 2>&1 | FileCheck %s --check-prefix=COMPRESS
// RUN: lin-opt %s -split-input-file --linearity-fold="policy=all activation-layout=batch-major weight-layout=in-out" | lin-opt -split-input-file --linearity-align="multiple=4 activation-layout=feature-major" | FileCheck %s --check-prefix=ALIGN --implicit-check-not=warning
// RUN: not lin-opt %s --linearity-fold="activation-layout=foo" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not lin-opt %s --linearity-compress="activation-layout=foo" 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: for the --activation-layout option: Cannot find option named 'foo'!


// A chain of three folding layers: the argument is read by relu_0 (4 -> 2),
// by a skip into relu_1 (4 -> 3) and by a (zero) skip into relu_2 (3 -> 2):
// one stacked [7 x 2] matmul reads it through transposed maps, relu_0 takes
// its rows 0-1 in place (no matmul of its own: its bias and ReLU in one
// generic over the stacked result, its activation those rows, a slice of
// the result collapsed to one dimension), relu_1 rows 2-4 and relu_2 rows
// 5-6 of that result, each added after its own matmul. The generic adds
// every reader's bias to its rows (one vector of 7), so that the readers'
// own generics add none. relu_1 reads relu_0;
// relu_2 reads relu_1 and relu_0 concatenated, with one [2 x 5] constant;
// the output reads relu_2, batch-major, through a transposed left operand.
// CHECK-LABEL: func.func @chain(
// CHECK-SAME: %[[X:.+]]: tensor<?x2xf32>) -> tensor<?x2xf32>
// CHECK: %[[S:.+]] = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%{{.+}}, %[[X]] : tensor<7x2xf32>, tensor<?x2xf32>) outs(%{{.+}} : tensor<7x?xf32>)
// CHECK: %[[B0:.+]] = arith.constant dense<[0.000000e+00, -1.000000e+00, 1.500000e+00, 1.500000e+00, 2.000000e+00, 0.000000e+00, 5.000000e-01]> : tensor<7xf32>
// CHECK: %[[M0:.+]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>]{{.*}} ins(%[[S]], %[[B0]] : tensor<7x?xf32>, tensor<7xf32>) outs(%{{.+}} : tensor<7x?xf32>)
// CHECK: linalg.index 0 : index
// CHECK: %[[F0:.+]] = tensor.collapse_shape %[[M0]] {{\[\[}}0, 1]] : tensor<7x?xf32> into tensor<?xf32>
// CHECK: %[[L0:.+]] = tensor.extract_slice %[[F0]][0] [%{{.+}}] [1] : tensor<?xf32> to tensor<?xf32>
// CHECK: %[[A0:.+]] = tensor.expand_shape %[[L0]] {{\[\[}}0, 1]] output_shape [2, %{{.+}}] : tensor<?xf32> into tensor<2x?xf32>
// CHECK: %[[M1:.+]] = linalg.matmul ins(%{{.+}}, %[[A0]] : tensor<3x2xf32>, tensor<2x?xf32>) outs(%{{.+}} : tensor<3x?xf32>)
// CHECK: %[[S1:.+]] = tensor.extract_slice %[[M0]][2, 0] [3, %{{.+}}] [1, 1] : tensor<7x?xf32> to tensor<3x?xf32>
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>]{{.*}} ins(%[[M1]], %[[S1]] : tensor<3x?xf32>, tensor<3x?xf32>)
// CHECK: %[[A1:.+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<3x?xf32>) outs(%{{.+}} : tensor<3x?xf32>)
// CHECK: %[[C:.+]] = tensor.concat dim(0) %[[A1]], %[[A0]] : (tensor<3x?xf32>, tensor<2x?xf32>) -> tensor<5x?xf32>
// CHECK: %[[M2:.+]] = linalg.matmul ins(%{{.+}}, %[[C]] : tensor<2x5xf32>, tensor<5x?xf32>) outs(%{{.+}} : tensor<2x?xf32>)
// CHECK: %[[S2:.+]] = tensor.extract_slice %[[M0]][5, 0] [2, %{{.+}}] [1, 1] : tensor<7x?xf32> to tensor<2x?xf32>
// CHECK: linalg.generic {{.*}} ins(%[[M2]], %[[S2]] : tensor<2x?xf32>, tensor<2x?xf32>)
// CHECK: %[[A2:.+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<2x?xf32>) outs(%{{.+}} : tensor<2x?xf32>)
// CHECK: %[[Y:.+]] = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%[[A2]], %{{.+}} : tensor<2x?xf32>, tensor<2x2xf32>) outs(%{{.+}} : tensor<?x2xf32>)
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>]{{.*}} ins(%[[Y]], %{{.+}} : tensor<?x2xf32>, tensor<2xf32>)
// CHECK: return %[[R]] : tensor<?x2xf32>

// Four matmuls, one per linear layer: the stacked one, relu_1's, relu_2's
// and the output's.
// MATMULS-LABEL: func.func @chain(
// MATMULS-COUNT-4: linalg.matmul
// MATMULS-NOT: linalg.matmul
// MATMULS: return

// Batch-major, the same fold has one matmul per root: 7 instead of 4.
// BATCH-LABEL: func.func @chain(
// BATCH-COUNT-7: linalg.matmul
// BATCH-NOT: linalg.matmul
// BATCH-NOT: tensor.concat
// BATCH: return

// The profiles kept are the shrunk ones, on the feature-major activations
// (relu_0's too: to keep it, relu_0 has an activation op of its own rather
// than taking its stacked rows in place).
// PROFILE-LABEL: func.func @chain(
// PROFILE: ins(%{{.+}} : tensor<2x?xf32>) outs(%{{.+}} : tensor<2x?xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [5, 5, 5, 5]
// PROFILE: ins(%{{.+}} : tensor<3x?xf32>) outs(%{{.+}} : tensor<3x?xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [5, 5, 5, 5, 5, 5]

// linearity-align re-emits the layers it pads feature-major too.
// ALIGN-LABEL: func.func @chain(
// ALIGN: tensor.concat dim(0) %{{.+}}, %{{.+}} : (tensor<4x?xf32>, tensor<4x?xf32>) -> tensor<8x?xf32>
// ALIGN: return

// linearity-compress hands the option to the fold: relu_0 loses its
// always inactive neuron 2 on these samples.
// COMPRESS-LABEL: func.func @chain(
// COMPRESS: linalg.generic {{.*}} ins(%{{.+}} : tensor<3x?xf32>) outs(%{{.+}} : tensor<3x?xf32>)

func.func @chain(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %w1 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  %e2 = tensor.empty(%n) : tensor<?x4xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %m4 = linalg.matmul ins(%x, %w1 : tensor<?x2xf32>, tensor<2x4xf32>) outs(%f3 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %b5 = arith.constant dense<[1.0, 0.0, -9.0, -1.0]> : tensor<4xf32>
  %e6 = tensor.empty(%n) : tensor<?x4xf32>
  %s7 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m4, %b5 : tensor<?x4xf32>, tensor<4xf32>) outs(%e6 : tensor<?x4xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x4xf32>
  %e8 = tensor.empty(%n) : tensor<?x4xf32>
  %a9 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s7 : tensor<?x4xf32>) outs(%e8 : tensor<?x4xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [0, 5, 10, 5, 10, 5, 0, 5], minimum = [0.5, -1.0, -3.0, -1.0], maximum = [2.0, 1.0, -1.0, 1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x4xf32>
  %w10 = arith.constant dense<[[1.0, 0.0, 2.0, 1.0], [0.0, 1.0, 1.0, -1.0], [1.0, 1.0, 0.0, 0.0], [2.0, 0.0, 1.0, 1.0]]> : tensor<4x4xf32>
  %e11 = tensor.empty(%n) : tensor<?x4xf32>
  %f12 = linalg.fill ins(%zero : f32) outs(%e11 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %m13 = linalg.matmul ins(%a9, %w10 : tensor<?x4xf32>, tensor<4x4xf32>) outs(%f12 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %b14 = arith.constant dense<[0.5, 0.0, -0.5, 1.0]> : tensor<4xf32>
  %e15 = tensor.empty(%n) : tensor<?x4xf32>
  %s16 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m13, %b14 : tensor<?x4xf32>, tensor<4xf32>) outs(%e15 : tensor<?x4xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x4xf32>
  %e17 = tensor.empty(%n) : tensor<?x4xf32>
  %a18 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s16 : tensor<?x4xf32>) outs(%e17 : tensor<?x4xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [5, 0, 5, 5, 5, 10, 5, 5], minimum = [-1.0, 0.5, -1.0, -1.0], maximum = [1.0, 2.0, 1.0, 1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x4xf32>
  %w19 = arith.constant dense<[[1.0, 0.0, 1.0], [0.0, 1.0, -1.0], [1.0, 1.0, 0.0], [-1.0, 0.0, 2.0]]> : tensor<4x3xf32>
  %e20 = tensor.empty(%n) : tensor<?x3xf32>
  %f21 = linalg.fill ins(%zero : f32) outs(%e20 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %m22 = linalg.matmul ins(%a18, %w19 : tensor<?x4xf32>, tensor<4x3xf32>) outs(%f21 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %b23 = arith.constant dense<[0.0, 0.5, 1.0]> : tensor<3xf32>
  %e24 = tensor.empty(%n) : tensor<?x3xf32>
  %s25 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m22, %b23 : tensor<?x3xf32>, tensor<3xf32>) outs(%e24 : tensor<?x3xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x3xf32>
  %e26 = tensor.empty(%n) : tensor<?x3xf32>
  %a27 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s25 : tensor<?x3xf32>) outs(%e26 : tensor<?x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [5, 5, 10, 5, 5, 0], minimum = [-1.0, -1.0, -3.0], maximum = [1.0, 1.0, -1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x3xf32>
  %w28 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %e29 = tensor.empty(%n) : tensor<?x2xf32>
  %f30 = linalg.fill ins(%zero : f32) outs(%e29 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m31 = linalg.matmul ins(%a27, %w28 : tensor<?x3xf32>, tensor<3x2xf32>) outs(%f30 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %b32 = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %e33 = tensor.empty(%n) : tensor<?x2xf32>
  %s34 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m31, %b32 : tensor<?x2xf32>, tensor<2xf32>) outs(%e33 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x2xf32>
  return %s34 : tensor<?x2xf32>
}

// -----

// relu_0 folds (4 -> 2, feature-major); relu_1 keeps its width and its
// consumer relu_2 is left alone, so relu_1 stays batch-major: it reads
// relu_0 through a transposed left operand and its rows of the argument's
// stacked matmul (shared with relu_0) transposed.
// BATCH-LABEL: func.func @unchanged_consumer(
// CHECK-LABEL: func.func @unchanged_consumer(
// CHECK-SAME: %[[X:.+]]: tensor<?x2xf32>)
// CHECK: %[[S:.+]] = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%{{.+}}, %[[X]] : tensor<4x2xf32>, tensor<?x2xf32>) outs(%{{.+}} : tensor<4x?xf32>)
// CHECK: %[[M0:.+]] = linalg.generic {{.*}} ins(%[[S]], %{{.+}} : tensor<4x?xf32>, tensor<4xf32>) outs(%{{.+}} : tensor<4x?xf32>)
// CHECK: %[[A0:.+]] = tensor.expand_shape {{.*}} into tensor<2x?xf32>
// CHECK: linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%[[A0]], %{{.+}} : tensor<2x?xf32>, tensor<2x2xf32>) outs(%{{.+}} : tensor<?x2xf32>)
// CHECK: %[[S1:.+]] = tensor.extract_slice %[[M0]][2, 0] [2, %{{.+}}] [1, 1] : tensor<4x?xf32> to tensor<2x?xf32>
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>]{{.*}} ins(%{{.+}}, %[[S1]] : tensor<?x2xf32>, tensor<2x?xf32>) outs(%{{.+}} : tensor<?x2xf32>)
// CHECK: %[[A1:.+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<?x2xf32>) outs(%{{.+}} : tensor<?x2xf32>)
// CHECK: linalg.matmul ins(%[[A1]], %{{.+}} : tensor<?x2xf32>, tensor<2x3xf32>) outs(%{{.+}} : tensor<?x3xf32>)
// CHECK-NOT: tensor.concat
// CHECK: return

func.func @unchanged_consumer(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %w1 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  %e2 = tensor.empty(%n) : tensor<?x4xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %m4 = linalg.matmul ins(%x, %w1 : tensor<?x2xf32>, tensor<2x4xf32>) outs(%f3 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %b5 = arith.constant dense<[1.0, 0.0, -9.0, -1.0]> : tensor<4xf32>
  %e6 = tensor.empty(%n) : tensor<?x4xf32>
  %s7 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m4, %b5 : tensor<?x4xf32>, tensor<4xf32>) outs(%e6 : tensor<?x4xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x4xf32>
  %e8 = tensor.empty(%n) : tensor<?x4xf32>
  %a9 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s7 : tensor<?x4xf32>) outs(%e8 : tensor<?x4xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [0, 5, 10, 5, 10, 5, 0, 5], minimum = [0.5, -1.0, -3.0, -1.0], maximum = [2.0, 1.0, -1.0, 1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x4xf32>
  %w10 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %e11 = tensor.empty(%n) : tensor<?x2xf32>
  %f12 = linalg.fill ins(%zero : f32) outs(%e11 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m13 = linalg.matmul ins(%a9, %w10 : tensor<?x4xf32>, tensor<4x2xf32>) outs(%f12 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %b14 = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %e15 = tensor.empty(%n) : tensor<?x2xf32>
  %s16 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m13, %b14 : tensor<?x2xf32>, tensor<2xf32>) outs(%e15 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x2xf32>
  %e17 = tensor.empty(%n) : tensor<?x2xf32>
  %a18 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s16 : tensor<?x2xf32>) outs(%e17 : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [5, 5, 5, 5], minimum = [-1.0, -1.0], maximum = [1.0, 1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  %w19 = arith.constant dense<[[1.0, -1.0, 2.0], [0.5, 1.0, -2.0]]> : tensor<2x3xf32>
  %e20 = tensor.empty(%n) : tensor<?x3xf32>
  %f21 = linalg.fill ins(%zero : f32) outs(%e20 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %m22 = linalg.matmul ins(%a18, %w19 : tensor<?x2xf32>, tensor<2x3xf32>) outs(%f21 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %b23 = arith.constant dense<[0.0, 1.0, 0.0]> : tensor<3xf32>
  %e24 = tensor.empty(%n) : tensor<?x3xf32>
  %s25 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m22, %b23 : tensor<?x3xf32>, tensor<3xf32>) outs(%e24 : tensor<?x3xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x3xf32>
  %e26 = tensor.empty(%n) : tensor<?x3xf32>
  %a27 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s25 : tensor<?x3xf32>) outs(%e26 : tensor<?x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [5, 5, 5, 5, 5, 5], minimum = [-1.0, -1.0, -1.0], maximum = [1.0, 1.0, 1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x3xf32>
  %w28 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %e29 = tensor.empty(%n) : tensor<?x2xf32>
  %f30 = linalg.fill ins(%zero : f32) outs(%e29 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m31 = linalg.matmul ins(%a27, %w28 : tensor<?x3xf32>, tensor<3x2xf32>) outs(%f30 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %b32 = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %e33 = tensor.empty(%n) : tensor<?x2xf32>
  %s34 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m31, %b32 : tensor<?x2xf32>, tensor<2xf32>) outs(%e33 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x2xf32>
  return %s34 : tensor<?x2xf32>
}

// -----

// Residual parts: relu_1's pre-activation adds the argument (batch-major,
// read transposed into the feature-major sum), the output adds relu_1
// (feature-major, read transposed into the batch-major output). The
// argument's weighted terms (relu_0, relu_1, the output) are one stacked
// matmul. relu_0 reads nothing else: its bias and ReLU are applied in place
// to its rows of the stacked result (rows 0-1; one generic over all six
// rows, which adds the bias of every reader of the stacked matmul; the
// ReLU only on relu_0's rows, the others passed through), and its
// activation is those rows, sliced from the result collapsed to one
// dimension (a contiguous slice, which IREE copies without a dispatch).
// CHECK-LABEL: func.func @residual(
// CHECK-SAME: %[[X:.+]]: tensor<?x2xf32>)
// CHECK: %[[ST:.+]] = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%{{.+}}, %[[X]] : tensor<6x2xf32>, tensor<?x2xf32>)
// CHECK: %[[B0:.+]] = arith.constant dense<[0.000000e+00, -1.000000e+00, 1.500000e+00, 1.500000e+00, 1.000000e+00, 0.000000e+00]> : tensor<6xf32>
// CHECK: %[[MASKED:.+]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>]{{.*}} ins(%[[ST]], %[[B0]] : tensor<6x?xf32>, tensor<6xf32>)
// CHECK-NEXT: ^bb0(%[[Z:.+]]: f32, %[[B:.+]]: f32,
// CHECK-NEXT: %[[SUM:.+]] = arith.addf %[[Z]], %[[B]] : f32
// CHECK-NEXT: %[[ROW:.+]] = linalg.index 0 : index
// CHECK-NEXT: %[[TWO:.+]] = arith.constant 2 : index
// CHECK-NEXT: %[[FIRST:.+]] = arith.cmpi ult, %[[ROW]], %[[TWO]] : index
// CHECK: %[[RELU:.+]] = arith.maximumf %[[SUM]], %{{.+}} : f32
// CHECK-NEXT: %[[PICK:.+]] = arith.select %[[FIRST]], %[[RELU]], %[[SUM]] : f32
// CHECK-NEXT: linalg.yield %[[PICK]] : f32
// CHECK: %[[FLAT:.+]] = tensor.collapse_shape %[[MASKED]] {{\[\[}}0, 1]] : tensor<6x?xf32> into tensor<?xf32>
// CHECK: %[[LEAD:.+]] = tensor.extract_slice %[[FLAT]][0] [%{{.+}}] [1] : tensor<?xf32> to tensor<?xf32>
// CHECK: %[[A0:.+]] = tensor.expand_shape %[[LEAD]] {{\[\[}}0, 1]] output_shape [2, %{{.+}}] : tensor<?xf32> into tensor<2x?xf32>
// CHECK: %[[S:.+]] = linalg.matmul ins(%{{.+}}, %[[A0]] : tensor<2x2xf32>, tensor<2x?xf32>)
// CHECK: %[[P:.+]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>]{{.*}} ins(%[[S]], %[[X]] : tensor<2x?xf32>, tensor<?x2xf32>) outs(%{{.+}} : tensor<2x?xf32>)
// CHECK: %[[S1:.+]] = tensor.extract_slice %[[MASKED]][2, 0] [2, %{{.+}}] [1, 1]
// CHECK: linalg.generic {{.*}} ins(%[[P]], %[[S1]] : tensor<2x?xf32>, tensor<2x?xf32>)
// CHECK: %[[A1:.+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<2x?xf32>) outs(%{{.+}} : tensor<2x?xf32>)
// CHECK: %[[C:.+]] = tensor.concat dim(0) %[[A1]], %[[A0]] : (tensor<2x?xf32>, tensor<2x?xf32>) -> tensor<4x?xf32>
// CHECK: %[[M:.+]] = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%[[C]], %{{.+}} : tensor<4x?xf32>, tensor<2x4xf32>) outs(%{{.+}} : tensor<?x2xf32>)
// CHECK: %[[Q:.+]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>]{{.*}} ins(%[[M]], %[[A1]] : tensor<?x2xf32>, tensor<2x?xf32>) outs(%{{.+}} : tensor<?x2xf32>)
// CHECK: %[[S2:.+]] = tensor.extract_slice %[[MASKED]][4, 0] [2, %{{.+}}] [1, 1]
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>]{{.*}} ins(%[[Q]], %[[S2]] : tensor<?x2xf32>, tensor<2x?xf32>)
// CHECK: return

func.func @residual(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %w1 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  %e2 = tensor.empty(%n) : tensor<?x4xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %m4 = linalg.matmul ins(%x, %w1 : tensor<?x2xf32>, tensor<2x4xf32>) outs(%f3 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %b5 = arith.constant dense<[1.0, 0.0, -9.0, -1.0]> : tensor<4xf32>
  %e6 = tensor.empty(%n) : tensor<?x4xf32>
  %s7 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m4, %b5 : tensor<?x4xf32>, tensor<4xf32>) outs(%e6 : tensor<?x4xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x4xf32>
  %e8 = tensor.empty(%n) : tensor<?x4xf32>
  %a9 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s7 : tensor<?x4xf32>) outs(%e8 : tensor<?x4xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [0, 5, 10, 5, 10, 5, 0, 5], minimum = [0.5, -1.0, -3.0, -1.0], maximum = [2.0, 1.0, -1.0, 1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x4xf32>
  %w10 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %e11 = tensor.empty(%n) : tensor<?x2xf32>
  %f12 = linalg.fill ins(%zero : f32) outs(%e11 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m13 = linalg.matmul ins(%a9, %w10 : tensor<?x4xf32>, tensor<4x2xf32>) outs(%f12 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %e14 = tensor.empty(%n) : tensor<?x2xf32>
  %s15 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m13, %x : tensor<?x2xf32>, tensor<?x2xf32>) outs(%e14 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x2xf32>
  %b16 = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %e17 = tensor.empty(%n) : tensor<?x2xf32>
  %s18 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s15, %b16 : tensor<?x2xf32>, tensor<2xf32>) outs(%e17 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x2xf32>
  %e19 = tensor.empty(%n) : tensor<?x2xf32>
  %a20 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s18 : tensor<?x2xf32>) outs(%e19 : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [5, 5, 5, 5], minimum = [-1.0, -1.0], maximum = [1.0, 1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  %w21 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %e22 = tensor.empty(%n) : tensor<?x2xf32>
  %f23 = linalg.fill ins(%zero : f32) outs(%e22 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m24 = linalg.matmul ins(%a20, %w21 : tensor<?x2xf32>, tensor<2x2xf32>) outs(%f23 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %w25 = arith.constant dense<[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, -1.0]]> : tensor<4x2xf32>
  %e26 = tensor.empty(%n) : tensor<?x2xf32>
  %f27 = linalg.fill ins(%zero : f32) outs(%e26 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m28 = linalg.matmul ins(%a9, %w25 : tensor<?x4xf32>, tensor<4x2xf32>) outs(%f27 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %e29 = tensor.empty(%n) : tensor<?x2xf32>
  %s30 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m24, %m28 : tensor<?x2xf32>, tensor<?x2xf32>) outs(%e29 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x2xf32>
  %e31 = tensor.empty(%n) : tensor<?x2xf32>
  %s32 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s30, %a20 : tensor<?x2xf32>, tensor<?x2xf32>) outs(%e31 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x2xf32>
  return %s32 : tensor<?x2xf32>
}

// -----

// Every neuron folds: one batch-major matmul from the argument is left,
// in the weight layout asked for.
// CHECK-LABEL: func.func @all_fold(
// INOUT: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<?x2xf32>, tensor<2x3xf32>)
// OUTIN: linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%{{.+}}, %{{.+}} : tensor<?x2xf32>, tensor<3x2xf32>)
// CHECK-NOT: linalg.matmul
// CHECK-NOT: tensor.concat
// CHECK-NOT: x?xf32>
// CHECK: return

func.func @all_fold(%x: tensor<?x2xf32>) -> tensor<?x3xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %w1 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  %e2 = tensor.empty(%n) : tensor<?x4xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %m4 = linalg.matmul ins(%x, %w1 : tensor<?x2xf32>, tensor<2x4xf32>) outs(%f3 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %b5 = arith.constant dense<[1.0, 0.0, -9.0, -1.0]> : tensor<4xf32>
  %e6 = tensor.empty(%n) : tensor<?x4xf32>
  %s7 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m4, %b5 : tensor<?x4xf32>, tensor<4xf32>) outs(%e6 : tensor<?x4xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x4xf32>
  %e8 = tensor.empty(%n) : tensor<?x4xf32>
  %a9 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s7 : tensor<?x4xf32>) outs(%e8 : tensor<?x4xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [0, 0, 10, 0, 10, 10, 0, 10], minimum = [0.5, 0.5, -3.0, 0.5], maximum = [2.0, 2.0, -1.0, 2.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x4xf32>
  %w10 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %e11 = tensor.empty(%n) : tensor<?x2xf32>
  %f12 = linalg.fill ins(%zero : f32) outs(%e11 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m13 = linalg.matmul ins(%a9, %w10 : tensor<?x4xf32>, tensor<4x2xf32>) outs(%f12 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %b14 = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %e15 = tensor.empty(%n) : tensor<?x2xf32>
  %s16 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m13, %b14 : tensor<?x2xf32>, tensor<2xf32>) outs(%e15 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x2xf32>
  %e17 = tensor.empty(%n) : tensor<?x2xf32>
  %a18 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s16 : tensor<?x2xf32>) outs(%e17 : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [0, 10, 10, 0], minimum = [0.5, -3.0], maximum = [2.0, -1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  %w19 = arith.constant dense<[[1.0, 2.0, 1.0], [3.0, 4.0, 1.0]]> : tensor<2x3xf32>
  %e20 = tensor.empty(%n) : tensor<?x3xf32>
  %f21 = linalg.fill ins(%zero : f32) outs(%e20 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %m22 = linalg.matmul ins(%a18, %w19 : tensor<?x2xf32>, tensor<2x3xf32>) outs(%f21 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %b23 = arith.constant dense<[0.5, -0.5, 0.0]> : tensor<3xf32>
  %e24 = tensor.empty(%n) : tensor<?x3xf32>
  %s25 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m22, %b23 : tensor<?x3xf32>, tensor<3xf32>) outs(%e24 : tensor<?x3xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x3xf32>
  return %s25 : tensor<?x3xf32>
}


// -----

// relu_0 keeps all its neurons (left alone, batch-major); relu_1 drops its
// always inactive neuron 1 (feature-major, no skip): relu_0 has one
// re-emitted reader and keeps a matmul of its own, through transposed maps.
// CHECK-LABEL: func.func @single_reader(
// CHECK: %[[A0:.+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<?x2xf32>) outs(%{{.+}} : tensor<?x2xf32>)
// CHECK: linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%{{.+}}, %[[A0]] : tensor<2x2xf32>, tensor<?x2xf32>) outs(%{{.+}} : tensor<2x?xf32>)
// CHECK-NOT: tensor.extract_slice
// CHECK: return
// MATMULS-LABEL: func.func @single_reader(
// MATMULS-COUNT-3: linalg.matmul
// MATMULS-NOT: linalg.matmul
// MATMULS: return

func.func @single_reader(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %w1 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %e2 = tensor.empty(%n) : tensor<?x2xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m4 = linalg.matmul ins(%x, %w1 : tensor<?x2xf32>, tensor<2x2xf32>) outs(%f3 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %a9 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m4 : tensor<?x2xf32>) outs(%e2 : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [5, 5, 5, 5], minimum = [-1.0, -1.0], maximum = [1.0, 1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  %w10 = arith.constant dense<[[1.0, 0.0, 2.0], [0.0, 1.0, 1.0]]> : tensor<2x3xf32>
  %b11 = arith.constant dense<[0.5, -0.5, 1.0]> : tensor<3xf32>
  %e12 = tensor.empty(%n) : tensor<?x3xf32>
  %f13 = linalg.fill ins(%zero : f32) outs(%e12 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %m14 = linalg.matmul ins(%a9, %w10 : tensor<?x2xf32>, tensor<2x3xf32>) outs(%f13 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %s15 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m14, %b11 : tensor<?x3xf32>, tensor<3xf32>) outs(%e12 : tensor<?x3xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x3xf32>
  %a16 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s15 : tensor<?x3xf32>) outs(%e12 : tensor<?x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [5, 10, 5, 5, 0, 5], minimum = [-1.0, -2.0, -1.0], maximum = [1.0, -0.5, 1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x3xf32>
  %w17 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %e18 = tensor.empty(%n) : tensor<?x2xf32>
  %f19 = linalg.fill ins(%zero : f32) outs(%e18 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m20 = linalg.matmul ins(%a16, %w17 : tensor<?x3xf32>, tensor<3x2xf32>) outs(%f19 : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %m20 : tensor<?x2xf32>
}

// -----

// relu_0 keeps all its neurons; relu_1 (4 -> 2) merges its neuron 0, so
// relu_2 gains a skip from relu_0, and relu_2 (3 -> 2) merges its neuron 1,
// so the output does too: three re-emitted sinks read relu_0 and nothing
// else does. relu_0 is then re-emitted unchanged but feature-major (its
// own matmul from the argument through transposed maps, bias and
// activation), and its readers take it into their concatenations: no
// stacked matmul, no rows sliced off one, one matmul per linear layer. (A
// stacked matmul would cost IREE an elementwise dispatch for relu_1's bias
// and activation: one dispatch more than the original.) The two
// concatenations, [relu_1, relu_0] and [relu_2, relu_1, relu_0], are
// suffixes of the last: they are slices of one flat buffer of 7 rows x
// batch, relu_2 in rows 0-1, relu_1 in rows 2-3, relu_0 in rows 4-6, each
// activation written into it once, right after it is computed
// (concat-buffer; IREE would copy each member into each concatenation).
// CHECK-LABEL: func.func @kept_first_layer(
// CHECK-SAME: %[[X:.+]]: tensor<?x2xf32>) -> tensor<?x2xf32>
// CHECK: %[[M0:.+]] = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%{{.+}}, %[[X]] : tensor<3x2xf32>, tensor<?x2xf32>) outs(%{{.+}} : tensor<3x?xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[M0]], %{{.+}} : tensor<3x?xf32>, tensor<3xf32>) outs(%{{.+}} : tensor<3x?xf32>)
// CHECK: %[[A0:.+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<3x?xf32>) outs(%{{.+}} : tensor<3x?xf32>)
// CHECK: %[[B:.+]] = tensor.dim %[[A0]], %{{.+}} : tensor<3x?xf32>
// CHECK-NEXT: %[[SEVEN:.+]] = arith.constant 7 : index
// CHECK-NEXT: %[[SIZE:.+]] = arith.muli %[[B]], %[[SEVEN]] : index
// CHECK-NEXT: %[[BUF0:.+]] = tensor.empty(%[[SIZE]]) : tensor<?xf32>
// CHECK-NEXT: %[[F0:.+]] = tensor.collapse_shape %[[A0]] {{\[\[}}0, 1]] : tensor<3x?xf32> into tensor<?xf32>
// CHECK-NEXT: %[[FOUR:.+]] = arith.constant 4 : index
// CHECK-NEXT: %[[AT0:.+]] = arith.muli %[[B]], %[[FOUR]] : index
// CHECK-NEXT: %[[THREE:.+]] = arith.constant 3 : index
// CHECK-NEXT: %[[LEN0:.+]] = arith.muli %[[B]], %[[THREE]] : index
// CHECK-NEXT: %[[BUF1:.+]] = tensor.insert_slice %[[F0]] into %[[BUF0]][%[[AT0]]] [%[[LEN0]]] [1] : tensor<?xf32> into tensor<?xf32>
// CHECK-NOT: tensor.extract_slice %{{.+}}[{{[0-9]+}}, 0]
// CHECK: linalg.matmul ins(%{{.+}}, %[[A0]] : tensor<2x3xf32>, tensor<3x?xf32>) outs(%{{.+}} : tensor<2x?xf32>)
// CHECK: %[[A1:.+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<2x?xf32>) outs(%{{.+}} : tensor<2x?xf32>)
// CHECK-NEXT: ^bb0
// CHECK: %[[F1:.+]] = tensor.collapse_shape %[[A1]] {{\[\[}}0, 1]] : tensor<2x?xf32> into tensor<?xf32>
// CHECK: %[[BUF2:.+]] = tensor.insert_slice %[[F1]] into %[[BUF1]][%{{.+}}] [%{{.+}}] [1] : tensor<?xf32> into tensor<?xf32>
// CHECK: %[[R2:.+]] = tensor.extract_slice %[[BUF2]][%{{.+}}] [%{{.+}}] [1] : tensor<?xf32> to tensor<?xf32>
// CHECK-NEXT: %[[C2:.+]] = tensor.expand_shape %[[R2]] {{\[\[}}0, 1]] output_shape [5, %[[B]]] : tensor<?xf32> into tensor<5x?xf32>
// CHECK: linalg.matmul ins(%{{.+}}, %[[C2]] : tensor<2x5xf32>, tensor<5x?xf32>) outs(%{{.+}} : tensor<2x?xf32>)
// CHECK: %[[A2:.+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<2x?xf32>) outs(%{{.+}} : tensor<2x?xf32>)
// CHECK: %[[F2:.+]] = tensor.collapse_shape %[[A2]] {{\[\[}}0, 1]] : tensor<2x?xf32> into tensor<?xf32>
// CHECK: %[[BUF3:.+]] = tensor.insert_slice %[[F2]] into %[[BUF2]][%{{.+}}] [%{{.+}}] [1] : tensor<?xf32> into tensor<?xf32>
// CHECK: %[[R3:.+]] = tensor.extract_slice %[[BUF3]][%{{.+}}] [%{{.+}}] [1] : tensor<?xf32> to tensor<?xf32>
// CHECK-NEXT: %[[C3:.+]] = tensor.expand_shape %[[R3]] {{\[\[}}0, 1]] output_shape [7, %[[B]]] : tensor<?xf32> into tensor<7x?xf32>
// CHECK: linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%[[C3]], %{{.+}} : tensor<7x?xf32>, tensor<2x7xf32>) outs(%{{.+}} : tensor<?x2xf32>)
// CHECK-NOT: tensor.concat
// CHECK: return

// concat-buffer=0: one tensor.concat per consumer.
// NOBUF-LABEL: func.func @kept_first_layer(
// NOBUF-NOT: tensor.insert_slice
// NOBUF: %[[C2:.+]] = tensor.concat dim(0) %{{.+}}, %{{.+}} : (tensor<2x?xf32>, tensor<3x?xf32>) -> tensor<5x?xf32>
// NOBUF: %[[C3:.+]] = tensor.concat dim(0) %{{.+}}, %{{.+}}, %{{.+}} : (tensor<2x?xf32>, tensor<2x?xf32>, tensor<3x?xf32>) -> tensor<7x?xf32>
// NOBUF-NOT: tensor.insert_slice
// NOBUF: return

// MATMULS-LABEL: func.func @kept_first_layer(
// MATMULS-COUNT-4: linalg.matmul
// MATMULS-NOT: linalg.matmul
// MATMULS: return

// Batch-major, relu_0 is left alone and each of its readers has a matmul
// of its own for it: 7 matmuls.
// BATCH-LABEL: func.func @kept_first_layer(
// BATCH-COUNT-7: linalg.matmul
// BATCH-NOT: linalg.matmul
// BATCH: return

// The re-emitted relu_0 keeps its whole profile, on the neuron axis 0.
// PROFILE-LABEL: func.func @kept_first_layer(
// PROFILE: ins(%{{.+}} : tensor<3x?xf32>) outs(%{{.+}} : tensor<3x?xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [5, 5, 5, 5, 5, 5], {{.*}}, axis = 0>

func.func @kept_first_layer(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %e2 = tensor.empty(%n) : tensor<?x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %e3 = tensor.empty(%n) : tensor<?x3xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %e4 = tensor.empty(%n) : tensor<?x4xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %w0 = arith.constant dense<[[1.0, -1.0, 0.5], [0.5, 1.0, -1.0]]> : tensor<2x3xf32>
  %b0 = arith.constant dense<[0.1, -0.2, 0.3]> : tensor<3xf32>
  %m0 = linalg.matmul ins(%x, %w0 : tensor<?x2xf32>, tensor<2x3xf32>) outs(%f3 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %s0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m0, %b0 : tensor<?x3xf32>, tensor<3xf32>) outs(%e3 : tensor<?x3xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x3xf32>
  %a0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s0 : tensor<?x3xf32>) outs(%e3 : tensor<?x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [5, 5, 5, 5, 5, 5], minimum = [-1.0, -1.0, -1.0], maximum = [1.0, 1.0, 1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x3xf32>
  %w1 = arith.constant dense<[[1.0, 0.0, 2.0, 1.0], [0.0, 1.0, 1.0, -1.0], [1.0, 1.0, 0.0, 2.0]]> : tensor<3x4xf32>
  %b1 = arith.constant dense<[1.0, 0.0, -9.0, -1.0]> : tensor<4xf32>
  %m1 = linalg.matmul ins(%a0, %w1 : tensor<?x3xf32>, tensor<3x4xf32>) outs(%f4 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %s1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<?x4xf32>, tensor<4xf32>) outs(%e4 : tensor<?x4xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x4xf32>
  %a1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s1 : tensor<?x4xf32>) outs(%e4 : tensor<?x4xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [0, 5, 10, 5, 10, 5, 0, 5], minimum = [0.5, -1.0, -3.0, -1.0], maximum = [2.0, 1.0, -1.0, 1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x4xf32>
  %w2 = arith.constant dense<[[1.0, 0.0, 1.0], [0.0, 1.0, -1.0], [1.0, 1.0, 0.0], [-1.0, 0.0, 2.0]]> : tensor<4x3xf32>
  %b2 = arith.constant dense<[0.0, 0.5, 1.0]> : tensor<3xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x4xf32>, tensor<4x3xf32>) outs(%f3 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %s2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m2, %b2 : tensor<?x3xf32>, tensor<3xf32>) outs(%e3 : tensor<?x3xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x3xf32>
  %a2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s2 : tensor<?x3xf32>) outs(%e3 : tensor<?x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [5, 0, 5, 5, 10, 5], minimum = [-1.0, 0.5, -1.0], maximum = [1.0, 2.0, 1.0]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x3xf32>
  %w3 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %b3 = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %m3 = linalg.matmul ins(%a2, %w3 : tensor<?x3xf32>, tensor<3x2xf32>) outs(%f2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %s3 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m3, %b3 : tensor<?x2xf32>, tensor<2xf32>) outs(%e2 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<?x2xf32>
  return %s3 : tensor<?x2xf32>
}
