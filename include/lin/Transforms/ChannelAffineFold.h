//===- ChannelAffineFold.h - Fold batch norm into convolutions --*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Inference batch norm between a convolution and its activation, as
// torch-mlir writes BatchNorm2d in eval mode: elementwise generics over the
// NCHW value that subtract, add, multiply or divide by a per-channel
// constant (a [C, 1, 1] tensor read as (d1, 0, 0)) or a scalar. Each is
// y = a[f] x + c[f] per output channel f, and so is their chain, which
// moves into the convolution's filter and bias:
//
//   W'[f, ...] = a[f] W[f, ...]        b'[f] = a[f] b[f] + c[f]
//
// The activation then reads the convolution directly, the conv fold sees
// its channels, and the batch norm's vectors leave the model. Exact up to
// float rounding; the profile on the activation still holds, as its input
// has the same values.
//
//   ConstantEvaluator constants(/*emitErrors=*/false, /*memoise=*/false);
//   IRRewriter rewriter(func.getContext());
//   FailureOr<int64_t> folded =
//       foldChannelAffineIntoConvolutions(rewriter, func, constants);
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_CHANNELAFFINEFOLD_H
#define LIN_TRANSFORMS_CHANNELAFFINEFOLD_H

#include "lin/Support/ConstantTensorEvaluator.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"

namespace lin {

/// For every activation with a channel profile (ConvChain.h) whose input is
/// computed by a linalg.conv_2d_nchw_fchw through per-channel affine
/// generics only (see the file comment), each result read once and the
/// convolution's filter and bias constants it alone reads, folds the
/// generics into the convolution. Returns the number of generics folded; a
/// weight that cannot be evaluated is an error at the op, with `func`
/// unchanged for that chain.
mlir::FailureOr<int64_t>
foldChannelAffineIntoConvolutions(mlir::RewriterBase &rewriter,
                                  mlir::func::FuncOp func,
                                  ConstantTensorEvaluator &constants);

} // namespace lin

#endif // LIN_TRANSFORMS_CHANNELAFFINEFOLD_H
