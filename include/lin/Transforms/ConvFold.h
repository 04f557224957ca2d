//===- ConvFold.h - Remove constant channels of convolutions ----*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The conv fold, as a library function like upstream's transforms: every
// channel of a ConvChainAnalysis layer that is removable (in one constant
// piece c and read as c at every position by every consumer) is removed:
// its output channel from the producing convolution (filter row and bias),
// its input channel from each consumer, and its contribution moved into the
// consumer's bias:
//
//   conv consumer W[o, j, kh, kw]:      bias[o] += c * sum_{kh,kw} W[o, j]
//   flatten -> matmul B[K x out]:       bias[o] += c * sum_{p in j} B[p, o]
//
// (a channel-major flatten gives channel j the rows j*H*W ... (j+1)*H*W-1).
// Both are exact: the consumer reads c at every position it reads the
// channel. The ops between (activation, padding, pooling, scaling) keep
// their bodies and only lose the channels.
//
//   ConstantEvaluator constants(/*emitErrors=*/false, /*memoise=*/false);
//   ConvChainAnalysis chains = ConvChainAnalysis::build(func, constants,
//                                                       1.0, 1.0);
//   IRRewriter rewriter(func.getContext());
//   FailureOr<ConvFoldResult> result =
//       foldConvChannels(rewriter, func, constants, chains);
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_CONVFOLD_H
#define LIN_TRANSFORMS_CONVFOLD_H

#include "lin/Analysis/ConvChain.h"
#include "lin/Transforms/FoldRewrite.h"

#include "mlir/IR/PatternMatch.h"

#include <string>
#include <utility>

namespace lin {

struct ConvFoldResult {
  /// One row per channel layer of the analysis, in its order: channels,
  /// removed, merged (always 0: identity channels are not merged), kept, and
  /// the producing convolution's weights (filter and bias) before and after.
  llvm::SmallVector<LayerFoldResult> layers;
  /// Why channels or layers are not folded, at the activation they concern.
  llvm::SmallVector<std::pair<mlir::Operation *, std::string>> remarks;
  /// Weight elements of the function (WeightCount.h) before and after.
  int64_t paramsBefore = 0, paramsAfter = 0;
};

/// The bias a convolution or matmul adds through its init (a broadcast
/// constant, or a zero fill: `size` zeros), as whyNotRewritable accepts it.
mlir::FailureOr<Tensor> readBias(mlir::Value init, int64_t size,
                                 ConstantTensorEvaluator &constants);

/// Removes the removable channels of `chains`' layers from `func` (see the
/// file comment). Every weight is read before anything changes, so a
/// failure (weights that cannot be evaluated; reported as an error at the
/// op) leaves `func` untouched. The result never stores more weights.
/// With `alignment` above 1, a layer whose kept channel count
/// getFoldAlignedWidth rounds up keeps removable (constant, then identity)
/// channels until the count is that multiple: exact, and IREE runs such
/// convolutions faster.
mlir::FailureOr<ConvFoldResult>
foldConvChannels(mlir::RewriterBase &rewriter, mlir::func::FuncOp func,
                 ConstantTensorEvaluator &constants,
                 const ConvChainAnalysis &chains, int64_t alignment = 1);

} // namespace lin

#endif // LIN_TRANSFORMS_CONVFOLD_H
