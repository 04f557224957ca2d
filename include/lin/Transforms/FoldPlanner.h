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
// choices cheaply.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_FOLDPLANNER_H
#define LIN_TRANSFORMS_FOLDPLANNER_H

#include "lin/Analysis/LayerGraph.h"

#include "llvm/ADT/SmallVector.h"

namespace lin {

enum class FoldPolicy { Cost, Paper, All };

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

class FoldPlanner {
public:
  explicit FoldPlanner(const LayerGraph &graph) : graph(graph) {}

  /// Classifies the neurons of every layer. A neuron qualifies for its
  /// identity piece (slope 1) when its share there is >= thresholds.merge and
  /// for any other piece when its share is >= thresholds.remove; when it
  /// qualifies for both, the larger share decides. Proven profiles use their
  /// bounds: a neuron whose [minimum, maximum] lies in one piece has share 1.
  llvm::SmallVector<LayerClassification>
  classify(const FoldThresholds &thresholds) const;

  /// Chooses the layers whose mergeable neurons merge (removals always
  /// apply). `cost` is exact (exhaustive over up to 16 candidate layers,
  /// greedy improvement beyond), `paper` applies (n + m + 1) k > n m per
  /// layer in program order, `all` merges everywhere.
  llvm::SmallVector<bool> select(llvm::ArrayRef<LayerClassification> classes,
                                 FoldPolicy policy) const;

  /// Parameters (weight and bias elements of all sinks) after folding with
  /// the given classification and merging layers.
  int64_t simulate(llvm::ArrayRef<LayerClassification> classes,
                   llvm::ArrayRef<bool> mergeLayers) const;

  /// Parameters before folding.
  int64_t getOriginalParameters() const;

  /// The identity-piece shares of all neurons of foldable layers, sorted
  /// descending and unique: the thresholds worth trying for target-size.
  llvm::SmallVector<double> getCandidateMergeThresholds() const;

private:
  const LayerGraph &graph;
};

} // namespace lin

#endif // LIN_TRANSFORMS_FOLDPLANNER_H
