//===- FoldEmission.h - Emit folded affine forms as linalg IR ---*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Materialises affine forms and activations as plain upstream IR (linalg,
// arith, tensor), the form IREE and the upstream lowering pipelines take.
// How weights are laid out is a parameter, so that a benchmark or another
// backend can choose the form it compiles best.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_FOLDEMISSION_H
#define LIN_TRANSFORMS_FOLDEMISSION_H

#include "lin/Analysis/AffineForm.h"
#include "lin/Analysis/PiecewiseLinearActivation.h"
#include "lin/Transforms/FoldEnums.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"

#include <set>
#include <vector>

namespace lin {

struct FoldEmissionOptions {
  /// `in-out`: constants [in x out] read by a plain linalg.matmul; `out-in`:
  /// constants [out x in] (torch-mlir's nn.Linear layout) read through a
  /// transposed indexing map.
  WeightLayout weightLayout = WeightLayout::InOut;
  /// Keep #lin.profile attributes (shrunk to the kept neurons) on the
  /// re-emitted activations.
  bool keepProfiles = false;
  /// Pad the layers the fold narrows to a multiple of this many neurons
  /// (getFoldAlignedWidth, FoldAlignment.h); 1 pads nothing.
  int64_t alignment = 1;
};

/// Counts the weight elements emission will store for affine forms, by the
/// rules of WeightCount.h (distinct constants, zero splats free): a zero
/// bias is not emitted, equal inline constants are one attribute, an
/// all-zero inline one a zero splat. Lets the fold check its output exactly.
class EmittedWeightCounter {
public:
  void add(const AffineForm &form);
  void add(const Tensor &tensor);
  int64_t getElements() const { return elements; }

private:
  int64_t elements = 0;
  std::set<std::vector<float>> inlineConstants;
};

/// Emits `sum_k root_k @ W_k + b` as matmuls accumulating into one
/// zero-filled tensor (skips and residual terms are folded into the
/// accumulator) followed by a broadcast bias add. Roots are looked up in
/// `rootMap` (replacements emitted earlier); `fallbackBatch` gives the
/// dynamic batch size of a form without terms. A term's residual part is an
/// add, never an identity matrix; a zero bias is not emitted.
mlir::Value
emitAffineForm(mlir::OpBuilder &builder, mlir::Location loc,
               const AffineForm &form,
               const llvm::DenseMap<mlir::Value, mlir::Value> &rootMap,
               mlir::Value fallbackBatch, const FoldEmissionOptions &options);

/// Emits the activation `activation` applied elementwise to `input` as one
/// linalg.generic.
mlir::Value emitActivation(mlir::OpBuilder &builder, mlir::Location loc,
                           const PiecewiseLinearActivation &activation,
                           mlir::Value input);

} // namespace lin

#endif // LIN_TRANSFORMS_FOLDEMISSION_H
