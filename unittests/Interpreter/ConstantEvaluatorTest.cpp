//===- ConstantEvaluatorTest.cpp - Tests of constant evaluation -----------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Interpreter/ConstantEvaluator.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "gtest/gtest.h"

using namespace mlir;
using namespace lin;

namespace {

std::vector<float> toVector(ArrayRef<float> values) {
  return std::vector<float>(values.begin(), values.end());
}

class ConstantEvaluatorTest : public ::testing::Test {
protected:
  ConstantEvaluatorTest() {
    context.loadDialect<arith::ArithDialect, cf::ControlFlowDialect,
                        func::FuncDialect, linalg::LinalgDialect,
                        math::MathDialect, tensor::TensorDialect>();
    // Any diagnostic during evaluation is a failure of the silent contract.
    context.getDiagEngine().registerHandler([this](Diagnostic &diag) {
      ++numDiagnostics;
      lastDiagnostic = diag.str();
      return success();
    });
  }

  /// Parses `source` and returns the first operand of the first func.return.
  Value parseReturned(StringRef source) {
    module = parseSourceString<ModuleOp>(source, &context);
    EXPECT_TRUE(module) << lastDiagnostic;
    if (!module)
      return {};
    numDiagnostics = 0;
    Value returned;
    module->walk([&](func::ReturnOp op) {
      if (!returned)
        returned = op.getOperand(0);
    });
    return returned;
  }

  /// Evaluates the returned value, checks its shape, returns its elements.
  std::vector<float> evaluate(StringRef source, ArrayRef<int64_t> shape) {
    Value value = parseReturned(source);
    if (!value)
      return {};
    EXPECT_TRUE(isConstantComputable(value));
    FailureOr<Tensor> tensor = evaluateConstant(value);
    EXPECT_TRUE(succeeded(tensor));
    EXPECT_EQ(numDiagnostics, 0);
    if (failed(tensor))
      return {};
    EXPECT_EQ(tensor->getShape(), shape);
    return std::vector<float>(tensor->values().begin(), tensor->values().end());
  }

  /// Evaluates the returned value and checks shape and elements.
  void expectEvaluatesTo(StringRef source, ArrayRef<int64_t> shape,
                         std::vector<float> expected) {
    EXPECT_EQ(evaluate(source, shape), expected) << source.str();
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  int numDiagnostics = 0;
  std::string lastDiagnostic;
};

TEST_F(ConstantEvaluatorTest, DenseLiteral) {
  expectEvaluatesTo(R"mlir(
    func.func @f() -> tensor<2x3xf32> {
      %c = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.5]]> : tensor<2x3xf32>
      return %c : tensor<2x3xf32>
    })mlir",
                    {2, 3}, {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.5f});
}

TEST_F(ConstantEvaluatorTest, Splat) {
  expectEvaluatesTo(R"mlir(
    func.func @f() -> tensor<2x2xf32> {
      %c = arith.constant dense<-0.25> : tensor<2x2xf32>
      return %c : tensor<2x2xf32>
    })mlir",
                    {2, 2}, {-0.25f, -0.25f, -0.25f, -0.25f});
}

TEST_F(ConstantEvaluatorTest, DenseResourceBlob) {
  // Blob: 4-byte alignment header, then 1.0, 2.0, 3.0, -1.5 little-endian.
  expectEvaluatesTo(R"mlir(
    func.func @f() -> tensor<2x2xf32> {
      %c = arith.constant dense_resource<weights> : tensor<2x2xf32>
      return %c : tensor<2x2xf32>
    }
    {-#
      dialect_resources: {
        builtin: {
          weights: "0x040000000000803F00000040000040400000C0BF"
        }
      }
    #-})mlir",
                    {2, 2}, {1.0f, 2.0f, 3.0f, -1.5f});
}

TEST_F(ConstantEvaluatorTest, F32WeightsAreBorrowedNotCopied) {
  Value value = parseReturned(R"mlir(
    func.func @f() -> tensor<2xf32> {
      %c = arith.constant dense_resource<weights> : tensor<2xf32>
      return %c : tensor<2xf32>
    }
    {-#
      dialect_resources: {
        builtin: {
          weights: "0x040000000000803F00000040"
        }
      }
    #-})mlir");
  FailureOr<Tensor> tensor = evaluateConstant(value);
  ASSERT_TRUE(succeeded(tensor));
  EXPECT_TRUE(tensor->isBorrowed());
  EXPECT_FALSE(tensor->isUniquelyOwned());
  // Writers copy first: the attribute keeps its values.
  const float *borrowed = tensor->data();
  tensor->makeUnique();
  EXPECT_NE(tensor->data(), borrowed);
  tensor->values()[0] = 42.0f;
  FailureOr<Tensor> again = evaluateConstant(value);
  ASSERT_TRUE(succeeded(again));
  EXPECT_EQ(toVector(again->values()), (std::vector<float>{1.0f, 2.0f}));
}

TEST_F(ConstantEvaluatorTest, DenseResourceBlobOfWrongSizeFails) {
  Value value = parseReturned(R"mlir(
    func.func @f() -> tensor<3xf32> {
      %c = arith.constant dense_resource<weights> : tensor<3xf32>
      return %c : tensor<3xf32>
    }
    {-#
      dialect_resources: {
        builtin: {
          weights: "0x040000000000803F00000040"
        }
      }
    #-})mlir");
  ConstantEvaluator evaluator;
  EXPECT_TRUE(failed(evaluator.evaluate(value)));
  EXPECT_NE(evaluator.getLastError().str().find("8 bytes"), std::string::npos);
  EXPECT_EQ(numDiagnostics, 0);
}

TEST_F(ConstantEvaluatorTest, OtherFloatTypesConvertToF32) {
  expectEvaluatesTo(R"mlir(
    func.func @f() -> tensor<2xf16> {
      %c = arith.constant dense<[1.5, -2.0]> : tensor<2xf16>
      return %c : tensor<2xf16>
    })mlir",
                    {2}, {1.5f, -2.0f});
  expectEvaluatesTo(R"mlir(
    func.func @f() -> tensor<2xbf16> {
      %c = arith.constant dense<[0.5, 3.0]> : tensor<2xbf16>
      return %c : tensor<2xbf16>
    })mlir",
                    {2}, {0.5f, 3.0f});
  expectEvaluatesTo(R"mlir(
    func.func @f() -> tensor<3xf64> {
      %c = arith.constant dense<[0.1, -7.0, 1.0e10]> : tensor<3xf64>
      return %c : tensor<3xf64>
    })mlir",
                    {3}, {0.1f, -7.0f, 1.0e10f});
  expectEvaluatesTo(R"mlir(
    func.func @f() -> tensor<3xi64> {
      %c = arith.constant dense<[3, -4, 5]> : tensor<3xi64>
      return %c : tensor<3xi64>
    })mlir",
                    {3}, {3.0f, -4.0f, 5.0f});
}

TEST_F(ConstantEvaluatorTest, TransposeOfResourceWeight) {
  // torch-mlir's nn.Linear weight: [out, in] transposed to [in, out].
  expectEvaluatesTo(R"mlir(
    func.func @f() -> tensor<3x2xf32> {
      %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
      %e = tensor.empty() : tensor<3x2xf32>
      %t = linalg.transpose ins(%w : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>) permutation = [1, 0]
      return %t : tensor<3x2xf32>
    })mlir",
                    {3, 2}, {1.0f, 4.0f, 2.0f, 5.0f, 3.0f, 6.0f});
}

TEST_F(ConstantEvaluatorTest, PermutingGeneric) {
  expectEvaluatesTo(R"mlir(
    func.func @f() -> tensor<3x2xf32> {
      %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
      %e = tensor.empty() : tensor<3x2xf32>
      %t = linalg.generic {
          indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>,
                           affine_map<(d0, d1) -> (d0, d1)>],
          iterator_types = ["parallel", "parallel"]}
          ins(%w : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      } -> tensor<3x2xf32>
      return %t : tensor<3x2xf32>
    })mlir",
                    {3, 2}, {1.0f, 4.0f, 2.0f, 5.0f, 3.0f, 6.0f});
}

TEST_F(ConstantEvaluatorTest, BroadcastingElementwiseGeneric) {
  // x * 2 + b[j], with a scalar captured from the function body.
  expectEvaluatesTo(R"mlir(
    func.func @f() -> tensor<2x3xf32> {
      %two = arith.constant 2.0 : f32
      %x = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
      %b = arith.constant dense<[10.0, 20.0, 30.0]> : tensor<3xf32>
      %e = tensor.empty() : tensor<2x3xf32>
      %r = linalg.generic {
          indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                           affine_map<(d0, d1) -> (d1)>,
                           affine_map<(d0, d1) -> (d0, d1)>],
          iterator_types = ["parallel", "parallel"]}
          ins(%x, %b : tensor<2x3xf32>, tensor<3xf32>) outs(%e : tensor<2x3xf32>) {
      ^bb0(%in: f32, %bias: f32, %out: f32):
        %m = arith.mulf %in, %two : f32
        %s = arith.addf %m, %bias : f32
        linalg.yield %s : f32
      } -> tensor<2x3xf32>
      return %r : tensor<2x3xf32>
    })mlir",
                    {2, 3}, {12.0f, 24.0f, 36.0f, 18.0f, 30.0f, 42.0f});
}

TEST_F(ConstantEvaluatorTest, ReluOfCmpSelect) {
  expectEvaluatesTo(R"mlir(
    func.func @f() -> tensor<4xf32> {
      %zero = arith.constant 0.0 : f32
      %x = arith.constant dense<[-1.0, 0.0, 2.5, -0.5]> : tensor<4xf32>
      %e = tensor.empty() : tensor<4xf32>
      %r = linalg.generic {
          indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
          iterator_types = ["parallel"]}
          ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
      ^bb0(%in: f32, %out: f32):
        %c = arith.cmpf ugt, %in, %zero : f32
        %s = arith.select %c, %in, %zero : f32
        linalg.yield %s : f32
      } -> tensor<4xf32>
      return %r : tensor<4xf32>
    })mlir",
                    {4}, {0.0f, 0.0f, 2.5f, 0.0f});
}

TEST_F(ConstantEvaluatorTest, NamedBroadcastAndFill) {
  expectEvaluatesTo(R"mlir(
    func.func @f() -> tensor<2x3xf32> {
      %b = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
      %e = tensor.empty() : tensor<2x3xf32>
      %r = linalg.broadcast ins(%b : tensor<3xf32>) outs(%e : tensor<2x3xf32>) dimensions = [0]
      return %r : tensor<2x3xf32>
    })mlir",
                    {2, 3}, {1.0f, 2.0f, 3.0f, 1.0f, 2.0f, 3.0f});
  expectEvaluatesTo(R"mlir(
    func.func @f() -> tensor<2x2xf32> {
      %v = arith.constant 7.0 : f32
      %e = tensor.empty() : tensor<2x2xf32>
      %r = linalg.fill ins(%v : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
      return %r : tensor<2x2xf32>
    })mlir",
                    {2, 2}, {7.0f, 7.0f, 7.0f, 7.0f});
}

TEST_F(ConstantEvaluatorTest, Reshapes) {
  expectEvaluatesTo(R"mlir(
    func.func @f() -> tensor<3x2xf32> {
      %x = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]> : tensor<6xf32>
      %a = tensor.expand_shape %x [[0, 1]] output_shape [2, 3] : tensor<6xf32> into tensor<2x3xf32>
      %b = tensor.collapse_shape %a [[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
      %c = tensor.cast %b : tensor<6xf32> to tensor<?xf32>
      %three = arith.constant 3 : index
      %d = tensor.expand_shape %c [[0, 1]] output_shape [%three, 2] : tensor<?xf32> into tensor<?x2xf32>
      %s = tensor.cast %d : tensor<?x2xf32> to tensor<3x2xf32>
      return %s : tensor<3x2xf32>
    })mlir",
                    {3, 2}, {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f});
}

TEST_F(ConstantEvaluatorTest, MatmulOfConstants) {
  // [[1,2],[3,4]] x [[5,6],[7,8]] accumulated into ones; then with a
  // transposed right operand through indexing_maps into zeros.
  expectEvaluatesTo(R"mlir(
    func.func @f() -> tensor<2x2xf32> {
      %a = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
      %b = arith.constant dense<[[5.0, 6.0], [7.0, 8.0]]> : tensor<2x2xf32>
      %one = arith.constant dense<1.0> : tensor<2x2xf32>
      %r = linalg.matmul ins(%a, %b : tensor<2x2xf32>, tensor<2x2xf32>) outs(%one : tensor<2x2xf32>) -> tensor<2x2xf32>
      return %r : tensor<2x2xf32>
    })mlir",
                    {2, 2}, {20.0f, 23.0f, 44.0f, 51.0f});
  expectEvaluatesTo(R"mlir(
    func.func @f() -> tensor<2x2xf32> {
      %a = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
      %b = arith.constant dense<[[5.0, 7.0], [6.0, 8.0]]> : tensor<2x2xf32>
      %zero = arith.constant 0.0 : f32
      %e = tensor.empty() : tensor<2x2xf32>
      %z = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
      %r = linalg.matmul
          indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                           affine_map<(m, n, k) -> (n, k)>,
                           affine_map<(m, n, k) -> (m, n)>]
          ins(%a, %b : tensor<2x2xf32>, tensor<2x2xf32>) outs(%z : tensor<2x2xf32>) -> tensor<2x2xf32>
      return %r : tensor<2x2xf32>
    })mlir",
                    {2, 2}, {19.0f, 22.0f, 43.0f, 50.0f});
}

TEST_F(ConstantEvaluatorTest, SharedEvaluatorMemoises) {
  Value value = parseReturned(R"mlir(
    func.func @f() -> tensor<2xf32> {
      %x = arith.constant dense<[1.0, -2.0]> : tensor<2xf32>
      %e = tensor.empty() : tensor<2xf32>
      %r = linalg.abs ins(%x : tensor<2xf32>) outs(%e : tensor<2xf32>) -> tensor<2xf32>
      return %r : tensor<2xf32>
    })mlir");
  ConstantEvaluator evaluator;
  FailureOr<Tensor> first = evaluator.evaluateTensor(value);
  FailureOr<Tensor> second = evaluator.evaluateTensor(value);
  ASSERT_TRUE(succeeded(first) && succeeded(second));
  EXPECT_EQ(toVector(first->values()), (std::vector<float>{1.0f, 2.0f}));
  // The second query returns the memoised tensor itself.
  EXPECT_EQ(first->data(), second->data());
}

TEST_F(ConstantEvaluatorTest, ArgumentDependentValuesFailSilently) {
  Value value = parseReturned(R"mlir(
    func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
      %e = tensor.empty() : tensor<2xf32>
      %r = linalg.abs ins(%x : tensor<2xf32>) outs(%e : tensor<2xf32>) -> tensor<2xf32>
      return %r : tensor<2xf32>
    })mlir");
  EXPECT_FALSE(isConstantComputable(value));
  EXPECT_TRUE(failed(evaluateConstant(value)));
  EXPECT_EQ(numDiagnostics, 0);
}

TEST_F(ConstantEvaluatorTest, UnsupportedOpFailsSilently) {
  Value value = parseReturned(R"mlir(
    func.func @f() -> tensor<4xf32> {
      %x = arith.constant dense<1.0> : tensor<2xf32>
      %e = tensor.empty() : tensor<4xf32>
      %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0 mod 2)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : tensor<2xf32>) outs(%e : tensor<4xf32>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
      } -> tensor<4xf32>
      return %r : tensor<4xf32>
    })mlir");
  EXPECT_TRUE(isConstantComputable(value));
  ConstantEvaluator evaluator;
  EXPECT_TRUE(failed(evaluator.evaluate(value)));
  EXPECT_NE(evaluator.getLastError().str().find("'linalg.generic': indexing "
                                                "maps with mod"),
            std::string::npos);
  EXPECT_EQ(numDiagnostics, 0);
}

TEST_F(ConstantEvaluatorTest, EvaluatesConvolutionWindows) {
  Value value = parseReturned(R"mlir(
    func.func @f() -> tensor<1x2x2x1xf32> {
      %x = arith.constant dense<[[[[1.0], [2.0], [3.0]], [[4.0], [5.0], [6.0]], [[7.0], [8.0], [9.0]]]]> : tensor<1x3x3x1xf32>
      %k = arith.constant dense<1.0> : tensor<2x2x1x1xf32>
      %z = arith.constant dense<0.0> : tensor<1x2x2x1xf32>
      %r = linalg.conv_2d_nhwc_hwcf ins(%x, %k : tensor<1x3x3x1xf32>, tensor<2x2x1x1xf32>) outs(%z : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
      return %r : tensor<1x2x2x1xf32>
    })mlir");
  FailureOr<Tensor> result = evaluateConstant(value);
  ASSERT_TRUE(succeeded(result));
  // Sums of the 2x2 windows of 1..9.
  EXPECT_EQ(toVector(result->values()), (std::vector<float>{12, 16, 24, 28}));
  EXPECT_EQ(numDiagnostics, 0);
}

TEST_F(ConstantEvaluatorTest, ScalarBecomesZeroDimensionalTensor) {
  Value value = parseReturned(R"mlir(
    func.func @f() -> f32 {
      %a = arith.constant 1.5 : f32
      %b = arith.constant 2.0 : f32
      %c = arith.mulf %a, %b : f32
      return %c : f32
    })mlir");
  FailureOr<Tensor> tensor = evaluateConstant(value);
  ASSERT_TRUE(succeeded(tensor));
  EXPECT_EQ(tensor->getRank(), 0);
  EXPECT_EQ(toVector(tensor->values()), (std::vector<float>{3.0f}));
}

/// Eval batch norm's scale as torch-mlir computes it: 1 / sqrt(var + eps),
/// the division guarded by a cf.assert. The check is an effect, but the
/// evaluator runs it, so the value is a constant; a failing check fails the
/// evaluation (silently, with the check's message).
constexpr StringLiteral kGuardedReciprocal = R"mlir(
  func.func @f() -> tensor<2xf32> {
    %zero = arith.constant 0.0 : f32
    %one = arith.constant 1.0 : f32
    %var = arith.constant dense<[4.0, VAR]> : tensor<2xf32>
    %e = tensor.empty() : tensor<2xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%var : tensor<2xf32>) outs(%e : tensor<2xf32>) {
    ^bb0(%in: f32, %out: f32):
      %s = math.sqrt %in : f32
      %ne = arith.cmpf one, %s, %zero : f32
      cf.assert %ne, "unimplemented: tensor with zero element"
      %q = arith.divf %one, %s : f32
      linalg.yield %q : f32
    } -> tensor<2xf32>
    return %r : tensor<2xf32>
  })mlir";

TEST_F(ConstantEvaluatorTest, CheckedComputationIsConstant) {
  std::string source = kGuardedReciprocal.str();
  source.replace(source.find("VAR"), 3, "0.25");
  expectEvaluatesTo(source, {2}, {0.5f, 2.0f});
}

TEST_F(ConstantEvaluatorTest, FailingCheckFailsEvaluation) {
  std::string source = kGuardedReciprocal.str();
  source.replace(source.find("VAR"), 3, "0.0");
  Value value = parseReturned(source);
  EXPECT_TRUE(isConstantComputable(value));
  ConstantEvaluator evaluator;
  EXPECT_TRUE(failed(evaluator.evaluate(value)));
  EXPECT_NE(evaluator.getLastError().str().find("tensor with zero element"),
            std::string::npos)
      << evaluator.getLastError().str();
  EXPECT_EQ(numDiagnostics, 0);
}

} // namespace
