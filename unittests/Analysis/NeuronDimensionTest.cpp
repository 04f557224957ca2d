//===- NeuronDimensionTest.cpp - Tests of the neuron dimension ------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Analysis/NeuronDimension.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "gtest/gtest.h"

using namespace mlir;
using namespace lin;

namespace {

class NeuronDimensionTest : public ::testing::Test {
protected:
  NeuronDimensionTest() {
    context.loadDialect<arith::ArithDialect, func::FuncDialect,
                        linalg::LinalgDialect, tensor::TensorDialect>();
  }

  /// The neuron dimension of the one activation of `function` (a function
  /// returning a ReLU written as `@relu` below, so that tests only write
  /// what computes its input).
  std::optional<unsigned> neuronDimension(StringRef function) {
    module = parseSourceString<ModuleOp>(function, &context);
    EXPECT_TRUE(module) << function.str();
    if (!module)
      return std::nullopt;
    SmallVector<PiecewiseLinearActivation> activations =
        findPiecewiseLinearActivations(*module);
    EXPECT_EQ(activations.size(), 1u);
    if (activations.size() != 1)
      return std::nullopt;
    return getNeuronDimension(activations.front());
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

/// A ReLU over %pre of `type` (rank 4), returned.
std::string relu(StringRef type) {
  std::string t = type.str();
  return R"mlir(
    %zero = arith.constant 0.0 : f32
    %relu = linalg.generic {
        indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>,
                         affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>],
        iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
        ins(%pre : )mlir" +
         t + ") outs(%pre : " + t + R"mlir() {
    ^bb0(%in: f32, %out: f32):
      %m = arith.maximumf %in, %zero : f32
      linalg.yield %m : f32
    } -> )mlir" +
         t + "\n    return %relu : " + t + "\n  }\n";
}

TEST_F(NeuronDimensionTest, ChannelsOfAnNCHWConvolutionThroughBiasAndNorm) {
  // torch-mlir's form: bias broadcast into the init, then an inference batch
  // norm as elementwise generics with per-channel constants.
  std::string source = R"mlir(
  func.func @f(%x: tensor<?x3x8x8xf32>, %w: tensor<4x3x3x3xf32>,
               %b: tensor<4xf32>, %scale: tensor<4x1x1xf32>, %n: index)
      -> tensor<?x4x6x6xf32> {
    %e = tensor.empty(%n) : tensor<?x4x6x6xf32>
    %init = linalg.broadcast ins(%b : tensor<4xf32>) outs(%e : tensor<?x4x6x6xf32>) dimensions = [0, 2, 3]
    %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
        ins(%x, %w : tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>) outs(%init : tensor<?x4x6x6xf32>) -> tensor<?x4x6x6xf32>
    %pre = linalg.generic {
        indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>,
                         affine_map<(d0, d1, d2, d3) -> (d1, 0, 0)>,
                         affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>],
        iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
        ins(%conv, %scale : tensor<?x4x6x6xf32>, tensor<4x1x1xf32>) outs(%e : tensor<?x4x6x6xf32>) {
    ^bb0(%in: f32, %s: f32, %out: f32):
      %m = arith.mulf %in, %s : f32
      linalg.yield %m : f32
    } -> tensor<?x4x6x6xf32>
  )mlir" + relu("tensor<?x4x6x6xf32>");
  EXPECT_EQ(neuronDimension(source), 1u);
}

TEST_F(NeuronDimensionTest, ChannelsOfAGroupedConvolutionAfterItsCollapse) {
  std::string source = R"mlir(
  func.func @f(%x: tensor<2x2x3x8x8xf32>, %w: tensor<2x4x3x3x3xf32>,
               %z: tensor<2x2x4x6x6xf32>) -> tensor<2x8x6x6xf32> {
    %conv = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
        ins(%x, %w : tensor<2x2x3x8x8xf32>, tensor<2x4x3x3x3xf32>) outs(%z : tensor<2x2x4x6x6xf32>) -> tensor<2x2x4x6x6xf32>
    %pre = tensor.collapse_shape %conv [[0], [1, 2], [3], [4]] : tensor<2x2x4x6x6xf32> into tensor<2x8x6x6xf32>
  )mlir" + relu("tensor<2x8x6x6xf32>");
  EXPECT_EQ(neuronDimension(source), 1u);
}

TEST_F(NeuronDimensionTest, ChannelsOfADepthwiseConvolutionThroughPooling) {
  std::string source = R"mlir(
  func.func @f(%x: tensor<2x4x8x8xf32>, %w: tensor<4x3x3xf32>,
               %z: tensor<2x4x6x6xf32>, %p: tensor<2x4x3x3xf32>) -> tensor<2x4x3x3xf32> {
    %conv = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
        ins(%x, %w : tensor<2x4x8x8xf32>, tensor<4x3x3xf32>) outs(%z : tensor<2x4x6x6xf32>) -> tensor<2x4x6x6xf32>
    %window = tensor.empty() : tensor<2x2xf32>
    %pre = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
        ins(%conv, %window : tensor<2x4x6x6xf32>, tensor<2x2xf32>) outs(%p : tensor<2x4x3x3xf32>) -> tensor<2x4x3x3xf32>
  )mlir" + relu("tensor<2x4x3x3xf32>");
  EXPECT_EQ(neuronDimension(source), 1u);
}

TEST_F(NeuronDimensionTest, ChannelsLastOfAnNHWCConvolution) {
  std::string source = R"mlir(
  func.func @f(%x: tensor<2x8x8x3xf32>, %w: tensor<3x3x3x4xf32>,
               %z: tensor<2x6x6x4xf32>) -> tensor<2x6x6x4xf32> {
    %pre = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
        ins(%x, %w : tensor<2x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%z : tensor<2x6x6x4xf32>) -> tensor<2x6x6x4xf32>
  )mlir" + relu("tensor<2x6x6x4xf32>");
  EXPECT_EQ(neuronDimension(source), 3u);
}

TEST_F(NeuronDimensionTest,
       FeaturesOfADenseLayerOverTokensAreTheLastDimension) {
  std::string source = R"mlir(
  func.func @f(%x: tensor<?x16xf32>, %w: tensor<16x8xf32>, %z: tensor<?x8xf32>,
               %n: index) -> tensor<?x1x5x8xf32> {
    %mm = linalg.matmul ins(%x, %w : tensor<?x16xf32>, tensor<16x8xf32>) outs(%z : tensor<?x8xf32>) -> tensor<?x8xf32>
    %pre = tensor.expand_shape %mm [[0, 1, 2], [3]] output_shape [%n, 1, 5, 8] : tensor<?x8xf32> into tensor<?x1x5x8xf32>
  )mlir" + relu("tensor<?x1x5x8xf32>");
  EXPECT_EQ(neuronDimension(source), 3u);
}

TEST_F(NeuronDimensionTest, AFlattenMergingChannelsWithPositionsLeavesTheLast) {
  // Channels and positions flattened into one dimension of features: the
  // activation (over [N, 1, 1, C*H*W]) has its neurons last.
  std::string source = R"mlir(
  func.func @f(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x3x3xf32>,
               %z: tensor<2x4x6x6xf32>) -> tensor<2x1x1x144xf32> {
    %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
        ins(%x, %w : tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>) outs(%z : tensor<2x4x6x6xf32>) -> tensor<2x4x6x6xf32>
    %flat = tensor.collapse_shape %conv [[0], [1, 2, 3]] : tensor<2x4x6x6xf32> into tensor<2x144xf32>
    %pre = tensor.expand_shape %flat [[0], [1, 2, 3]] output_shape [2, 1, 1, 144] : tensor<2x144xf32> into tensor<2x1x1x144xf32>
  )mlir" + relu("tensor<2x1x1x144xf32>");
  EXPECT_EQ(neuronDimension(source), 3u);
}

} // namespace
