//===- FoldAlignment.h - Pad layer widths with zero neurons -----*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Zero-padding of layer widths, shared by the fold (which pads the layers it
// narrows, `align=`) and the linearity-align pass (which pads any layer).
// A fold leaves arbitrary widths (1013, 469, ...); IREE's llvm-cpu backend
// tiles a matmul by the vector width along its output dimension only when
// that is a multiple of it, and otherwise runs scalar tiles at a fraction of
// the speed. A padded neuron has zero weights in, a zero bias and zero
// weights out, so whatever its activation makes of 0, no consumer sees it.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_FOLDALIGNMENT_H
#define LIN_TRANSFORMS_FOLDALIGNMENT_H

#include "lin/Analysis/LayerGraph.h"

#include "llvm/ADT/SmallVector.h"

namespace lin {

/// Per layer of `graph`, whether a residual connection (a value added
/// without a weight) starts or ends at it: such a layer keeps its width,
/// since padding one end would need an identity matrix at the other.
llvm::SmallVector<bool> getResidualLayers(const LayerGraph &graph);

/// Folded layers whose weight matrix (kept neurons x inputs) has fewer
/// elements than this are not padded. Measured with IREE on the host CPU
/// (a 64-input layer of 28-250 neurons against its padded twin, batch 1 and
/// 256): matrices under 8192 elements (32 KB) ran 0-7 % faster padded,
/// while padding them grew the tabular benchmark models by up to 1.7x; a
/// 784-input layer of 113 neurons ran 3x faster padded to 128.
constexpr int64_t kMinPaddedWeightElements = 8192;

/// `rows` rounded up to a multiple of `alignment` when a matmul's constant
/// of `rows` x `inputs` holds at least kMinPaddedWeightElements; `rows`
/// otherwise (also for an `alignment` of 1 or less). The rule behind both
/// the fold's layer widths and the rows of a stacked matmul.
int64_t getAlignedRows(int64_t rows, int64_t inputs, int64_t alignment);

/// The width the fold emits a layer with when it keeps `kept` of its
/// `original` neurons and reads `inputs` features (the rows of its folded
/// weights): `kept` rounded up to a multiple of `alignment` when the fold
/// narrowed the layer, its weights hold at least kMinPaddedWeightElements
/// and the rounded width is still at most the original (padding never
/// makes a layer wider than the model had it); `kept` otherwise.
int64_t getFoldAlignedWidth(int64_t kept, int64_t original, int64_t inputs,
                            int64_t alignment);

/// Pads the forms of `graph`'s sinks to the layer widths `paddedWidths`
/// (one per layer, at least the width of the layer's form; equal for a
/// layer that is not padded): a padded layer's pre-activation gains zero
/// weight columns and zero bias entries, every weighted term reading a
/// padded layer's activation gains zero weight rows. Only the sinks marked
/// in `changed` are touched; every padded layer's pre-activation and every
/// sink reading a padded layer must be among them.
void padSinkForms(const LayerGraph &graph,
                  llvm::MutableArrayRef<AffineForm> forms,
                  llvm::ArrayRef<bool> changed,
                  llvm::ArrayRef<int64_t> paddedWidths);

} // namespace lin

#endif // LIN_TRANSFORMS_FOLDALIGNMENT_H
