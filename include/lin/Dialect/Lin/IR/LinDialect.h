//===- LinDialect.h - The lin dialect ---------------------------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_DIALECT_LIN_IR_LINDIALECT_H
#define LIN_DIALECT_LIN_IR_LINDIALECT_H

#include "mlir/IR/Dialect.h"

#include "lin/Dialect/Lin/IR/LinDialect.h.inc"

#endif // LIN_DIALECT_LIN_IR_LINDIALECT_H
