// lin's feature-major output ([features, batch] activations) compressed
// again: the profiler counts neurons along the last dimension, which is the
// batch there, so those activations are left unprofiled with a remark and
// the model comes out unchanged (not an error on lin's own output).
// RUN: lin-opt %inputs/torch/mlp_relu_dynamic.mlir --linearity-compress="data=%inputs/torch/mlp_relu_dynamic.input.npy activation-layout=feature-major quiet=1" -o %t.fm.mlir
// RUN: lin-opt %t.fm.mlir --linearity-compress="data=%inputs/torch/mlp_relu_dynamic.input.npy quiet=1" -o %t.again.mlir 2>&1 | FileCheck %s
// RUN: lin-opt %t.fm.mlir -o %t.roundtrip.mlir
// RUN: diff %t.roundtrip.mlir %t.again.mlir

// CHECK: remark: linearity-profile: not profiled: the neuron (last) dimension is dynamic (a feature-major value)
// CHECK: remark: linearity-profile: not profiled: the neuron (last) dimension is dynamic (a feature-major value)
// CHECK-NOT: warning
