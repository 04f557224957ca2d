//===- PiecewiseLinearFunctionTest.cpp - Activation semantics -------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Support/PiecewiseLinearFunction.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace lin;

namespace {

PiecewiseLinearFunction relu() {
  PiecewiseLinearFunction f;
  f.breakpoints = {0.0};
  f.pieces = {{0.0, 0.0}, {1.0, 0.0}};
  return f;
}

PiecewiseLinearFunction clamp(double lower, double upper) {
  PiecewiseLinearFunction f;
  f.breakpoints = {lower, upper};
  f.pieces = {{0.0, lower}, {1.0, 0.0}, {0.0, upper}};
  f.upperPieceAt = {true, false};
  return f;
}

TEST(PiecewiseLinearFunctionTest, ValuesAtBreakpoints) {
  PiecewiseLinearFunction r = relu();
  EXPECT_EQ(r.getPieceIndex(-1.0), 0u);
  EXPECT_EQ(r.getPieceIndex(0.0), 0u);
  EXPECT_EQ(r.getPieceIndex(-0.0), 0u);
  EXPECT_EQ(r.getPieceIndex(1e-30), 1u);

  // Clamp bounds belong to the identity piece.
  PiecewiseLinearFunction relu6 = clamp(0.0, 6.0);
  EXPECT_EQ(relu6.getPieceIndex(std::nextafter(0.0, -1.0)), 0u);
  EXPECT_EQ(relu6.getPieceIndex(0.0), 1u);
  EXPECT_EQ(relu6.getPieceIndex(3.0), 1u);
  EXPECT_EQ(relu6.getPieceIndex(6.0), 1u);
  EXPECT_EQ(relu6.getPieceIndex(std::nextafter(6.0, 7.0)), 2u);
}

TEST(PiecewiseLinearFunctionTest, NonFiniteValues) {
  PiecewiseLinearFunction f = clamp(-1.0, 1.0);
  double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(f.getPieceIndex(-inf), 0u);
  EXPECT_EQ(f.getPieceIndex(inf), 2u);
  EXPECT_EQ(f.getPieceIndex(std::nan("")), 0u);
}

TEST(PiecewiseLinearFunctionTest, EvaluateAndImage) {
  PiecewiseLinearFunction f = clamp(-1.0, 2.0);
  EXPECT_EQ(f.evaluate(-5.0), -1.0);
  EXPECT_EQ(f.evaluate(0.5), 0.5);
  EXPECT_EQ(f.evaluate(9.0), 2.0);
  EXPECT_EQ(f.getImage(-3.0, 5.0), std::make_pair(-1.0, 2.0));
  EXPECT_EQ(f.getImage(0.0, 1.0), std::make_pair(0.0, 1.0));

  // A non-monotone function: the extreme is at a breakpoint inside.
  PiecewiseLinearFunction hat;
  hat.breakpoints = {0.0};
  hat.pieces = {{1.0, 0.0}, {-1.0, 0.0}};
  EXPECT_EQ(hat.getImage(-2.0, 3.0), std::make_pair(-3.0, 0.0));
}

TEST(PiecewiseLinearFunctionTest, PieceOfInterval) {
  PiecewiseLinearFunction f = clamp(0.0, 6.0);
  EXPECT_EQ(f.getPieceOfInterval(-3.0, -1.0), 0);
  EXPECT_EQ(f.getPieceOfInterval(0.0, 6.0), 1);
  EXPECT_EQ(f.getPieceOfInterval(-1.0, 1.0), -1);
  EXPECT_EQ(f.getPieceOfInterval(7.0, 9.0), 2);
}

TEST(PiecewiseLinearFunctionTest, SimplifyMergesEqualNeighbours) {
  PiecewiseLinearFunction f;
  f.breakpoints = {-1.0, 0.0, 1.0};
  f.pieces = {{0.0, 0.0}, {0.0, 0.0}, {1.0, 0.0}, {1.0, 0.0}};
  f.upperPieceAt = {false, true, false};
  f.simplify();
  EXPECT_EQ(f.breakpoints.size(), 1u);
  EXPECT_EQ(f.breakpoints[0], 0.0);
  EXPECT_TRUE(f.isUpperPieceAt(0)); // The flag stays with its breakpoint.
  ASSERT_EQ(f.getNumPieces(), 2u);
  EXPECT_TRUE(f.pieces[1].isIdentity());
}

} // namespace
