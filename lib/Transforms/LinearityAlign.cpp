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
#include "lin/Transforms/FoldRewrite.h"
#include "lin/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/STLExtras.h"

namespace lin {
#define GEN_PASS_DEF_LINEARITYALIGN
#include "lin/Transforms/Passes.h.inc"
} // namespace lin

using namespace mlir;
using namespace lin;

namespace {

/// `matrix` [rows x columns] in the top-left corner of a zero matrix
/// [paddedRows x paddedColumns].
Tensor padMatrix(const Tensor &matrix, int64_t paddedRows,
                 int64_t paddedColumns) {
  int64_t rows = matrix.getDimSize(0), columns = matrix.getDimSize(1);
  if (rows == paddedRows && columns == paddedColumns)
    return matrix;
  Tensor padded({paddedRows, paddedColumns});
  for (int64_t r = 0; r < rows; ++r)
    llvm::copy(matrix.values().slice(r * columns, columns),
               padded.values().begin() + r * paddedColumns);
  return padded;
}

/// `form` over padded widths: `paddedWidth(root)` features for each padded
/// root (0 for the others), `features` for the form itself, the new rows and
/// columns zero. Identity parts stay as they are (their root and the form keep
/// their widths).
AffineForm padForm(const AffineForm &form, int64_t features,
                   llvm::function_ref<int64_t(Value)> paddedWidth) {
  AffineForm padded;
  padded.value = form.value;
  padded.numFeatures = features;
  for (const AffineTerm &term : form.terms) {
    AffineTerm &paddedTerm = padded.terms.emplace_back(term);
    if (!term.hasWeight())
      continue;
    int64_t rows = paddedWidth(term.root);
    paddedTerm.weight = padMatrix(
        term.weight, rows ? rows : term.weight.getDimSize(0), features);
  }
  if (form.hasBias()) {
    Tensor bias(ArrayRef<int64_t>{features});
    llvm::copy(form.bias.values(), bias.values().begin());
    padded.bias = std::move(bias);
  }
  return padded;
}

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

  // A residual connection adds a value without a weight: its two ends keep
  // their widths (padding them would need an identity matrix).
  SmallVector<bool> residual(graph.layers.size(), false);
  for (const Sink &sink : graph.sinks)
    for (const AffineTerm &term : sink.form.terms) {
      if (!term.identity)
        continue;
      if (std::optional<unsigned> layer = graph.getLayerOf(term.root))
        residual[*layer] = true;
      if (sink.layer)
        residual[*sink.layer] = true;
    }
  SmallVector<int64_t> paddedWidth;
  DenseMap<Value, int64_t> paddedRoots;
  std::string widths;
  for (auto [index, layer] : llvm::enumerate(graph.layers)) {
    int64_t width = layer.width;
    if (layer.isFoldable() && !residual[index] && width % multiple != 0) {
      width = llvm::alignTo(width, multiple);
      paddedRoots[layer.activation.getResult()] = width;
      widths += (widths.empty() ? "" : ", ") + graph.getLayerName(index) + " " +
                std::to_string(layer.width) + " -> " + std::to_string(width);
      ++numLayersPadded;
      numNeuronsAdded += width - layer.width;
    }
    paddedWidth.push_back(width);
  }
  if (paddedRoots.empty()) {
    if (verbose && !graph.layers.empty())
      func.emitRemark() << "linearity-align: no layer padded";
    return;
  }

  // The padded layers' pre-activations gain columns; every sink reading a
  // padded layer gains rows. Only those are re-emitted.
  auto rootWidth = [&](Value root) { return paddedRoots.lookup(root); };
  SmallVector<AffineForm> forms(graph.sinks.size());
  SmallVector<bool> changed(graph.sinks.size(), false);
  for (auto [index, sink] : llvm::enumerate(graph.sinks)) {
    bool widened = sink.layer &&
                   paddedWidth[*sink.layer] != graph.layers[*sink.layer].width;
    bool readsPadded = llvm::any_of(sink.form.terms, [&](const AffineTerm &t) {
      return paddedRoots.contains(t.root);
    });
    if (!widened && !readsPadded)
      continue;
    changed[index] = true;
    int64_t features =
        sink.layer ? paddedWidth[*sink.layer] : sink.form.numFeatures;
    forms[index] = padForm(sink.form, features, rootWidth);
  }

  int64_t before = countWeightElements(func);
  IRRewriter rewriter(func.getContext());
  emitChangedSinks(rewriter, func, graph, forms, changed,
                   FoldEmissionOptions{weightLayout, /*keepProfiles=*/false,
                                       activationLayout});
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
