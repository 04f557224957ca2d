//===- Passes.h - lin transformation passes ---------------------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_PASSES_H
#define LIN_TRANSFORMS_PASSES_H

#include "lin/Dialect/Lin/IR/LinDialect.h"
#include "lin/Transforms/FoldEnums.h"
#include "lin/Transforms/PassOptionChecks.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace lin {

#define GEN_PASS_DECL
#include "lin/Transforms/Passes.h.inc"

/// Adds the compression pipeline to `pm` (anchored on builtin.module):
/// linearity-profile and linearity-fold with `options`, then canonicalize
/// and cse. The linearity-compress pass runs exactly this.
void buildLinearityCompressPipeline(mlir::OpPassManager &pm,
                                    const LinearityCompressOptions &options);

#define GEN_PASS_REGISTRATION
#include "lin/Transforms/Passes.h.inc"

} // namespace lin

#endif // LIN_TRANSFORMS_PASSES_H
