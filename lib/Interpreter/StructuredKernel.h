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

#include <optional>

namespace lin {

mlir::FailureOr<std::unique_ptr<Kernel>>
buildStructuredKernel(mlir::linalg::LinalgOp op, KernelDiagnoser &diagnoser);

/// An indexing map as linear functions of the loops: result r indexes
/// `sum_l coefficients[r][l] * d_l + constants[r]`. Convolution and pooling
/// windows (`d2 * 2 + d5 * 3`) have this form; maps with mod or floordiv do
/// not.
struct LinearMap {
  unsigned numLoops = 0;
  llvm::SmallVector<llvm::SmallVector<int64_t, 8>> coefficients;
  llvm::SmallVector<int64_t> constants;

  /// The linear form of `map`, or failure for mod, floordiv and symbols.
  static mlir::FailureOr<LinearMap> get(mlir::AffineMap map);
  unsigned getNumResults() const { return constants.size(); }
  /// Memory strides of each loop in a row-major tensor of `shape` indexed
  /// through this map, and the offset of the constants.
  llvm::SmallVector<int64_t>
  getLoopStrides(llvm::ArrayRef<int64_t> shape) const;
  int64_t getOffset(llvm::ArrayRef<int64_t> shape) const;
  /// The loop result `result` indexes with alone (coefficient 1, no
  /// constant): such results determine the loop ranges.
  std::optional<unsigned> getSelectedLoop(unsigned result) const;
};

/// The linear forms of `maps`, or failure if one has none.
mlir::FailureOr<llvm::SmallVector<LinearMap>>
getLinearMaps(llvm::ArrayRef<mlir::AffineMap> maps);

/// Loop sizes of a linalg op from its operands' shapes: results selecting a
/// loop alone give its range, all other results must stay inside their
/// dimension over the whole iteration space; errors when operands disagree.
/// Scalar operands (null) are skipped.
llvm::Expected<llvm::SmallVector<int64_t>>
computeLoopRanges(llvm::ArrayRef<LinearMap> maps,
                  llvm::ArrayRef<const Tensor *> operands);

} // namespace lin

#endif // LIN_LIB_INTERPRETER_STRUCTUREDKERNEL_H
