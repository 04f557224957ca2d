//===- AffineFormTest.cpp - Tests of the affine decomposition -------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Analysis/AffineForm.h"
#include "lin/Interpreter/ConstantEvaluator.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "gtest/gtest.h"

#include <string>

using namespace mlir;
using namespace lin;

namespace {

class AffineFormTest : public ::testing::Test {
protected:
  AffineFormTest() {
    context.loadDialect<arith::ArithDialect, func::FuncDialect,
                        linalg::LinalgDialect, tensor::TensorDialect>();
  }

  /// Parses @f(%x, %v): `%x` (or, with `variableWeight`, `%x @ %v`) scaled
  /// by 2 and 0.5 in turn by `depth` elementwise ops, then a matmul with the
  /// constant [[1, 2], [3, 4]]; returns the matmul's result.
  Value parseChain(int depth, bool variableWeight) {
    std::string source = R"mlir(
      #id = affine_map<(d0, d1) -> (d0, d1)>
      func.func @f(%x: tensor<4x2xf32>, %v: tensor<2x2xf32>) -> tensor<4x2xf32> {
        %zero = arith.constant 0.0 : f32
        %e = tensor.empty() : tensor<4x2xf32>
        %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
        %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
        %s0 = linalg.matmul ins(%x, %v : tensor<4x2xf32>, tensor<2x2xf32>) outs(%f : tensor<4x2xf32>) -> tensor<4x2xf32>
    )mlir";
    std::string previous = variableWeight ? "%s0" : "%x";
    for (int i = 1; i <= depth; ++i) {
      std::string name = "%s" + std::to_string(i);
      source += "  " + name +
                " = linalg.generic {indexing_maps = [#id, #id], "
                "iterator_types = [\"parallel\", \"parallel\"]} ins(" +
                previous +
                " : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {\n"
                "  ^bb0(%in: f32, %out: f32):\n"
                "    %c = arith.constant " +
                (i % 2 ? "2.0" : "0.5") +
                " : f32\n"
                "    %r = arith.mulf %in, %c : f32\n"
                "    linalg.yield %r : f32\n"
                "  } -> tensor<4x2xf32>\n";
      previous = name;
    }
    source += "  %m = linalg.matmul ins(" + previous +
              ", %w : tensor<4x2xf32>, tensor<2x2xf32>) outs(%f : "
              "tensor<4x2xf32>) -> tensor<4x2xf32>\n"
              "  return %m : tensor<4x2xf32>\n}\n";
    module = parseSourceString<ModuleOp>(source, &context);
    EXPECT_TRUE(module);
    if (!module)
      return nullptr;
    Value result;
    module->walk([&](func::ReturnOp ret) { result = ret.getOperand(0); });
    return result;
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  ConstantEvaluator constants;
};

/// 50,000 affine ops deep: the decomposition looks through all of them
/// (it recursed once per op and overflowed the stack).
TEST_F(AffineFormTest, DeepChain) {
  constexpr int depth = 50'000;
  Value result = parseChain(depth, /*variableWeight=*/false);
  ASSERT_TRUE(result);
  std::string why;
  FailureOr<AffineForm> form = decomposeAffine(result, constants, &why);
  ASSERT_TRUE(succeeded(form)) << why;
  ASSERT_EQ(form->terms.size(), 1u);
  const AffineTerm &term = form->terms[0];
  EXPECT_TRUE(isa<BlockArgument>(term.root));
  EXPECT_FALSE(term.identity);
  // (2 * 0.5)^(depth / 2) = 1, exactly: the weight is the matmul's.
  EXPECT_EQ(llvm::ArrayRef<float>(term.weight.values()),
            llvm::ArrayRef<float>({1.0f, 2.0f, 3.0f, 4.0f}));
  EXPECT_FALSE(form->hasBias());
  // The chain, the matmul and the fill of its accumulator.
  EXPECT_EQ(form->ops.size(), size_t(depth + 2));
}

/// A reason found at the bottom of a deep chain comes up through it.
TEST_F(AffineFormTest, DeepChainFailsWithTheReason) {
  Value result = parseChain(50'000, /*variableWeight=*/true);
  ASSERT_TRUE(result);
  std::string why;
  EXPECT_TRUE(failed(decomposeAffine(result, constants, &why)));
  EXPECT_EQ(why, "linalg.matmul whose weight operand is not a constant");
}

} // namespace
