//===- IntervalBounds.h - Sound pre-activation bounds -----------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Interval bound propagation: given a box of inputs, computes for every
// piecewise-linear activation sound bounds of each neuron's pre-activation.
// Affine layers map boxes exactly per output (`l W+ + u W-` to `u W+ + l W-`),
// and the supported activations are monotone, so their image of a box is the
// box of the endpoints' images. A neuron whose bounds lie in one linear piece
// provably stays there on the whole input domain: folding it is exact.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_ANALYSIS_INTERVALBOUNDS_H
#define LIN_ANALYSIS_INTERVALBOUNDS_H

#include "lin/Analysis/PiecewiseLinearActivation.h"
#include "lin/Support/ConstantTensorEvaluator.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/SmallVector.h"

#include <string>
#include <vector>

namespace lin {

/// Per-feature bounds of a [batch x features] value.
struct Interval {
  std::vector<float> lower, upper;
};

/// Bounds of one activation's pre-activation, or why there are none.
struct ActivationBounds {
  PiecewiseLinearActivation activation;
  /// Empty when the bounds are unknown.
  Interval preActivation;
  std::string whyUnknown;
  bool isKnown() const { return whyUnknown.empty(); }
};

/// Propagates the box [inputLower, inputUpper] (the same for every feature
/// of every 2-D function argument) through `func`, reading weights through
/// `constants`. Activations whose
/// pre-activation depends on values other than arguments and activations
/// through affine layers get no bounds (with the reason).
std::vector<ActivationBounds>
computeActivationBounds(mlir::func::FuncOp func,
                        ConstantTensorEvaluator &constants, double inputLower,
                        double inputUpper);

} // namespace lin

#endif // LIN_ANALYSIS_INTERVALBOUNDS_H
