//===- FoldPlanner.h - Decide which neurons and layers fold -----*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Classifies every neuron of every layer from its profile and thresholds
// (keep, merge into a skip matmul, or remove as a constant), and chooses
// which layers merge. Works on shapes only: the parameter count of any choice
// is simulated exactly without touching weights, so policies can compare
// choices cheaply. plan() makes the whole decision, a FoldPlan, which
// applyFoldPlan (FoldRewrite.h) carries out.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_FOLDPLANNER_H
#define LIN_TRANSFORMS_FOLDPLANNER_H

#include "lin/Analysis/LayerGraph.h"
#include "lin/Transforms/FoldEnums.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace lin {

/// What happens to the neurons of one layer.
struct LayerClassification {
  /// Neurons in a linear piece with non-zero slope, and that piece.
  llvm::SmallVector<int64_t> merge;
  llvm::SmallVector<unsigned> mergePiece;
  /// Neurons in a constant piece, and that piece.
  llvm::SmallVector<int64_t> remove;
  llvm::SmallVector<unsigned> removePiece;
};

struct FoldThresholds {
  double merge = 1.0;
  double remove = 1.0;
};

/// What a plan costs. The weights are counted as emission writes them,
/// padded to `alignment` (FoldAlignment.h); with the latency objective,
/// every emitted matmul adds `dispatchCost` weight elements: a simple model
/// of batch-1 latency on IREE, where time is the weight bytes read plus a
/// fixed cost per dispatch (benchmarks/iree_latency_model.py measures both
/// and derives the ratio).
struct FoldCostModel {
  int64_t alignment = 1;
  /// How emission lays out activations, which decides how many matmuls a
  /// sink with skips takes (getNumEmittedDispatches, EmissionShape.h).
  ActivationLayout activationLayout = ActivationLayout::BatchMajor;
  /// Emission keeps profiles: a layer that reads only stacked rows keeps an
  /// activation op (and a dispatch) of its own for its profile.
  bool keepProfiles = false;
  FoldObjective objective = FoldObjective::Params;
  double dispatchCost = 0.0;
};

/// What to plan for.
struct FoldPlanOptions {
  FoldThresholds thresholds;
  FoldPolicy policy = FoldPolicy::Cost;
  /// Lower the merge threshold along the neurons' own shares until the
  /// parameters are at most this fraction of the original.
  std::optional<double> targetSize;
  /// Control: layers for which this returns false are left alone (as
  /// upstream's fusion patterns take a control function).
  llvm::function_ref<bool(const Layer &)> shouldFoldLayer = nullptr;
};

/// How a target size was met, for the caller to report.
struct TargetSizeOutcome {
  /// Whether the goal was reached (otherwise the plan folds every neuron
  /// with a non-zero share, the closest it gets).
  bool reached = false;
  /// Whether the merge threshold had to be lowered at all.
  bool lowered = false;
};

/// A complete decision, made on shapes: per layer, its neurons'
/// classification and whether its mergeable neurons merge.
struct FoldPlan {
  llvm::SmallVector<LayerClassification> classes;
  llvm::SmallVector<bool> mergeLayers;
  /// The thresholds used (the merge threshold lowered by a target size).
  FoldThresholds thresholds;
  /// Weight elements of the function before, and predicted after, the fold
  /// (an upper bound: see FoldPlanner::simulate). Never more after.
  int64_t paramsBefore = 0;
  int64_t predictedParamsAfter = 0;
  /// Parameters of the layer graph's forms before and after (exact).
  int64_t foldableParamsBefore = 0;
  int64_t predictedFoldableParamsAfter = 0;
  /// Set when the policy's choice would have grown the function to this
  /// many weights, and the plan fell back to fewer folds.
  std::optional<int64_t> declinedGrowth;
  std::optional<TargetSizeOutcome> targetSize;

  /// Whether the plan changes anything.
  bool isEmpty() const;
  /// Neurons of layer `index` that merge / are removed.
  int64_t getNumMerged(unsigned index) const {
    return mergeLayers[index] ? classes[index].merge.size() : 0;
  }
  int64_t getNumRemoved(unsigned index) const {
    return classes[index].remove.size();
  }
};

class FoldPlanner {
public:
  explicit FoldPlanner(const LayerGraph &graph, FoldCostModel costModel = {});

  /// Classifies the neurons of every layer. A neuron qualifies for its
  /// identity piece (slope 1) when its share there is >= thresholds.merge and
  /// for any other piece when its share is >= thresholds.remove; when it
  /// qualifies for both, the larger share decides. Proven profiles use their
  /// bounds: a neuron whose [minimum, maximum] lies in one piece has share 1.
  llvm::SmallVector<LayerClassification>
  classify(const FoldThresholds &thresholds) const;

  /// Chooses the layers whose mergeable neurons merge (removals always
  /// apply). `cost` minimises getCost exactly (exhaustive over up to 16
  /// candidate layers, greedy improvement beyond), `paper` applies (n + m + 1)
  /// k > n m per layer in program order, `all` merges everywhere.
  llvm::SmallVector<bool> select(llvm::ArrayRef<LayerClassification> classes,
                                 FoldPolicy policy) const;

  /// Weight elements of the function after folding with the given
  /// classification and merging layers: the weights of unchanged sinks and
  /// of code outside the layer graph as the IR stores them, those of
  /// changed sinks as emission writes them (an upper bound: a uniform
  /// tensor is stored as one value, a zero bias not at all).
  int64_t simulate(llvm::ArrayRef<LayerClassification> classes,
                   llvm::ArrayRef<bool> mergeLayers) const;
  /// Matmuls the function has after folding, as emission with the cost
  /// model's activation layout writes them.
  int64_t simulateDispatches(llvm::ArrayRef<LayerClassification> classes,
                             llvm::ArrayRef<bool> mergeLayers) const;
  /// The cost model's objective: simulate(), plus dispatchCost per matmul
  /// with the latency objective.
  double getCost(llvm::ArrayRef<LayerClassification> classes,
                 llvm::ArrayRef<bool> mergeLayers) const;
  /// Parameters of the layer graph's forms (weight and bias elements of all
  /// sinks, one matrix per root) after folding: what the fold algebra
  /// produces, exactly (before padding).
  int64_t simulateFoldable(llvm::ArrayRef<LayerClassification> classes,
                           llvm::ArrayRef<bool> mergeLayers) const;

  /// Weight elements of the function before folding.
  int64_t getOriginalParameters() const;
  /// Parameters of the layer graph's forms before folding.
  int64_t getOriginalFoldableParameters() const;

  /// The identity-piece shares of all neurons of foldable layers, sorted
  /// descending and unique: the thresholds worth trying for target-size.
  llvm::SmallVector<double> getCandidateMergeThresholds() const;

  /// The whole decision: classification, the policy's choice of layers and,
  /// with a target size, the largest merge threshold meeting it (the cost
  /// only falls as the threshold falls, so bisection over the neurons' own
  /// shares finds it).
  FoldPlan plan(const FoldPlanOptions &options) const;

private:
  const LayerGraph &graph;
  FoldCostModel costModel;
  /// getResidualLayers of the graph, found once: every simulated plan pads
  /// around them.
  llvm::SmallVector<bool> residualLayers;
};

} // namespace lin

#endif // LIN_TRANSFORMS_FOLDPLANNER_H
