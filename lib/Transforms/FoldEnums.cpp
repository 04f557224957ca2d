//===- FoldEnums.cpp - Choices of the linearity fold ----------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/FoldEnums.h"

#include "llvm/ADT/StringSwitch.h"

#include "lin/Transforms/FoldEnums.cpp.inc"
