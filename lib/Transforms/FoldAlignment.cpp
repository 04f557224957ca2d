//===- FoldAlignment.cpp - Pad layer widths with zero neurons -------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/FoldAlignment.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace lin;

SmallVector<bool> lin::getResidualLayers(const LayerGraph &graph) {
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
  return residual;
}

int64_t lin::getAlignedRows(int64_t rows, int64_t inputs, int64_t alignment) {
  if (alignment <= 1 || rows * inputs < kMinPaddedWeightElements)
    return rows;
  return llvm::alignTo(rows, alignment);
}

int64_t lin::getFoldAlignedWidth(int64_t kept, int64_t original, int64_t inputs,
                                 int64_t alignment) {
  if (kept == 0 || kept >= original)
    return kept;
  int64_t aligned = getAlignedRows(kept, inputs, alignment);
  return aligned <= original ? aligned : kept;
}

/// `matrix` [rows x columns] in the top-left corner of a zero matrix
/// [paddedRows x paddedColumns].
static Tensor padMatrix(const Tensor &matrix, int64_t paddedRows,
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

void lin::padSinkForms(const LayerGraph &graph,
                       MutableArrayRef<AffineForm> forms,
                       ArrayRef<bool> changed, ArrayRef<int64_t> paddedWidths) {
  // The padded width of each layer's activation, as a root.
  DenseMap<Value, int64_t> paddedRoots;
  for (auto [layer, width] : llvm::zip_equal(graph.layers, paddedWidths))
    if (layer.isFoldable() && changed[layer.preActivationSink] &&
        width != forms[layer.preActivationSink].numFeatures)
      paddedRoots[layer.activation.getResult()] = width;
  if (paddedRoots.empty())
    return;

  for (auto [index, sink] : llvm::enumerate(graph.sinks)) {
    if (!changed[index])
      continue;
    AffineForm &form = forms[index];
    int64_t features =
        sink.layer && paddedRoots.contains(
                          graph.layers[*sink.layer].activation.getResult())
            ? paddedWidths[*sink.layer]
            : form.numFeatures;
    bool widened = features != form.numFeatures;
    for (AffineTerm &term : form.terms) {
      if (!term.hasWeight())
        continue;
      int64_t rows =
          paddedRoots.lookup_or(term.root, term.weight.getDimSize(0));
      term.weight = padMatrix(term.weight, rows, features);
    }
    if (widened && form.hasBias()) {
      Tensor bias(ArrayRef<int64_t>{features});
      llvm::copy(form.bias.values(), bias.values().begin());
      form.bias = std::move(bias);
    }
    form.numFeatures = features;
  }
}
