//===- Interpreter.cpp - Run a function on host tensors -------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Compilation turns the function body into a list of steps (kernels of the
// ops that depend on the arguments) reading from value slots or from the
// table of constants. A backward pass over the steps decides what is needed:
// a step whose results nobody reads is dropped, a result whose data nobody
// reads (only its shape) is produced shape-only, and the last reader of
// every slot receives the value by move so that the kernel may reuse its
// buffer.
//
//===----------------------------------------------------------------------===//

#include "lin/Interpreter/Interpreter.h"
#include "Kernel.h"

#include "lin/Interpreter/ConstantEvaluator.h"

#include "llvm/ADT/DenseMap.h"

using namespace mlir;
using namespace lin;

InterpreterObserver::~InterpreterObserver() = default;

struct Interpreter::InputSource {
  enum Kind : uint8_t {
    /// A slot (argument or result of an earlier step).
    Slot,
    /// An entry of the constant table.
    Constant,
    /// Not computed: the kernel ignores this input.
    Absent,
  };
  Kind kind = Absent;
  unsigned index = 0;
  /// Last reader of the slot: the value is moved to the kernel.
  bool lastUse = false;
  /// The kernel reads the elements: shape-only values are materialised.
  bool readsData = false;
};

struct Interpreter::Step {
  Operation *op;
  std::unique_ptr<Kernel> kernel;
  std::vector<InputSource> inputs;
  /// Slot of each result, or -1 when nobody reads it.
  SmallVector<int> resultSlots;
};

Interpreter::Interpreter(func::FuncOp function) : function(function) {}
Interpreter::~Interpreter() = default;

FailureOr<std::unique_ptr<Interpreter>>
Interpreter::create(func::FuncOp function,
                    function_ref<bool(Operation *)> mustRun) {
  std::unique_ptr<Interpreter> interpreter(new Interpreter(function));
  if (failed(interpreter->compile(mustRun)))
    return failure();
  return interpreter;
}

namespace {
/// What the rest of the function needs of a value.
enum class Need : uint8_t { Nothing, Shape, Data };
} // namespace

LogicalResult Interpreter::compile(function_ref<bool(Operation *)> mustRun) {
  if (function.isExternal() || !function.getBody().hasOneBlock())
    return function.emitError()
           << "lin interpreter: the function must have a body of one block";
  Block &body = function.getBody().front();
  for (auto [index, type] : llvm::enumerate(function.getArgumentTypes()))
    if (!isa<RankedTensorType>(type))
      return function.emitError()
             << "lin interpreter: argument #" << index << " has type " << type
             << "; only ranked tensors are supported";

  // Kernels of every op, so that all unsupported ops are reported at once.
  ConstantEvaluator evaluator(/*emitErrors=*/true);
  struct Candidate {
    Operation *op;
    std::unique_ptr<Kernel> kernel;
  };
  std::vector<Candidate> candidates;
  bool anyFailed = false;
  for (Operation &op : body.without_terminator()) {
    KernelDiagnoser diagnoser(/*emitErrors=*/true);
    FailureOr<std::unique_ptr<Kernel>> kernel = buildKernel(&op, diagnoser);
    if (failed(kernel)) {
      anyFailed = true;
      continue;
    }
    bool isConstant = op.getNumResults() > 0 &&
                      llvm::all_of(op.getResults(), [&](Value result) {
                        return evaluator.isConstantComputable(result);
                      });
    if (!isConstant)
      candidates.push_back({&op, std::move(*kernel)});
  }
  if (anyFailed)
    return failure();

  // Backward: what each value is needed for.
  Operation *terminator = body.getTerminator();
  DenseMap<Value, Need> need;
  for (Value value : terminator->getOperands())
    need[value] = Need::Data;
  std::vector<bool> live(candidates.size(), false);
  for (size_t c = candidates.size(); c-- > 0;) {
    Candidate &candidate = candidates[c];
    Need resultNeed = Need::Nothing;
    if (mustRun && mustRun(candidate.op))
      for (Value result : candidate.op->getResults())
        need[result] = Need::Data;
    for (Value result : candidate.op->getResults())
      resultNeed = std::max(resultNeed, need.lookup(result));
    if (resultNeed == Need::Nothing && !candidate.kernel->hasSideEffects())
      continue;
    live[c] = true;
    for (auto [index, result] : llvm::enumerate(candidate.op->getResults()))
      if (need.lookup(result) == Need::Shape)
        candidate.kernel->setResultDataUnused(index);
    Kernel &kernel = *candidate.kernel;
    for (auto [index, input] : llvm::enumerate(kernel.getInputs())) {
      Need inputNeed = Need::Nothing;
      switch (kernel.getInputUse(index)) {
      case InputUse::Data:
        inputNeed = Need::Data;
        break;
      case InputUse::ShapeOnly:
        inputNeed = Need::Shape;
        break;
      case InputUse::Forwarded:
        inputNeed = resultNeed;
        break;
      case InputUse::None:
        break;
      }
      Need &current = need[input];
      current = std::max(current, inputNeed);
    }
  }

  // Forward: slots, constants and schedule.
  DenseMap<Value, unsigned> slotOf, constantOf;
  for (BlockArgument arg : body.getArguments())
    slotOf[arg] = numSlots++;
  // Constants read as data get storage once, here; a constant tensor.empty
  // read for its shape only stays without storage, whatever its size.
  auto sourceOf = [&](Value value, bool readsData) -> FailureOr<InputSource> {
    InputSource source;
    auto slot = slotOf.find(value);
    if (slot != slotOf.end()) {
      source.kind = InputSource::Slot;
      source.index = slot->second;
      return source;
    }
    auto constant = constantOf.find(value);
    if (constant == constantOf.end()) {
      FailureOr<RuntimeValue> evaluated =
          evaluator.evaluate(value, /*materialize=*/readsData);
      if (failed(evaluated))
        return failure();
      constant = constantOf.insert({value, constants.size()}).first;
      constants.push_back(std::move(*evaluated));
    }
    RuntimeValue &known = constants[constant->second];
    if (readsData && known.isTensor() && !known.getTensor().hasStorage())
      if (llvm::Error error = known.getTensor().tryMakeUnique())
        return value.getDefiningOp()->emitError()
               << "lin interpreter: " << llvm::toString(std::move(error));
    source.kind = InputSource::Constant;
    source.index = constant->second;
    return source;
  };

  for (auto [c, candidate] : llvm::enumerate(candidates)) {
    if (!live[c])
      continue;
    Step step;
    step.op = candidate.op;
    for (auto [index, input] : llvm::enumerate(candidate.kernel->getInputs())) {
      InputUse use = candidate.kernel->getInputUse(index);
      InputSource source;
      if (use != InputUse::None) {
        FailureOr<InputSource> found =
            sourceOf(input, /*readsData=*/use == InputUse::Data);
        if (failed(found))
          return failure();
        source = *found;
      }
      source.readsData = use == InputUse::Data;
      step.inputs.push_back(source);
    }
    for (Value result : candidate.op->getResults()) {
      if (need.lookup(result) == Need::Nothing) {
        step.resultSlots.push_back(-1);
        continue;
      }
      slotOf[result] = numSlots;
      step.resultSlots.push_back(numSlots++);
    }
    step.kernel = std::move(candidate.kernel);
    steps.push_back(std::move(step));
  }
  for (Value value : terminator->getOperands()) {
    FailureOr<InputSource> source = sourceOf(value, /*readsData=*/true);
    if (failed(source))
      return failure();
    returned.push_back(*source);
  }

  // The last reader of a slot takes its value; returned slots stay.
  std::vector<InputSource *> lastReader(numSlots, nullptr);
  for (Step &step : steps)
    for (InputSource &source : step.inputs)
      if (source.kind == InputSource::Slot)
        lastReader[source.index] = &source;
  for (const InputSource &source : returned)
    if (source.kind == InputSource::Slot)
      lastReader[source.index] = nullptr;
  for (InputSource *source : lastReader)
    if (source)
      source->lastUse = true;
  return success();
}

/// Checks a runtime shape against a ranked tensor type.
static bool isCompatible(ArrayRef<int64_t> shape, RankedTensorType type) {
  if (static_cast<int64_t>(shape.size()) != type.getRank())
    return false;
  for (auto [size, expected] : llvm::zip(shape, type.getShape()))
    if (!ShapedType::isDynamic(expected) && size != expected)
      return false;
  return true;
}

FailureOr<SmallVector<Tensor>> Interpreter::run(ArrayRef<Tensor> arguments,
                                                InterpreterObserver *observer) {
  ArrayRef<Type> argumentTypes = function.getArgumentTypes();
  if (arguments.size() != argumentTypes.size())
    return function.emitError()
           << "lin interpreter: expected " << argumentTypes.size()
           << " arguments, got " << arguments.size();
  std::vector<RuntimeValue> slots(numSlots);
  for (auto [index, argument] : llvm::enumerate(arguments)) {
    auto type = cast<RankedTensorType>(argumentTypes[index]);
    if (!isCompatible(argument.getShape(), type))
      return function.emitError()
             << "lin interpreter: argument #" << index << " has shape "
             << formatShape(argument.getShape()) << ", incompatible with "
             << type;
    slots[index] = argument;
  }

  SmallVector<RuntimeValue, 8> inputs;
  SmallVector<RuntimeValue, 2> results;
  for (Step &step : steps) {
    bool observed = observer && observer->isObserved(step.op);
    bool keepOperands = observed && observer->readsOperandsAfter(step.op);
    inputs.clear();
    for (const InputSource &source : step.inputs) {
      switch (source.kind) {
      case InputSource::Slot:
        if (source.lastUse && !keepOperands)
          inputs.push_back(std::move(slots[source.index]));
        else
          inputs.push_back(slots[source.index]);
        break;
      case InputSource::Constant:
        inputs.push_back(constants[source.index]);
        break;
      case InputSource::Absent:
        inputs.emplace_back();
        break;
      }
      // tensor.empty has undefined contents; zeros are as good as any. Its
      // shape may be anything the IR says: a failed allocation is an error on
      // the op that needs the data.
      RuntimeValue &input = inputs.back();
      if (source.readsData && input.isTensor() &&
          !input.getTensor().hasStorage())
        if (llvm::Error error = input.getTensor().tryMakeUnique())
          return step.op->emitError()
                 << "lin interpreter: operand #" << inputs.size() - 1 << ": "
                 << llvm::toString(std::move(error));
    }
    ArrayRef<RuntimeValue> operands =
        ArrayRef(inputs).take_front(step.op->getNumOperands());
    if (observed && failed(observer->beforeOp(step.op, operands)))
      return failure();
    results.assign(step.op->getNumResults(), RuntimeValue());
    if (llvm::Error error = step.kernel->run(inputs, results))
      return step.op->emitError()
             << "lin interpreter: " << llvm::toString(std::move(error));
    if (observed) {
      if (failed(observer->afterOp(step.op, operands, results)))
        return failure();
      if (keepOperands)
        for (const InputSource &source : step.inputs)
          if (source.kind == InputSource::Slot && source.lastUse)
            slots[source.index] = RuntimeValue();
    }
    for (auto [slot, result] : llvm::zip(step.resultSlots, results))
      if (slot >= 0)
        slots[slot] = std::move(result);
  }
  inputs.clear();

  SmallVector<Tensor> outputs;
  for (const InputSource &source : returned) {
    RuntimeValue value = source.kind == InputSource::Slot
                             ? slots[source.index]
                             : constants[source.index];
    if (!value.isTensor()) {
      Tensor scalar = Tensor::uninitialized({});
      scalar.data()[0] = static_cast<float>(value.getScalar());
      outputs.push_back(std::move(scalar));
      continue;
    }
    Tensor tensor = value.getTensor();
    if (!tensor.hasStorage())
      if (llvm::Error error = tensor.tryMakeUnique())
        return function.getBody().front().getTerminator()->emitError()
               << "lin interpreter: result #" << outputs.size() << ": "
               << llvm::toString(std::move(error));
    outputs.push_back(std::move(tensor));
  }
  return outputs;
}

FailureOr<func::FuncOp> lin::findEntryFunction(ModuleOp module,
                                               StringRef name) {
  if (!name.empty()) {
    auto function = module.lookupSymbol<func::FuncOp>(name);
    if (!function || function.isExternal())
      return module.emitError()
             << "no function @" << name << " with a body in the module";
    return function;
  }
  func::FuncOp found;
  for (auto function : module.getOps<func::FuncOp>()) {
    if (!function.isPublic() || function.isExternal())
      continue;
    if (found)
      return module.emitError()
             << "the module has several public functions (@"
             << found.getSymName() << ", @" << function.getSymName()
             << "); choose one by name";
    found = function;
  }
  if (!found)
    return module.emitError() << "the module has no public function";
  return found;
}
