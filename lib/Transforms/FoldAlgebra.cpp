//===- FoldAlgebra.cpp - The fold as algebra on affine forms --------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/FoldAlgebra.h"
#include "lin/Support/DenseAlgebra.h"

using namespace mlir;
using namespace lin;

namespace {

/// Adds `weight` as a term of `root` to `form`. A residual (identity) part
/// of an existing term stays apart, as an add.
void addTerm(AffineForm &form, Value root, Tensor weight) {
  if (AffineTerm *term = form.findTerm(root)) {
    if (term->hasWeight())
      addInPlace(term->weight, weight);
    else
      term->weight = std::move(weight);
    return;
  }
  form.terms.push_back({root, std::move(weight)});
}

void addToBias(AffineForm &form, const Tensor &vector) {
  if (!form.hasBias())
    form.bias = zeroVector(form.numFeatures);
  addInPlace(form.bias, vector);
}

/// Substitutes the merged and removed neurons of layer `layer` into every
/// sink reading it, and shrinks its pre-activation to the kept neurons.
/// Marks the sinks it changes. Returns the kept neurons.
SmallVector<int64_t> foldLayer(const LayerGraph &graph, unsigned layerIndex,
                               const LayerClassification &cls, bool merge,
                               MutableArrayRef<AffineForm> forms,
                               MutableArrayRef<bool> changed) {
  const Layer &layer = graph.layers[layerIndex];
  ArrayRef<int64_t> merged = merge ? ArrayRef(cls.merge) : ArrayRef<int64_t>();
  ArrayRef<int64_t> removed = cls.remove;
  SmallVector<int64_t> kept;
  {
    SmallVector<bool> gone(layer.width, false);
    for (int64_t j : merged)
      gone[j] = true;
    for (int64_t j : removed)
      gone[j] = true;
    for (int64_t j = 0; j < layer.width; ++j)
      if (!gone[j])
        kept.push_back(j);
  }
  if (merged.empty() && removed.empty())
    return kept;

  const PiecewiseLinearActivation &act = layer.activation;
  unsigned preIndex = layer.preActivationSink;
  AffineForm &pre = forms[preIndex];
  Value result = act.getResult();

  // Merged neuron j contributes (slope_j * z_j + offset_j) * M[j, :].
  std::vector<float> slopes, mergedOffsets(merged.size());
  for (auto [i, j] : llvm::enumerate(merged)) {
    const LinearPiece &piece = act.getPiece(cls.mergePiece[i]);
    slopes.push_back(piece.slope);
    float bias = pre.hasBias() ? pre.bias.data()[j] : 0.0f;
    mergedOffsets[i] = piece.slope * bias + piece.offset;
  }
  Tensor removedOffsets = zeroVector(removed.size());
  for (auto [i, j] : llvm::enumerate(removed))
    removedOffsets.data()[i] = act.getPiece(cls.removePiece[i]).offset;
  Tensor mergedOffsetVector = zeroVector(merged.size());
  llvm::copy(mergedOffsets, mergedOffsetVector.data());

  for (auto [sinkIndex, sink] : llvm::enumerate(forms)) {
    if (sinkIndex == preIndex)
      continue;
    AffineTerm *term = sink.findTerm(result);
    if (!term)
      continue;
    Tensor consumer = term->getDenseWeight(layer.width); // [width x m]
    if (!merged.empty()) {
      Tensor mergedRows = selectRows(consumer, merged);
      addToBias(sink, multiplyVector(mergedOffsetVector, mergedRows));
      scaleRows(mergedRows, slopes);
      // Snapshot the pre-activation terms: `sink` may gain terms as we go.
      for (const AffineTerm &source : pre.terms) {
        Tensor sourceWeight = source.getDenseWeight(layer.width);
        addTerm(sink, source.root,
                multiply(selectColumns(sourceWeight, merged), mergedRows));
      }
    }
    if (!removed.empty())
      addToBias(sink,
                multiplyVector(removedOffsets, selectRows(consumer, removed)));
    if (!sink.hasBias())
      sink.bias = zeroVector(sink.numFeatures);
    term = sink.findTerm(result);
    if (kept.empty())
      sink.terms.erase(sink.terms.begin() + (term - sink.terms.begin()));
    else
      *term = {result, selectRows(consumer, kept)};
    changed[sinkIndex] = true;
  }

  // A residual into a shrinking pre-activation becomes a column selection.
  for (AffineTerm &term : pre.terms)
    term = {term.root, selectColumns(term.getDenseWeight(layer.width), kept)};
  if (pre.hasBias())
    pre.bias = selectEntries(pre.bias, kept);
  pre.numFeatures = kept.size();
  changed[preIndex] = true;
  return kept;
}

} // namespace

int64_t FoldedForms::getNumParameters() const {
  int64_t total = 0;
  for (const AffineForm &form : forms)
    total += form.numFeatures ? form.getNumParameters() : 0;
  return total;
}

FoldedForms lin::foldAffineForms(LayerGraph &graph, const FoldPlan &plan) {
  FoldedForms result;
  for (Sink &sink : graph.sinks) {
    result.paramsBefore.push_back(sink.form.getNumParameters());
    result.forms.push_back(std::move(sink.form));
    sink.form.value = result.forms.back().value;
  }
  result.changed.assign(result.forms.size(), false);
  for (auto [index, cls] : llvm::enumerate(plan.classes))
    result.keptNeurons.push_back(foldLayer(graph, index, cls,
                                           plan.mergeLayers[index],
                                           result.forms, result.changed));
  return result;
}
