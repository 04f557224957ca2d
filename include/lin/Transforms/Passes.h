//===- Passes.h - lin transformation passes ---------------------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_PASSES_H
#define LIN_TRANSFORMS_PASSES_H

#include "lin/Dialect/Lin/IR/LinDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace lin {

#define GEN_PASS_DECL
#include "lin/Transforms/Passes.h.inc"

/// Registers the registered pass pipelines (linearity-compress).
void registerLinPipelines();

#define GEN_PASS_REGISTRATION
#include "lin/Transforms/Passes.h.inc"

} // namespace lin

#endif // LIN_TRANSFORMS_PASSES_H
