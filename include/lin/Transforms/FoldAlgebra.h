//===- FoldAlgebra.h - The fold as algebra on affine forms ------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Carries out a FoldPlan on the layer graph's affine forms, in memory: a
// merged neuron j of layer l (slope s, offset o in its piece) substitutes
// `s z_j + o` into every sink reading a(l), which gains the skip
// `M(l, k)[:, j] s M(p, l)[j, :]` from each source k of the layer and the
// constant into its bias; a removed neuron contributes only its constant.
// The pre-activation shrinks to the kept neurons. No IR changes here.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_FOLDALGEBRA_H
#define LIN_TRANSFORMS_FOLDALGEBRA_H

#include "lin/Analysis/LayerGraph.h"
#include "lin/Transforms/FoldPlanner.h"

#include "llvm/ADT/SmallVector.h"

namespace lin {

/// The sinks' forms after a fold.
struct FoldedForms {
  /// One per sink of the graph, in the graph's order.
  llvm::SmallVector<AffineForm> forms;
  /// Whether the fold changed sink i (only changed sinks are re-emitted).
  llvm::SmallVector<bool> changed;
  /// Per layer, the neurons that keep their activation.
  llvm::SmallVector<llvm::SmallVector<int64_t>> keptNeurons;
  /// Per sink, its parameters before the fold.
  llvm::SmallVector<int64_t> paramsBefore;

  /// Parameters of the folded forms (sinks left with no feature cost none).
  int64_t getNumParameters() const;
};

/// Applies `plan` to the forms of `graph`. The forms are moved out of the
/// graph (each original weight is then freed as soon as the fold replaces
/// it, which bounds peak memory on large models); the graph keeps every
/// sink's value.
FoldedForms foldAffineForms(LayerGraph &graph, const FoldPlan &plan);

} // namespace lin

#endif // LIN_TRANSFORMS_FOLDALGEBRA_H
