//===- ScalarKernels.cpp - Constants and function-scope scalar ops --------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "ConstantData.h"
#include "KernelBuilders.h"
#include "ScalarOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/InterleavedRange.h"

using namespace mlir;
using namespace lin;

namespace {
/// arith.constant of a tensor: decoded on every run (the interpreter runs it
/// once, as a constant).
class TensorConstantKernel : public Kernel {
public:
  TensorConstantKernel(Operation *op, ElementsAttr value)
      : Kernel(op), value(value) {}
  llvm::Error run(MutableArrayRef<RuntimeValue>,
                  MutableArrayRef<RuntimeValue> results) override {
    llvm::Expected<Tensor> tensor = decodeElements(value);
    if (!tensor)
      return tensor.takeError();
    results[0] = std::move(*tensor);
    return llvm::Error::success();
  }

private:
  ElementsAttr value;
};

class ScalarConstantKernel : public Kernel {
public:
  ScalarConstantKernel(Operation *op, double value)
      : Kernel(op), value(value) {}
  llvm::Error run(MutableArrayRef<RuntimeValue>,
                  MutableArrayRef<RuntimeValue> results) override {
    results[0] = RuntimeValue::scalar(value);
    return llvm::Error::success();
  }

private:
  double value;
};

/// An arith / math op on scalars, computed in double.
class ScalarOpKernel : public Kernel {
public:
  ScalarOpKernel(Operation *op, ScalarOp scalarOp)
      : Kernel(op), scalarOp(scalarOp) {}
  llvm::Error run(MutableArrayRef<RuntimeValue> inputs,
                  MutableArrayRef<RuntimeValue> results) override {
    double operands[3] = {0.0, 0.0, 0.0};
    for (auto [i, input] : llvm::enumerate(inputs))
      operands[i] = input.getScalar();
    results[0] = RuntimeValue::scalar(
        scalar::apply<double>(scalarOp, operands[0], operands[1], operands[2]));
    return llvm::Error::success();
  }

private:
  ScalarOp scalarOp;
};

/// affine.apply, affine.min and affine.max on runtime indices: MLIR's
/// constant folder evaluates the map (floordiv, ceildiv and mod included).
class AffineMapKernel : public Kernel {
public:
  enum class Combine { Single, Minimum, Maximum };
  AffineMapKernel(Operation *op, AffineMap map, Combine combine)
      : Kernel(op), map(map), combine(combine) {}
  llvm::Error run(MutableArrayRef<RuntimeValue> inputs,
                  MutableArrayRef<RuntimeValue> results) override {
    Type indexType = IndexType::get(map.getContext());
    SmallVector<Attribute> operands;
    SmallVector<int64_t> values;
    for (const RuntimeValue &input : inputs) {
      values.push_back(toIndex(input.getScalar()));
      operands.push_back(IntegerAttr::get(indexType, values.back()));
    }
    SmallVector<Attribute> folded;
    bool poison = false;
    if (failed(map.constantFold(operands, folded, &poison)) || poison)
      return kernelError("the map {0} is undefined on operands ({1})", map,
                         llvm::interleaved(values));
    int64_t result = cast<IntegerAttr>(folded.front()).getInt();
    for (Attribute value : ArrayRef(folded).drop_front()) {
      int64_t other = cast<IntegerAttr>(value).getInt();
      result = combine == Combine::Minimum ? std::min(result, other)
                                           : std::max(result, other);
    }
    results[0] = RuntimeValue::scalar(static_cast<double>(result));
    return llvm::Error::success();
  }

private:
  AffineMap map;
  Combine combine;
};
} // namespace

FailureOr<std::unique_ptr<Kernel>>
lin::buildAffineKernel(Operation *op, KernelDiagnoser &diagnoser) {
  auto make = [&](AffineMap map, AffineMapKernel::Combine combine)
      -> FailureOr<std::unique_ptr<Kernel>> {
    if (map.getNumResults() == 0)
      return diagnoser.fail(op, "the affine map has no results");
    return std::unique_ptr<Kernel>(
        std::make_unique<AffineMapKernel>(op, map, combine));
  };
  if (auto apply = dyn_cast<affine::AffineApplyOp>(op))
    return make(apply.getAffineMap(), AffineMapKernel::Combine::Single);
  if (auto min = dyn_cast<affine::AffineMinOp>(op))
    return make(min.getAffineMap(), AffineMapKernel::Combine::Minimum);
  if (auto max = dyn_cast<affine::AffineMaxOp>(op))
    return make(max.getAffineMap(), AffineMapKernel::Combine::Maximum);
  return diagnoser.fail(op, "unsupported operation '" +
                                op->getName().getStringRef() + "'");
}

FailureOr<std::unique_ptr<Kernel>>
lin::buildScalarKernel(Operation *op, KernelDiagnoser &diagnoser) {
  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    Attribute value = constant.getValue();
    if (auto elements = dyn_cast<ElementsAttr>(value)) {
      Type elementType = elements.getElementType();
      if (!isa<FloatType, IntegerType, IndexType>(elementType))
        return diagnoser.fail(op, "constants of element type " +
                                      llvm::formatv("{0}", elementType).str() +
                                      " are not supported");
      return std::unique_ptr<Kernel>(
          std::make_unique<TensorConstantKernel>(op, elements));
    }
    if (auto floatAttr = dyn_cast<FloatAttr>(value))
      return std::unique_ptr<Kernel>(std::make_unique<ScalarConstantKernel>(
          op, floatAttr.getValueAsDouble()));
    if (auto intAttr = dyn_cast<IntegerAttr>(value)) {
      double scalar = intAttr.getType().isInteger(1)
                          ? double(intAttr.getValue().getBoolValue())
                          : double(intAttr.getValue().getSExtValue());
      return std::unique_ptr<Kernel>(
          std::make_unique<ScalarConstantKernel>(op, scalar));
    }
    return diagnoser.fail(op, "unsupported constant value");
  }

  for (Type type : op->getOperandTypes())
    if (isa<ShapedType>(type))
      return diagnoser.fail(op, "'" + op->getName().getStringRef() +
                                    "' on tensors is not supported (use "
                                    "linalg ops)");
  if (op->getNumResults() != 1 || op->getNumRegions() != 0)
    return diagnoser.fail(op, "unsupported operation '" +
                                  op->getName().getStringRef() + "'");
  std::string whyNot;
  FailureOr<ScalarOp> scalarOp = getScalarOp(op, whyNot);
  if (failed(scalarOp))
    return diagnoser.fail(op, whyNot);
  if (op->getNumOperands() != getNumOperands(scalarOp->opcode))
    return diagnoser.fail(op, "unexpected number of operands");
  return std::unique_ptr<Kernel>(
      std::make_unique<ScalarOpKernel>(op, *scalarOp));
}
