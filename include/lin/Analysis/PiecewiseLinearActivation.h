//===- PiecewiseLinearActivation.h - Recognise PWL activations --*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Recognises elementwise piecewise-linear activations in linalg IR, whatever
// encoding a frontend chose (maximumf against zero, cmpf + select, a multiply
// for the leaky slope, minimumf of maximumf for clamps, linalg.max against a
// zero tensor, one activation split over several elementwise ops, read at
// most 8 ops deep so that a long elementwise chain costs bounded work per
// op; see docs/design.md, "Depth: bounded by memory only"). The scalar
// bodies are evaluated symbolically into a piecewise-linear function of the
// pre-activation, so every equivalent encoding yields the same description.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_ANALYSIS_PIECEWISELINEARACTIVATION_H
#define LIN_ANALYSIS_PIECEWISELINEARACTIVATION_H

#include "lin/Dialect/Lin/IR/LinAttributes.h"
#include "lin/Support/PiecewiseLinearFunction.h"

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace lin {

/// A recognised piecewise-linear activation op.
class PiecewiseLinearActivation {
public:
  /// The op computing the activation (carries the lin.profile attribute).
  mlir::Operation *getOperation() const { return op; }
  /// All ops computing the activation from its input, the last being
  /// getOperation(): frontends may split one activation over several
  /// elementwise ops (torch-mlir's leaky ReLU takes four).
  llvm::ArrayRef<mlir::Operation *> getOperations() const { return ops; }
  /// The pre-activation tensor the activation is applied to.
  mlir::Value getInput() const { return input; }
  /// The activation's result.
  mlir::Value getResult() const { return op->getResult(0); }
  ActivationKind getKind() const { return kind; }
  /// The scalar function the activation computes.
  const PiecewiseLinearFunction &getFunction() const { return function; }
  unsigned getNumPieces() const { return function.getNumPieces(); }
  const LinearPiece &getPiece(unsigned piece) const {
    return function.pieces[piece];
  }
  /// Breakpoints between pieces (1 for ReLU/leaky ReLU: 0; 2 for clamp).
  llvm::ArrayRef<double> getBreakpoints() const { return function.breakpoints; }
  /// Piece of a pre-activation value (PiecewiseLinearFunction::getPieceIndex,
  /// the convention of #lin.profile counts): ReLU / leaky ReLU: 0 for z <= 0,
  /// 1 otherwise; clamp: 0 for z <= lo, 2 for z > hi, 1 otherwise.
  unsigned classify(double z) const { return function.getPieceIndex(z); }
  /// Leaky ReLU's negative slope (0 for ReLU).
  double getNegativeSlope() const { return function.pieces[0].slope; }
  /// Clamp bounds (only for ActivationKind::Clamp).
  float getLower() const { return function.breakpoints.front(); }
  float getUpper() const { return function.breakpoints.back(); }

  /// Recognises `op` as a piecewise-linear activation. On failure, when
  /// `whyNot` is given, it receives a human-readable reason (empty when the
  /// op is plainly not an elementwise activation at all).
  static mlir::FailureOr<PiecewiseLinearActivation>
  match(mlir::Operation *op, std::string *whyNot = nullptr);

private:
  mlir::Operation *op = nullptr;
  llvm::SmallVector<mlir::Operation *, 1> ops;
  mlir::Value input;
  ActivationKind kind = ActivationKind::ReLU;
  PiecewiseLinearFunction function;
};

/// All activations under `root`, in program order, each as large as it gets:
/// an op that is part of a larger activation is not reported alone.
llvm::SmallVector<PiecewiseLinearActivation>
findPiecewiseLinearActivations(mlir::Operation *root);

} // namespace lin

#endif // LIN_ANALYSIS_PIECEWISELINEARACTIVATION_H
