//===- AffineForm.h - Values as affine functions of roots -------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Decomposes a batch-major 2-D tensor value `v : tensor<B x m>` into
//
//     v = sum_k root_k @ W_k + b
//
// where the roots are the non-affine values it is computed from (function
// arguments, activation outputs, results of ops lin does not look through),
// W_k are constant matrices and b a constant bias vector. It looks through
// every form frontends use for dense layers: linalg.matmul (plain or with a
// transposed right operand) into a zero fill or an accumulator, weights
// computed from constants (transposes, dense_resource blobs), elementwise
// linalg ops whose body is linear in their inputs (bias adds with a
// broadcast bias, linalg.add / linalg.sub, scaling by constants, batch norm in
// inference form) and residual sums.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_ANALYSIS_AFFINEFORM_H
#define LIN_ANALYSIS_AFFINEFORM_H

#include "lin/Support/ConstantTensorEvaluator.h"
#include "lin/Support/Tensor.h"

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace lin {

/// One contribution `root @ weight + root` of a root: a weight matrix
/// [root features x features] (rank 0 when there is none) and / or the root
/// itself (same features), as a residual connection adds it. The identity
/// part is kept apart from the matrix because it costs no parameters and is
/// emitted as an add: merging a skip into a residual term must not turn the
/// residual into a dense identity matrix.
struct AffineTerm {
  mlir::Value root;
  Tensor weight;
  bool identity = false;

  bool hasWeight() const { return weight.getRank() != 0; }
  /// The root itself, with no matrix.
  bool isIdentity() const { return identity && !hasWeight(); }
  int64_t getNumParameters() const {
    return hasWeight() ? weight.getNumElements() : 0;
  }
  /// The whole term as one matrix, `weight + I` ([features x features] for
  /// the identity part).
  Tensor getDenseWeight(int64_t features) const;
};

/// `value = sum(terms) + bias`, over a [batch x features] tensor.
struct AffineForm {
  mlir::Value value;
  int64_t numFeatures = 0;
  llvm::SmallVector<AffineTerm> terms;
  /// [features], or empty (rank 0) without a bias.
  Tensor bias;
  /// The ops between the roots and `value` (value's defining op included).
  llvm::SetVector<mlir::Operation *> ops;

  bool hasBias() const { return bias.getRank() != 0; }
  /// Elements of the weight matrices and bias vector.
  int64_t getNumParameters() const;
  /// The term of `root`, or nullptr.
  AffineTerm *findTerm(mlir::Value root);
  const AffineTerm *findTerm(mlir::Value root) const {
    return const_cast<AffineForm *>(this)->findTerm(root);
  }
};

/// Decomposes `value` (a ranked [batch x features] f32 tensor), reading
/// weights through `constants`. Fails when it
/// is not a 2-D float tensor with static features or when a look-through op
/// has a form that cannot be represented (e.g. a non-constant weight); the
/// reason goes to `whyNot`. A value that no rule looks through, or for which
/// `isRoot` holds (e.g. an activation's result, even when its last op is a
/// linear combination like torch-mlir's leaky ReLU `max(0,z) + k min(0,z)`),
/// is its own single root with the identity weight.
mlir::FailureOr<AffineForm>
decomposeAffine(mlir::Value value, ConstantTensorEvaluator &constants,
                std::string *whyNot = nullptr,
                llvm::function_ref<bool(mlir::Value)> isRoot = nullptr);

/// Whether decomposeAffine looks through the op using `use` from that
/// operand: the op's result is an affine function of the operand with
/// constant coefficients (the left operand or accumulator of a matmul with a
/// constant weight, an input of an elementwise op whose body is linear in
/// it). The layer graph follows activations' values forward with it, so
/// that a value read by anything else (a GELU, a LayerNorm, a product of two
/// values) is where they leave the affine ops.
bool isLookedThrough(mlir::OpOperand &use, ConstantTensorEvaluator &constants);

/// Computes `form` on `rows` samples, given each root's value
/// ([rows x root features]): the form's matmuls on OpenBLAS, its residual
/// parts as adds, its bias broadcast.
Tensor
evaluateAffineForm(const AffineForm &form, int64_t rows,
                   llvm::function_ref<const Tensor &(mlir::Value)> rootValue);

} // namespace lin

#endif // LIN_ANALYSIS_AFFINEFORM_H
