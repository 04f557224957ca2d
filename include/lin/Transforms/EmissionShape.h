//===- EmissionShape.h - The matmuls emission writes, on shapes -*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The rule by which emission (FoldEmission.h) turns the weighted terms of
// the sinks it writes into matmuls: per sink, one matmul for its
// feature-major inputs, one per other input, and one stacked matmul for a
// batch-major input several feature-major sinks read. Stated on shapes
// (which roots a sink reads, in which layout), so that the planner can count
// a plan's matmuls and dispatches before anything is folded, by the same
// rule emission follows.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_EMISSIONSHAPE_H
#define LIN_TRANSFORMS_EMISSIONSHAPE_H

#include "mlir/IR/Value.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace lin {

/// A sink as the matmul rule of emission sees it (shapes only, so that the
/// planner can apply the rule before anything is folded).
struct SinkMatmulShape {
  /// The roots the sink reads with a weight, each once, in term order.
  llvm::SmallVector<mlir::Value, 4> roots;
  /// For each of `roots`, whether it is feature-major.
  llvm::SmallVector<bool, 4> featureMajorRoots;
  /// Whether the sink's result is feature-major.
  bool featureMajorResult = false;
  /// Whether the sink also adds a root without a weight (a residual part).
  bool residual = false;
};

/// Whether `sink` is emitted on the feature-major path: its result or one
/// of its weighted roots is feature-major. Only such sinks share stacked
/// matmuls (getStackedRoots); the others are emitted as the batch-major
/// layout emits them, one matmul per weighted root.
bool isFeatureMajorPath(const SinkMatmulShape &sink);

/// A batch-major root that two or more sinks on the feature-major path read
/// with a weight: emission computes all their terms of it with one matmul
/// `S = W . root^T`, [sum of the terms' widths x batch], W the terms'
/// [out x in] weights stacked along dim 0 in the order of `sinks`, and each
/// sink adds its rows of S (tensor.extract_slice) to its pre-activation.
struct StackedRoot {
  mlir::Value root;
  /// Indices into the shapes given to getStackedRoots, in their order.
  llvm::SmallVector<unsigned, 4> sinks;
};

/// The stacked roots of the sinks `sinks` (in emission order), in the order
/// of their first reader.
llvm::SmallVector<StackedRoot>
getStackedRoots(llvm::ArrayRef<SinkMatmulShape> sinks);

/// Whether the first reader of `stacked` (among `sinks`, those given to
/// getStackedRoots) takes its rows in place: a feature-major result (a
/// layer's pre-activation) whose only input is `stacked`'s root, weighted,
/// with no residual part. Emission then computes that layer's bias and
/// activation on the stacked matmul's result itself, one generic over all
/// its rows that leaves the other readers' rows as they are
/// (emitMaskedActivation, FoldEmission.h), which IREE fuses into the
/// stacked matmul's dispatch; otherwise the reader, which has no matmul of
/// its own, costs an elementwise dispatch more than the original model
/// (benchmarks/iree_skip_forms.py).
bool isMaskedFirstReader(llvm::ArrayRef<SinkMatmulShape> sinks,
                         const StackedRoot &stacked);

/// How many linalg.matmul ops emission writes for `sinks` (the emitted,
/// live sinks, in emission order, each with at least one feature): one per
/// stacked root (getStackedRoots); per sink on the feature-major path, one
/// for all its feature-major roots plus one per other batch-major root; per
/// other sink, one per weighted root. Residual parts, the rows of stacked
/// matmuls and the bias are elementwise adds, which IREE fuses into the
/// matmul dispatch before them. The one rule for the fold's emission and
/// the planner's dispatch count.
int64_t getNumEmittedMatmuls(llvm::ArrayRef<SinkMatmulShape> sinks);

/// How many dispatches IREE makes of what emission writes for `sinks`: one
/// per matmul (getNumEmittedMatmuls), with the elementwise ops after it
/// fused in, plus one per sink on the feature-major path that has no matmul
/// of its own (all its weighted roots stacked) and does not take its rows in
/// place (isMaskedFirstReader; none does unless `firstReadersInPlace`, as
/// with kept profiles, which need an activation op of its own): IREE does
/// not fuse its bias and activation into the stacked matmul, which has
/// other readers.
int64_t getNumEmittedDispatches(llvm::ArrayRef<SinkMatmulShape> sinks,
                                bool firstReadersInPlace = true);

} // namespace lin

#endif // LIN_TRANSFORMS_EMISSIONSHAPE_H
