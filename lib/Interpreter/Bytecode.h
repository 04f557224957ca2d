//===- Bytecode.h - Compiled scalar bodies of linalg ops --------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The scalar body of a linalg op is compiled once into a register program:
// every SSA value of the body becomes a register holding a chunk of elements
// (one per iteration of the innermost loop), and every body op becomes one
// instruction that runs a tight, vectorisable loop over the chunk. Executing
// an op then costs one dispatch per instruction per chunk instead of one
// region walk per element.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_LIB_INTERPRETER_BYTECODE_H
#define LIN_LIB_INTERPRETER_BYTECODE_H

#include "Kernel.h"
#include "ScalarOps.h"

#include "mlir/IR/Block.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lin {

struct Instruction {
  ScalarOp op;
  uint16_t result;
  uint16_t operands[3];
};

/// Where the value of a register comes from before the instructions run.
struct RegisterSource {
  enum Kind : uint8_t {
    /// Computed by an instruction.
    Temporary,
    /// A block argument: loaded from the matching operand.
    Argument,
    /// A constant of the body or from an enclosing scope.
    Constant,
    /// A scalar from an enclosing scope computed at runtime: input
    /// `captureInput` of the kernel.
    Capture,
    /// linalg.index `loopDim`.
    LoopIndex,
  };
  Kind kind = Temporary;
  unsigned index = 0; // argument number, capture input or loop dim
  float constant = 0.0f;
};

/// A cf.assert of the body: every element of `condition` must be true.
struct Assertion {
  unsigned condition;
  std::string message;
};

/// A tensor.extract in the body: reads the captured tensor `tensorInput` (a
/// kernel input) at the indices in `indexRegisters` (one per dimension).
struct Gather {
  unsigned tensorInput;
  llvm::SmallVector<unsigned, 4> indexRegisters;
};

struct BodyProgram {
  llvm::SmallVector<RegisterSource> registers;
  /// Operand 0 of a Gather instruction indexes this list.
  llvm::SmallVector<Gather> gathers;
  llvm::SmallVector<Instruction> code;
  /// Checked after the instructions: the body is pure, so checking late
  /// changes nothing but the values computed on a failing element.
  llvm::SmallVector<Assertion> assertions;
  /// Register of each block argument, or -1 when the body does not use it.
  llvm::SmallVector<int> argumentRegisters;
  /// Register of each yielded value.
  llvm::SmallVector<unsigned> yieldRegisters;

  bool usesLoopIndices() const;
  /// True when `reg` is the result of the last instruction, so it may be
  /// computed directly into output memory.
  bool isLastResult(unsigned reg) const {
    return !code.empty() && code.back().result == reg;
  }
};

/// Compiles `body` (the region of `owner`). `captureIndex` gives the kernel
/// input of a scalar defined outside the body. Fails with a located error (or
/// a silent one, see KernelDiagnoser) on ops that are not arith / math /
/// linalg.index.
mlir::FailureOr<BodyProgram>
compileBody(mlir::Operation *owner, mlir::Block &body,
            llvm::function_ref<unsigned(mlir::Value)> captureIndex,
            KernelDiagnoser &diagnoser);

/// Runs a BodyProgram over chunks of up to `chunkSize` elements. Registers
/// are pointers: to private scratch chunks by default, or redirected to
/// operand or result memory when that is contiguous.
class BodyExecutor {
public:
  BodyExecutor(const BodyProgram &program, int64_t chunkSize);

  int64_t getChunkSize() const { return chunkSize; }
  /// The register's own scratch chunk.
  float *getScratch(unsigned reg) {
    return scratch.data() + int64_t(reg) * chunkSize;
  }
  float *get(unsigned reg) const { return registers[reg]; }
  void redirect(unsigned reg, float *memory) { registers[reg] = memory; }
  void resetToScratch(unsigned reg) { registers[reg] = getScratch(reg); }
  /// Fills the register's scratch with `value` and points the register at it.
  void fill(unsigned reg, float value, int64_t count);

  /// Fills the constant registers (once per kernel run is enough) and the
  /// captures from `inputs`, and points the instructions' results back at
  /// their scratch (a run redirects them anew).
  void loadUniforms(llvm::ArrayRef<RuntimeValue> inputs);

  /// Executes every instruction over `count` elements.
  void execute(int64_t count);

  /// The error of the last execute(count): an index of a gather out of
  /// bounds, or an assertion that some of the elements fail.
  llvm::Error checkErrors(int64_t count);

private:
  const BodyProgram &program;
  int64_t chunkSize;
  std::vector<float> scratch;
  llvm::SmallVector<float *> registers;
  /// The tensors of the gathers, from the last loadUniforms.
  llvm::SmallVector<const Tensor *> gatheredTensors;
  /// A gather index out of bounds in the last execute.
  std::string gatherError;

  void runGather(const Instruction &instruction, int64_t count);
};

} // namespace lin

#endif // LIN_LIB_INTERPRETER_BYTECODE_H
