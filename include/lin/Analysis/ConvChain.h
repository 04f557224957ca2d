//===- ConvChain.h - Channel chains of convolution layers -------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The per-channel view of a convolutional layer: a profiled activation over
// the channels of an NCHW convolution (`#lin.profile<..., axis = 1>`), the
// convolution producing its input, the channel-wise ops its value passes
// (zero or -inf padding, max and sum pooling, scaling), and the consumers
// that mix channels (a convolution, or a flatten read by a matmul).
//
// A channel whose activation is always in one constant piece (a dead ReLU
// channel, a clamp at a bound) is a constant c everywhere. The chain tells
// which value each such channel has where the consumers read it, or why it
// is no longer a constant there: padding with another value than c makes the
// border differ from the interior, so the consumer does not see the same
// value at every position and c cannot move into its bias.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_ANALYSIS_CONVCHAIN_H
#define LIN_ANALYSIS_CONVCHAIN_H

#include "lin/Analysis/PiecewiseLinearActivation.h"
#include "lin/Dialect/Lin/IR/LinAttributes.h"
#include "lin/Support/ConstantTensorEvaluator.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <optional>
#include <string>

namespace lin {

/// Whether `op` carries a profile of the channels of an NCHW value (neuron
/// dimension 1 of a rank-4 result): the conv fold's activations, not the
/// dense layer graph's.
bool hasChannelProfile(mlir::Operation *op);

/// The value of a scalar float constant (a float attribute or a splat).
std::optional<float> getScalarConstant(mlir::Value value);

/// Why the fold cannot rewrite the weights of `conv`, or empty: its filter
/// must be a constant only it reads, and its init a broadcast of such a bias
/// constant or a zero fill.
std::string whyNotRewritable(mlir::linalg::Conv2DNchwFchwOp conv,
                             ConstantTensorEvaluator &constants);

/// An op that mixes the channels of a chain's value.
struct ChannelConsumer {
  /// linalg.conv_2d_nchw_fchw reading the value as its input, or the
  /// linalg.matmul reading it flattened.
  mlir::Operation *op = nullptr;
  /// The chain value the consumer reads.
  mlir::Value input;
  /// For a matmul: the tensor.collapse_shape flattening [N, C, H, W] into
  /// [N, C * H * W] (channel-major, so channel j owns the H * W rows
  /// j * H * W ... of the matmul's weight).
  mlir::tensor::CollapseShapeOp flatten;
};

/// What a channel is where the consumers read it.
struct ChannelFact {
  /// Whether the channel is in one constant piece at the remove threshold
  /// and every consumer reads it as a constant at every position.
  bool removable = false;
  /// For a removable channel, the constant each consumer reads (one per
  /// ConvChannelLayer::consumers entry: a scaling or sum pooling on one path
  /// changes it).
  llvm::SmallVector<float, 1> constantAtConsumers;
  /// Why a channel in a constant piece is not removable (empty when it is,
  /// or when it is not in a constant piece at all).
  std::string whyKept;
  /// Whether the channel is in the identity piece at the merge threshold.
  bool identity = false;
};

/// A profiled activation over conv channels and the ops around it.
struct ConvChannelLayer {
  PiecewiseLinearActivation activation;
  ProfileAttr profile;
  /// The convolution computing the activation's input; null when the layer
  /// is declined before it is found.
  mlir::linalg::Conv2DNchwFchwOp producer;
  /// The activation's channels (dimension 1 of its result).
  int64_t channels = 0;
  /// Channel-wise ops from the activation's result to the consumers
  /// (tensor.pad, pooling, elementwise scaling), in program order.
  llvm::SmallVector<mlir::Operation *> between;
  llvm::SmallVector<ChannelConsumer> consumers;
  /// One per channel (empty when the layer is declined).
  llvm::SmallVector<ChannelFact> facts;
  /// Empty when the layer's channels may be removed; otherwise why not.
  std::string whyNot;
  /// Empty when its identity channels may merge into a skip convolution
  /// from the producer's input to the consumer's output; otherwise why not.
  /// The composition is exact when one convolution (dilation 1) reads the
  /// activation's value directly: no padding, pooling or other op between.
  std::string whyNoMerge;
  bool isFoldable() const { return whyNot.empty(); }
};

/// The channel layers of a function, in program order.
struct ConvChainAnalysis {
  llvm::SmallVector<ConvChannelLayer, 0> layers;

  /// Finds every activation with a channel profile and its chain. A channel
  /// is in a constant (identity) piece when that piece holds at least
  /// `removeThreshold` (`mergeThreshold`) of its samples. Describes only: no
  /// diagnostics.
  static ConvChainAnalysis build(mlir::func::FuncOp func,
                                 ConstantTensorEvaluator &constants,
                                 double removeThreshold, double mergeThreshold);
};

} // namespace lin

#endif // LIN_ANALYSIS_CONVCHAIN_H
