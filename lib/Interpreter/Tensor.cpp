//===- Tensor.cpp - Host tensors of the interpreter -----------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Interpreter/Tensor.h"

#include <cassert>
#include <functional>
#include <numeric>

using namespace lin;

static int64_t product(llvm::ArrayRef<int64_t> shape) {
  return std::accumulate(shape.begin(), shape.end(), int64_t(1),
                         std::multiplies<int64_t>());
}

Tensor::Tensor(llvm::ArrayRef<int64_t> shape)
    : shape(shape.begin(), shape.end()),
      storage(std::make_shared<std::vector<float>>(product(shape), 0.0f)) {}

int64_t Tensor::getNumElements() const { return product(shape); }

Tensor Tensor::reshaped(llvm::ArrayRef<int64_t> newShape) const {
  assert(product(newShape) == getNumElements() && "reshape changes size");
  Tensor result = *this;
  result.shape.assign(newShape.begin(), newShape.end());
  return result;
}

void Tensor::makeUnique() {
  if (storage && storage.use_count() > 1)
    storage = std::make_shared<std::vector<float>>(*storage);
}
