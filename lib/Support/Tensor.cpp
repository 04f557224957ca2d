//===- Tensor.cpp - Host tensors of the interpreter -----------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Support/Tensor.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FormatVariadic.h"

#include <atomic>
#include <cassert>
#include <cstdlib>
#include <cstring>
#include <limits>

using namespace lin;

/// Storage is cache-line aligned: elementwise loops and BLAS prefer aligned
/// rows.
static constexpr size_t kAlignment = 64;

/// See Tensor::setAllocationLimit; atomic because tools may set it while
/// other threads (none today) allocate.
static std::atomic<uint64_t> allocationLimit{0};

static std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "0-d";
  return llvm::join(
      llvm::map_range(shape, [](int64_t s) { return std::to_string(s); }), "x");
}

static llvm::Error shapeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<int64_t> Tensor::countElements(llvm::ArrayRef<int64_t> shape) {
  // Storage is rounded up to the alignment, so the byte count plus that slack
  // must fit too; the limit keeps every later `index * sizeof(float)` exact.
  constexpr int64_t maxElements =
      (std::numeric_limits<int64_t>::max() - int64_t(kAlignment)) /
      int64_t(sizeof(float));
  // Every product of sizes must fit, not only the total: kernels compute
  // strides (suffix products), so a 0 elsewhere in the shape must not hide
  // an overflowing product of the other sizes.
  int64_t nonZeroProduct = 1;
  bool overflow = false, empty = false;
  for (int64_t size : shape) {
    if (size < 0)
      return shapeError(llvm::formatv("a tensor of shape {0} has a negative "
                                      "size",
                                      formatShape(shape)));
    if (size == 0) {
      empty = true;
      continue;
    }
    std::optional<int64_t> product = llvm::checkedMul(nonZeroProduct, size);
    if (!product || *product > maxElements)
      overflow = true;
    else
      nonZeroProduct = *product;
  }
  if (overflow)
    return shapeError(
        llvm::formatv("a tensor of shape {0} has too many elements (the "
                      "element count or its size in bytes overflows 64 bits)",
                      formatShape(shape)));
  return empty ? 0 : nonZeroProduct;
}

/// Allocates storage for `numElements` floats (already validated by
/// countElements), or returns null with the reason in `whyNot`. The
/// allocation limit applies when `limited`: to the fallible factories only,
/// whose callers report the error.
static std::shared_ptr<float> tryAllocateStorage(int64_t numElements,
                                                 llvm::ArrayRef<int64_t> shape,
                                                 std::string &whyNot,
                                                 bool limited = true) {
  uint64_t bytes =
      static_cast<uint64_t>(std::max<int64_t>(numElements, 1)) * sizeof(float);
  bytes = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  uint64_t limit = allocationLimit.load(std::memory_order_relaxed);
  if (limited && limit && bytes > limit) {
    whyNot = llvm::formatv("cannot allocate {0} bytes for a tensor of shape "
                           "{1}: over the allocation limit of {2} bytes",
                           bytes, formatShape(shape), limit);
    return nullptr;
  }
  // std::aligned_alloc returns null on failure (never aborts, unlike
  // llvm::allocate_buffer / safe_malloc), so the caller can report it.
  void *memory = bytes <= std::numeric_limits<size_t>::max()
                     ? std::aligned_alloc(kAlignment, bytes)
                     : nullptr;
  if (!memory) {
    whyNot = llvm::formatv("cannot allocate {0} bytes for a tensor of shape "
                           "{1}: out of memory",
                           bytes, formatShape(shape));
    return nullptr;
  }
  return std::shared_ptr<float>(static_cast<float *>(memory),
                                [](float *p) { std::free(p); });
}

/// The aborting form, for shapes the caller knows to be small.
static std::shared_ptr<float> allocateStorage(int64_t numElements,
                                              llvm::ArrayRef<int64_t> shape) {
  std::string whyNot;
  std::shared_ptr<float> storage =
      tryAllocateStorage(numElements, shape, whyNot, /*limited=*/false);
  if (!storage)
    llvm::report_bad_alloc_error(("lin::Tensor: " + whyNot).c_str());
  return storage;
}

void Tensor::setAllocationLimit(uint64_t bytes) {
  allocationLimit.store(bytes, std::memory_order_relaxed);
}

uint64_t Tensor::getAllocationLimit() {
  return allocationLimit.load(std::memory_order_relaxed);
}

Tensor::Tensor(llvm::ArrayRef<int64_t> shape) : Tensor(uninitialized(shape)) {
  std::memset(data(), 0, numElements * sizeof(float));
}

Tensor Tensor::uninitialized(llvm::ArrayRef<int64_t> shape) {
  Tensor result = shapeOnly(shape);
  result.storage = allocateStorage(result.numElements, shape);
  return result;
}

Tensor Tensor::shapeOnly(llvm::ArrayRef<int64_t> shape) {
  llvm::Expected<Tensor> result = tryShapeOnly(shape);
  if (!result)
    llvm::report_fatal_error(llvm::Twine("lin::Tensor: ") +
                                 llvm::toString(result.takeError()),
                             /*gen_crash_diag=*/false);
  return std::move(*result);
}

llvm::Expected<Tensor> Tensor::tryShapeOnly(llvm::ArrayRef<int64_t> shape) {
  llvm::Expected<int64_t> count = countElements(shape);
  if (!count)
    return count.takeError();
  Tensor result;
  result.shape.assign(shape.begin(), shape.end());
  result.numElements = *count;
  return result;
}

llvm::Expected<Tensor> Tensor::tryUninitialized(llvm::ArrayRef<int64_t> shape) {
  llvm::Expected<Tensor> result = tryShapeOnly(shape);
  if (!result)
    return result.takeError();
  std::string whyNot;
  result->storage = tryAllocateStorage(result->numElements, shape, whyNot);
  if (!result->storage)
    return shapeError(whyNot);
  return result;
}

llvm::Expected<Tensor> Tensor::tryZeros(llvm::ArrayRef<int64_t> shape) {
  llvm::Expected<Tensor> result = tryUninitialized(shape);
  if (result)
    std::memset(result->data(), 0, result->numElements * sizeof(float));
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
  assert(llvm::expectedToOptional(countElements(newShape)) ==
             std::optional<int64_t>(numElements) &&
         "reshape changes size");
  Tensor result = *this;
  result.shape.assign(newShape.begin(), newShape.end());
  return result;
}

Tensor Tensor::leadingRows(int64_t rows) const {
  assert(getRank() > 0 && rows >= 0 && rows <= shape[0] && "bad row count");
  Tensor result = *this;
  result.shape[0] = rows;
  // A prefix of valid storage: the count cannot overflow.
  result.numElements = rows == 0 ? 0 : numElements / shape[0] * rows;
  return result;
}

void Tensor::makeUnique() {
  if (llvm::Error error = makeUnique(/*limited=*/false))
    llvm::report_bad_alloc_error(
        ("lin::Tensor: " + llvm::toString(std::move(error))).c_str());
}

llvm::Error Tensor::tryMakeUnique() { return makeUnique(/*limited=*/true); }

llvm::Error Tensor::makeUnique(bool limited) {
  if (isUniquelyOwned())
    return llvm::Error::success();
  std::string whyNot;
  std::shared_ptr<float> copy =
      tryAllocateStorage(numElements, shape, whyNot, limited);
  if (!copy)
    return shapeError(whyNot);
  if (storage)
    std::memcpy(copy.get(), storage.get(), numElements * sizeof(float));
  else
    std::memset(copy.get(), 0, numElements * sizeof(float));
  storage = std::move(copy);
  borrowed = false;
  return llvm::Error::success();
}
