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
//===----------------------------------------------------------------------===//

#ifndef LIN_INTERPRETER_TENSOR_H
#define LIN_INTERPRETER_TENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace lin {

class Tensor {
public:
  Tensor() = default;
  /// A zero-filled tensor of the given shape.
  explicit Tensor(llvm::ArrayRef<int64_t> shape);

  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  int64_t getRank() const { return shape.size(); }
  int64_t getNumElements() const;
  int64_t getDimSize(unsigned dim) const { return shape[dim]; }

  const float *data() const { return storage ? storage->data() : nullptr; }
  float *data() { return storage ? storage->data() : nullptr; }
  llvm::ArrayRef<float> values() const { return {data(), size_t(size())}; }
  llvm::MutableArrayRef<float> values() { return {data(), size_t(size())}; }

  /// Same storage, another shape with the same number of elements.
  Tensor reshaped(llvm::ArrayRef<int64_t> newShape) const;
  /// Gives this tensor storage of its own (copying if shared).
  void makeUnique();

private:
  int64_t size() const { return storage ? int64_t(storage->size()) : 0; }
  llvm::SmallVector<int64_t, 4> shape;
  std::shared_ptr<std::vector<float>> storage;
};

} // namespace lin

#endif // LIN_INTERPRETER_TENSOR_H
