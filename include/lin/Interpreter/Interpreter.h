//===- Interpreter.h - Run a function on host tensors -----------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Executes a func.func of linalg-on-tensors IR on f32 host tensors, one batch
// per call. Creating the interpreter compiles every op into a kernel (so an
// unsupported op is reported, located, before anything runs) and evaluates
// the part of the function that depends on constants only (weight
// transposes, broadcasts of biases, ...) once for all batches.
//
// Per batch, the schedule skips work nobody reads (a matmul into a
// zero-filled tensor runs sgemm with beta = 0, so the fill is never
// executed) and releases every value after its last use, letting elementwise
// ops update a dying input in place.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_INTERPRETER_INTERPRETER_H
#define LIN_INTERPRETER_INTERPRETER_H

#include "lin/Interpreter/RuntimeValue.h"
#include "lin/Support/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <memory>
#include <vector>

namespace lin {

/// Lets a client see the operands and results of ops as they run (the
/// profiler reads the pre-activation of every activation op).
class InterpreterObserver {
public:
  virtual ~InterpreterObserver();

  /// Whether the observer wants to see `op`.
  virtual bool isObserved(mlir::Operation *op) = 0;

  /// Called by drivers that feed the function in batches (BatchRunner)
  /// before each run: only the first `samples` slices along the leading
  /// dimension of a batch of `batchSize` are data, the rest pads a static
  /// batch dimension.
  virtual void beginBatch(int64_t samples, int64_t batchSize) {}

  /// Called before an observed op runs, with its operands (in operand
  /// order; operands the op does not read may be empty values). A failure
  /// stops the run; the observer reports its own error.
  virtual mlir::LogicalResult beforeOp(mlir::Operation *op,
                                       llvm::ArrayRef<RuntimeValue> operands) {
    return mlir::success();
  }

  /// Whether afterOp() reads the operands of `op`: they are then kept intact
  /// while the op runs (no in-place update). Observers that only need
  /// operands should read them in beforeOp() and answer false, so that the
  /// op may reuse a dying operand's buffer.
  virtual bool readsOperandsAfter(mlir::Operation *op) { return true; }

  /// Called after an observed op ran, with its operands (valid only if
  /// readsOperandsAfter(op)) and its results.
  virtual mlir::LogicalResult afterOp(mlir::Operation *op,
                                      llvm::ArrayRef<RuntimeValue> operands,
                                      llvm::ArrayRef<RuntimeValue> results) {
    return mlir::success();
  }
};

class Interpreter {
public:
  /// Compiles `function` and evaluates its constant part. Emits a located
  /// error for every op the interpreter cannot run (and for constants that
  /// fail to evaluate), then fails. Ops whose results nothing reads are not
  /// run, unless `mustRun` selects them (e.g. the ops an observer watches).
  static mlir::FailureOr<std::unique_ptr<Interpreter>>
  create(mlir::func::FuncOp function,
         llvm::function_ref<bool(mlir::Operation *)> mustRun = nullptr);
  ~Interpreter();

  mlir::func::FuncOp getFunction() const { return function; }

  /// Runs the function on one batch. Arguments must match the function's
  /// argument types (dynamic dimensions take any size). Scalar results come
  /// back as 0-d tensors. Errors (argument shapes, runtime shape mismatches
  /// inside the function) are emitted as located errors.
  mlir::FailureOr<llvm::SmallVector<Tensor>>
  run(llvm::ArrayRef<Tensor> arguments,
      InterpreterObserver *observer = nullptr);

private:
  struct Step;
  struct InputSource;
  explicit Interpreter(mlir::func::FuncOp function);
  mlir::LogicalResult
  compile(llvm::function_ref<bool(mlir::Operation *)> mustRun);

  mlir::func::FuncOp function;
  std::vector<Step> steps;
  /// Values computed once: constant-computable values the steps read.
  llvm::SmallVector<RuntimeValue> constants;
  std::vector<InputSource> returned;
  unsigned numSlots = 0;
};

/// The function to run: the one named `name`, or, when `name` is empty, the
/// only public func.func with a body. Emits an error on the module when there
/// is no such function (or several candidates).
mlir::FailureOr<mlir::func::FuncOp> findEntryFunction(mlir::ModuleOp module,
                                                      llvm::StringRef name);

} // namespace lin

#endif // LIN_INTERPRETER_INTERPRETER_H
