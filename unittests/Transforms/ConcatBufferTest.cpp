//===- ConcatBufferTest.cpp - Concatenations in one buffer ----------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// placeConcatenationsInOneBuffer on hand-written feature-major IR: suffix
// concatenations become slices of one buffer and compute the same values
// (run by lin's interpreter before and after); anything else is left alone.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/ConcatBuffer.h"
#include "lin/Interpreter/Interpreter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "gtest/gtest.h"

using namespace mlir;
using namespace lin;

namespace {

/// Three feature-major layers a (2 rows), b (3), c (1) from the argument's
/// transpose, and consumers reading [b, a] and [c, b, a] (suffixes of the
/// last), each reduced to a [rows x batch] result by a matmul.
constexpr const char *kSuffixes = R"mlir(
  func.func @main(%x: tensor<?x2xf32>) -> (tensor<1x?xf32>, tensor<1x?xf32>) {
    %c0 = arith.constant 0 : index
    %zero = arith.constant 0.0 : f32
    %n = tensor.dim %x, %c0 : tensor<?x2xf32>
    %et = tensor.empty(%n) : tensor<2x?xf32>
    %a = linalg.transpose ins(%x : tensor<?x2xf32>) outs(%et : tensor<2x?xf32>) permutation = [1, 0]
    %wb = arith.constant dense<[[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]]> : tensor<3x2xf32>
    %eb = tensor.empty(%n) : tensor<3x?xf32>
    %fb = linalg.fill ins(%zero : f32) outs(%eb : tensor<3x?xf32>) -> tensor<3x?xf32>
    %b = linalg.matmul ins(%wb, %a : tensor<3x2xf32>, tensor<2x?xf32>) outs(%fb : tensor<3x?xf32>) -> tensor<3x?xf32>
    %ba = tensor.concat dim(0) %b, %a : (tensor<3x?xf32>, tensor<2x?xf32>) -> tensor<5x?xf32>
    %wc = arith.constant dense<[[1.0, -1.0, 2.0, 0.25, 4.0]]> : tensor<1x5xf32>
    %ec = tensor.empty(%n) : tensor<1x?xf32>
    %fc = linalg.fill ins(%zero : f32) outs(%ec : tensor<1x?xf32>) -> tensor<1x?xf32>
    %c = linalg.matmul ins(%wc, %ba : tensor<1x5xf32>, tensor<5x?xf32>) outs(%fc : tensor<1x?xf32>) -> tensor<1x?xf32>
    %cba = tensor.concat dim(0) %c, %b, %a : (tensor<1x?xf32>, tensor<3x?xf32>, tensor<2x?xf32>) -> tensor<6x?xf32>
    %wo = arith.constant dense<[[0.5, 1.0, -2.0, 1.0, 3.0, -1.0]]> : tensor<1x6xf32>
    %o = linalg.matmul ins(%wo, %cba : tensor<1x6xf32>, tensor<6x?xf32>) outs(%fc : tensor<1x?xf32>) -> tensor<1x?xf32>
    return %c, %o : tensor<1x?xf32>, tensor<1x?xf32>
  })mlir";

class ConcatBufferTest : public ::testing::Test {
protected:
  ConcatBufferTest() {
    context.loadDialect<arith::ArithDialect, func::FuncDialect,
                        linalg::LinalgDialect, tensor::TensorDialect>();
  }

  func::FuncOp parse(StringRef source) {
    module = parseSourceString<ModuleOp>(source, &context);
    EXPECT_TRUE(module);
    return *module->getOps<func::FuncOp>().begin();
  }

  /// The function's results on a batch of three samples.
  SmallVector<std::vector<float>> run(func::FuncOp function) {
    auto interpreter = Interpreter::create(function);
    EXPECT_TRUE(succeeded(interpreter));
    Tensor x(ArrayRef<int64_t>{3, 2});
    llvm::copy(ArrayRef<float>{1.0f, -2.0f, 0.5f, 3.0f, -1.0f, 0.25f},
               x.data());
    FailureOr<SmallVector<Tensor>> results = (*interpreter)->run({x});
    EXPECT_TRUE(succeeded(results));
    SmallVector<std::vector<float>> values;
    for (const Tensor &result : *results)
      values.emplace_back(result.values().begin(), result.values().end());
    return values;
  }

  static int64_t count(func::FuncOp function, StringRef name) {
    int64_t n = 0;
    function.walk(
        [&](Operation *op) { n += op->getName().getStringRef() == name; });
    return n;
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

TEST_F(ConcatBufferTest, SuffixConcatenationsShareOneBuffer) {
  func::FuncOp function = parse(kSuffixes);
  SmallVector<std::vector<float>> before = run(function);
  IRRewriter rewriter(&context);
  ASSERT_TRUE(placeConcatenationsInOneBuffer(rewriter, function));
  ASSERT_TRUE(succeeded(verify(function)));
  EXPECT_EQ(count(function, "tensor.concat"), 0);
  // Each of the three members written once, each concatenation a slice.
  EXPECT_EQ(count(function, "tensor.insert_slice"), 3);
  EXPECT_EQ(count(function, "tensor.extract_slice"), 2);
  EXPECT_EQ(run(function), before);
}

TEST_F(ConcatBufferTest, OtherConcatenationsAreLeftAlone) {
  // [a, b] is not a suffix of [c, b, a]: nothing is rewritten.
  std::string source = kSuffixes;
  size_t at = source.find("%b, %a : (tensor<3x?xf32>, tensor<2x?xf32>)");
  ASSERT_NE(at, std::string::npos);
  source.replace(at, 44, "%a, %b : (tensor<2x?xf32>, tensor<3x?xf32>)");
  func::FuncOp function = parse(source);
  IRRewriter rewriter(&context);
  EXPECT_FALSE(placeConcatenationsInOneBuffer(rewriter, function));
  EXPECT_EQ(count(function, "tensor.concat"), 2);
  EXPECT_EQ(count(function, "tensor.insert_slice"), 0);
}

TEST_F(ConcatBufferTest, OneConcatenationIsLeftAlone) {
  // A single concatenation copies its members either way.
  func::FuncOp function = parse(R"mlir(
    func.func @main(%a: tensor<2x?xf32>, %b: tensor<3x?xf32>) -> tensor<5x?xf32> {
      %a2 = linalg.copy ins(%a : tensor<2x?xf32>) outs(%a : tensor<2x?xf32>) -> tensor<2x?xf32>
      %r = tensor.concat dim(0) %b, %a2 : (tensor<3x?xf32>, tensor<2x?xf32>) -> tensor<5x?xf32>
      return %r : tensor<5x?xf32>
    })mlir");
  IRRewriter rewriter(&context);
  EXPECT_FALSE(placeConcatenationsInOneBuffer(rewriter, function));
  EXPECT_EQ(count(function, "tensor.concat"), 1);
}

} // namespace
