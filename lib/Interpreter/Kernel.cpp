//===- Kernel.cpp - Executable form of one operation ----------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The kernel base class and the dispatch from operations to kernel builders.
//
//===----------------------------------------------------------------------===//

#include "Kernel.h"
#include "KernelBuilders.h"
#include "StructuredKernel.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace lin;

LogicalResult KernelDiagnoser::fail(Operation *op, const Twine &reason) {
  if (emitErrors)
    op->emitError() << "lin interpreter: " << reason;
  else if (firstError.empty())
    firstError = ("'" + op->getName().getStringRef() + "': " + reason).str();
  return failure();
}

Kernel::~Kernel() = default;

Kernel::Kernel(Operation *op) {
  llvm::append_range(inputs, op->getOperands());
  llvm::SetVector<Value> captured;
  getUsedValuesDefinedAbove(op->getRegions(), captured);
  llvm::append_range(inputs, captured);
  inputUses.assign(inputs.size(), InputUse::Data);
}

unsigned Kernel::getInputIndex(Value value) const {
  auto it = llvm::find(inputs, value);
  assert(it != inputs.end() && "not an input of the kernel");
  return it - inputs.begin();
}

SmallVector<int64_t, 4> lin::getStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t, 4> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

std::string lin::formatShape(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string result;
  for (auto [i, size] : llvm::enumerate(shape))
    result += (i ? "x" : "") + std::to_string(size);
  return result;
}

FailureOr<std::unique_ptr<Kernel>>
lin::buildKernel(Operation *op, KernelDiagnoser &diagnoser) {
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    FailureOr<std::unique_ptr<Kernel>> contraction =
        buildContractionKernel(linalgOp, diagnoser);
    if (failed(contraction) || *contraction)
      return contraction;
    FailureOr<std::unique_ptr<Kernel>> convolution =
        buildConvolutionKernel(linalgOp, diagnoser);
    if (failed(convolution) || *convolution)
      return convolution;
    return buildStructuredKernel(linalgOp, diagnoser);
  }
  if (auto softmax = dyn_cast<linalg::SoftmaxOp>(op))
    return buildSoftmaxKernel(softmax, diagnoser);
  if (isa<tensor::TensorDialect>(op->getDialect()))
    return buildTensorKernel(op, diagnoser);
  if (isa<arith::ArithDialect, math::MathDialect>(op->getDialect()))
    return buildScalarKernel(op, diagnoser);
  if (isa<affine::AffineApplyOp, affine::AffineMinOp, affine::AffineMaxOp>(op))
    return buildAffineKernel(op, diagnoser);
  if (auto assertion = dyn_cast<cf::AssertOp>(op))
    return buildAssertKernel(assertion, diagnoser);
  return diagnoser.fail(op, "unsupported operation '" +
                                op->getName().getStringRef() + "'");
}
