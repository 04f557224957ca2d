//===- LinearityAlign.cpp - Zero-pad layer widths to a vector multiple ----===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Pads the layers of the layer graph (LayerGraph.h) to a multiple of a
// vector width with zero neurons, so that backends that tile by the vector
// width (IREE's llvm-cpu) do not fall back to scalar tiles on the odd widths
// a fold leaves. The padded forms are emitted as the fold emits its own
// (emitChangedSinks, FoldRewrite.h).
//
//===----------------------------------------------------------------------===//

#include "lin/Analysis/LayerGraph.h"
#include "lin/Analysis/WeightCount.h"
#include "lin/Interpreter/ConstantEvaluator.h"
#include "lin/Transforms/FoldAlignment.h"
#include "lin/Transforms/FoldRewrite.h"
#include "lin/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"

namespace lin {
#define GEN_PASS_DEF_LINEARITYALIGN
#include "lin/Transforms/Passes.h.inc"
} // namespace lin

using namespace mlir;
using namespace lin;

namespace {

struct LinearityAlignPass : lin::impl::LinearityAlignBase<LinearityAlignPass> {
  using Base::Base;

  void runOnOperation() override;

private:
  void alignFunction(func::FuncOp func);
};

} // namespace

/// Reads batch sizes from where they come from rather than from layer
/// values: emission (lin's own output included) takes `tensor.dim` of an
/// activation, a use outside every affine layer that would keep the layer
/// from being padded. Only the tensor.dim ops are rewritten.
static void resolveBatchSizes(func::FuncOp func) {
  MLIRContext *ctx = func.getContext();
  RewritePatternSet patterns(ctx);
  tensor::DimOp::getCanonicalizationPatterns(patterns, ctx);
  tensor::EmptyOp::getCanonicalizationPatterns(patterns, ctx);
  SmallVector<Operation *> dims;
  func.walk([&](tensor::DimOp op) { dims.push_back(op); });
  GreedyRewriteConfig config;
  config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
  (void)applyOpPatternsGreedily(dims, std::move(patterns), config);
}

void LinearityAlignPass::alignFunction(func::FuncOp func) {
  resolveBatchSizes(func);
  ConstantEvaluator constants(/*emitErrors=*/false, /*memoiseValues=*/false);
  LayerGraph graph = LayerGraph::build(func, constants, /*profiledOnly=*/false);

  SmallVector<bool> residual = getResidualLayers(graph);
  SmallVector<int64_t> paddedWidth;
  DenseSet<unsigned> padded;
  std::string widths;
  for (auto [index, layer] : llvm::enumerate(graph.layers)) {
    int64_t width = layer.width;
    if (layer.isFoldable() && !residual[index] && width % multiple != 0) {
      width = llvm::alignTo(width, multiple);
      padded.insert(index);
      widths += (widths.empty() ? "" : ", ") + graph.getLayerName(index) + " " +
                std::to_string(layer.width) + " -> " + std::to_string(width);
      ++numLayersPadded;
      numNeuronsAdded += width - layer.width;
    }
    paddedWidth.push_back(width);
  }
  if (padded.empty()) {
    if (verbose && !graph.layers.empty())
      func.emitRemark() << "linearity-align: no layer padded";
    return;
  }

  // The padded layers' pre-activations gain columns; every sink reading a
  // padded layer gains rows. Only those are re-emitted.
  SmallVector<AffineForm> forms(graph.sinks.size());
  SmallVector<bool> changed(graph.sinks.size(), false);
  for (auto [index, sink] : llvm::enumerate(graph.sinks)) {
    bool readsPadded = llvm::any_of(sink.form.terms, [&](const AffineTerm &t) {
      std::optional<unsigned> root = graph.getLayerOf(t.root);
      return root && padded.contains(*root);
    });
    if ((sink.layer && padded.contains(*sink.layer)) || readsPadded) {
      changed[index] = true;
      forms[index] = sink.form;
    }
  }
  padSinkForms(graph, forms, changed, paddedWidth);

  int64_t before = countWeightElements(func);
  IRRewriter rewriter(func.getContext());
  emitChangedSinks(rewriter, func, graph, forms, changed,
                   FoldEmissionOptions{weightLayout, /*keepProfiles=*/false,
                                       activationLayout, multiple,
                                       static_cast<bool>(concatBuffer)});
  if (verbose)
    func.emitRemark() << "linearity-align: padded " << widths << " to "
                      << "multiples of " << int64_t(multiple)
                      << "; weight elements " << before << " -> "
                      << countWeightElements(func);
}

void LinearityAlignPass::runOnOperation() {
  PassOptionChecker checks(getOperation(), getArgument());
  checks.isPositive("multiple", multiple);
  if (checks.failed())
    return signalPassFailure();
  for (auto func : getOperation().getOps<func::FuncOp>())
    if (!func.isExternal())
      alignFunction(func);
}
