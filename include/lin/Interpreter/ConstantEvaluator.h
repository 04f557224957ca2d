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

#include "lin/Interpreter/Tensor.h"

#include "mlir/IR/Value.h"
#include "mlir/Support/LLVM.h"

namespace lin {

/// True when `value` depends on no block argument and no op with side
/// effects, i.e. evaluateConstant may succeed.
bool isConstantComputable(mlir::Value value);

/// Evaluates a constant-computable value to an f32 host tensor (f16, bf16 and
/// f64 constants are converted). Fails without emitting diagnostics when the
/// value is not constant-computable or uses an op the interpreter does not
/// support; the caller decides how to report it.
mlir::FailureOr<Tensor> evaluateConstant(mlir::Value value);

} // namespace lin

#endif // LIN_INTERPRETER_CONSTANTEVALUATOR_H
