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
#include "lin/Transforms/EmissionShape.h"
#include "lin/Transforms/FoldEnums.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <set>
#include <vector>

namespace lin {

struct FoldEmissionOptions {
  /// `in-out`: constants [in x out] read by a plain linalg.matmul; `out-in`:
  /// constants [out x in] (torch-mlir's nn.Linear layout) read through a
  /// transposed indexing map. Only for matmuls from a batch-major root to a
  /// batch-major result: a matmul reading or writing feature-major values
  /// always holds its constant [out x in].
  WeightLayout weightLayout = WeightLayout::InOut;
  /// Keep #lin.profile attributes (shrunk to the kept neurons) on the
  /// re-emitted activations.
  bool keepProfiles = false;
  /// `feature-major`: re-emitted layers whose every reader is re-emitted
  /// hold their values [features x batch] (isEmittedFeatureMajor,
  /// FoldRewrite.h); `batch-major`: every value is [batch x features].
  ActivationLayout activationLayout = ActivationLayout::BatchMajor;
  /// Pad the layers the fold narrows to a multiple of this many neurons
  /// (getFoldAlignedWidth, FoldAlignment.h), and the rows of stacked
  /// matmuls (emitStackedMatmul); 1 pads nothing.
  int64_t alignment = 1;
  /// With `feature-major`, hold the feature-major values that consumers
  /// concatenate in one buffer, each written once
  /// (placeConcatenationsInOneBuffer, ConcatBuffer.h).
  bool concatBuffer = false;
};

/// The values emission writes feature-major ([features x batch]), named by
/// the original values they replace: a layer's old activation result (as a
/// root of the forms reading it) and its old pre-activation (a form's
/// `value`). Every other value is batch-major.
using FeatureMajorValues = llvm::DenseSet<mlir::Value>;

/// Rows of a stacked matmul a sink reads instead of a matmul of its own for
/// `root`: rows [offset, offset + the sink's width) of `matrix`.
struct StackedSlice {
  mlir::Value root;
  mlir::Value matrix;
  int64_t offset = 0;
  /// The rows already hold the sink's bias (emitMaskedActivation): its own
  /// generic adds none.
  bool includesBias = false;
};

/// Counts the weight elements emission will store for affine forms, by the
/// rules of WeightCount.h (distinct constants, zero splats free): a zero
/// bias is not emitted, equal inline constants are one attribute, an
/// all-zero inline one a zero splat; the weights of a feature-major matmul
/// over several roots are one constant, as are those of a stacked matmul.
/// Lets the fold check its output exactly. `options` and `featureMajor`
/// must be those of the emission.
class EmittedWeightCounter {
public:
  explicit EmittedWeightCounter(
      const FoldEmissionOptions &options = {},
      const FeatureMajorValues *featureMajor = nullptr)
      : options(options), featureMajor(featureMajor) {}
  /// A form whose terms of the roots `stackedRoots` are read from stacked
  /// matmuls (counted by addStacked), its bias too unless a masked
  /// generic adds it (`biasInStack`, addStackedBias).
  void add(const AffineForm &form,
           llvm::ArrayRef<mlir::Value> stackedRoots = {},
           bool biasInStack = false);
  /// The constant of the stacked matmul of `root` over `forms`.
  void addStacked(llvm::ArrayRef<const AffineForm *> forms, mlir::Value root);
  /// The bias vector of the masked generic over the stacked matmul of
  /// `root` over `forms` (getStackedBias).
  void addStackedBias(llvm::ArrayRef<const AffineForm *> forms,
                      llvm::ArrayRef<bool> withBias, mlir::Value root);
  void add(const Tensor &tensor);
  int64_t getElements() const { return elements; }

private:
  FoldEmissionOptions options;
  const FeatureMajorValues *featureMajor;
  int64_t elements = 0;
  std::set<std::vector<float>> inlineConstants;
};

/// Emits `sum_k root_k @ W_k + b` as matmuls accumulating into one
/// zero-filled tensor (skips and residual terms are folded into the
/// accumulator) followed by a broadcast bias add. Roots are looked up in
/// `rootMap` (replacements emitted earlier); `fallbackBatch` (batch-major)
/// gives the dynamic batch size of a form without terms. A term's residual
/// part is an add, never an identity matrix; a zero bias is not emitted.
///
/// The result is feature-major, [features x batch], when `featureMajor`
/// holds `form.value`, and the roots it holds are read as feature-major:
/// those with weights are concatenated along their features
/// (tensor.concat) and read by one matmul with one [out x sum in] constant;
/// a batch-major root with a weight has a matmul of its own unless `slices`
/// has rows of a stacked matmul (emitStackedMatmul) for it, which are added
/// in the generic that adds the bias (getNumEmittedMatmuls). Without
/// `featureMajor`, all is batch-major.
mlir::Value
emitAffineForm(mlir::OpBuilder &builder, mlir::Location loc,
               const AffineForm &form,
               const llvm::DenseMap<mlir::Value, mlir::Value> &rootMap,
               mlir::Value fallbackBatch, const FoldEmissionOptions &options,
               const FeatureMajorValues *featureMajor = nullptr,
               llvm::ArrayRef<StackedSlice> slices = {});

/// A constant holding `tensor`: inline when small, else a dense_resource blob
/// sharing the tensor's storage.
mlir::Value emitConstant(mlir::OpBuilder &builder, mlir::Location loc,
                         const Tensor &tensor);

/// Emits the stacked matmul (StackedRoot) of `root` over the terms of
/// `forms` reading it, in their order: [sum of their widths x batch],
/// feature-major, reading `input` (the batch-major value `root` stands for)
/// through a transposed map. The rows are zero-padded to a multiple of
/// `alignment` when the constant is large enough (getAlignedRows,
/// FoldAlignment.h); the readers' slices start at row 0 and never reach
/// the padding.
mlir::Value emitStackedMatmul(mlir::OpBuilder &builder, mlir::Location loc,
                              llvm::ArrayRef<const AffineForm *> forms,
                              mlir::Value root, mlir::Value input,
                              int64_t alignment);

/// Emits the activation `activation` applied elementwise to `input` as one
/// linalg.generic (of either layout: the result has `input`'s type).
mlir::Value emitActivation(mlir::OpBuilder &builder, mlir::Location loc,
                           const PiecewiseLinearActivation &activation,
                           mlir::Value input);

/// The bias vector of the masked generic (emitMaskedActivation) over the
/// stacked matmul of `root` over `forms` (its readers, in its order): each
/// reader's bias in its rows where `withBias` says (each reader's bias is
/// added once, by the first such generic it reads), zeros elsewhere and in
/// the padding rows; an empty tensor when all are zero (then none is
/// emitted). Moving the readers' biases there stores no more weights than
/// their own generics would (a changed sink's bias counts in full in the
/// planner). Emission and the weight count use the same tensor.
Tensor getStackedBias(llvm::ArrayRef<const AffineForm *> forms,
                      llvm::ArrayRef<bool> withBias, mlir::Value root,
                      int64_t alignment);

/// Emits, over the feature-major result `stacked` of a stacked matmul, one
/// linalg.generic that adds `bias` (getStackedBias; none if empty) to every
/// row and applies `activation` to the first `rows` rows only (linalg.index,
/// arith.select): the first reader's pre-activation and activation computed
/// in place (isMaskedFirstReader, EmissionShape.h), the stacked matmul's
/// sole reader, so that IREE fuses it into that dispatch. The other readers
/// take their rows, bias included, from the result.
mlir::Value emitMaskedActivation(mlir::OpBuilder &builder, mlir::Location loc,
                                 const PiecewiseLinearActivation &activation,
                                 mlir::Value stacked, int64_t rows,
                                 const Tensor &bias);

/// The first `rows` rows of the feature-major `matrix` ([R x batch]) as a
/// [rows x batch] value, sliced from the matrix collapsed to one dimension
/// and expanded again: a 1-D slice of contiguous rows, which IREE copies as
/// a buffer transfer where a 2-D slice of a dynamic batch would cost a copy
/// dispatch when a concatenation reads it.
mlir::Value emitLeadingRows(mlir::OpBuilder &builder, mlir::Location loc,
                            mlir::Value matrix, int64_t rows);

/// Rows of a feature-major value held flat (a [R x batch] value collapsed to
/// one dimension): the `length` elements from `offset` (a 1-D
/// tensor.extract_slice, contiguous to IREE), expanded back to
/// [rows x batch]. The one way emitLeadingRows and the concatenation buffer
/// (ConcatBuffer.h) read rows of a flat value.
mlir::Value emitFlatRows(mlir::OpBuilder &builder, mlir::Location loc,
                         mlir::Value flat, mlir::OpFoldResult offset,
                         mlir::OpFoldResult length, int64_t rows,
                         mlir::OpFoldResult batch);

} // namespace lin

#endif // LIN_TRANSFORMS_FOLDEMISSION_H
