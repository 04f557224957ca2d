//===- ValueRecorder.cpp - Record values of a function over data ----------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Interpreter/ValueRecorder.h"

#include "llvm/ADT/DenseMap.h"

#include <cmath>

using namespace mlir;
using namespace lin;

int64_t RecordedValues::find(Value value) const {
  auto it = llvm::find(values, value);
  return it == values.end() ? -1 : it - values.begin();
}

bool lin::hasOnlyFiniteValues(ArrayRef<SmallVector<Tensor>> batches) {
  for (const SmallVector<Tensor> &batch : batches)
    for (const Tensor &tensor : batch)
      if (tensor.hasStorage() && !llvm::all_of(tensor.values(), [](float v) {
            return std::isfinite(v);
          }))
        return false;
  return true;
}

namespace {

/// Sees an op result after its op ran, a function argument as an operand of
/// its first user before that user runs.
class Recorder : public InterpreterObserver {
public:
  Recorder(ArrayRef<Value> values) {
    for (auto [index, value] : llvm::enumerate(values)) {
      if (auto result = dyn_cast<OpResult>(value)) {
        afterResults[result.getOwner()].push_back(
            {unsigned(index), result.getResultNumber()});
        continue;
      }
      OpOperand &use = *value.getUses().begin();
      beforeOperands[use.getOwner()].push_back(
          {unsigned(index), use.getOperandNumber()});
    }
    current.resize(values.size());
  }

  bool isObserved(Operation *op) override {
    return afterResults.contains(op) || beforeOperands.contains(op);
  }
  void beginBatch(int64_t samples, int64_t) override { realSamples = samples; }
  bool readsOperandsAfter(Operation *) override { return false; }

  LogicalResult beforeOp(Operation *op,
                         ArrayRef<RuntimeValue> operands) override {
    auto it = beforeOperands.find(op);
    if (it != beforeOperands.end())
      for (auto [index, position] : it->second)
        keep(index, operands[position]);
    return success();
  }
  LogicalResult afterOp(Operation *op, ArrayRef<RuntimeValue>,
                        ArrayRef<RuntimeValue> results) override {
    auto it = afterResults.find(op);
    if (it != afterResults.end())
      for (auto [index, position] : it->second)
        keep(index, results[position]);
    return success();
  }

  /// The values of the batch that just ran.
  SmallVector<Tensor> takeBatch() {
    SmallVector<Tensor> batch = std::move(current);
    current.clear();
    current.resize(batch.size());
    return batch;
  }

private:
  void keep(unsigned index, const RuntimeValue &value) {
    // Sharing the storage is safe: the interpreter updates a buffer in place
    // only when nothing else holds it.
    Tensor tensor = value.getTensor();
    if (tensor.getRank() > 0 && tensor.getDimSize(0) > realSamples)
      tensor = tensor.leadingRows(realSamples);
    if (!tensor.hasStorage())
      tensor.makeUnique();
    current[index] = std::move(tensor);
  }

  using Positions = SmallVector<std::pair<unsigned, unsigned>, 1>;
  DenseMap<Operation *, Positions> afterResults, beforeOperands;
  SmallVector<Tensor> current;
  int64_t realSamples = 0;
};

} // namespace

FailureOr<RecordedValues> lin::recordValues(func::FuncOp function,
                                            ArrayRef<Value> values,
                                            ArrayRef<std::string> dataFiles,
                                            const BatchRunOptions &options) {
  for (Value value : values)
    if (!isa<RankedTensorType>(value.getType()) || value.use_empty())
      return function.emitError()
             << "cannot record a value that is not a used ranked tensor";
  Recorder recorder(values);
  FailureOr<std::unique_ptr<Interpreter>> interpreter = Interpreter::create(
      function, [&](Operation *op) { return recorder.isObserved(op); });
  if (failed(interpreter))
    return failure();
  FailureOr<std::unique_ptr<BatchRunner>> runner =
      BatchRunner::create(**interpreter, dataFiles, options);
  if (failed(runner))
    return failure();
  RecordedValues recorded;
  recorded.values.assign(values.begin(), values.end());
  recorded.batchSize = (*runner)->getBatchSize();
  auto consume = [&](ArrayRef<Tensor> outputs, int64_t) {
    recorded.batches.push_back(recorder.takeBatch());
    recorded.outputs.emplace_back(outputs.begin(), outputs.end());
    recorded.numSamples += (*runner)->getCurrentSamples();
    return success();
  };
  if (failed((*runner)->run(consume, &recorder)))
    return failure();
  return recorded;
}
