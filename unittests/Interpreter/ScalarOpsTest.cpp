//===- ScalarOpsTest.cpp - The interpreter's scalar semantics -------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The interpreter's kernels compare native floats and integers; upstream's
// arith::applyCmpPredicate is the reference semantics of arith.cmpf / cmpi.
// Every predicate must agree on ordinary values, signed zeros, infinities
// and NaN.
//
//===----------------------------------------------------------------------===//

#include "ScalarOps.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace lin;

namespace {

TEST(ScalarOpsTest, CompareFloatMatchesArithSemantics) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const float values[] = {-inf, -2.5f, -0.0f, 0.0f, 1.0f, 2.5f, inf, nan};
  for (uint64_t p = 0; p <= arith::getMaxEnumValForCmpFPredicate(); ++p) {
    auto predicate = static_cast<arith::CmpFPredicate>(p);
    for (float a : values)
      for (float b : values) {
        bool expected =
            arith::applyCmpPredicate(predicate, APFloat(a), APFloat(b));
        EXPECT_EQ(scalar::compareFloat(static_cast<uint8_t>(p), a, b), expected)
            << arith::stringifyCmpFPredicate(predicate).str() << "(" << a
            << ", " << b << ")";
      }
  }
}

TEST(ScalarOpsTest, CompareIntMatchesArithSemantics) {
  // The interpreter carries integers in floating point: values exactly
  // representable in a double.
  const int64_t values[] = {-(int64_t(1) << 52), -3, -1, 0, 1, 7,
                            int64_t(1) << 52};
  for (uint64_t p = 0; p <= arith::getMaxEnumValForCmpIPredicate(); ++p) {
    auto predicate = static_cast<arith::CmpIPredicate>(p);
    for (int64_t a : values)
      for (int64_t b : values) {
        bool expected =
            arith::applyCmpPredicate(predicate, APInt(64, a, /*isSigned=*/true),
                                     APInt(64, b, /*isSigned=*/true));
        EXPECT_EQ(
            scalar::compareInt(static_cast<uint8_t>(p), double(a), double(b)),
            expected)
            << arith::stringifyCmpIPredicate(predicate).str() << "(" << a
            << ", " << b << ")";
      }
  }
}

} // namespace
