//===- ConstantEvaluator.h - Evaluate constant subgraphs --------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Evaluates values computed from constants alone (weights as arith.constant
// dense / splat / dense_resource blobs, possibly transposed, broadcast,
// reshaped or otherwise transformed by ops the interpreter supports) with the
// interpreter's kernels. The fold pass reads weight matrices and biases
// through it, whatever form the frontend gave them.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_INTERPRETER_CONSTANTEVALUATOR_H
#define LIN_INTERPRETER_CONSTANTEVALUATOR_H

#include "lin/Interpreter/RuntimeValue.h"
#include "lin/Support/ConstantTensorEvaluator.h"
#include "lin/Support/Tensor.h"

#include "mlir/IR/Value.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/DenseMap.h"

#include <string>

namespace lin {

/// True when `value` depends on no block argument and no op with side
/// effects other than checks (isFreeOfEffectsButChecks), i.e.
/// evaluateConstant may succeed.
bool isConstantComputable(mlir::Value value);

/// mlir::isMemoryEffectFree, except that cf.assert (as torch-mlir puts in
/// eval batch norm's `1 / sqrt(var)`) counts as free: evaluating such an op
/// is sound because the kernels run the checks, and one whose result is
/// unused may be erased.
bool isFreeOfEffectsButChecks(mlir::Operation *op);

/// Evaluates a constant-computable value to an f32 host tensor (f16, bf16 and
/// f64 constants are converted; a scalar becomes a 0-d tensor). Fails without
/// emitting diagnostics when the value is not constant-computable or uses an
/// op the interpreter does not support; the caller decides how to report it.
/// An f32 constant comes back without a copy: the tensor borrows the
/// attribute's elements (valid while the MLIRContext lives; call
/// makeUnique() before writing to it).
mlir::FailureOr<Tensor> evaluateConstant(mlir::Value value);

/// The evaluator behind evaluateConstant, and the interpreter's
/// implementation of the analyses' ConstantTensorEvaluator. With
/// `memoiseValues`, every value it computes is kept, so shared
/// subexpressions (a weight read by several consumers, its transpose) are
/// computed once: the interpreter uses it so for the constant part of the
/// function it runs, once for all batches. Without, each evaluation starts
/// afresh, so that reading the weights of a large model one layer at a time
/// never holds more than one layer's temporaries.
class ConstantEvaluator : public ConstantTensorEvaluator {
public:
  /// With `emitErrors`, failures are reported as located errors on the
  /// failing op; without, they are silent and getLastError() describes them.
  explicit ConstantEvaluator(bool emitErrors = false,
                             bool memoiseValues = true);

  bool isConstantComputable(mlir::Value value) override;

  /// Evaluates `value` (and memoises it and everything it depends on). With
  /// `materialize` false, a tensor only its shape defines (tensor.empty)
  /// comes back without storage: for callers that need the shape only,
  /// which any size is fine for.
  mlir::FailureOr<RuntimeValue> evaluate(mlir::Value value,
                                         bool materialize = true);
  /// evaluate(), with a scalar returned as a 0-d tensor.
  mlir::FailureOr<Tensor> evaluateTensor(mlir::Value value) override;

  /// Why the last evaluation failed (silent mode).
  llvm::StringRef getLastError() const { return lastError; }

  /// Forgets every memoised value (e.g. after the IR changed).
  void clear();

private:
  /// Runs the ops `value` depends on and memoises their results.
  mlir::LogicalResult compute(mlir::Value value);
  mlir::LogicalResult fail(mlir::Operation *op, const llvm::Twine &reason);

  bool emitErrors;
  bool memoiseValues;
  std::string lastError;
  llvm::DenseMap<mlir::Value, RuntimeValue> values;
  llvm::DenseMap<mlir::Value, bool> computable;
};

} // namespace lin

#endif // LIN_INTERPRETER_CONSTANTEVALUATOR_H
