//===- FoldPlanner.cpp - Decide which neurons and layers fold -------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/FoldPlanner.h"
#include "lin/Dialect/Lin/IR/ActivationProfile.h"
#include "lin/Transforms/FoldAlignment.h"
#include "lin/Transforms/FoldRewrite.h"

#include "llvm/Support/Debug.h"

#include <algorithm>

#define DEBUG_TYPE "linearity-fold"

using namespace mlir;
using namespace lin;

/// The piece of an activation on which it is the identity.
static std::optional<unsigned>
getIdentityPiece(const PiecewiseLinearActivation &activation) {
  for (unsigned p = 0, e = activation.getNumPieces(); p < e; ++p)
    if (activation.getPiece(p).slope == 1.0 &&
        activation.getPiece(p).offset == 0.0)
      return p;
  return std::nullopt;
}

/// Share of `neuron` in `piece`; proven profiles decide by their bounds.
static double getShare(const Layer &layer, const ActivationProfile &profile,
                       unsigned piece, int64_t neuron) {
  if (profile.getSource() == ProfileSource::Proven) {
    int onlyPiece = layer.activation.getFunction().getPieceOfInterval(
        profile.getMinimum(neuron), profile.getMaximum(neuron));
    if (onlyPiece >= 0)
      return unsigned(onlyPiece) == piece ? 1.0 : 0.0;
  }
  return profile.getShare(piece, neuron);
}

SmallVector<LayerClassification>
FoldPlanner::classify(const FoldThresholds &thresholds) const {
  SmallVector<LayerClassification> classes(graph.layers.size());
  for (auto [layer, cls] : llvm::zip_equal(graph.layers, classes)) {
    if (!layer.isFoldable())
      continue;
    ActivationProfile profile = ActivationProfile::fromAttr(layer.profile);
    std::optional<unsigned> identity = getIdentityPiece(layer.activation);
    for (int64_t j = 0; j < layer.width; ++j) {
      // A neuron that saw samples but no finite value (min > max: NaN data
      // under allow-non-finite) gives no evidence of linearity: keep it.
      if (profile.getNumSamples() > 0 &&
          profile.getMinimum(j) > profile.getMaximum(j))
        continue;
      double bestShare = -1.0;
      std::optional<unsigned> bestPiece;
      for (unsigned p = 0; p < profile.getNumPieces(); ++p) {
        double share = getShare(layer, profile, p, j);
        double needed =
            identity && p == *identity ? thresholds.merge : thresholds.remove;
        if (share >= needed && share > 0.0 && share > bestShare) {
          bestShare = share;
          bestPiece = p;
        }
      }
      if (!bestPiece)
        continue;
      if (layer.activation.getPiece(*bestPiece).isConstant()) {
        cls.remove.push_back(j);
        cls.removePiece.push_back(*bestPiece);
      } else {
        cls.merge.push_back(j);
        cls.mergePiece.push_back(*bestPiece);
      }
    }
  }
  return classes;
}

namespace {
/// Shape-only replay of the fold algebra (FoldAlgebra.cpp), step for step:
/// which terms of which sinks become dense, which sinks change. Two costs
/// come out: the foldable part (the forms' parameters, as the algebra counts
/// them) and the whole function's weights, where a sink the fold does not
/// change keeps the weights the IR really stores for it, and a changed one
/// costs what emission writes, its layer padded to the cost model's
/// alignment as emission pads it (FoldAlignment.h).
class Simulation {
public:
  /// Padding to `alignment` leaves the `residual` layers
  /// (getResidualLayers) alone; without alignment neither is read.
  explicit Simulation(const LayerGraph &graph, int64_t alignment = 1,
                      ArrayRef<bool> residual = {})
      : graph(graph), alignment(alignment), residual(residual) {
    for (const Sink &sink : graph.sinks) {
      SimSink sim;
      sim.cols = sink.form.numFeatures;
      sim.bias = sink.form.hasBias();
      sim.layer = sink.layer;
      for (const AffineTerm &term : sink.form.terms)
        sim.terms.push_back({term.root,
                             term.hasWeight() ? term.weight.getDimSize(0)
                                              : sink.form.numFeatures,
                             term.hasWeight(), term.identity});
      sinks.push_back(std::move(sim));
    }
  }

  /// Folds layer `index`: its `merged` neurons into skips, `removed` away.
  void apply(unsigned index, int64_t merged, int64_t removed) {
    if (merged + removed == 0)
      return;
    const Layer &layer = graph.layers[index];
    Value result = layer.activation.getResult();
    int64_t kept = layer.width - merged - removed;
    SimSink &pre = sinks[layer.preActivationSink];
    for (auto [s, sink] : llvm::enumerate(sinks)) {
      if (s == layer.preActivationSink)
        continue;
      auto it = llvm::find_if(
          sink.terms, [&](const SimTerm &t) { return t.root == result; });
      if (it == sink.terms.end())
        continue;
      size_t at = it - sink.terms.begin();
      if (merged > 0)
        for (const SimTerm &source : pre.terms) {
          auto same = llvm::find_if(sink.terms, [&](const SimTerm &t) {
            return t.root == source.root;
          });
          if (same == sink.terms.end())
            sink.terms.push_back({source.root, source.rows, true, false});
          else
            same->dense = true; // A residual part stays an add.
        }
      sink.bias = true;
      sink.terms[at] = {result, kept, true, false};
      if (kept == 0)
        sink.terms.erase(sink.terms.begin() + at);
      sink.changed = true;
    }
    // The pre-activation shrinks; a residual into it becomes a selection.
    pre.cols = kept;
    for (SimTerm &term : pre.terms) {
      term.dense = true;
      term.identity = false;
    }
    pre.changed = true;
  }

  int64_t getInputWidth(unsigned index) const {
    int64_t total = 0;
    for (const SimTerm &term :
         sinks[graph.layers[index].preActivationSink].terms)
      total += term.rows;
    return total;
  }

  int64_t getConsumerWidth(unsigned index) const {
    Value result = graph.layers[index].activation.getResult();
    int64_t total = 0;
    for (const SimSink &sink : sinks)
      for (const SimTerm &term : sink.terms)
        if (term.root == result)
          total += sink.cols;
    return total;
  }

  /// Parameters of the sinks' forms, as the fold algebra leaves them
  /// (before padding).
  int64_t getFoldableCost() const {
    int64_t total = 0;
    for (const SimSink &sink : sinks)
      total += getFormCost(sink, /*padded=*/false);
    return total;
  }

  /// Weight elements of the function (an upper bound for changed sinks:
  /// emission drops zero biases). A sink no live code reads any more is
  /// dead, with its weights.
  int64_t getWeightCost() const {
    SmallVector<bool> live = getLiveSinks();
    // What the rewrite frees goes (the fold's own rule, FoldRewrite), what
    // emission writes for the live changed sinks comes.
    int64_t total =
        graph.weightElements - graph.getFreedWeights([&](unsigned s) {
          return sinks[s].changed || !live[s];
        });
    for (auto [sink, isLive] : llvm::zip_equal(sinks, live))
      if (isLive && sink.changed)
        total += getFormCost(sink, /*padded=*/true);
    return total;
  }

  /// IREE dispatches of what emission writes for the live sinks
  /// (getNumEmittedDispatches, EmissionShape.h): batch-major, one matmul per
  /// weighted term (as the original has); feature-major, one for all the
  /// feature-major roots of a sink, one per batch-major root two or more
  /// sinks on the feature-major path read (stacked), and one per other
  /// weighted root, the bias, activation and stacked rows fused into it;
  /// plus one for the bias and activation of a sink whose every weighted
  /// root is stacked, unless it takes its rows in place
  /// (isMaskedFirstReader). Kept layers re-emitted feature-major
  /// (getReemittedSinks) count as emission writes them.
  int64_t getDispatchCount(ActivationLayout layout, bool keepProfiles) const {
    SmallVector<bool> changed = getReemittedSinks(
        graph,
        llvm::map_to_vector(sinks,
                            [](const SimSink &sink) { return sink.changed; }),
        layout,
        [&](unsigned sink, Value root) {
          return sinks[sink].cols > 0 &&
                 llvm::any_of(sinks[sink].terms, [&](const SimTerm &term) {
                   return term.root == root && term.dense;
                 });
        },
        [&](unsigned sink) {
          return getFormCost(sinks[sink], /*padded=*/false);
        });
    DenseSet<Value> featureMajorRoots;
    SmallVector<bool> featureMajorLayers(graph.layers.size(), false);
    for (auto [index, layer] : llvm::enumerate(graph.layers))
      if (isEmittedFeatureMajor(graph, index, changed, layout)) {
        featureMajorRoots.insert(layer.activation.getResult());
        featureMajorLayers[index] = true;
      }
    SmallVector<bool> live = getLiveSinks();
    SmallVector<SinkMatmulShape> shapes;
    for (auto [sink, isLive] : llvm::zip_equal(sinks, live)) {
      if (!isLive || sink.cols == 0)
        continue;
      SinkMatmulShape shape;
      shape.featureMajorResult = sink.layer && featureMajorLayers[*sink.layer];
      for (const SimTerm &term : sink.terms) {
        shape.residual |= term.identity;
        if (!term.dense)
          continue;
        shape.roots.push_back(term.root);
        shape.featureMajorRoots.push_back(
            featureMajorRoots.contains(term.root));
      }
      shapes.push_back(std::move(shape));
    }
    return getNumEmittedDispatches(shapes,
                                   /*firstReadersInPlace=*/!keepProfiles);
  }

private:
  struct SimTerm {
    Value root;
    int64_t rows;
    bool dense;
    bool identity;
  };
  struct SimSink {
    SmallVector<SimTerm> terms;
    int64_t cols = 0;
    bool bias = false;
    bool changed = false;
    std::optional<unsigned> layer;
  };

  SmallVector<bool> getLiveSinks() const {
    return graph.getLiveSinks([&](unsigned s, Value root) {
      return llvm::any_of(sinks[s].terms,
                          [&](const SimTerm &t) { return t.root == root; });
    });
  }

  /// The width emission gives foldable layer `index`.
  int64_t getEmittedWidth(unsigned index) const {
    const Layer &layer = graph.layers[index];
    const SimSink &pre = sinks[layer.preActivationSink];
    if (!pre.changed || alignment <= 1 || residual[index])
      return pre.cols;
    int64_t inputs = 0;
    for (const SimTerm &term : pre.terms)
      if (term.dense)
        inputs += term.rows;
    return getFoldAlignedWidth(pre.cols, layer.width, inputs, alignment);
  }

  /// The width of `root` as emission reads it.
  int64_t getEmittedRows(const SimTerm &term) const {
    std::optional<unsigned> layer = graph.getLayerOf(term.root);
    if (!layer || !graph.layers[*layer].isFoldable())
      return term.rows;
    return getEmittedWidth(*layer);
  }

  int64_t getFormCost(const SimSink &sink, bool padded) const {
    int64_t cols = sink.cols;
    if (cols == 0)
      return 0;
    if (padded && sink.layer && graph.layers[*sink.layer].isFoldable())
      cols = getEmittedWidth(*sink.layer);
    int64_t total = sink.bias ? cols : 0;
    for (const SimTerm &term : sink.terms)
      if (term.dense)
        total += (padded ? getEmittedRows(term) : term.rows) * cols;
    return total;
  }

  const LayerGraph &graph;
  int64_t alignment;
  ArrayRef<bool> residual;
  SmallVector<SimSink> sinks;
};

Simulation replay(const LayerGraph &graph, int64_t alignment,
                  ArrayRef<bool> residual,
                  ArrayRef<LayerClassification> classes,
                  ArrayRef<bool> mergeLayers) {
  Simulation sim(graph, alignment, residual);
  for (auto [index, cls] : llvm::enumerate(classes))
    sim.apply(index, mergeLayers[index] ? cls.merge.size() : 0,
              cls.remove.size());
  return sim;
}
} // namespace

FoldPlanner::FoldPlanner(const LayerGraph &graph, FoldCostModel costModel)
    : graph(graph), costModel(costModel),
      residualLayers(getResidualLayers(graph)) {}

int64_t FoldPlanner::simulate(ArrayRef<LayerClassification> classes,
                              ArrayRef<bool> mergeLayers) const {
  return replay(graph, costModel.alignment, residualLayers, classes,
                mergeLayers)
      .getWeightCost();
}

int64_t FoldPlanner::simulateFoldable(ArrayRef<LayerClassification> classes,
                                      ArrayRef<bool> mergeLayers) const {
  return replay(graph, costModel.alignment, residualLayers, classes,
                mergeLayers)
      .getFoldableCost();
}

int64_t FoldPlanner::simulateDispatches(ArrayRef<LayerClassification> classes,
                                        ArrayRef<bool> mergeLayers) const {
  return replay(graph, costModel.alignment, residualLayers, classes,
                mergeLayers)
      .getDispatchCount(costModel.activationLayout, costModel.keepProfiles);
}

double FoldPlanner::getCost(ArrayRef<LayerClassification> classes,
                            ArrayRef<bool> mergeLayers) const {
  Simulation sim =
      replay(graph, costModel.alignment, residualLayers, classes, mergeLayers);
  double cost = double(sim.getWeightCost());
  if (costModel.objective == FoldObjective::Latency)
    cost += costModel.dispatchCost *
            double(sim.getDispatchCount(costModel.activationLayout,
                                        costModel.keepProfiles));
  return cost;
}

int64_t FoldPlanner::getOriginalParameters() const {
  return graph.weightElements;
}

int64_t FoldPlanner::getOriginalFoldableParameters() const {
  return Simulation(graph).getFoldableCost();
}

SmallVector<bool> FoldPlanner::select(ArrayRef<LayerClassification> classes,
                                      FoldPolicy policy) const {
  size_t numLayers = classes.size();
  SmallVector<bool> chosen(numLayers, false);
  SmallVector<unsigned> candidates;
  for (auto [index, cls] : llvm::enumerate(classes))
    if (!cls.merge.empty())
      candidates.push_back(index);

  switch (policy) {
  case FoldPolicy::All:
    for (unsigned index : candidates)
      chosen[index] = true;
    return chosen;

  case FoldPolicy::Paper: {
    // The reference rule, layer by layer, on the graph as folded so far:
    // merging k neurons pays when (n + m + 1) k > n m.
    Simulation sim(graph);
    for (auto [index, cls] : llvm::enumerate(classes)) {
      int64_t k = cls.merge.size();
      if (k > 0) {
        int64_t n = sim.getInputWidth(index), m = sim.getConsumerWidth(index);
        chosen[index] = (n + m + 1) * k > n * m;
      }
      sim.apply(index, chosen[index] ? k : 0, cls.remove.size());
    }
    return chosen;
  }

  case FoldPolicy::Cost: {
    if (candidates.size() <= 16) {
      // Exhaustive: folds interact along chains (skips reach across
      // layers), so the minimum is over subsets, not per layer.
      double best = getCost(classes, chosen);
      SmallVector<bool> trial(numLayers, false);
      for (uint64_t mask = 1; mask < (uint64_t(1) << candidates.size());
           ++mask) {
        for (auto [bit, index] : llvm::enumerate(candidates))
          trial[index] = (mask >> bit) & 1;
        double cost = getCost(classes, trial);
        if (cost < best) {
          best = cost;
          chosen = trial;
        }
      }
      return chosen;
    }
    // Many layers: add the most profitable layer while the cost drops.
    double best = getCost(classes, chosen);
    while (true) {
      std::optional<unsigned> bestIndex;
      for (unsigned index : candidates) {
        if (chosen[index])
          continue;
        chosen[index] = true;
        double cost = getCost(classes, chosen);
        chosen[index] = false;
        if (cost < best) {
          best = cost;
          bestIndex = index;
        }
      }
      if (!bestIndex)
        return chosen;
      chosen[*bestIndex] = true;
    }
  }
  }
  llvm_unreachable("unknown policy");
}

SmallVector<double> FoldPlanner::getCandidateMergeThresholds() const {
  SmallVector<double> shares;
  for (const Layer &layer : graph.layers) {
    if (!layer.isFoldable())
      continue;
    std::optional<unsigned> identity = getIdentityPiece(layer.activation);
    if (!identity)
      continue;
    ActivationProfile profile = ActivationProfile::fromAttr(layer.profile);
    for (int64_t j = 0; j < layer.width; ++j)
      shares.push_back(getShare(layer, profile, *identity, j));
  }
  llvm::sort(shares, std::greater<double>());
  shares.erase(std::unique(shares.begin(), shares.end()), shares.end());
  return shares;
}

bool FoldPlan::isEmpty() const {
  for (unsigned index = 0; index < classes.size(); ++index)
    if (getNumMerged(index) + getNumRemoved(index) > 0)
      return false;
  return true;
}

FoldPlan FoldPlanner::plan(const FoldPlanOptions &options) const {
  FoldPlan result;
  result.thresholds = options.thresholds;
  result.paramsBefore = getOriginalParameters();
  auto classifyControlled = [&](const FoldThresholds &thresholds) {
    SmallVector<LayerClassification> classes = classify(thresholds);
    if (options.shouldFoldLayer)
      for (auto [layer, cls] : llvm::zip_equal(graph.layers, classes))
        if (!options.shouldFoldLayer(layer))
          cls = LayerClassification();
    return classes;
  };
  auto costAt = [&](double mergeThreshold) {
    FoldThresholds thresholds = options.thresholds;
    thresholds.merge = mergeThreshold;
    SmallVector<LayerClassification> classes = classifyControlled(thresholds);
    return simulate(classes, select(classes, options.policy));
  };

  result.classes = classifyControlled(result.thresholds);
  if (options.targetSize) {
    TargetSizeOutcome outcome;
    int64_t goal =
        static_cast<int64_t>(*options.targetSize * double(result.paramsBefore));
    SmallVector<double> candidates;
    for (double share : getCandidateMergeThresholds())
      if (share <= options.thresholds.merge && share > 0.0)
        candidates.push_back(share);
    outcome.reached = costAt(options.thresholds.merge) <= goal;
    if (!outcome.reached && !candidates.empty()) {
      size_t lo = 0, hi = candidates.size() - 1;
      outcome.reached = costAt(candidates[hi]) <= goal;
      if (!outcome.reached)
        lo = hi;
      while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (costAt(candidates[mid]) <= goal)
          hi = mid;
        else
          lo = mid + 1;
      }
      result.thresholds.merge = candidates[lo];
      result.classes = classifyControlled(result.thresholds);
      outcome.lowered = true;
    }
    result.targetSize = outcome;
  }
  result.mergeLayers = select(result.classes, options.policy);
  result.predictedParamsAfter = simulate(result.classes, result.mergeLayers);

  // Never a bigger model: removals alone can grow it too (a residual stream
  // or a shared weight re-emitted as one matrix per root), so fall back to
  // no merges, then to nothing.
  if (result.predictedParamsAfter > result.paramsBefore) {
    result.declinedGrowth = result.predictedParamsAfter;
    result.mergeLayers.assign(result.classes.size(), false);
    if (simulate(result.classes, result.mergeLayers) > result.paramsBefore)
      result.classes.assign(result.classes.size(), LayerClassification());
    result.predictedParamsAfter = simulate(result.classes, result.mergeLayers);
  }
  result.foldableParamsBefore = getOriginalFoldableParameters();
  result.predictedFoldableParamsAfter =
      simulateFoldable(result.classes, result.mergeLayers);
  return result;
}
