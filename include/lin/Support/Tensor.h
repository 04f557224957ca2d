//===- Tensor.h - Host tensors of the interpreter ---------------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// A dense, row-major f32 tensor in host memory. Storage is shared between
// copies so that reshapes (tensor.expand_shape, collapse_shape, cast) and
// constants reused across batches cost no copy; writers call
// `makeUnique()` first.
//
// A tensor may also borrow read-only memory it does not own (the elements of
// a constant attribute, which live as long as the MLIRContext): copies share
// it, and makeUnique() copies it into owned storage before any write.
//
// The interpreter also uses tensors without storage ("shape-only"): the value
// of a tensor.empty, or of a fill nobody reads, carries a shape but no data
// until a kernel materialises it. Tensors returned by the public APIs
// (evaluateConstant, Interpreter::run) always have storage.
//
// Sizes come from files and from the IR, so they may be anything: the
// `try` factories check the element count and byte size for overflow and
// report a failed allocation as an error, which the interpreter and the .npy
// reader turn into a located error. The plain factories are for shapes the
// caller already knows to be small (they abort when memory runs out).
//
//===----------------------------------------------------------------------===//

#ifndef LIN_SUPPORT_TENSOR_H
#define LIN_SUPPORT_TENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>

namespace lin {

class Tensor {
public:
  Tensor() = default;
  /// A zero-filled tensor of the given shape.
  explicit Tensor(llvm::ArrayRef<int64_t> shape);

  /// A tensor whose elements are left uninitialised: for kernels that
  /// overwrite every element (saves a pass over memory on big buffers).
  static Tensor uninitialized(llvm::ArrayRef<int64_t> shape);
  /// A tensor with a shape and no storage (see the file comment).
  static Tensor shapeOnly(llvm::ArrayRef<int64_t> shape);
  /// A read-only view of `data`, which must outlive every copy of the
  /// tensor (see the file comment).
  static Tensor borrow(const float *data, llvm::ArrayRef<int64_t> shape);

  /// The number of elements of `shape`, or an error when a size is negative
  /// or the element count (or its size in bytes) overflows.
  static llvm::Expected<int64_t> countElements(llvm::ArrayRef<int64_t> shape);
  /// Fallible forms of the factories above: an error (no abort) for a bad
  /// shape (see countElements), an allocation above the allocation limit, or
  /// an allocation the system refuses. Messages name the shape and the byte
  /// count; the caller adds where (an op, a file).
  static llvm::Expected<Tensor> tryZeros(llvm::ArrayRef<int64_t> shape);
  static llvm::Expected<Tensor> tryUninitialized(llvm::ArrayRef<int64_t> shape);
  static llvm::Expected<Tensor> tryShapeOnly(llvm::ArrayRef<int64_t> shape);

  /// Caps the bytes of one allocation made through the `try` factories and
  /// tryMakeUnique (0: no cap, the default; the plain factories ignore it).
  /// Larger requests fail with an error instead of reaching malloc: fuzzers
  /// and memory-bounded runs set it so that a huge shape is an error, not an
  /// out-of-memory kill.
  static void setAllocationLimit(uint64_t bytes);
  static uint64_t getAllocationLimit();

  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  int64_t getRank() const { return shape.size(); }
  int64_t getNumElements() const { return numElements; }
  int64_t getDimSize(unsigned dim) const { return shape[dim]; }

  bool hasStorage() const { return storage != nullptr; }
  /// True when the elements are borrowed, read-only memory.
  bool isBorrowed() const { return borrowed; }
  const float *data() const { return storage.get(); }
  float *data() { return storage.get(); }
  llvm::ArrayRef<float> values() const {
    return {data(), size_t(hasStorage() ? numElements : 0)};
  }
  llvm::MutableArrayRef<float> values() {
    return {data(), size_t(hasStorage() ? numElements : 0)};
  }

  /// Same storage, another shape with the same number of elements.
  Tensor reshaped(llvm::ArrayRef<int64_t> newShape) const;
  /// The first `rows` slices along dimension 0, sharing storage (in row-major
  /// order they are a prefix of the elements).
  Tensor leadingRows(int64_t rows) const;
  /// Gives this tensor storage of its own (copying if shared or borrowed). A
  /// shape-only tensor gets zero-filled storage.
  void makeUnique();
  /// makeUnique() that reports a failed allocation as an error.
  llvm::Error tryMakeUnique();
  /// True when no other tensor shares this tensor's storage, so that a kernel
  /// may overwrite it in place.
  bool isUniquelyOwned() const {
    return storage && !borrowed && storage.use_count() == 1;
  }

private:
  /// Both makeUnique()s; `limited`: whether the allocation limit applies.
  llvm::Error makeUnique(bool limited);

  llvm::SmallVector<int64_t, 4> shape;
  int64_t numElements = 0;
  std::shared_ptr<float> storage;
  bool borrowed = false;
};

} // namespace lin

#endif // LIN_SUPPORT_TENSOR_H
