//===- ConstantData.cpp - Tensors from constant attributes ----------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "ConstantData.h"
#include "Kernel.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>
#include <optional>

using namespace mlir;
using namespace lin;

static float halfToFloat(uint16_t bits) {
  uint32_t sign = static_cast<uint32_t>(bits & 0x8000) << 16;
  uint32_t exponent = (bits >> 10) & 0x1f;
  uint32_t mantissa = bits & 0x3ff;
  uint32_t result;
  if (exponent == 0x1f) { // inf / nan
    result = sign | 0x7f800000 | (mantissa << 13);
  } else if (exponent != 0) { // normal
    result = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) { // zero
    result = sign;
  } else { // subnormal: normalise
    exponent = 113;
    while (!(mantissa & 0x400)) {
      mantissa <<= 1;
      --exponent;
    }
    result = sign | (exponent << 23) | ((mantissa & 0x3ff) << 13);
  }
  float value;
  std::memcpy(&value, &result, sizeof(value));
  return value;
}

static float bfloat16ToFloat(uint16_t bits) {
  uint32_t result = static_cast<uint32_t>(bits) << 16;
  float value;
  std::memcpy(&value, &result, sizeof(value));
  return value;
}

/// Bytes per element of the raw little-endian encodings the decoder reads
/// directly, or 0.
static unsigned getRawElementBytes(Type type) {
  if (type.isF32() || type.isInteger(32))
    return 4;
  if (type.isF64() || type.isInteger(64) || type.isIndex())
    return 8;
  if (type.isF16() || type.isBF16() || type.isInteger(16))
    return 2;
  if (type.isInteger(8) || type.isInteger(1))
    return 1;
  return 0;
}

/// Converts `count` little-endian elements stored as `Stored`.
template <typename Stored, typename Convert>
static void convertEach(const char *bytes, int64_t count, float *out,
                        Convert convert) {
  for (int64_t i = 0; i < count; ++i) {
    Stored value;
    std::memcpy(&value, bytes + i * sizeof(Stored), sizeof(Stored));
    out[i] = convert(value);
  }
}

/// Converts `count` raw elements of `type` (getRawElementBytes(type) != 0).
static void convertRaw(const char *bytes, Type type, int64_t count,
                       float *out) {
  auto toFloat = [](auto value) { return static_cast<float>(value); };
  bool isUnsigned = type.isUnsignedInteger();
  if (type.isF32())
    std::memcpy(out, bytes, count * sizeof(float));
  else if (type.isF64())
    convertEach<double>(bytes, count, out, toFloat);
  else if (type.isF16())
    convertEach<uint16_t>(bytes, count, out, halfToFloat);
  else if (type.isBF16())
    convertEach<uint16_t>(bytes, count, out, bfloat16ToFloat);
  else if (type.isInteger(1))
    convertEach<uint8_t>(bytes, count, out,
                         [](uint8_t value) { return value ? 1.0f : 0.0f; });
  else if (type.isInteger(64) || type.isIndex())
    isUnsigned ? convertEach<uint64_t>(bytes, count, out, toFloat)
               : convertEach<int64_t>(bytes, count, out, toFloat);
  else if (type.isInteger(32))
    isUnsigned ? convertEach<uint32_t>(bytes, count, out, toFloat)
               : convertEach<int32_t>(bytes, count, out, toFloat);
  else if (type.isInteger(16))
    isUnsigned ? convertEach<uint16_t>(bytes, count, out, toFloat)
               : convertEach<int16_t>(bytes, count, out, toFloat);
  else
    isUnsigned ? convertEach<uint8_t>(bytes, count, out, toFloat)
               : convertEach<int8_t>(bytes, count, out, toFloat);
}

/// f32 elements already in the interpreter's format are not copied: the
/// tensor borrows them from the attribute, which lives as long as the
/// context (weights of large models would otherwise exist twice).
static std::optional<Tensor> borrowF32(ArrayRef<char> raw, Type elementType,
                                       ShapedType type) {
  if (!elementType.isF32() ||
      reinterpret_cast<uintptr_t>(raw.data()) % alignof(float) != 0)
    return std::nullopt;
  return Tensor::borrow(reinterpret_cast<const float *>(raw.data()),
                        type.getShape());
}

static llvm::Expected<Tensor> decodeDense(DenseElementsAttr dense) {
  ShapedType type = dense.getType();
  Type elementType = type.getElementType();
  if (!isa<FloatType, IntegerType, IndexType>(elementType))
    return kernelError("constants of element type {0} are not supported",
                       elementType);
  // Not type.getNumElements(): a splat may have any shape, and that product
  // is unchecked.
  llvm::Expected<Tensor> allocated = Tensor::tryShapeOnly(type.getShape());
  if (!allocated)
    return allocated.takeError();
  int64_t numElements = allocated->getNumElements();
  // Raw storage is densely packed for the widths read directly, except i1.
  unsigned bytes = getRawElementBytes(elementType);
  ArrayRef<char> raw = dense.getRawData();
  bool isPacked = !dense.isSplat() && bytes && !elementType.isInteger(1) &&
                  raw.size() / bytes == static_cast<size_t>(numElements) &&
                  raw.size() % bytes == 0;
  if (isPacked)
    if (std::optional<Tensor> view = borrowF32(raw, elementType, type))
      return *view;

  // A splat of a huge type (tensor<100000000000x100000xf32>) is cheap in the
  // IR and fails here, as an error on the constant.
  allocated = Tensor::tryUninitialized(type.getShape());
  if (!allocated)
    return allocated.takeError();
  Tensor &result = *allocated;
  float *out = result.data();
  if (dense.isSplat()) {
    float value;
    if (isa<FloatType>(elementType))
      value =
          static_cast<float>(dense.getSplatValue<APFloat>().convertToDouble());
    else if (elementType.isInteger(1))
      value = dense.getSplatValue<bool>() ? 1.0f : 0.0f;
    else
      value = static_cast<float>(dense.getSplatValue<APInt>().getSExtValue());
    std::fill_n(out, numElements, value);
    return result;
  }
  if (isPacked) {
    convertRaw(raw.data(), elementType, numElements, out);
    return result;
  }
  int64_t i = 0;
  if (isa<FloatType>(elementType)) {
    for (const APFloat &value : dense.getValues<APFloat>())
      out[i++] = static_cast<float>(value.convertToDouble());
  } else if (elementType.isInteger(1)) {
    for (bool value : dense.getValues<bool>())
      out[i++] = value ? 1.0f : 0.0f;
  } else {
    for (const APInt &value : dense.getValues<APInt>())
      out[i++] = static_cast<float>(value.getSExtValue());
  }
  return result;
}

static llvm::Expected<Tensor>
decodeResource(DenseResourceElementsAttr resource) {
  ShapedType type = resource.getType();
  Type elementType = type.getElementType();
  unsigned bytes = getRawElementBytes(elementType);
  if (!bytes)
    return kernelError("dense_resource constants of element type {0} are not "
                       "supported",
                       elementType);
  const AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  if (!blob)
    return kernelError("dense_resource '{0}' has no data (the module's "
                       "dialect_resources section does not define it)",
                       resource.getRawHandle().getKey());
  ArrayRef<char> data = blob->getData();
  llvm::Expected<Tensor> shape = Tensor::tryShapeOnly(type.getShape());
  if (!shape)
    return shape.takeError();
  // No overflow: countElements keeps element counts below 2^61.
  int64_t numElements = shape->getNumElements();
  if (data.size() != static_cast<uint64_t>(numElements) * bytes)
    return kernelError("dense_resource '{0}' holds {1} bytes, but {2} needs "
                       "{3}",
                       resource.getRawHandle().getKey(), data.size(), type,
                       static_cast<uint64_t>(numElements) * bytes);
  if (std::optional<Tensor> view = borrowF32(data, elementType, type))
    return *view;
  llvm::Expected<Tensor> result = Tensor::tryUninitialized(type.getShape());
  if (!result)
    return result.takeError();
  convertRaw(data.data(), elementType, numElements, result->data());
  return result;
}

llvm::Expected<Tensor> lin::decodeElements(ElementsAttr attr) {
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    return decodeDense(dense);
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
    return decodeResource(resource);
  return kernelError("constant attributes of kind {0} are not supported",
                     attr.getAbstractAttribute().getName());
}
