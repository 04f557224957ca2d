//===- FoldEnums.h - Choices of the linearity fold --------------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_FOLDENUMS_H
#define LIN_TRANSFORMS_FOLDENUMS_H

// The generated code also defines parsers and printers of the enums.
#include "mlir/IR/DialectImplementation.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <optional>

#include "lin/Transforms/FoldEnums.h.inc"

#endif // LIN_TRANSFORMS_FOLDENUMS_H
