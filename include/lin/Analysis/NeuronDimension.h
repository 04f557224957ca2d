//===- NeuronDimension.h - Which dimension holds the neurons ----*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// A profile counts, per neuron, the pre-activations of all samples and
// positions. Which dimension of the activation holds the neurons depends on
// where its input comes from: the output channels of a convolution (NCHW:
// dimension 1; NHWC: the last), the features of a dense layer (the last,
// whatever leading batch or token dimensions come before). This is the one
// place that decides it; the profiler and the fold both ask here.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_ANALYSIS_NEURONDIMENSION_H
#define LIN_ANALYSIS_NEURONDIMENSION_H

#include "lin/Analysis/PiecewiseLinearActivation.h"

#include "mlir/IR/Value.h"

#include <optional>

namespace lin {

/// The dimensions of `value` holding the output channels of the convolution
/// it is computed from, walking back through elementwise ops (bias add,
/// inference batch norm, residual adds: operands indexed like the result),
/// other all-parallel linalg ops (transposes, broadcasts), pooling and
/// reshapes that keep the channels in a dimension of their own. Empty when
/// no convolution is found that way (dense layers, or a flatten merging
/// channels with positions).
llvm::SmallVector<unsigned, 2>
getConvolutionChannelDimensions(mlir::Value value);

/// The dimension of the activation's result holding its neurons: the output
/// channel dimension of the convolution its input comes from (NCHW: 1), when
/// the channels are one dimension; otherwise the last dimension (features of
/// dense layers over any leading batch / token dimensions, NHWC channels).
/// The activation's result must be a ranked tensor of rank >= 1.
unsigned getNeuronDimension(const PiecewiseLinearActivation &activation);

/// The `axis` a lin.profile of the activation carries: its neuron dimension
/// when that is not the last (absent means the last).
std::optional<int64_t>
getProfileAxis(const PiecewiseLinearActivation &activation);

} // namespace lin

#endif // LIN_ANALYSIS_NEURONDIMENSION_H
