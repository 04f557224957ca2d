//===- WeightCount.h - The weights a function really stores -----*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Sizes lin reports are counted on the IR, not on its own view of it: the
// weight elements (parameters) of a function are the elements of every
// distinct tensor constant its ops use (dense, dense_resource), as PyTorch
// counts a module's parameters, except 0-d tensors (scalars such as clamp
// bounds) and all-zero splats (accumulator initialisers, not weights).
// Constants are told apart by attribute, so CSE or a second copy of the same
// constant does not change the count, and the count of a compressed model
// equals the "before" of compressing it again.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_ANALYSIS_WEIGHTCOUNT_H
#define LIN_ANALYSIS_WEIGHTCOUNT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace lin {

/// The parameters a tensor constant holds: its elements, or 0 for an
/// all-zero splat.
int64_t getWeightElements(mlir::ElementsAttr value);

/// The distinct tensor constants used under `root`, with the ops that use
/// them. A constant's users are traced through ops that only compute
/// constants (a transpose of a weight, a broadcast of a bias): the users
/// recorded are the first ops that also read non-constant values.
struct WeightInventory {
  struct Weight {
    mlir::ElementsAttr value;
    int64_t elements = 0;
    /// Ops reading the weight (or a constant computed from it).
    llvm::SmallVector<mlir::Operation *> users;
  };
  llvm::SmallVector<Weight> weights;

  int64_t getTotalElements() const;
  static WeightInventory build(mlir::Operation *root);
};

/// WeightInventory::build(root).getTotalElements().
int64_t countWeightElements(mlir::Operation *root);

} // namespace lin

#endif // LIN_ANALYSIS_WEIGHTCOUNT_H
