//===- StructuredKernel.h - Loop-nest execution of linalg ops ---*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Runs any linalg op whose indexing maps select dimensions and constant
// positions (elementwise, broadcasting, transposing, reducing, fills) by
// executing its compiled body over the iteration space, chunk by chunk along
// the innermost parallel loop.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_LIB_INTERPRETER_STRUCTUREDKERNEL_H
#define LIN_LIB_INTERPRETER_STRUCTUREDKERNEL_H

#include "Kernel.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace lin {

mlir::FailureOr<std::unique_ptr<Kernel>>
buildStructuredKernel(mlir::linalg::LinalgOp op, KernelDiagnoser &diagnoser);

/// Loop sizes of a linalg op from its operands' shapes (the indexing maps
/// have only dimension and constant results, as buildStructuredKernel
/// requires); errors when operands disagree. Scalar operands are skipped.
llvm::Expected<llvm::SmallVector<int64_t>>
computeLoopRanges(llvm::ArrayRef<mlir::AffineMap> maps,
                  llvm::ArrayRef<const Tensor *> operands);

} // namespace lin

#endif // LIN_LIB_INTERPRETER_STRUCTUREDKERNEL_H
