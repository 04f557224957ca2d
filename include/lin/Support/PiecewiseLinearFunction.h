//===- PiecewiseLinearFunction.h - Scalar piecewise-linear maps -*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The semantics of an activation, in one place: a continuous or not scalar
// function that is affine between sorted breakpoints. Every component that
// asks "which piece is this pre-activation in" (the activation matcher, the
// profiler's counters, interval bounds, the fold planner) uses the one piece
// index defined here, so a value exactly at a breakpoint is classified the
// same way everywhere.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_SUPPORT_PIECEWISELINEARFUNCTION_H
#define LIN_SUPPORT_PIECEWISELINEARFUNCTION_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <utility>

namespace lin {

/// One linear piece of an activation: `a = slope * z + offset`.
struct LinearPiece {
  double slope = 0.0;
  double offset = 0.0;

  bool isConstant() const { return slope == 0.0; }
  bool isIdentity() const { return slope == 1.0 && offset == 0.0; }
  double evaluate(double z) const { return slope * z + offset; }
  bool operator==(const LinearPiece &other) const {
    return slope == other.slope && offset == other.offset;
  }
};

/// A scalar function of one variable that is affine between sorted, distinct
/// breakpoints. Piece `i` lies between `breakpoints[i-1]` and
/// `breakpoints[i]`: piece 0 extends to -inf, the last piece to +inf. A value
/// exactly at breakpoint `i` belongs to piece `i` (the one below) unless
/// `upperPieceAt[i]` says it belongs to piece `i + 1`. The matcher sets that
/// per activation family, which is the #lin.profile convention: ReLU and
/// leaky ReLU put z = 0 in the lower piece (a neuron is active when its
/// output is > 0, as in the paper), clamps put both bounds in the middle
/// piece ([lo, hi] is the identity). NaN is in piece 0.
struct PiecewiseLinearFunction {
  llvm::SmallVector<double> breakpoints;
  llvm::SmallVector<LinearPiece> pieces;
  /// Per breakpoint (missing entries are false): a value at it belongs to
  /// the piece above.
  llvm::SmallVector<bool, 2> upperPieceAt;

  static PiecewiseLinearFunction constant(double value);
  static PiecewiseLinearFunction identity();

  unsigned getNumPieces() const { return pieces.size(); }
  /// The piece covering `z`.
  unsigned getPieceIndex(double z) const {
    unsigned below =
        std::lower_bound(breakpoints.begin(), breakpoints.end(), z) -
        breakpoints.begin();
    bool atBreakpoint = below < breakpoints.size() && breakpoints[below] == z;
    return atBreakpoint && isUpperPieceAt(below) ? below + 1 : below;
  }
  bool isUpperPieceAt(unsigned breakpoint) const {
    return breakpoint < upperPieceAt.size() && upperPieceAt[breakpoint];
  }
  const LinearPiece &getPiece(double z) const {
    return pieces[getPieceIndex(z)];
  }
  double evaluate(double z) const { return getPiece(z).evaluate(z); }

  /// The piece index of every value of [lower, upper], or -1 when the
  /// interval meets more than one piece.
  int getPieceOfInterval(double lower, double upper) const {
    unsigned low = getPieceIndex(lower);
    return low == getPieceIndex(upper) ? int(low) : -1;
  }

  /// The image of [lower, upper] (lower <= upper): extremes are at the ends or
  /// at breakpoints inside, whatever the slopes' signs.
  std::pair<double, double> getImage(double lower, double upper) const;

  /// Merges adjacent pieces that are the same line.
  void simplify();
};

} // namespace lin

#endif // LIN_SUPPORT_PIECEWISELINEARFUNCTION_H
