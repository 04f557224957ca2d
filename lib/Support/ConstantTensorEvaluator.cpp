//===- ConstantTensorEvaluator.cpp - Read constants as tensors ------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Support/ConstantTensorEvaluator.h"

using namespace lin;

// Anchors the vtable in this library.
ConstantTensorEvaluator::~ConstantTensorEvaluator() = default;
