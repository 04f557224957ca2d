//===- PiecewiseLinearActivationTest.cpp - Tests of activation matching ---===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Analysis/PiecewiseLinearActivation.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "gtest/gtest.h"

using namespace mlir;
using namespace lin;

namespace {

class PiecewiseLinearActivationTest : public ::testing::Test {
protected:
  PiecewiseLinearActivationTest() {
    context.loadDialect<arith::ArithDialect, func::FuncDialect,
                        linalg::LinalgDialect, math::MathDialect,
                        tensor::TensorDialect>();
  }

  /// Parses a function applying `body` (which reads %in and yields) to a
  /// tensor<4x3xf32> argument, and matches its linalg.generic.
  FailureOr<PiecewiseLinearActivation> matchBody(StringRef body,
                                                 std::string *why = nullptr) {
    std::string source = (R"mlir(
      func.func @f(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
        %e = tensor.empty() : tensor<4x3xf32>
        %r = linalg.generic {
            indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                             affine_map<(d0, d1) -> (d0, d1)>],
            iterator_types = ["parallel", "parallel"]}
            ins(%x : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
        ^bb0(%in: f32, %out: f32):
      )mlir" + body + R"mlir(
        } -> tensor<4x3xf32>
        return %r : tensor<4x3xf32>
      })mlir")
                             .str();
    module = parseSourceString<ModuleOp>(source, &context);
    EXPECT_TRUE(module) << source;
    if (!module)
      return failure();
    linalg::GenericOp generic;
    module->walk([&](linalg::GenericOp op) { generic = op; });
    return PiecewiseLinearActivation::match(generic, why);
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

TEST_F(PiecewiseLinearActivationTest, ReluAsMaximum) {
  auto act = matchBody(R"(
    %c0 = arith.constant 0.0 : f32
    %m = arith.maximumf %in, %c0 : f32
    linalg.yield %m : f32)");
  ASSERT_TRUE(succeeded(act));
  EXPECT_EQ(act->getKind(), ActivationKind::ReLU);
  EXPECT_EQ(act->classify(0.0f), 0u);
  EXPECT_EQ(act->classify(1e-6f), 1u);
  EXPECT_TRUE(act->getPiece(0).isConstant());
  EXPECT_EQ(act->getPiece(1).slope, 1.0);
}

TEST_F(PiecewiseLinearActivationTest, ReluAsCompareSelect) {
  auto act = matchBody(R"(
    %c0 = arith.constant 0.0 : f32
    %c = arith.cmpf ugt, %in, %c0 : f32
    %s = arith.select %c, %in, %c0 : f32
    linalg.yield %s : f32)");
  ASSERT_TRUE(succeeded(act));
  EXPECT_EQ(act->getKind(), ActivationKind::ReLU);
}

TEST_F(PiecewiseLinearActivationTest, LeakyReluAsSelect) {
  auto act = matchBody(R"(
    %c0 = arith.constant 0.0 : f32
    %k = arith.constant 0.1 : f32
    %c = arith.cmpf ugt, %in, %c0 : f32
    %m = arith.mulf %in, %k : f32
    %s = arith.select %c, %in, %m : f32
    linalg.yield %s : f32)");
  ASSERT_TRUE(succeeded(act));
  EXPECT_EQ(act->getKind(), ActivationKind::LeakyReLU);
  EXPECT_NEAR(act->getNegativeSlope(), 0.1, 1e-7);
}

TEST_F(PiecewiseLinearActivationTest, LeakyReluAsMaximum) {
  auto act = matchBody(R"(
    %k = arith.constant 0.01 : f32
    %m = arith.mulf %k, %in : f32
    %r = arith.maximumf %in, %m : f32
    linalg.yield %r : f32)");
  ASSERT_TRUE(succeeded(act));
  EXPECT_EQ(act->getKind(), ActivationKind::LeakyReLU);
}

TEST_F(PiecewiseLinearActivationTest, Relu6AsClamp) {
  auto act = matchBody(R"(
    %c0 = arith.constant 0.0 : f32
    %c6 = arith.constant 6.0 : f32
    %a = arith.maximumf %in, %c0 : f32
    %b = arith.minimumf %a, %c6 : f32
    linalg.yield %b : f32)");
  ASSERT_TRUE(succeeded(act));
  EXPECT_EQ(act->getKind(), ActivationKind::Clamp);
  EXPECT_EQ(act->getLower(), 0.0f);
  EXPECT_EQ(act->getUpper(), 6.0f);
  EXPECT_EQ(act->classify(-1.0f), 0u);
  EXPECT_EQ(act->classify(0.0f), 1u);
  EXPECT_EQ(act->classify(6.0f), 1u);
  EXPECT_EQ(act->classify(6.5f), 2u);
}

TEST_F(PiecewiseLinearActivationTest, HardtanhAsSelects) {
  auto act = matchBody(R"(
    %lo = arith.constant -1.0 : f32
    %hi = arith.constant 1.0 : f32
    %c1 = arith.cmpf ult, %in, %lo : f32
    %s1 = arith.select %c1, %lo, %in : f32
    %c2 = arith.cmpf ugt, %s1, %hi : f32
    %s2 = arith.select %c2, %hi, %s1 : f32
    linalg.yield %s2 : f32)");
  ASSERT_TRUE(succeeded(act));
  EXPECT_EQ(act->getKind(), ActivationKind::Clamp);
  EXPECT_EQ(act->getLower(), -1.0f);
  EXPECT_EQ(act->getUpper(), 1.0f);
}

TEST_F(PiecewiseLinearActivationTest, AffineBodyIsNotAnActivation) {
  std::string why;
  auto act = matchBody(R"(
    %k = arith.constant 2.0 : f32
    %m = arith.mulf %in, %k : f32
    linalg.yield %m : f32)",
                       &why);
  EXPECT_TRUE(failed(act));
  EXPECT_TRUE(why.empty());
}

TEST_F(PiecewiseLinearActivationTest, NonLinearBodyExplainsWhy) {
  std::string why;
  auto act = matchBody(R"(
    %ex = math.exp %in : f32
    linalg.yield %ex : f32)",
                       &why);
  EXPECT_TRUE(failed(act));
  EXPECT_NE(why.find("math.exp"), std::string::npos) << why;
}

TEST_F(PiecewiseLinearActivationTest, UnsupportedFamilyExplainsWhy) {
  std::string why;
  // min(z, 6): two pieces, but not a ReLU-like family.
  auto act = matchBody(R"(
    %c6 = arith.constant 6.0 : f32
    %m = arith.minimumf %in, %c6 : f32
    linalg.yield %m : f32)",
                       &why);
  EXPECT_TRUE(failed(act));
  EXPECT_NE(why.find("2 pieces"), std::string::npos) << why;
}

} // namespace
