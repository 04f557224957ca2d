//===- TensorKernels.cpp - Kernels of the tensor dialect ------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Reshapes and casts share storage with their source; slices, pads and
// concatenations copy boxes of elements.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilders.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <cstring>
#include <functional>

using namespace mlir;
using namespace lin;

namespace {
using KernelBody = std::function<llvm::Error(MutableArrayRef<RuntimeValue>,
                                             MutableArrayRef<RuntimeValue>)>;

/// A kernel whose work fits in a lambda.
class LambdaKernel : public Kernel {
public:
  explicit LambdaKernel(Operation *op) : Kernel(op) {}
  using Kernel::setInputUse;
  void setBody(KernelBody newBody) { body = std::move(newBody); }
  llvm::Error run(MutableArrayRef<RuntimeValue> inputs,
                  MutableArrayRef<RuntimeValue> results) override {
    return body(inputs, results);
  }

private:
  KernelBody body;
};

/// A static size / offset / stride, or the kernel input holding it.
struct IndexOperand {
  int64_t value = 0;
  int input = -1;
  int64_t get(ArrayRef<RuntimeValue> inputs) const {
    return input < 0 ? value : toIndex(inputs[input].getScalar());
  }
};

SmallVector<IndexOperand> resolve(const Kernel &kernel,
                                  ArrayRef<OpFoldResult> mixed) {
  SmallVector<IndexOperand> result;
  for (OpFoldResult ofr : mixed) {
    if (auto attr = dyn_cast<Attribute>(ofr))
      result.push_back({cast<IntegerAttr>(attr).getInt(), -1});
    else
      result.push_back(
          {0, static_cast<int>(kernel.getInputIndex(cast<Value>(ofr)))});
  }
  return result;
}

SmallVector<int64_t> evaluate(ArrayRef<IndexOperand> operands,
                              ArrayRef<RuntimeValue> inputs) {
  SmallVector<int64_t> result;
  for (const IndexOperand &operand : operands)
    result.push_back(operand.get(inputs));
  return result;
}

/// Checks a runtime shape against the static sizes of a tensor type.
llvm::Error checkShape(ArrayRef<int64_t> shape, ShapedType type,
                       StringRef what) {
  bool matches = static_cast<int64_t>(shape.size()) == type.getRank();
  for (unsigned i = 0; matches && i < shape.size(); ++i)
    matches = type.isDynamicDim(i) || type.getDimSize(i) == shape[i];
  if (!matches)
    return kernelError("{0} has shape {1}, incompatible with {2}", what,
                       formatShape(shape), type);
  return llvm::Error::success();
}

/// Visits the box of `sizes` elements at `offsets` with `steps` in a
/// row-major tensor of `shape`: `visit(boxIndex, tensorIndex, count)` for each
/// run of `count` elements along the last dimension (contiguous in the box;
/// in the tensor with the last step).
void forEachBoxRow(ArrayRef<int64_t> shape, ArrayRef<int64_t> offsets,
                   ArrayRef<int64_t> sizes, ArrayRef<int64_t> steps,
                   function_ref<void(int64_t, int64_t, int64_t)> visit) {
  int64_t rank = shape.size();
  if (rank == 0) {
    visit(0, 0, 1);
    return;
  }
  for (int64_t size : sizes)
    if (size == 0)
      return;
  SmallVector<int64_t, 4> strides = getStrides(shape);
  SmallVector<int64_t, 4> position(rank, 0);
  int64_t rowLength = sizes.back(), boxIndex = 0;
  while (true) {
    int64_t tensorIndex = 0;
    for (int64_t d = 0; d < rank; ++d)
      tensorIndex += (offsets[d] + position[d] * steps[d]) * strides[d];
    visit(boxIndex, tensorIndex, rowLength);
    boxIndex += rowLength;
    int64_t d = rank - 2;
    for (; d >= 0; --d) {
      if (++position[d] < sizes[d])
        break;
      position[d] = 0;
    }
    if (d < 0)
      return;
  }
}

llvm::Error checkBox(ArrayRef<int64_t> shape, ArrayRef<int64_t> offsets,
                     ArrayRef<int64_t> sizes, ArrayRef<int64_t> steps) {
  if (offsets.size() != shape.size() || sizes.size() != shape.size() ||
      steps.size() != shape.size())
    return kernelError("slice of rank {0} into a tensor of rank {1}",
                       sizes.size(), shape.size());
  for (unsigned d = 0; d < shape.size(); ++d) {
    if (sizes[d] == 0)
      continue;
    // Offsets, sizes and strides come from the IR or from runtime values:
    // the last position must not overflow on its way to the bounds check.
    std::optional<int64_t> last =
        sizes[d] < 0 ? std::nullopt
                     : llvm::checkedMulAdd(sizes[d] - 1, steps[d], offsets[d]);
    if (offsets[d] < 0 || !last || *last < 0 || *last >= shape[d])
      return kernelError("slice (offset {0}, size {1}, stride {2}) is out of "
                         "bounds in dimension {3} of size {4}",
                         offsets[d], sizes[d], steps[d], d, shape[d]);
  }
  return llvm::Error::success();
}

void copyRow(float *to, int64_t toStep, const float *from, int64_t fromStep,
             int64_t count) {
  if (toStep == 1 && fromStep == 1) {
    std::memcpy(to, from, count * sizeof(float));
    return;
  }
  for (int64_t i = 0; i < count; ++i)
    to[i * toStep] = from[i * fromStep];
}

} // namespace

FailureOr<std::unique_ptr<Kernel>>
lin::buildTensorKernel(Operation *op, KernelDiagnoser &diagnoser) {
  auto kernel = std::make_unique<LambdaKernel>(op);
  LambdaKernel &k = *kernel;
  auto done = [&]() { return std::unique_ptr<Kernel>(std::move(kernel)); };

  if (auto empty = dyn_cast<tensor::EmptyOp>(op)) {
    SmallVector<IndexOperand> sizes = resolve(k, empty.getMixedSizes());
    k.setBody([sizes](auto inputs, auto results) -> llvm::Error {
      // Free (no storage), but the shape must be valid: whoever reads the
      // data allocates it from this shape.
      llvm::Expected<Tensor> result =
          Tensor::tryShapeOnly(evaluate(sizes, inputs));
      if (!result)
        return result.takeError();
      results[0] = std::move(*result);
      return llvm::Error::success();
    });
    return done();
  }

  if (auto castOp = dyn_cast<tensor::CastOp>(op)) {
    auto type = cast<ShapedType>(castOp.getType());
    k.setInputUse(0, InputUse::Forwarded);
    k.setBody([type](auto inputs, auto results) -> llvm::Error {
      if (llvm::Error error =
              checkShape(inputs[0].getTensor().getShape(), type, "the source"))
        return error;
      results[0] = std::move(inputs[0]);
      return llvm::Error::success();
    });
    return done();
  }

  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
    SmallVector<IndexOperand> shape = resolve(k, expand.getMixedOutputShape());
    k.setInputUse(0, InputUse::Forwarded);
    k.setBody([shape](auto inputs, auto results) -> llvm::Error {
      SmallVector<int64_t> newShape = evaluate(shape, inputs);
      const Tensor &source = inputs[0].getTensor();
      std::optional<int64_t> count =
          llvm::expectedToOptional(Tensor::countElements(newShape));
      if (count != source.getNumElements())
        return kernelError("cannot expand {0} into {1}",
                           formatShape(source.getShape()),
                           formatShape(newShape));
      results[0] = source.reshaped(newShape);
      return llvm::Error::success();
    });
    return done();
  }

  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
    SmallVector<ReassociationIndices> groups =
        collapse.getReassociationIndices();
    k.setInputUse(0, InputUse::Forwarded);
    k.setBody([groups](auto inputs, auto results) {
      const Tensor &source = inputs[0].getTensor();
      SmallVector<int64_t> newShape;
      for (const ReassociationIndices &group : groups) {
        int64_t size = 1;
        for (int64_t dim : group)
          size *= source.getDimSize(dim);
        newShape.push_back(size);
      }
      results[0] = source.reshaped(newShape);
      return llvm::Error::success();
    });
    return done();
  }

  if (auto reshape = dyn_cast<tensor::ReshapeOp>(op)) {
    k.setInputUse(0, InputUse::Forwarded);
    k.setBody([](auto inputs, auto results) -> llvm::Error {
      const Tensor &source = inputs[0].getTensor();
      SmallVector<int64_t> newShape;
      for (float size : inputs[1].getTensor().values())
        newShape.push_back(toIndex(size));
      std::optional<int64_t> count =
          llvm::expectedToOptional(Tensor::countElements(newShape));
      if (count != source.getNumElements())
        return kernelError("cannot reshape {0} into {1}",
                           formatShape(source.getShape()),
                           formatShape(newShape));
      results[0] = source.reshaped(newShape);
      return llvm::Error::success();
    });
    return done();
  }

  if (auto dim = dyn_cast<tensor::DimOp>(op)) {
    k.setInputUse(0, InputUse::ShapeOnly);
    k.setBody([](auto inputs, auto results) -> llvm::Error {
      const Tensor &source = inputs[0].getTensor();
      int64_t index = toIndex(inputs[1].getScalar());
      if (index < 0 || index >= source.getRank())
        return kernelError("dimension {0} out of range for rank {1}", index,
                           source.getRank());
      results[0] = RuntimeValue::scalar(double(source.getDimSize(index)));
      return llvm::Error::success();
    });
    return done();
  }

  if (isa<tensor::RankOp>(op)) {
    k.setInputUse(0, InputUse::ShapeOnly);
    k.setBody([](auto inputs, auto results) {
      results[0] =
          RuntimeValue::scalar(double(inputs[0].getTensor().getRank()));
      return llvm::Error::success();
    });
    return done();
  }

  if (isa<tensor::ExtractOp>(op)) {
    k.setBody([](auto inputs, auto results) -> llvm::Error {
      const Tensor &source = inputs[0].getTensor();
      SmallVector<int64_t, 4> strides = getStrides(source.getShape());
      int64_t index = 0;
      for (int64_t d = 0; d < source.getRank(); ++d) {
        int64_t i = toIndex(inputs[1 + d].getScalar());
        if (i < 0 || i >= source.getDimSize(d))
          return kernelError("index {0} out of range in dimension {1} of "
                             "size {2}",
                             i, d, source.getDimSize(d));
        index += i * strides[d];
      }
      results[0] = RuntimeValue::scalar(source.data()[index]);
      return llvm::Error::success();
    });
    return done();
  }

  if (auto fromElements = dyn_cast<tensor::FromElementsOp>(op)) {
    SmallVector<int64_t> shape(fromElements.getType().getShape());
    k.setBody([shape](auto inputs, auto results) -> llvm::Error {
      llvm::Expected<Tensor> tensor = Tensor::tryUninitialized(shape);
      if (!tensor)
        return tensor.takeError();
      for (auto [i, input] : llvm::enumerate(inputs))
        tensor->data()[i] = static_cast<float>(input.getScalar());
      results[0] = std::move(*tensor);
      return llvm::Error::success();
    });
    return done();
  }

  if (auto splat = dyn_cast<tensor::SplatOp>(op)) {
    auto type = cast<RankedTensorType>(splat.getType());
    SmallVector<IndexOperand> sizes;
    unsigned nextDynamic = 1;
    for (int64_t size : type.getShape())
      sizes.push_back(ShapedType::isDynamic(size)
                          ? IndexOperand{0, int(nextDynamic++)}
                          : IndexOperand{size, -1});
    k.setBody([sizes](auto inputs, auto results) -> llvm::Error {
      llvm::Expected<Tensor> tensor =
          Tensor::tryUninitialized(evaluate(sizes, inputs));
      if (!tensor)
        return tensor.takeError();
      std::fill_n(tensor->data(), tensor->getNumElements(),
                  static_cast<float>(inputs[0].getScalar()));
      results[0] = std::move(*tensor);
      return llvm::Error::success();
    });
    return done();
  }

  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op)) {
    SmallVector<IndexOperand> offsets = resolve(k, slice.getMixedOffsets());
    SmallVector<IndexOperand> sizes = resolve(k, slice.getMixedSizes());
    SmallVector<IndexOperand> strides = resolve(k, slice.getMixedStrides());
    llvm::SmallBitVector dropped = slice.getDroppedDims();
    k.setBody([=](auto inputs, auto results) -> llvm::Error {
      const Tensor &source = inputs[0].getTensor();
      SmallVector<int64_t> offset = evaluate(offsets, inputs);
      SmallVector<int64_t> size = evaluate(sizes, inputs);
      SmallVector<int64_t> step = evaluate(strides, inputs);
      if (llvm::Error error = checkBox(source.getShape(), offset, size, step))
        return error;
      // A stride of 0 repeats elements, so the size is not bounded by the
      // source's.
      llvm::Expected<Tensor> allocated = Tensor::tryUninitialized(size);
      if (!allocated)
        return allocated.takeError();
      Tensor &result = *allocated;
      int64_t lastStep = step.empty() ? 1 : step.back();
      forEachBoxRow(source.getShape(), offset, size, step,
                    [&](int64_t boxIndex, int64_t tensorIndex, int64_t count) {
                      copyRow(result.data() + boxIndex, 1,
                              source.data() + tensorIndex, lastStep, count);
                    });
      SmallVector<int64_t> resultShape;
      for (auto [d, s] : llvm::enumerate(size))
        if (!dropped.test(d))
          resultShape.push_back(s);
      results[0] = result.reshaped(resultShape);
      return llvm::Error::success();
    });
    return done();
  }

  if (auto insert = dyn_cast<tensor::InsertSliceOp>(op)) {
    SmallVector<IndexOperand> offsets = resolve(k, insert.getMixedOffsets());
    SmallVector<IndexOperand> sizes = resolve(k, insert.getMixedSizes());
    SmallVector<IndexOperand> strides = resolve(k, insert.getMixedStrides());
    k.setBody([=](auto inputs, auto results) -> llvm::Error {
      const Tensor &source = inputs[0].getTensor();
      Tensor dest = std::move(inputs[1].getTensor());
      SmallVector<int64_t> offset = evaluate(offsets, inputs);
      SmallVector<int64_t> size = evaluate(sizes, inputs);
      SmallVector<int64_t> step = evaluate(strides, inputs);
      if (llvm::Error error = checkBox(dest.getShape(), offset, size, step))
        return error;
      std::optional<int64_t> count =
          llvm::expectedToOptional(Tensor::countElements(size));
      if (count != source.getNumElements())
        return kernelError("source of shape {0} does not fill a slice of {1}",
                           formatShape(source.getShape()), formatShape(size));
      if (llvm::Error error = dest.tryMakeUnique())
        return error;
      int64_t lastStep = step.empty() ? 1 : step.back();
      forEachBoxRow(dest.getShape(), offset, size, step,
                    [&](int64_t boxIndex, int64_t tensorIndex, int64_t n) {
                      copyRow(dest.data() + tensorIndex, lastStep,
                              source.data() + boxIndex, 1, n);
                    });
      results[0] = std::move(dest);
      return llvm::Error::success();
    });
    return done();
  }

  if (auto pad = dyn_cast<tensor::PadOp>(op)) {
    // The padding value: a constant, or a scalar computed outside the region.
    Value yielded = pad.getConstantPaddingValue();
    if (!yielded)
      return diagnoser.fail(op, "only padding with a value independent of "
                                "the position is supported");
    IndexOperand value;
    float constant = 0.0f;
    FloatAttr floatAttr;
    if (matchPattern(yielded, m_Constant(&floatAttr)))
      constant = static_cast<float>(floatAttr.getValueAsDouble());
    else
      value.input = static_cast<int>(k.getInputIndex(yielded));
    SmallVector<IndexOperand> low = resolve(k, pad.getMixedLowPad());
    SmallVector<IndexOperand> high = resolve(k, pad.getMixedHighPad());
    k.setBody([=](auto inputs, auto results) -> llvm::Error {
      const Tensor &source = inputs[0].getTensor();
      SmallVector<int64_t> lows = evaluate(low, inputs);
      SmallVector<int64_t> highs = evaluate(high, inputs);
      SmallVector<int64_t> shape;
      for (int64_t d = 0; d < source.getRank(); ++d) {
        if (lows[d] < 0 || highs[d] < 0)
          return kernelError("negative padding is not supported");
        std::optional<int64_t> padded =
            llvm::checkedAdd(source.getDimSize(d), lows[d]);
        if (padded)
          padded = llvm::checkedAdd(*padded, highs[d]);
        if (!padded)
          return kernelError("padding dimension {0} by {1} and {2} overflows",
                             d, lows[d], highs[d]);
        shape.push_back(*padded);
      }
      llvm::Expected<Tensor> allocated = Tensor::tryUninitialized(shape);
      if (!allocated)
        return allocated.takeError();
      Tensor &result = *allocated;
      float fill = value.input < 0
                       ? constant
                       : static_cast<float>(inputs[value.input].getScalar());
      std::fill_n(result.data(), result.getNumElements(), fill);
      SmallVector<int64_t> ones(shape.size(), 1);
      forEachBoxRow(shape, lows, source.getShape(), ones,
                    [&](int64_t boxIndex, int64_t tensorIndex, int64_t n) {
                      copyRow(result.data() + tensorIndex, 1,
                              source.data() + boxIndex, 1, n);
                    });
      results[0] = std::move(result);
      return llvm::Error::success();
    });
    return done();
  }

  if (auto concat = dyn_cast<tensor::ConcatOp>(op)) {
    int64_t axis = concat.getDim();
    k.setBody([axis](auto inputs, auto results) -> llvm::Error {
      SmallVector<int64_t> shape(inputs[0].getTensor().getShape());
      shape[axis] = 0;
      for (const RuntimeValue &input : inputs) {
        ArrayRef<int64_t> part = input.getTensor().getShape();
        bool matches = part.size() == shape.size();
        for (int64_t d = 0; matches && d < int64_t(shape.size()); ++d)
          matches = d == axis || part[d] == shape[d];
        if (!matches)
          return kernelError("concatenated tensors {0} and {1} differ "
                             "outside dimension {2}",
                             formatShape(inputs[0].getTensor().getShape()),
                             formatShape(part), axis);
        // Shape-only inputs (tensor.empty) may be of any size.
        std::optional<int64_t> sum = llvm::checkedAdd(shape[axis], part[axis]);
        if (!sum)
          return kernelError("the concatenation's dimension {0} overflows",
                             axis);
        shape[axis] = *sum;
      }
      llvm::Expected<Tensor> allocated = Tensor::tryUninitialized(shape);
      if (!allocated)
        return allocated.takeError();
      Tensor &result = *allocated;
      SmallVector<int64_t> offsets(shape.size(), 0);
      SmallVector<int64_t> ones(shape.size(), 1);
      for (const RuntimeValue &input : inputs) {
        const Tensor &part = input.getTensor();
        forEachBoxRow(shape, offsets, part.getShape(), ones,
                      [&](int64_t boxIndex, int64_t tensorIndex, int64_t n) {
                        copyRow(result.data() + tensorIndex, 1,
                                part.data() + boxIndex, 1, n);
                      });
        offsets[axis] += part.getDimSize(axis);
      }
      results[0] = std::move(result);
      return llvm::Error::success();
    });
    return done();
  }

  return diagnoser.fail(op, "unsupported operation '" +
                                op->getName().getStringRef() + "'");
}
