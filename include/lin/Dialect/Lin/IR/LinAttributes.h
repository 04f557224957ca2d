//===- LinAttributes.h - Attributes of the lin dialect ----------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_DIALECT_LIN_IR_LINATTRIBUTES_H
#define LIN_DIALECT_LIN_IR_LINATTRIBUTES_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"

#include "lin/Dialect/Lin/IR/LinEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "lin/Dialect/Lin/IR/LinAttributes.h.inc"

namespace lin {
/// Number of linear pieces of an activation kind (2 for ReLU and leaky ReLU,
/// 3 for clamp).
unsigned getNumPieces(ActivationKind kind);
} // namespace lin

#endif // LIN_DIALECT_LIN_IR_LINATTRIBUTES_H
