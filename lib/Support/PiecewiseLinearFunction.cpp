//===- PiecewiseLinearFunction.cpp - Scalar piecewise-linear maps ---------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Support/PiecewiseLinearFunction.h"

#include "llvm/ADT/STLExtras.h"

using namespace lin;

PiecewiseLinearFunction PiecewiseLinearFunction::constant(double value) {
  PiecewiseLinearFunction f;
  f.pieces.push_back({0.0, value});
  return f;
}

PiecewiseLinearFunction PiecewiseLinearFunction::identity() {
  PiecewiseLinearFunction f;
  f.pieces.push_back({1.0, 0.0});
  return f;
}

std::pair<double, double>
PiecewiseLinearFunction::getImage(double lower, double upper) const {
  double atLower = evaluate(lower), atUpper = evaluate(upper);
  double low = std::min(atLower, atUpper), high = std::max(atLower, atUpper);
  for (double breakpoint : breakpoints) {
    if (breakpoint <= lower || breakpoint >= upper)
      continue;
    // A discontinuous function takes both one-sided values at a breakpoint;
    // the value just above it is the next piece's line at the breakpoint.
    unsigned piece = getPieceIndex(breakpoint);
    for (unsigned side : {piece, piece + 1}) {
      double value = pieces[side].evaluate(breakpoint);
      low = std::min(low, value);
      high = std::max(high, value);
    }
  }
  return {low, high};
}

void PiecewiseLinearFunction::simplify() {
  llvm::SmallVector<double> newBreakpoints;
  llvm::SmallVector<LinearPiece> newPieces{pieces.front()};
  llvm::SmallVector<bool> newUpperPieceAt;
  for (auto [index, breakpoint] : llvm::enumerate(breakpoints)) {
    const LinearPiece &piece = pieces[index + 1];
    if (newPieces.back() == piece)
      continue;
    newBreakpoints.push_back(breakpoint);
    newPieces.push_back(piece);
    newUpperPieceAt.push_back(isUpperPieceAt(index));
  }
  breakpoints = std::move(newBreakpoints);
  pieces = std::move(newPieces);
  upperPieceAt = std::move(newUpperPieceAt);
}
