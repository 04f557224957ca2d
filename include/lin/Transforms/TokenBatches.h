//===- TokenBatches.h - Token dimensions as samples -------------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// A dense layer over tokens, nn.Linear on [batch, tokens, features], is a
// dense layer whose samples are the batch x tokens positions: every
// position is multiplied by the same weight. The fold works on 2-D
// [samples x features] layers, so before it builds the layer graph,
// collapseTokenDimensions rewrites such chains into 2-D ones, with the
// reshapes moved to their ends. It reuses upstream's reshape propagation
// (linalg's fold-reshape-by-collapsing patterns, tensor's reshape folding)
// and adds the one rewrite upstream lacks, a batch_matmul whose weight is
// one matrix broadcast over the batch (as torch-mlir's ONNX route emits
// nn.Linear over tokens), as a matmul of the collapsed positions.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_TOKENBATCHES_H
#define LIN_TRANSFORMS_TOKENBATCHES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace lin {

/// Collapses the leading (position) dimensions of the elementwise ops and
/// shared-weight batch matmuls of `func` that read a value expanded from
/// 2-D, so that activations over [batch, tokens, features] become 2-D
/// [batch * tokens, features] ops. A lin.profile moves to the collapsed
/// activation (its neurons are the features, whichever dimensions the
/// samples came from); an activation whose neurons would be merged with
/// other dimensions is left as it is. Leaves functions without an
/// activation of rank > 2 untouched; returns whether it changed `func`.
bool collapseTokenDimensions(mlir::func::FuncOp func);

} // namespace lin

#endif // LIN_TRANSFORMS_TOKENBATCHES_H
