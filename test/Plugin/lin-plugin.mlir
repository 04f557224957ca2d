// LinPlugin.so (tools/lin-plugin) in Debian's upstream mlir-opt, which links
// libMLIR.so: the lin dialect and every lin pass, without lin-opt.
//
// Upstream mlir-opt creates its --<pass> flags before it loads plugins
// (llvm/llvm-project#78020), so passes from a plugin run through
// --pass-pipeline; --help lists them all.

// The pass plugin registers every lin pass.
// RUN: mlir-opt --load-pass-plugin=%lin_plugin --help | FileCheck %s --check-prefix=HELP
// HELP-DAG: --linearity-compress
// HELP-DAG: --linearity-fold
// HELP-DAG: --linearity-profile
// HELP-DAG: --linearity-prove
// HELP-DAG: --linearity-summary

// The whole compression of a torch-mlir model from calibration data: the
// output is exactly lin-opt's (align=1: the default would pad the first
// layer back to 16 zero-padded neurons, hiding what was removed).
// RUN: mlir-opt %inputs/torch/mlp_relu_dynamic.mlir --load-pass-plugin=%lin_plugin --pass-pipeline="builtin.module(linearity-compress{activation-layout=batch-major weight-layout=in-out data=%inputs/torch/mlp_relu_dynamic.input.npy quiet=1 align=1})" -o %t.compress.plugin.mlir
// RUN: lin-opt %inputs/torch/mlp_relu_dynamic.mlir --linearity-compress="activation-layout=batch-major weight-layout=in-out data=%inputs/torch/mlp_relu_dynamic.input.npy quiet=1 align=1" -o %t.compress.lin-opt.mlir
// RUN: diff %t.compress.plugin.mlir %t.compress.lin-opt.mlir
// RUN: FileCheck %s --check-prefix=COMPRESS < %t.compress.plugin.mlir
// The 8-16-12-4 MLP loses the 3 dead neurons of its first hidden layer and
// 10 of the 12 of its second, which never leave one piece on this input
// (test/Inputs/torch/manifest.json).
// COMPRESS-LABEL: func.func @main(%arg0: tensor<?x8xf32>) -> tensor<?x4xf32>
// COMPRESS-NOT: x16xf32
// COMPRESS: linalg.matmul ins(%arg0, %{{.*}} : tensor<?x8xf32>, tensor<8x13xf32>)
// COMPRESS-NOT: x12xf32
// COMPRESS: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x13xf32>, tensor<13x2xf32>)
// COMPRESS-NOT: lin.profile
// COMPRESS: return

// Lin passes compose with upstream ones in one pipeline.
// RUN: mlir-opt %inputs/torch/mlp_relu_dynamic.mlir --load-pass-plugin=%lin_plugin --pass-pipeline="builtin.module(linearity-profile{data=%inputs/torch/mlp_relu_dynamic.input.npy quiet=1}, linearity-fold{activation-layout=batch-major weight-layout=in-out}, canonicalize, cse, func.func(linalg-generalize-named-ops))" | FileCheck %s --check-prefix=COMPOSE
// COMPOSE-LABEL: func.func @main
// COMPOSE-NOT: linalg.matmul
// COMPOSE: linalg.generic
// COMPOSE: return

// The dialect plugin: upstream mlir-opt alone rejects #lin.profile, with
// the plugin it reads and prints it.
// RUN: not mlir-opt %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=NODIALECT
// NODIALECT: error: #"lin"<"profile<{{.*}}unregistered dialect
// RUN: mlir-opt %s --load-dialect-plugin=%lin_plugin | FileCheck %s --check-prefix=PARSE
// PARSE-LABEL: func.func @leaky_both_sides
// PARSE: lin.profile = #lin.profile<leaky_relu, observed, samples = 4, counts = [4, 0, 0, 4]

// A real fold through the dialect plugin (which registers the passes too),
// and with both plugins loaded from the same library; same output as lin-opt.
// RUN: mlir-opt %s --load-dialect-plugin=%lin_plugin --pass-pipeline="builtin.module(linearity-fold{activation-layout=batch-major weight-layout=in-out})" -o %t.fold.plugin.mlir
// RUN: mlir-opt %s --load-dialect-plugin=%lin_plugin --load-pass-plugin=%lin_plugin --pass-pipeline="builtin.module(linearity-fold{activation-layout=batch-major weight-layout=in-out})" -o %t.fold.both.mlir
// RUN: lin-opt %s --linearity-fold="activation-layout=batch-major weight-layout=in-out" -o %t.fold.lin-opt.mlir
// RUN: diff %t.fold.plugin.mlir %t.fold.lin-opt.mlir
// RUN: diff %t.fold.both.mlir %t.fold.lin-opt.mlir
// RUN: FileCheck %s < %t.fold.plugin.mlir

// Leaky ReLU: neuron 0 always on the 0.25 slope, neuron 1 always on the
// identity: y = 4 (0.25 (2x - 1)) + 5 (3x + 1) + 1 = 17x + 5.
// CHECK-LABEL: func.func @leaky_both_sides
// CHECK: %[[W:.*]] = arith.constant dense<1.700000e+01> : tensor<1x1xf32>
// CHECK: %[[MM:.*]] = linalg.matmul ins(%arg0, %[[W]] :
// CHECK: %[[B:.*]] = arith.constant dense<5.000000e+00> : tensor<1xf32>
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%[[MM]], %[[B]] :
// CHECK-NOT: arith.select
// CHECK-NOT: lin.profile
// CHECK: return %[[Y]]
func.func @leaky_both_sides(%x: tensor<?x1xf32>) -> tensor<?x1xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x1xf32>
  %w1 = arith.constant dense<[[2.0, 3.0]]> : tensor<1x2xf32>
  %b1 = arith.constant dense<[-1.0, 1.0]> : tensor<2xf32>
  %e1 = tensor.empty(%n) : tensor<?x2xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x1xf32>, tensor<1x2xf32>) outs(%f1 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %z1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<?x2xf32>, tensor<2xf32>) outs(%e1 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  %a1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%z1 : tensor<?x2xf32>) outs(%e1 : tensor<?x2xf32>) attrs = {lin.profile = #lin.profile<leaky_relu, observed, samples = 4, counts = [4, 0, 0, 4], minimum = [-5.0, 0.5], maximum = [-1.0, 4.0]>} {
  ^bb0(%in: f32, %out: f32):
    %k = arith.constant 0.25 : f32
    %p = arith.cmpf ugt, %in, %zero : f32
    %q = arith.mulf %in, %k : f32
    %r = arith.select %p, %in, %q : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  %w2 = arith.constant dense<[[4.0], [5.0]]> : tensor<2x1xf32>
  %b2 = arith.constant dense<[1.0]> : tensor<1xf32>
  %e2 = tensor.empty(%n) : tensor<?x1xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x1xf32>) -> tensor<?x1xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x2xf32>, tensor<2x1xf32>) outs(%f2 : tensor<?x1xf32>) -> tensor<?x1xf32>
  %z2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m2, %b2 : tensor<?x1xf32>, tensor<1xf32>) outs(%e2 : tensor<?x1xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x1xf32>
  return %z2 : tensor<?x1xf32>
}
