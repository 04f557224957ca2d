//===- PassOptionChecks.cpp - Range checks of lin's pass options ----------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/PassOptionChecks.h"

#include "mlir/IR/Diagnostics.h"

using namespace lin;

PassOptionChecker &
PassOptionChecker::report(std::optional<std::string> problem) {
  if (problem) {
    op->emitError() << passName << ": " << *problem;
    anyFailed = true;
  }
  return *this;
}
