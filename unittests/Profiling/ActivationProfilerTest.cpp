//===- ActivationProfilerTest.cpp - Tests of piece counting ---------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Profiling/ActivationProfiler.h"

#include "lin/Dialect/Lin/IR/LinDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace lin;

namespace {

/// ReLU (maximumf) and clamp to [-1, 2] of the same argument.
constexpr const char *kActivations = R"mlir(
  #id = affine_map<(d0, d1) -> (d0, d1)>
  func.func @main(%x: tensor<?x2xf32>) -> (tensor<?x2xf32>, tensor<?x2xf32>) {
    %c0 = arith.constant 0 : index
    %zero = arith.constant 0.0 : f32
    %n = tensor.dim %x, %c0 : tensor<?x2xf32>
    %e = tensor.empty(%n) : tensor<?x2xf32>
    %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%x : tensor<?x2xf32>) outs(%e : tensor<?x2xf32>) {
    ^bb0(%in: f32, %out: f32):
      %s = arith.maximumf %in, %zero : f32
      linalg.yield %s : f32
    } -> tensor<?x2xf32>
    %clamp = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%x : tensor<?x2xf32>) outs(%e : tensor<?x2xf32>) {
    ^bb0(%in: f32, %out: f32):
      %lo = arith.constant -1.0 : f32
      %hi = arith.constant 2.0 : f32
      %a = arith.maximumf %in, %lo : f32
      %b = arith.minimumf %a, %hi : f32
      linalg.yield %b : f32
    } -> tensor<?x2xf32>
    return %relu, %clamp : tensor<?x2xf32>, tensor<?x2xf32>
  })mlir";

class ActivationProfilerTest : public ::testing::Test {
protected:
  ActivationProfilerTest() {
    context.loadDialect<arith::ArithDialect, func::FuncDialect,
                        linalg::LinalgDialect, tensor::TensorDialect,
                        LinDialect>();
    module = parseSourceString<ModuleOp>(kActivations, &context);
    function = *module->getOps<func::FuncOp>().begin();
  }

  Tensor rows(ArrayRef<float> values) {
    Tensor tensor({static_cast<int64_t>(values.size() / 2), 2});
    llvm::copy(values, tensor.data());
    return tensor;
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  func::FuncOp function;
};

TEST_F(ActivationProfilerTest, CountsPiecesAcrossBatches) {
  ActivationProfiler profiler(function);
  ASSERT_EQ(profiler.getNumActivations(), 2u);
  EXPECT_EQ(profiler.getActivation(0).getKind(), ActivationKind::ReLU);
  EXPECT_EQ(profiler.getActivation(1).getKind(), ActivationKind::Clamp);
  auto interpreter = Interpreter::create(function);
  ASSERT_TRUE(succeeded(interpreter));
  // Neuron 0 sees -2, 0, 3, -1; neuron 1 sees 1, 2, 2.5, 0.5.
  ASSERT_TRUE(succeeded((*interpreter)->run({rows({-2, 1, 0, 2})}, &profiler)));
  ASSERT_TRUE(
      succeeded((*interpreter)->run({rows({3, 2.5f, -1, 0.5f})}, &profiler)));

  const ActivationProfile &relu = *profiler.getProfile(0);
  EXPECT_EQ(relu.getNumSamples(), 4);
  // Piece 0 is z <= 0 (0 included).
  EXPECT_EQ(relu.getCount(0, 0), 3);
  EXPECT_EQ(relu.getCount(1, 0), 1);
  EXPECT_EQ(relu.getCount(0, 1), 0);
  EXPECT_EQ(relu.getCount(1, 1), 4);
  EXPECT_EQ(relu.getMinimum(0), -2.0f);
  EXPECT_EQ(relu.getMaximum(0), 3.0f);
  EXPECT_EQ(relu.getMinimum(1), 0.5f);
  EXPECT_EQ(relu.getMaximum(1), 2.5f);

  // Clamp: below is z < -1, above is z > 2 (bounds are inside).
  const ActivationProfile &clamp = *profiler.getProfile(1);
  EXPECT_EQ(clamp.getCount(0, 0), 1);
  EXPECT_EQ(clamp.getCount(1, 0), 2);
  EXPECT_EQ(clamp.getCount(2, 0), 1);
  EXPECT_EQ(clamp.getCount(0, 1), 0);
  EXPECT_EQ(clamp.getCount(1, 1), 3);
  EXPECT_EQ(clamp.getCount(2, 1), 1);
}

TEST_F(ActivationProfilerTest, FollowsClassifyForNaN) {
  ActivationProfiler profiler(function, /*allowNonFinite=*/true);
  auto interpreter = Interpreter::create(function);
  ASSERT_TRUE(succeeded(interpreter));
  float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> values = {nan, -1, 1, nan};
  ASSERT_TRUE(succeeded((*interpreter)->run({rows(values)}, &profiler)));
  for (unsigned i = 0; i < 2; ++i) {
    const PiecewiseLinearActivation &activation = profiler.getActivation(i);
    const ActivationProfile &profile = *profiler.getProfile(i);
    for (int64_t neuron = 0; neuron < 2; ++neuron) {
      std::vector<int64_t> expected(activation.getNumPieces(), 0);
      for (int64_t row = 0; row < 2; ++row)
        ++expected[activation.classify(values[row * 2 + neuron])];
      for (unsigned piece = 0; piece < activation.getNumPieces(); ++piece)
        EXPECT_EQ(profile.getCount(piece, neuron), expected[piece])
            << "activation " << i << " neuron " << neuron << " piece " << piece;
    }
  }
  // Extrema ignore NaN.
  EXPECT_EQ(profiler.getProfile(0)->getMinimum(0), 1.0f);
  EXPECT_EQ(profiler.getProfile(0)->getMaximum(1), -1.0f);
  EXPECT_EQ(profiler.getNumNaN(0), 2);
  EXPECT_EQ(profiler.getNumInfinite(0), 0);
}

TEST_F(ActivationProfilerTest, CountsInfinitiesWhenAllowed) {
  ActivationProfiler profiler(function, /*allowNonFinite=*/true);
  auto interpreter = Interpreter::create(function);
  ASSERT_TRUE(succeeded(interpreter));
  float inf = std::numeric_limits<float>::infinity();
  ASSERT_TRUE(
      succeeded((*interpreter)->run({rows({inf, -inf, 1, 1})}, &profiler)));
  // Each infinity lands in the piece it is in and in the extrema.
  const ActivationProfile &clamp = *profiler.getProfile(1);
  EXPECT_EQ(clamp.getCount(2, 0), 1);
  EXPECT_EQ(clamp.getCount(0, 1), 1);
  EXPECT_EQ(clamp.getMaximum(0), inf);
  EXPECT_EQ(clamp.getMinimum(1), -inf);
  EXPECT_EQ(profiler.getNumInfinite(1), 2);
  EXPECT_EQ(profiler.getNumNaN(1), 0);
}

/// Runs `batches` of rows through a profiler that rejects non-finite values
/// and returns the diagnostics.
static std::vector<std::string>
runStrict(MLIRContext &context, func::FuncOp function,
          ArrayRef<std::vector<float>> batches) {
  std::vector<std::string> messages;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diagnostic) {
    messages.push_back(diagnostic.str());
    return success();
  });
  ActivationProfiler profiler(function);
  auto interpreter = Interpreter::create(function);
  EXPECT_TRUE(succeeded(interpreter));
  for (const std::vector<float> &values : batches) {
    Tensor tensor({static_cast<int64_t>(values.size() / 2), 2});
    llvm::copy(values, tensor.data());
    profiler.beginBatch(tensor.getDimSize(0), tensor.getDimSize(0));
    if (failed((*interpreter)->run({tensor}, &profiler)))
      break;
  }
  return messages;
}

TEST_F(ActivationProfilerTest, RejectsNonFiniteByDefault) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  float inf = std::numeric_limits<float>::infinity();
  // Finite data: no diagnostic.
  EXPECT_TRUE(runStrict(context, function, {{1, -1, 0, 2}}).empty());
  // The first batch is clean; the second has NaN at sample 3 and an
  // infinity at sample 2.
  std::vector<std::string> messages =
      runStrict(context, function, {{1, -1, 0, 2}, {1, -inf, 2, nan}});
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0],
            "lin profiler: 2 pre-activation value(s) of this relu in this "
            "batch are not finite (1 NaN, 1 infinite), the first at sample 2, "
            "neuron 1: the data or the weights hold NaN or infinity "
            "(allow-non-finite counts them instead)");
  // Without batches (a plain interpreter run), samples count from 0.
  messages = runStrict(context, function, {{nan, 1}});
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("the first at sample 0, neuron 0"),
            std::string::npos);
}

TEST_F(ActivationProfilerTest, FindsNonFiniteInEveryRowAndColumn) {
  // The detection is a reduction in the vectorised counting loop: a single
  // bad value must be found wherever it is, in the vector body (width 11:
  // two 4-wide vectors) or in the scalar tail.
  constexpr const char *kWide = R"mlir(
    #id = affine_map<(d0, d1) -> (d0, d1)>
    func.func @wide(%x: tensor<?x11xf32>) -> tensor<?x11xf32> {
      %c0 = arith.constant 0 : index
      %zero = arith.constant 0.0 : f32
      %n = tensor.dim %x, %c0 : tensor<?x11xf32>
      %e = tensor.empty(%n) : tensor<?x11xf32>
      %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
          ins(%x : tensor<?x11xf32>) outs(%e : tensor<?x11xf32>) {
      ^bb0(%in: f32, %out: f32):
        %s = arith.maximumf %in, %zero : f32
        linalg.yield %s : f32
      } -> tensor<?x11xf32>
      return %relu : tensor<?x11xf32>
    })mlir";
  OwningOpRef<ModuleOp> wide = parseSourceString<ModuleOp>(kWide, &context);
  ASSERT_TRUE(wide);
  func::FuncOp wideFunction = *wide->getOps<func::FuncOp>().begin();
  auto interpreter = Interpreter::create(wideFunction);
  ASSERT_TRUE(succeeded(interpreter));
  std::string message;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diagnostic) {
    message = diagnostic.str();
    return success();
  });
  const int64_t rows = 3, width = 11;
  for (float bad : {std::numeric_limits<float>::quiet_NaN(),
                    std::numeric_limits<float>::infinity(),
                    -std::numeric_limits<float>::infinity()})
    for (int64_t position = 0; position < rows * width; ++position) {
      Tensor batch({rows, width});
      std::fill(batch.data(), batch.data() + rows * width, 0.5f);
      batch.data()[position] = bad;
      ActivationProfiler profiler(wideFunction);
      message.clear();
      EXPECT_TRUE(failed((*interpreter)->run({batch}, &profiler)));
      std::string where = "the first at sample " +
                          std::to_string(position / width) + ", neuron " +
                          std::to_string(position % width);
      EXPECT_NE(message.find(where), std::string::npos)
          << "expected '" << where << "' in: " << message;
    }
}

TEST_F(ActivationProfilerTest, SkipsPaddingRows) {
  ActivationProfiler profiler(function);
  auto interpreter = Interpreter::create(function);
  ASSERT_TRUE(succeeded(interpreter));
  // A batch of 3 with one real sample: the two zero rows are padding.
  profiler.beginBatch(1, 3);
  ASSERT_TRUE(
      succeeded((*interpreter)->run({rows({5, -5, 0, 0, 0, 0})}, &profiler)));
  const ActivationProfile &relu = *profiler.getProfile(0);
  EXPECT_EQ(relu.getNumSamples(), 1);
  EXPECT_EQ(relu.getCount(1, 0), 1);
  EXPECT_EQ(relu.getCount(0, 1), 1);
  EXPECT_EQ(relu.getMinimum(0), 5.0f);
  EXPECT_EQ(relu.getMaximum(1), -5.0f);
}

TEST_F(ActivationProfilerTest, ProfilesConvertToVerifiedAttributes) {
  ActivationProfiler profiler(function);
  auto interpreter = Interpreter::create(function);
  ASSERT_TRUE(succeeded(interpreter));
  ASSERT_TRUE(succeeded((*interpreter)->run({rows({1, -1})}, &profiler)));
  ProfileAttr attr = profiler.getProfile(1)->toAttr(&context);
  EXPECT_EQ(attr.getKind(), ActivationKind::Clamp);
  EXPECT_EQ(attr.getSamples(), 1);
  EXPECT_EQ(attr.getCount(1, 0), 1);
  EXPECT_EQ(attr.getCount(1, 1), 1);
}

} // namespace
