//===- Tensor.cpp - Host tensors of the interpreter -----------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Support/Tensor.h"

#include "llvm/Support/ErrorHandling.h"

#include <cassert>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <numeric>

using namespace lin;

static int64_t product(llvm::ArrayRef<int64_t> shape) {
  return std::accumulate(shape.begin(), shape.end(), int64_t(1),
                         std::multiplies<int64_t>());
}

/// Cache-line aligned storage: elementwise loops and BLAS prefer aligned rows.
static std::shared_ptr<float> allocateStorage(int64_t numElements) {
  constexpr size_t alignment = 64;
  size_t bytes = std::max<int64_t>(numElements, 1) * sizeof(float);
  bytes = (bytes + alignment - 1) / alignment * alignment;
  void *memory = std::aligned_alloc(alignment, bytes);
  if (!memory)
    llvm::report_bad_alloc_error("lin::Tensor: out of memory");
  return std::shared_ptr<float>(static_cast<float *>(memory),
                                [](float *p) { std::free(p); });
}

Tensor::Tensor(llvm::ArrayRef<int64_t> shape) : Tensor(uninitialized(shape)) {
  std::memset(data(), 0, numElements * sizeof(float));
}

Tensor Tensor::uninitialized(llvm::ArrayRef<int64_t> shape) {
  Tensor result = shapeOnly(shape);
  result.storage = allocateStorage(result.numElements);
  return result;
}

Tensor Tensor::shapeOnly(llvm::ArrayRef<int64_t> shape) {
  Tensor result;
  result.shape.assign(shape.begin(), shape.end());
  result.numElements = product(shape);
  return result;
}

Tensor Tensor::borrow(const float *data, llvm::ArrayRef<int64_t> shape) {
  Tensor result = shapeOnly(shape);
  // Never written through (makeUnique copies first), never freed.
  result.storage =
      std::shared_ptr<float>(const_cast<float *>(data), [](float *) {});
  result.borrowed = true;
  return result;
}

Tensor Tensor::reshaped(llvm::ArrayRef<int64_t> newShape) const {
  assert(product(newShape) == getNumElements() && "reshape changes size");
  Tensor result = *this;
  result.shape.assign(newShape.begin(), newShape.end());
  return result;
}

Tensor Tensor::leadingRows(int64_t rows) const {
  assert(getRank() > 0 && rows >= 0 && rows <= shape[0] && "bad row count");
  Tensor result = *this;
  result.shape[0] = rows;
  result.numElements = product(result.shape);
  return result;
}

void Tensor::makeUnique() {
  if (!storage) {
    *this = Tensor(shape);
    return;
  }
  if (isUniquelyOwned())
    return;
  std::shared_ptr<float> copy = allocateStorage(numElements);
  std::memcpy(copy.get(), storage.get(), numElements * sizeof(float));
  storage = std::move(copy);
  borrowed = false;
}
