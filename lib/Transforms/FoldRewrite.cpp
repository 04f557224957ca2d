//===- FoldRewrite.cpp - The linearity fold as a library ------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/FoldRewrite.h"
#include "lin/Analysis/WeightCount.h"
#include "lin/Dialect/Lin/IR/ActivationProfile.h"
#include "lin/Dialect/Lin/IR/LinDialect.h"
#include "lin/Interpreter/ConstantEvaluator.h"
#include "lin/Transforms/ConcatBuffer.h"
#include "lin/Transforms/FoldAlgebra.h"
#include "lin/Transforms/FoldAlignment.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace lin;

/// linalg.matmul ops in `func`: on IREE, one dispatch each.
static int64_t countMatmuls(func::FuncOp func) {
  int64_t count = 0;
  func.walk([&](linalg::MatmulOp) { ++count; });
  return count;
}

FoldResult lin::getUnfoldedResult(func::FuncOp func, const LayerGraph &graph) {
  FoldResult result;
  result.function = func.getSymName().str();
  result.paramsBefore = result.paramsAfter = result.predictedParamsAfter =
      graph.weightElements;
  result.matmulsBefore = result.matmulsAfter = countMatmuls(func);
  return result;
}

void FoldResult::markUnfolded() {
  declinedGrowth = true;
  paramsAfter = predictedParamsAfter = paramsBefore;
  foldableParamsAfter = foldableParamsBefore;
  for (LayerFoldResult &row : layers) {
    if (row.merged + row.removed != 0 && row.whyNotFolded.empty())
      row.whyNotFolded = "the folded function would store more weights than "
                         "the original";
    row.merged = row.removed = 0;
    row.kept = row.emittedWidth = row.neurons;
    row.paramsAfter = row.paramsBefore;
  }
  matmulsAfter = matmulsBefore;
  refit.reset();
}

namespace {
/// The sinks emitChangedSinks emits and that stay live, in emission order,
/// and the stacked matmuls they share (getStackedRoots).
struct EmissionPlan {
  /// Sink indices, in emission order.
  SmallVector<unsigned> sinks;
  /// Their shapes, in the same order.
  SmallVector<SinkMatmulShape> shapes;
  /// Stacked roots; their `sinks` index `sinks` above.
  SmallVector<StackedRoot> stacked;
};
} // namespace

/// The EmissionPlan of emitChangedSinks for `forms` (only read where
/// `changed`), given which sinks stay live.
static EmissionPlan planEmission(const LayerGraph &graph,
                                 ArrayRef<AffineForm> forms,
                                 ArrayRef<bool> changed, ArrayRef<bool> live,
                                 const FeatureMajorValues &featureMajor) {
  EmissionPlan plan;
  auto addSink = [&](unsigned index) {
    const AffineForm &form = forms[index];
    if (!changed[index] || !live[index] || form.numFeatures == 0)
      return;
    SinkMatmulShape shape;
    shape.featureMajorResult = featureMajor.contains(form.value);
    for (const AffineTerm &term : form.terms) {
      shape.residual |= term.identity;
      if (!term.hasWeight())
        continue;
      shape.roots.push_back(term.root);
      shape.featureMajorRoots.push_back(featureMajor.contains(term.root));
    }
    plan.sinks.push_back(index);
    plan.shapes.push_back(std::move(shape));
  };
  for (const Layer &layer : graph.layers)
    if (layer.isFoldable())
      addSink(layer.preActivationSink);
  for (auto [index, sink] : llvm::enumerate(graph.sinks))
    if (!sink.layer)
      addSink(index);
  // In program order (where each sink is emitted), so that a stacked matmul
  // emitted before its first reader dominates the others.
  auto position = [&](unsigned index) {
    const Sink &sink = graph.sinks[index];
    return sink.layer ? graph.layers[*sink.layer].activation.getOperation()
                      : sink.form.value.getDefiningOp();
  };
  SmallVector<unsigned> order =
      llvm::to_vector(llvm::seq<unsigned>(0, plan.sinks.size()));
  llvm::stable_sort(order, [&](unsigned a, unsigned b) {
    Operation *x = position(plan.sinks[a]), *y = position(plan.sinks[b]);
    return x->getBlock() == y->getBlock() && x->isBeforeInBlock(y);
  });
  EmissionPlan sorted;
  for (unsigned index : order) {
    sorted.sinks.push_back(plan.sinks[index]);
    sorted.shapes.push_back(std::move(plan.shapes[index]));
  }
  plan = std::move(sorted);
  plan.stacked = getStackedRoots(plan.shapes);
  return plan;
}

/// The forms of the sinks of a stacked root, in its order.
static SmallVector<const AffineForm *>
getStackedForms(const EmissionPlan &plan, const StackedRoot &stacked,
                ArrayRef<AffineForm> forms) {
  return llvm::map_to_vector(stacked.sinks,
                             [&](unsigned s) { return &forms[plan.sinks[s]]; });
}

/// The stacked matmuls of `plan` whose first reader takes its rows in place
/// (isMaskedFirstReader), by index into plan.stacked, each with which of
/// its readers' biases its masked generic adds (emitMaskedActivation): every
/// reader's, once, in the first such matmul it reads. None with
/// `keepProfiles`: a layer's profile needs an activation op of its own.
static DenseMap<unsigned, SmallVector<bool>>
getMaskedStacks(const EmissionPlan &plan, bool keepProfiles) {
  DenseMap<unsigned, SmallVector<bool>> masked;
  if (keepProfiles)
    return masked;
  DenseSet<unsigned> withBias;
  for (auto [index, stacked] : llvm::enumerate(plan.stacked)) {
    if (!isMaskedFirstReader(plan.shapes, stacked))
      continue;
    SmallVector<bool> &biases = masked[index];
    for (unsigned s : stacked.sinks)
      biases.push_back(withBias.insert(s).second);
  }
  return masked;
}

FailureOr<FoldResult> lin::applyFoldPlan(RewriterBase &rewriter,
                                         func::FuncOp func, LayerGraph &graph,
                                         const FoldPlan &plan,
                                         const FoldEmissionOptions &options) {
  if (plan.classes.size() != graph.layers.size() ||
      plan.mergeLayers.size() != graph.layers.size())
    return func.emitError()
           << "linearity-fold: the plan has " << plan.classes.size()
           << " layers but the function has " << graph.layers.size();
  FoldedForms folded = foldAffineForms(graph, plan);
  return applyFoldedForms(rewriter, func, graph, plan, folded, options);
}

FailureOr<FoldResult>
lin::applyFoldedForms(RewriterBase &rewriter, func::FuncOp func,
                      const LayerGraph &graph, const FoldPlan &plan,
                      FoldedForms &folded, const FoldEmissionOptions &options) {
  MutableArrayRef<AffineForm> forms = folded.forms;

  FoldResult result;
  result.function = func.getSymName().str();
  result.matmulsBefore = countMatmuls(func);
  for (int64_t params : folded.paramsBefore)
    result.foldableParamsBefore += params;
  result.foldableParamsAfter = folded.getNumParameters();

  // Pad the layers the fold narrowed, as the planner's cost model did.
  SmallVector<bool> residual = getResidualLayers(graph);
  SmallVector<int64_t> emittedWidths;
  for (auto [index, layer] : llvm::enumerate(graph.layers)) {
    bool padded = layer.isFoldable() && !residual[index] &&
                  folded.changed[layer.preActivationSink];
    if (!padded) {
      emittedWidths.push_back(layer.isFoldable()
                                  ? forms[layer.preActivationSink].numFeatures
                                  : layer.width);
      continue;
    }
    const AffineForm &pre = forms[layer.preActivationSink];
    int64_t inputs = 0;
    for (const AffineTerm &term : pre.terms)
      if (term.hasWeight())
        inputs += term.weight.getDimSize(0);
    emittedWidths.push_back(getFoldAlignedWidth(pre.numFeatures, layer.width,
                                                inputs, options.alignment));
  }
  padSinkForms(graph, forms, folded.changed, emittedWidths);
  // Kept layers that only changed sinks read are re-emitted feature-major.
  SmallVector<bool> reemitted = getReemittedSinks(
      graph, folded.changed, options.activationLayout,
      [&](unsigned sink, Value root) {
        const AffineTerm *term = forms[sink].findTerm(root);
        return forms[sink].numFeatures > 0 && term && term->hasWeight();
      },
      [&](unsigned sink) { return forms[sink].getNumParameters(); });

  for (auto [index, layer] : llvm::enumerate(graph.layers)) {
    LayerFoldResult row;
    row.name = graph.getLayerName(index);
    row.neurons = layer.width;
    row.merged = plan.getNumMerged(index);
    row.removed = plan.getNumRemoved(index);
    row.kept = row.neurons - row.merged - row.removed;
    row.emittedWidth = emittedWidths[index];
    if (layer.isFoldable()) {
      row.paramsBefore = folded.paramsBefore[layer.preActivationSink];
      row.paramsAfter = forms[layer.preActivationSink].getNumParameters();
    }
    result.layers.push_back(row);
  }

  // The function's weights after: what the changed and the now dead sinks
  // owned goes, what emission writes for the live changed ones comes.
  result.paramsBefore = graph.weightElements;
  SmallVector<bool> live = graph.getLiveSinks([&](unsigned s, Value root) {
    return forms[s].findTerm(root) != nullptr;
  });
  FeatureMajorValues featureMajor =
      getFeatureMajorValues(graph, reemitted, options.activationLayout);
  EmittedWeightCounter emitted(options, &featureMajor);
  EmissionPlan emission =
      planEmission(graph, forms, reemitted, live, featureMajor);
  DenseMap<unsigned, SmallVector<Value, 1>> stackedRoots;
  DenseMap<unsigned, SmallVector<bool>> maskedStacks =
      getMaskedStacks(emission, options.keepProfiles);
  DenseSet<unsigned> biasInStack;
  for (auto [index, stacked] : llvm::enumerate(emission.stacked)) {
    SmallVector<const AffineForm *> stackedForms =
        getStackedForms(emission, stacked, forms);
    emitted.addStacked(stackedForms, stacked.root);
    for (unsigned s : stacked.sinks)
      stackedRoots[emission.sinks[s]].push_back(stacked.root);
    auto masked = maskedStacks.find(index);
    if (masked == maskedStacks.end())
      continue;
    emitted.addStackedBias(stackedForms, masked->second, stacked.root);
    for (auto [s, withBias] : llvm::zip_equal(stacked.sinks, masked->second))
      if (withBias)
        biasInStack.insert(emission.sinks[s]);
  }
  int64_t freed = graph.getFreedWeights(
      [&](unsigned sink) { return reemitted[sink] || !live[sink]; });
  for (unsigned index : llvm::seq<unsigned>(0, graph.sinks.size()))
    if (reemitted[index] && live[index])
      emitted.add(forms[index], stackedRoots.lookup(index),
                  biasInStack.contains(index));
  result.predictedParamsAfter =
      result.paramsBefore - freed + emitted.getElements();
  if (result.predictedParamsAfter > result.paramsBefore) {
    result.markUnfolded();
    return result;
  }

  // Unchanged forms are not emitted: drop their weights now.
  for (auto [form, isChanged] : llvm::zip_equal(forms, reemitted))
    if (!isChanged)
      form = AffineForm();

  emitChangedSinks(rewriter, func, graph, forms, reemitted, options,
                   [&](unsigned index, Operation *activation) {
                     if (!options.keepProfiles)
                       return;
                     // A feature-major [N x batch] result holds its neurons
                     // first.
                     std::optional<int64_t> axis;
                     if (isEmittedFeatureMajor(graph, index, reemitted,
                                               options.activationLayout))
                       axis = 0;
                     ActivationProfile kept =
                         ActivationProfile::fromAttr(
                             graph.layers[index].profile)
                             .selectNeurons(folded.keptNeurons[index]);
                     kept.setAxis(axis);
                     activation->setAttr(LinDialect::getProfileAttrName(),
                                         kept.toAttr(func.getContext()));
                   });
  result.paramsAfter = countWeightElements(func);
  result.matmulsAfter = countMatmuls(func);
  return result;
}

bool lin::isEmittedFeatureMajor(const LayerGraph &graph, unsigned layer,
                                ArrayRef<bool> changed,
                                ActivationLayout layout) {
  const Layer &current = graph.layers[layer];
  if (layout != ActivationLayout::FeatureMajor || !current.isFoldable() ||
      !changed[current.preActivationSink])
    return false;
  // The graph's forms may have been moved out by the fold: its readers are
  // recorded apart.
  return llvm::all_of(current.readers, [&](unsigned reader) {
    const Sink &sink = graph.sinks[reader];
    return changed[reader] &&
           (!sink.layer || graph.layers[*sink.layer].isFoldable());
  });
}

SmallVector<bool> lin::getReemittedSinks(
    const LayerGraph &graph, ArrayRef<bool> changed, ActivationLayout layout,
    function_ref<bool(unsigned sink, Value root)> readsWithWeight,
    function_ref<int64_t(unsigned sink)> getFormParameters) {
  SmallVector<bool> reemitted(changed);
  if (layout != ActivationLayout::FeatureMajor)
    return reemitted;
  for (const Layer &layer : graph.layers) {
    unsigned pre = layer.preActivationSink;
    if (!layer.isFoldable() || changed[pre])
      continue;
    // The readers' own layouts are decided on `changed`, before any layer is
    // re-emitted: re-emitting never cascades up a chain of kept layers.
    bool onlyChangedReaders = llvm::all_of(layer.readers, [&](unsigned r) {
      const Sink &sink = graph.sinks[r];
      return changed[r] &&
             (!sink.layer || graph.layers[*sink.layer].isFoldable());
    });
    // The fold adds readers (skips); a single one loses no matmul: it reads
    // the layer through a transposed map.
    int64_t weightedReaders = llvm::count_if(
        llvm::seq<unsigned>(0, graph.sinks.size()), [&](unsigned s) {
          return readsWithWeight(s, layer.activation.getResult());
        });
    if (onlyChangedReaders && weightedReaders >= 2 &&
        getFormParameters(pre) <= graph.sinks[pre].ownedWeights)
      reemitted[pre] = true;
  }
  return reemitted;
}

FeatureMajorValues lin::getFeatureMajorValues(const LayerGraph &graph,
                                              ArrayRef<bool> changed,
                                              ActivationLayout layout) {
  FeatureMajorValues values;
  for (auto [index, layer] : llvm::enumerate(graph.layers))
    if (isEmittedFeatureMajor(graph, index, changed, layout)) {
      values.insert(layer.activation.getInput());
      values.insert(layer.activation.getResult());
    }
  return values;
}

void lin::emitChangedSinks(
    RewriterBase &rewriter, func::FuncOp func, const LayerGraph &graph,
    MutableArrayRef<AffineForm> forms, ArrayRef<bool> changed,
    const FoldEmissionOptions &options,
    function_ref<void(unsigned layer, Operation *activation)> onActivation) {
  // Materialise, in program order: new pre-activations and activations for
  // changed layers, then the changed output sinks. Each form is released as
  // soon as it is emitted (the constants hold the weights from then on).
  DenseMap<Value, Value> rootMap;
  Value fallbackBatch;
  for (BlockArgument arg : func.getArguments())
    if (auto type = dyn_cast<RankedTensorType>(arg.getType()))
      if (type.getRank() > 0 && !fallbackBatch)
        fallbackBatch = arg;
  FeatureMajorValues featureMajor =
      getFeatureMajorValues(graph, changed, options.activationLayout);
  // The live sinks: unchanged forms may be gone, but read what they did.
  SmallVector<bool> live = graph.getLiveSinks([&](unsigned s, Value root) {
    if (changed[s])
      return forms[s].findTerm(root) != nullptr;
    std::optional<unsigned> layer = graph.getLayerOf(root);
    return layer && llvm::is_contained(graph.layers[*layer].readers, s);
  });
  // Stacked matmuls are emitted before their first reader; each reader
  // takes its rows.
  EmissionPlan plan = planEmission(graph, forms, changed, live, featureMajor);
  DenseMap<unsigned, SmallVector<unsigned, 1>> stackedAt; // first sink
  DenseMap<unsigned, SmallVector<bool>> maskedStacks =
      getMaskedStacks(plan, options.keepProfiles);
  DenseMap<unsigned, unsigned> maskedStackAt; // first sink taking rows in place
  DenseMap<unsigned, SmallVector<StackedSlice, 1>> slicesOf;
  for (auto [index, stacked] : llvm::enumerate(plan.stacked)) {
    unsigned first = plan.sinks[stacked.sinks.front()];
    stackedAt[first].push_back(index);
    if (maskedStacks.contains(index))
      maskedStackAt[first] = index;
  }
  // Each reader of stacked matmul `index` takes its rows of `matrix` (and
  // its bias with them, where the masked generic added it).
  auto addSlices = [&](unsigned index, Value matrix) {
    const StackedRoot &stacked = plan.stacked[index];
    auto masked = maskedStacks.find(index);
    ArrayRef<bool> withBias;
    if (masked != maskedStacks.end())
      withBias = masked->second;
    int64_t offset = 0;
    for (auto [position, s] : llvm::enumerate(stacked.sinks)) {
      unsigned reader = plan.sinks[s];
      bool includesBias = !withBias.empty() && withBias[position];
      slicesOf[reader].push_back({stacked.root, matrix, offset, includesBias});
      offset += forms[reader].numFeatures;
    }
  };
  // The stacked matmuls emitted before `sink`; the one of index `masked`
  // (if any) is returned, its slices left to the caller.
  auto emitStackedAt = [&](unsigned sink, Location loc,
                           std::optional<unsigned> masked) -> Value {
    Value maskedMatrix;
    for (unsigned index : stackedAt.lookup(sink)) {
      const StackedRoot &stacked = plan.stacked[index];
      Value matrix = emitStackedMatmul(
          rewriter, loc, getStackedForms(plan, stacked, forms), stacked.root,
          rootMap.lookup_or(stacked.root, stacked.root), options.alignment);
      if (masked == index)
        maskedMatrix = matrix;
      else
        addSlices(index, matrix);
    }
    return maskedMatrix;
  };
  auto emitSink = [&](unsigned sink, Location loc) -> Value {
    emitStackedAt(sink, loc, std::nullopt);
    Value value =
        emitAffineForm(rewriter, loc, forms[sink], rootMap, fallbackBatch,
                       options, &featureMajor, slicesOf.lookup(sink));
    forms[sink] = AffineForm();
    return value;
  };
  // The activation of a layer that takes its rows of a stacked matmul in
  // place (isMaskedFirstReader): computed on the whole matrix, which the
  // other readers then read, and the layer's rows sliced from it.
  auto emitMaskedLayer = [&](unsigned sink, unsigned masked,
                             const PiecewiseLinearActivation &activation,
                             Location loc) -> Value {
    Value matrix = emitStackedAt(sink, loc, masked);
    const StackedRoot &stacked = plan.stacked[masked];
    Tensor bias = getStackedBias(getStackedForms(plan, stacked, forms),
                                 maskedStacks.lookup(masked), stacked.root,
                                 options.alignment);
    int64_t width = forms[sink].numFeatures;
    Value activated =
        emitMaskedActivation(rewriter, loc, activation, matrix, width, bias);
    addSlices(masked, activated);
    forms[sink] = AffineForm();
    return emitLeadingRows(rewriter, loc, activated, width);
  };
  OpBuilder::InsertionGuard guard(rewriter);
  for (auto [index, layer] : llvm::enumerate(graph.layers)) {
    if (!layer.isFoldable())
      continue;
    unsigned pre = layer.preActivationSink;
    int64_t width = forms[pre].numFeatures;
    if (!changed[pre] || width == 0)
      continue; // Unchanged, or entirely folded: nothing reads it any more.
    Operation *activationOp = layer.activation.getOperation();
    rewriter.setInsertionPoint(activationOp);
    Location loc = activationOp->getLoc();
    Value a;
    if (auto masked = maskedStackAt.find(pre); masked != maskedStackAt.end()) {
      a = emitMaskedLayer(pre, masked->second, layer.activation, loc);
    } else {
      Value z = emitSink(pre, loc);
      a = emitActivation(rewriter, loc, layer.activation, z);
      if (onActivation)
        onActivation(index, a.getDefiningOp());
    }
    rootMap[layer.activation.getResult()] = a;
    // A layer of the same width (changed only because an upstream layer
    // changed) may have consumers left alone: they read the new activation
    // too. (A narrower or wider one, or a feature-major one, has every
    // consumer re-emitted.)
    if (width == layer.width &&
        !featureMajor.contains(layer.activation.getResult()))
      rewriter.replaceAllUsesWith(layer.activation.getResult(), a);
  }
  // The other changed sinks keep their width: outputs, and pre-activations
  // of layers that do not fold (changed because a layer they read folded),
  // whose every reader (the activation, and whatever else reads the
  // pre-activation) takes the new value.
  for (auto [index, sink] : llvm::enumerate(graph.sinks)) {
    if (!changed[index] ||
        (sink.layer && graph.layers[*sink.layer].isFoldable()))
      continue;
    Value old = sink.form.value;
    Operation *def = old.getDefiningOp();
    rewriter.setInsertionPoint(def);
    Value replacement = emitSink(index, def->getLoc());
    rewriter.replaceAllUsesWith(old, replacement);
  }

  if (options.concatBuffer &&
      options.activationLayout == ActivationLayout::FeatureMajor)
    placeConcatenationsInOneBuffer(rewriter, func);

  // Remove what no longer has users (the old layers), including constant
  // computations guarded by checks (batch norm's scale), which DCE keeps
  // for their cf.assert. Backwards, so that a chain goes in one sweep.
  (void)runRegionDCE(rewriter, func.getBody());
  for (Operation &op : llvm::make_early_inc_range(
           llvm::reverse(func.getBody().front().getOperations())))
    if (op.getNumResults() != 0 && op.use_empty() &&
        isFreeOfEffectsButChecks(&op))
      rewriter.eraseOp(&op);
}
