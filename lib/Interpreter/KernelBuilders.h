//===- KernelBuilders.h - Builders of the interpreter's kernels -*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// One builder per family of operations; buildKernel dispatches to them.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_LIB_INTERPRETER_KERNELBUILDERS_H
#define LIN_LIB_INTERPRETER_KERNELBUILDERS_H

#include "Kernel.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace lin {

/// Contractions that map onto BLAS sgemm (matmul, batch_matmul, transposed
/// operands, matmul-like linalg.generic). Returns a null kernel (success)
/// when `op` is not such a contraction, so that the caller falls back to the
/// structured kernel.
mlir::FailureOr<std::unique_ptr<Kernel>>
buildContractionKernel(mlir::linalg::LinalgOp op, KernelDiagnoser &diagnoser);

/// Convolutions (multiply-accumulate ops MLIR classifies as convolutions,
/// any layout, stride, dilation, groups) as im2col + BLAS sgemm. Returns a
/// null kernel (success) for other ops, which the structured kernel runs.
mlir::FailureOr<std::unique_ptr<Kernel>>
buildConvolutionKernel(mlir::linalg::LinalgOp op, KernelDiagnoser &diagnoser);

/// Kernels of the tensor dialect (empty, reshapes, casts, slices, pad, dim,
/// extract, from_elements, splat, concat).
mlir::FailureOr<std::unique_ptr<Kernel>>
buildTensorKernel(mlir::Operation *op, KernelDiagnoser &diagnoser);

/// arith.constant (scalars and tensors) and arith / math ops on scalars at
/// function scope.
mlir::FailureOr<std::unique_ptr<Kernel>>
buildScalarKernel(mlir::Operation *op, KernelDiagnoser &diagnoser);

/// affine.apply, affine.min and affine.max on runtime indices.
mlir::FailureOr<std::unique_ptr<Kernel>>
buildAffineKernel(mlir::Operation *op, KernelDiagnoser &diagnoser);

/// cf.assert at function scope: a false condition is a runtime error carrying
/// the assertion's message.
mlir::FailureOr<std::unique_ptr<Kernel>>
buildAssertKernel(mlir::cf::AssertOp op, KernelDiagnoser &diagnoser);

/// linalg.softmax.
mlir::FailureOr<std::unique_ptr<Kernel>>
buildSoftmaxKernel(mlir::linalg::SoftmaxOp op, KernelDiagnoser &diagnoser);

} // namespace lin

#endif // LIN_LIB_INTERPRETER_KERNELBUILDERS_H
