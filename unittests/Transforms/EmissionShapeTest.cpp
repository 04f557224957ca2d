//===- EmissionShapeTest.cpp - Matmuls and dispatches of an emission ------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The emission rule on shapes: stacked roots, matmuls, and the dispatches
// IREE makes, including the first reader of a stacked matmul that takes its
// rows in place (isMaskedFirstReader) and so costs no dispatch of its own.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/EmissionShape.h"

#include "mlir/IR/Block.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/MLIRContext.h"

#include "gtest/gtest.h"

using namespace lin;
using namespace mlir;

namespace {

/// Values to name roots by: block arguments of f32 type.
class EmissionShapeTest : public ::testing::Test {
protected:
  EmissionShapeTest() {
    Type f32 = Builder(&context).getF32Type();
    for (int i = 0; i < 4; ++i)
      block.addArgument(f32, UnknownLoc::get(&context));
    input = block.getArgument(0);
    other = block.getArgument(1);
    hidden1 = block.getArgument(2);
    hidden2 = block.getArgument(3);
  }

  static SinkMatmulShape
  sink(std::initializer_list<std::pair<Value, bool>> roots,
       bool featureMajorResult, bool residual = false) {
    SinkMatmulShape shape;
    for (auto [root, featureMajor] : roots) {
      shape.roots.push_back(root);
      shape.featureMajorRoots.push_back(featureMajor);
    }
    shape.featureMajorResult = featureMajorResult;
    shape.residual = residual;
    return shape;
  }

  MLIRContext context;
  Block block;
  Value input, other, hidden1, hidden2;
};

TEST_F(EmissionShapeTest, FirstLayerReadingOnlyTheInputTakesItsRowsInPlace) {
  // A first layer merged into skips: every later sink reads the input too.
  SmallVector<SinkMatmulShape> sinks = {
      sink({{input, false}}, true),
      sink({{hidden1, true}, {input, false}}, true),
      sink({{hidden2, true}, {hidden1, true}, {input, false}}, false)};
  SmallVector<StackedRoot> stacked = getStackedRoots(sinks);
  ASSERT_EQ(stacked.size(), 1u);
  EXPECT_EQ(stacked.front().root, input);
  EXPECT_EQ(stacked.front().sinks.size(), 3u);
  EXPECT_TRUE(isMaskedFirstReader(sinks, stacked.front()));
  // The stacked matmul, and one over the feature-major roots per later sink:
  // three linear layers, three matmuls, three dispatches.
  EXPECT_EQ(getNumEmittedMatmuls(sinks), 3);
  EXPECT_EQ(getNumEmittedDispatches(sinks), 3);
}

TEST_F(EmissionShapeTest, ResidualFirstReaderCostsAnElementwiseDispatch) {
  SmallVector<SinkMatmulShape> sinks = {
      sink({{input, false}}, true, /*residual=*/true),
      sink({{hidden1, true}, {input, false}}, false)};
  SmallVector<StackedRoot> stacked = getStackedRoots(sinks);
  ASSERT_EQ(stacked.size(), 1u);
  EXPECT_FALSE(isMaskedFirstReader(sinks, stacked.front()));
  EXPECT_EQ(getNumEmittedMatmuls(sinks), 2);
  EXPECT_EQ(getNumEmittedDispatches(sinks), 3);
}

TEST_F(EmissionShapeTest, FirstReaderOfTwoStackedRootsIsNotMasked) {
  // Its rows are in two stacked results: neither holds its whole sum.
  SmallVector<SinkMatmulShape> sinks = {
      sink({{input, false}, {other, false}}, true),
      sink({{hidden1, true}, {input, false}, {other, false}}, false)};
  SmallVector<StackedRoot> stacked = getStackedRoots(sinks);
  ASSERT_EQ(stacked.size(), 2u);
  EXPECT_FALSE(isMaskedFirstReader(sinks, stacked[0]));
  EXPECT_FALSE(isMaskedFirstReader(sinks, stacked[1]));
  EXPECT_EQ(getNumEmittedMatmuls(sinks), 3);
  EXPECT_EQ(getNumEmittedDispatches(sinks), 4);
}

TEST_F(EmissionShapeTest, OnlyTheFirstReaderTakesItsRowsInPlace) {
  // The input's first reader is an output ([batch x out], with a
  // feature-major root too); the layer after it reads only the input, but
  // its rows are not the first: it costs an elementwise dispatch.
  SmallVector<SinkMatmulShape> sinks = {
      sink({{hidden1, true}, {input, false}}, false),
      sink({{input, false}}, true)};
  SmallVector<StackedRoot> stacked = getStackedRoots(sinks);
  ASSERT_EQ(stacked.size(), 1u);
  EXPECT_FALSE(isMaskedFirstReader(sinks, stacked.front()));
  EXPECT_EQ(getNumEmittedMatmuls(sinks), 2);
  EXPECT_EQ(getNumEmittedDispatches(sinks), 3);
}

} // namespace
