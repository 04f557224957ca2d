//===- ConstantTensorEvaluator.h - Read constants as tensors ----*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The interface through which analyses read weights: a weight may be any
// value computed from constants alone (a dense_resource blob, its transpose,
// a broadcast bias), so reading it means running ops. The interpreter
// implements this interface (lin::ConstantEvaluator); analyses take it as a
// parameter and so depend on neither the interpreter nor its kernels.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_SUPPORT_CONSTANTTENSOREVALUATOR_H
#define LIN_SUPPORT_CONSTANTTENSOREVALUATOR_H

#include "lin/Support/Tensor.h"

#include "mlir/IR/Value.h"
#include "mlir/Support/LLVM.h"

namespace lin {

class ConstantTensorEvaluator {
public:
  virtual ~ConstantTensorEvaluator();

  /// True when `value` depends on no block argument and no op with side
  /// effects, i.e. evaluateTensor may succeed.
  virtual bool isConstantComputable(mlir::Value value) = 0;

  /// `value` as an f32 host tensor (a scalar as a 0-d tensor). Fails without
  /// emitting diagnostics; the caller decides how to report it.
  virtual mlir::FailureOr<Tensor> evaluateTensor(mlir::Value value) = 0;
};

} // namespace lin

#endif // LIN_SUPPORT_CONSTANTTENSOREVALUATOR_H
