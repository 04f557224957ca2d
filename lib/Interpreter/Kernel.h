//===- Kernel.h - Executable form of one operation --------------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// A kernel is an operation compiled once into something that runs on runtime
// values many times (once per batch, or once for a constant). Building checks
// everything that can be checked without data, so that unsupported ops are
// reported before anything runs; running only checks what depends on runtime
// shapes.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_LIB_INTERPRETER_KERNEL_H
#define LIN_LIB_INTERPRETER_KERNEL_H

#include "lin/Interpreter/RuntimeValue.h"

#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FormatVariadic.h"

#include <memory>
#include <string>

namespace lin {

/// How a kernel uses one of its inputs.
enum class InputUse {
  /// Reads the elements (or the scalar).
  Data,
  /// Needs the tensor's shape only; the value may be shape-only.
  ShapeOnly,
  /// Passes the input's storage on to the result (reshapes, casts): its data
  /// is needed exactly when the result's is.
  Forwarded,
  /// Ignores the input (e.g. the zero-filled init of a matmul run with
  /// beta = 0); it need not be computed at all.
  None,
};

/// Collects the errors of kernel building: emitted as located errors on the
/// failing op, or recorded silently when the caller reports failure its own
/// way (the constant evaluator must not emit diagnostics).
class KernelDiagnoser {
public:
  explicit KernelDiagnoser(bool emitErrors) : emitErrors(emitErrors) {}

  /// Reports that `op` cannot be compiled, for `reason`. Always fails.
  mlir::LogicalResult fail(mlir::Operation *op, const llvm::Twine &reason);

  /// The first recorded reason (silent mode).
  llvm::StringRef getFirstError() const { return firstError; }

private:
  bool emitErrors;
  std::string firstError;
};

class Kernel {
public:
  virtual ~Kernel();

  /// The values `run` receives, in order: the op's operands, then the values
  /// defined outside the op that its regions use.
  llvm::ArrayRef<mlir::Value> getInputs() const { return inputs; }
  InputUse getInputUse(unsigned index) const { return inputUses[index]; }
  /// Position of `value` in getInputs().
  unsigned getInputIndex(mlir::Value value) const;

  /// True when the kernel must run even though nobody reads its results
  /// (checks such as cf.assert).
  virtual bool hasSideEffects() const { return false; }

  /// Tells the kernel that no consumer reads the data of result `index`, only
  /// its shape: it may then produce a shape-only tensor.
  virtual void setResultDataUnused(unsigned index) {}

  /// Computes the results from the inputs. Inputs passed with their last use
  /// (a tensor uniquely owned) may be consumed, e.g. overwritten in place.
  /// Errors are about runtime shapes or values; the caller locates them.
  virtual llvm::Error run(llvm::MutableArrayRef<RuntimeValue> inputs,
                          llvm::MutableArrayRef<RuntimeValue> results) = 0;

protected:
  /// Inputs are the operands of `op` and the values its regions capture, all
  /// read as Data until a subclass says otherwise.
  explicit Kernel(mlir::Operation *op);

  void setInputUse(unsigned index, InputUse use) { inputUses[index] = use; }

private:
  llvm::SmallVector<mlir::Value> inputs;
  llvm::SmallVector<InputUse> inputUses;
};

/// Builds the kernel of `op`, or reports through `diagnoser` why the
/// interpreter cannot run it.
mlir::FailureOr<std::unique_ptr<Kernel>>
buildKernel(mlir::Operation *op, KernelDiagnoser &diagnoser);

/// A runtime error of a kernel.
template <typename... Args>
llvm::Error kernelError(const char *format, Args &&...args) {
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      llvm::formatv(format, std::forward<Args>(args)...).str());
}

/// The runtime error of a cf.assert whose condition is false (at function
/// scope or in a linalg body).
llvm::Error assertionFailure(llvm::StringRef message);

/// A runtime index (held as a double, see RuntimeValue) as int64. Values
/// int64 cannot hold saturate and NaN becomes INT64_MIN, so that the range
/// checks that follow reject them: a plain cast would be undefined.
inline int64_t toIndex(double value) {
  if (!(value >= -0x1p63))
    return INT64_MIN;
  if (value >= 0x1p63)
    return INT64_MAX;
  return static_cast<int64_t>(value);
}

/// Advances `position` like an odometer over the loops whose ranges
/// `rangeOf(level)` gives (the last level fastest). Returns false once every
/// position was visited (also when there is no level: one position).
inline bool advanceOdometer(llvm::MutableArrayRef<int64_t> position,
                            llvm::function_ref<int64_t(size_t)> rangeOf) {
  for (size_t level = position.size(); level-- > 0;) {
    if (++position[level] < rangeOf(level))
      return true;
    position[level] = 0;
  }
  return false;
}

/// Row-major strides of a shape (of a valid tensor: every product of its
/// sizes fits, see Tensor::countElements).
llvm::SmallVector<int64_t, 4> getStrides(llvm::ArrayRef<int64_t> shape);

/// Formats a shape as `2x3x4` for messages.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

} // namespace lin

#endif // LIN_LIB_INTERPRETER_KERNEL_H
