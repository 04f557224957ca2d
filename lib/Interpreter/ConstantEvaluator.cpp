//===- ConstantEvaluator.cpp - Evaluate constant subgraphs ----------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Interpreter/ConstantEvaluator.h"
#include "Kernel.h"
#include "lin/Support/PostOrder.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/IR/Operation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace lin;

/// The values `op` reads: its operands and the values its regions capture
/// (in the order kernels receive them).
static SmallVector<Value> getInputsOf(Operation *op) {
  SmallVector<Value> inputs(op->getOperands());
  llvm::SetVector<Value> captured;
  getUsedValuesDefinedAbove(op->getRegions(), captured);
  llvm::append_range(inputs, captured);
  return inputs;
}

bool lin::isFreeOfEffectsButChecks(Operation *op) {
  if (isa<cf::AssertOp>(op))
    return true;
  if (auto effects = dyn_cast<MemoryEffectOpInterface>(op))
    if (!effects.hasNoEffect())
      return false;
  if (!op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
    return isa<MemoryEffectOpInterface>(op);
  for (Region &region : op->getRegions())
    for (Operation &nested : region.getOps())
      if (!isFreeOfEffectsButChecks(&nested))
        return false;
  return true;
}

ConstantEvaluator::ConstantEvaluator(bool emitErrors, bool memoiseValues)
    : emitErrors(emitErrors), memoiseValues(memoiseValues) {}

void ConstantEvaluator::clear() {
  values.clear();
  computable.clear();
}

LogicalResult ConstantEvaluator::fail(Operation *op, const Twine &reason) {
  if (emitErrors) {
    op->emitError() << "lin interpreter: " << reason;
  } else {
    lastError = ("'" + op->getName().getStringRef() + "': " + reason).str();
  }
  return failure();
}

bool ConstantEvaluator::isConstantComputable(Value value) {
  // Without recursion: the chain of inputs may be as long as the model.
  visitPostOrder(
      value,
      [&](Value value) {
        if (computable.count(value))
          return false;
        Operation *op = value.getDefiningOp();
        bool result = op && isFreeOfEffectsButChecks(op);
        // Provisional until the inputs are known: IR without cycles never
        // reads it, and a cycle through a graph region must end.
        computable[value] = result;
        return result;
      },
      [](Value value) { return getInputsOf(value.getDefiningOp()); },
      [&](Value value, ArrayRef<Value> inputs) {
        computable[value] = llvm::all_of(
            inputs, [&](Value input) { return computable.lookup(input); });
      });
  return computable.lookup(value);
}

FailureOr<RuntimeValue> ConstantEvaluator::evaluate(Value value,
                                                    bool materialize) {
  lastError.clear();
  if (!memoiseValues)
    values.clear();
  if (!values.count(value) && failed(compute(value)))
    return failure();
  RuntimeValue &result = values[value];
  if (materialize && result.isTensor() && !result.getTensor().hasStorage())
    if (llvm::Error error = result.getTensor().tryMakeUnique()) {
      (void)fail(value.getDefiningOp(), llvm::toString(std::move(error)));
      return failure();
    }
  return result;
}

LogicalResult ConstantEvaluator::compute(Value value) {
  if (!isConstantComputable(value)) {
    lastError = "the value depends on a function argument or on an op with "
                "side effects";
    return failure();
  }

  // Ops to run, dependencies first (iterative post-order).
  SmallVector<Operation *> order;
  llvm::DenseSet<Operation *> visited;
  SmallVector<std::pair<Operation *, bool>> stack{
      {value.getDefiningOp(), false}};
  while (!stack.empty()) {
    auto [op, inputsDone] = stack.pop_back_val();
    if (inputsDone) {
      order.push_back(op);
      continue;
    }
    if (!visited.insert(op).second)
      continue;
    stack.push_back({op, true});
    for (Value input : getInputsOf(op))
      if (!values.count(input))
        stack.push_back({input.getDefiningOp(), false});
  }

  for (Operation *op : order) {
    KernelDiagnoser diagnoser(emitErrors);
    FailureOr<std::unique_ptr<Kernel>> kernel = buildKernel(op, diagnoser);
    if (failed(kernel)) {
      if (!emitErrors)
        lastError = diagnoser.getFirstError().str();
      return failure();
    }
    SmallVector<RuntimeValue> inputs;
    for (auto [index, input] : llvm::enumerate((*kernel)->getInputs())) {
      inputs.push_back(values.lookup(input));
      // Contents of tensor.empty are undefined: zeros are as good as any.
      if ((*kernel)->getInputUse(index) == InputUse::Data &&
          inputs.back().isTensor() && !inputs.back().getTensor().hasStorage())
        if (llvm::Error error = inputs.back().getTensor().tryMakeUnique()) {
          (void)fail(op, "operand #" + llvm::Twine(index) + ": " +
                             llvm::toString(std::move(error)));
          return failure();
        }
    }
    SmallVector<RuntimeValue> results(op->getNumResults());
    if (llvm::Error error = (*kernel)->run(inputs, results)) {
      (void)fail(op, llvm::toString(std::move(error)));
      return failure();
    }
    for (auto [result, runtimeValue] : llvm::zip(op->getResults(), results))
      values[result] = std::move(runtimeValue);
  }
  return success();
}

FailureOr<Tensor> ConstantEvaluator::evaluateTensor(Value value) {
  FailureOr<RuntimeValue> result = evaluate(value);
  if (failed(result))
    return failure();
  if (result->isTensor())
    return result->getTensor();
  Tensor scalar = Tensor::uninitialized({});
  scalar.data()[0] = static_cast<float>(result->getScalar());
  return scalar;
}

bool lin::isConstantComputable(Value value) {
  return ConstantEvaluator().isConstantComputable(value);
}

FailureOr<Tensor> lin::evaluateConstant(Value value) {
  return ConstantEvaluator().evaluateTensor(value);
}
