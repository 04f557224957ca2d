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

  /// Parses a function computing max(x, 0) and then `scales` elementwise
  /// multiplications by one, each op a linalg.generic of its own; returns
  /// the generics in order (the ReLU first).
  SmallVector<linalg::GenericOp> parseReluThenScales(int scales) {
    auto generic = [](StringRef result, StringRef input, StringRef body) {
      return ("  " + result +
              " = linalg.generic {indexing_maps = [#id, #id], "
              "iterator_types = [\"parallel\", \"parallel\"]} ins(" +
              input +
              " : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {\n"
              "  ^bb0(%in: f32, %out: f32):\n" +
              body + "    linalg.yield %r : f32\n  } -> tensor<4x3xf32>\n")
          .str();
    };
    std::string source = "#id = affine_map<(d0, d1) -> (d0, d1)>\n"
                         "func.func @f(%x: tensor<4x3xf32>) -> "
                         "tensor<4x3xf32> {\n"
                         "  %e = tensor.empty() : tensor<4x3xf32>\n";
    source += generic("%v0", "%x",
                      "    %c = arith.constant 0.0 : f32\n"
                      "    %r = arith.maximumf %in, %c : f32\n");
    for (int i = 1; i <= scales; ++i)
      source += generic("%v" + std::to_string(i), "%v" + std::to_string(i - 1),
                        "    %c = arith.constant 1.0 : f32\n"
                        "    %r = arith.mulf %in, %c : f32\n");
    source +=
        "  return %v" + std::to_string(scales) + " : tensor<4x3xf32>\n}\n";
    module = parseSourceString<ModuleOp>(source, &context);
    EXPECT_TRUE(module);
    SmallVector<linalg::GenericOp> generics;
    if (module)
      module->walk([&](linalg::GenericOp op) { generics.push_back(op); });
    return generics;
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

/// An activation split over elementwise ops is read up to eight ops deep:
/// max(x, 0) then seven multiplications by one is one ReLU of eight ops.
TEST_F(PiecewiseLinearActivationTest, ActivationOfEightOps) {
  SmallVector<linalg::GenericOp> generics = parseReluThenScales(7);
  ASSERT_EQ(generics.size(), 8u);
  auto act = PiecewiseLinearActivation::match(generics.back());
  ASSERT_TRUE(succeeded(act));
  EXPECT_EQ(act->getKind(), ActivationKind::ReLU);
  EXPECT_EQ(act->getOperations().size(), 8u);
  EXPECT_EQ(act->getInput(), generics.front()->getOperand(0));
}

/// Past eight ops the match stops: the last eight ops compute the identity
/// of the value before them, which is no activation; the ReLU is found with
/// the seven ops after it, and the last op is not part of it.
TEST_F(PiecewiseLinearActivationTest, LongerChainsAreReadInPieces) {
  SmallVector<linalg::GenericOp> generics = parseReluThenScales(8);
  ASSERT_EQ(generics.size(), 9u);
  std::string why;
  EXPECT_TRUE(failed(PiecewiseLinearActivation::match(generics.back(), &why)));
  EXPECT_TRUE(why.empty());
  SmallVector<PiecewiseLinearActivation> found =
      findPiecewiseLinearActivations(*module);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].getOperation(), generics[7].getOperation());
  EXPECT_EQ(found[0].getOperations().size(), 8u);
  EXPECT_EQ(found[0].getInput(), generics.front()->getOperand(0));
}

/// Matching every op of a chain of 30,000 elementwise ops takes bounded
/// work per op (it used to walk down the whole chain, recursively).
TEST_F(PiecewiseLinearActivationTest, DeepChainMatchesQuickly) {
  SmallVector<linalg::GenericOp> generics = parseReluThenScales(30'000);
  ASSERT_EQ(generics.size(), 30'001u);
  SmallVector<PiecewiseLinearActivation> found =
      findPiecewiseLinearActivations(*module);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].getOperation(), generics[7].getOperation());
}
