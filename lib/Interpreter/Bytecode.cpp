//===- Bytecode.cpp - Compiled scalar bodies of linalg ops ----------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "Bytecode.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseMap.h"

#include <algorithm>

using namespace mlir;
using namespace lin;

bool BodyProgram::usesLoopIndices() const {
  return llvm::any_of(registers, [](const RegisterSource &source) {
    return source.kind == RegisterSource::LoopIndex;
  });
}

//===----------------------------------------------------------------------===//
// Compilation
//===----------------------------------------------------------------------===//

/// The value of a scalar constant attribute as the interpreter holds it.
static std::optional<float> getScalarConstant(Value value) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  if (auto floatAttr = dyn_cast<FloatAttr>(attr))
    return static_cast<float>(floatAttr.getValueAsDouble());
  if (auto intAttr = dyn_cast<IntegerAttr>(attr)) {
    if (intAttr.getType().isInteger(1))
      return intAttr.getValue().getBoolValue() ? 1.0f : 0.0f;
    return static_cast<float>(intAttr.getValue().getSExtValue());
  }
  return std::nullopt;
}

FailureOr<BodyProgram>
lin::compileBody(Operation *owner, Block &body,
                 function_ref<unsigned(Value)> captureIndex,
                 KernelDiagnoser &diagnoser) {
  BodyProgram program;
  DenseMap<Value, unsigned> registerOf;
  auto newRegister = [&](RegisterSource source) {
    program.registers.push_back(source);
    return static_cast<unsigned>(program.registers.size() - 1);
  };

  for (BlockArgument arg : body.getArguments()) {
    if (arg.use_empty()) {
      program.argumentRegisters.push_back(-1);
      continue;
    }
    unsigned reg =
        newRegister({RegisterSource::Argument, arg.getArgNumber(), 0.0f});
    registerOf[arg] = reg;
    program.argumentRegisters.push_back(reg);
  }

  // A value of the body, or a scalar from an enclosing scope.
  auto lookup = [&](Value value) -> unsigned {
    auto it = registerOf.find(value);
    if (it != registerOf.end())
      return it->second;
    unsigned reg;
    if (std::optional<float> constant = getScalarConstant(value))
      reg = newRegister({RegisterSource::Constant, 0, *constant});
    else
      reg = newRegister({RegisterSource::Capture, captureIndex(value), 0.0f});
    registerOf[value] = reg;
    return reg;
  };

  for (Operation &op : body.without_terminator()) {
    if (auto assertion = dyn_cast<cf::AssertOp>(op)) {
      program.assertions.push_back(
          {lookup(assertion.getArg()), assertion.getMsg().str()});
      continue;
    }
    if (op.getNumResults() != 1 || op.getNumRegions() != 0 ||
        isa<ShapedType>(op.getResult(0).getType()))
      return diagnoser.fail(owner, "body operation '" +
                                       op.getName().getStringRef() +
                                       "' is not a scalar operation");
    if (std::optional<float> constant = getScalarConstant(op.getResult(0))) {
      registerOf[op.getResult(0)] =
          newRegister({RegisterSource::Constant, 0, *constant});
      continue;
    }
    if (auto index = dyn_cast<linalg::IndexOp>(op)) {
      registerOf[index.getResult()] =
          newRegister({RegisterSource::LoopIndex,
                       static_cast<unsigned>(index.getDim()), 0.0f});
      continue;
    }
    if (auto extract = dyn_cast<tensor::ExtractOp>(op)) {
      Value source = extract.getTensor();
      if (body.getParent()->isAncestor(source.getParentRegion()))
        return diagnoser.fail(owner, "body: tensor.extract of a tensor "
                                     "defined in the body is not supported");
      Gather gather{captureIndex(source), {}};
      for (Value index : extract.getIndices())
        gather.indexRegisters.push_back(lookup(index));
      Instruction instruction{
          {Opcode::Gather},
          0,
          {static_cast<uint16_t>(program.gathers.size()), 0, 0}};
      program.gathers.push_back(std::move(gather));
      instruction.result = newRegister({});
      registerOf[extract.getResult()] = instruction.result;
      program.code.push_back(instruction);
      continue;
    }
    std::string whyNot;
    FailureOr<ScalarOp> scalarOp = getScalarOp(&op, whyNot);
    if (failed(scalarOp))
      return diagnoser.fail(owner, "body: " + whyNot);
    if (op.getNumOperands() != getNumOperands(scalarOp->opcode))
      return diagnoser.fail(owner, "body operation '" +
                                       op.getName().getStringRef() +
                                       "' has an unexpected operand count");
    Instruction instruction{*scalarOp, 0, {0, 0, 0}};
    for (auto [i, operand] : llvm::enumerate(op.getOperands()))
      instruction.operands[i] = lookup(operand);
    instruction.result = newRegister({});
    registerOf[op.getResult(0)] = instruction.result;
    program.code.push_back(instruction);
  }

  for (Value yielded : body.getTerminator()->getOperands())
    program.yieldRegisters.push_back(lookup(yielded));
  if (program.registers.size() > UINT16_MAX)
    return diagnoser.fail(owner, "body is too large");
  return program;
}

//===----------------------------------------------------------------------===//
// Execution
//===----------------------------------------------------------------------===//

BodyExecutor::BodyExecutor(const BodyProgram &program, int64_t chunkSize)
    : program(program), chunkSize(chunkSize),
      scratch(program.registers.size() * chunkSize),
      registers(program.registers.size()) {
  for (unsigned reg = 0; reg < registers.size(); ++reg)
    registers[reg] = getScratch(reg);
}

void BodyExecutor::fill(unsigned reg, float value, int64_t count) {
  float *chunk = getScratch(reg);
  std::fill_n(chunk, count, value);
  registers[reg] = chunk;
}

void BodyExecutor::loadUniforms(ArrayRef<RuntimeValue> inputs) {
  for (auto [reg, source] : llvm::enumerate(program.registers)) {
    // A result the last run computed straight into its output memory must
    // not write there again: that tensor may be freed by now, and this run
    // may not redirect the register (e.g. a batch of one row, where the
    // output is no longer contiguous along the innermost loop).
    if (source.kind == RegisterSource::Temporary)
      resetToScratch(reg);
    else if (source.kind == RegisterSource::Constant)
      fill(reg, source.constant, chunkSize);
    else if (source.kind == RegisterSource::Capture)
      fill(reg, static_cast<float>(inputs[source.index].getScalar()),
           chunkSize);
  }
  gatheredTensors.clear();
  for (const Gather &gather : program.gathers)
    gatheredTensors.push_back(&inputs[gather.tensorInput].getTensor());
}

llvm::Error BodyExecutor::checkErrors(int64_t count) {
  if (!gatherError.empty())
    return kernelError("{0}", std::exchange(gatherError, std::string()));
  for (const Assertion &assertion : program.assertions) {
    const float *condition = registers[assertion.condition];
    if (std::find(condition, condition + count, 0.0f) != condition + count)
      return assertionFailure(assertion.message);
  }
  return llvm::Error::success();
}

void BodyExecutor::runGather(const Instruction &instruction, int64_t count) {
  const Gather &gather = program.gathers[instruction.operands[0]];
  const Tensor &tensor = *gatheredTensors[instruction.operands[0]];
  ArrayRef<int64_t> shape = tensor.getShape();
  SmallVector<int64_t, 4> strides = getStrides(shape);
  const float *data = tensor.data();
  float *result = registers[instruction.result];
  for (int64_t k = 0; k < count; ++k) {
    int64_t offset = 0;
    for (auto [dim, reg] : llvm::enumerate(gather.indexRegisters)) {
      int64_t index = toIndex(registers[reg][k]);
      if (index < 0 || index >= shape[dim]) {
        if (gatherError.empty())
          gatherError = llvm::formatv("body: tensor.extract at index {0} of "
                                      "dimension {1} of size {2}",
                                      index, dim, shape[dim]);
        offset = -1;
        break;
      }
      offset += index * strides[dim];
    }
    result[k] = offset < 0 ? 0.0f : data[offset];
  }
}

namespace {
template <Opcode opcode, uint8_t predicate = 0>
void runUnary(float *result, const float *a, int64_t count) {
  constexpr ScalarOp op{opcode, predicate};
  for (int64_t i = 0; i < count; ++i)
    result[i] = scalar::apply<float>(op, a[i]);
}

template <Opcode opcode, uint8_t predicate = 0>
void runBinary(float *result, const float *a, const float *b, int64_t count) {
  constexpr ScalarOp op{opcode, predicate};
  for (int64_t i = 0; i < count; ++i)
    result[i] = scalar::apply<float>(op, a[i], b[i]);
}

template <Opcode opcode>
void runTernary(float *result, const float *a, const float *b, const float *c,
                int64_t count) {
  constexpr ScalarOp op{opcode, 0};
  for (int64_t i = 0; i < count; ++i)
    result[i] = scalar::apply<float>(op, a[i], b[i], c[i]);
}

/// Instantiates the comparison loop for each predicate, so that the
/// predicate switch happens once per chunk, not per element.
template <Opcode opcode, uint8_t predicate = 0>
void runCompare(uint8_t actual, float *result, const float *a, const float *b,
                int64_t count) {
  if constexpr (predicate <= 15) {
    if (actual == predicate)
      return runBinary<opcode, predicate>(result, a, b, count);
    return runCompare<opcode, predicate + 1>(actual, result, a, b, count);
  }
}
} // namespace

void BodyExecutor::execute(int64_t count) {
  for (const Instruction &instruction : program.code) {
    float *r = registers[instruction.result];
    const float *a = registers[instruction.operands[0]];
    const float *b = registers[instruction.operands[1]];
    const float *c = registers[instruction.operands[2]];
    switch (instruction.op.opcode) {
#define LIN_UNARY(NAME)                                                        \
  case Opcode::NAME:                                                           \
    runUnary<Opcode::NAME>(r, a, count);                                       \
    break;
#define LIN_BINARY(NAME)                                                       \
  case Opcode::NAME:                                                           \
    runBinary<Opcode::NAME>(r, a, b, count);                                   \
    break;
#define LIN_TERNARY(NAME)                                                      \
  case Opcode::NAME:                                                           \
    runTernary<Opcode::NAME>(r, a, b, c, count);                               \
    break;
      LIN_UNARY(Copy)
      LIN_UNARY(Neg)
      LIN_UNARY(Abs)
      LIN_UNARY(Exp)
      LIN_UNARY(Exp2)
      LIN_UNARY(Expm1)
      LIN_UNARY(Log)
      LIN_UNARY(Log2)
      LIN_UNARY(Log10)
      LIN_UNARY(Log1p)
      LIN_UNARY(Tanh)
      LIN_UNARY(Sqrt)
      LIN_UNARY(Rsqrt)
      LIN_UNARY(Erf)
      LIN_UNARY(Sin)
      LIN_UNARY(Cos)
      LIN_UNARY(Tan)
      LIN_UNARY(Atan)
      LIN_UNARY(Floor)
      LIN_UNARY(Ceil)
      LIN_UNARY(Round)
      LIN_UNARY(RoundEven)
      LIN_UNARY(Trunc)
      LIN_UNARY(LowBit)
      LIN_BINARY(Add)
      LIN_BINARY(Sub)
      LIN_BINARY(Mul)
      LIN_BINARY(Div)
      LIN_BINARY(Rem)
      LIN_BINARY(Maximum)
      LIN_BINARY(Minimum)
      LIN_BINARY(MaxNum)
      LIN_BINARY(MinNum)
      LIN_BINARY(Pow)
      LIN_BINARY(Atan2)
      LIN_BINARY(CopySign)
      LIN_BINARY(DivInt)
      LIN_BINARY(FloorDivInt)
      LIN_BINARY(CeilDivInt)
      LIN_BINARY(And)
      LIN_BINARY(Or)
      LIN_BINARY(Xor)
      LIN_BINARY(ShiftLeft)
      LIN_BINARY(ShiftRight)
      LIN_TERNARY(Select)
      LIN_TERNARY(Fma)
#undef LIN_UNARY
#undef LIN_BINARY
#undef LIN_TERNARY
    case Opcode::CmpF:
      runCompare<Opcode::CmpF>(instruction.op.predicate, r, a, b, count);
      break;
    case Opcode::CmpI:
      runCompare<Opcode::CmpI>(instruction.op.predicate, r, a, b, count);
      break;
    case Opcode::Gather:
      runGather(instruction, count);
      break;
    }
  }
}
