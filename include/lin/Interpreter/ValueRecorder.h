//===- ValueRecorder.h - Record values of a function over data --*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Runs a function over .npy data sets (BatchRunner) and keeps the values of
// chosen SSA values, batch by batch: what a calibration step reads from the
// original model (the refit's inputs and targets). The values stay in
// memory, about 4 bytes per sample and recorded feature.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_INTERPRETER_VALUERECORDER_H
#define LIN_INTERPRETER_VALUERECORDER_H

#include "lin/Interpreter/BatchRunner.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>
#include <vector>

namespace lin {

struct RecordedValues {
  /// What was recorded (values of the function that ran).
  llvm::SmallVector<mlir::Value> values;
  /// batches[b][i]: values[i] on batch b, cut to the batch's real samples.
  std::vector<llvm::SmallVector<Tensor>> batches;
  /// outputs[b]: the function's results on batch b.
  std::vector<llvm::SmallVector<Tensor>> outputs;
  int64_t numSamples = 0;
  /// Samples per batch (BatchRunner::getBatchSize): every batch but the last
  /// holds this many.
  int64_t batchSize = 1;

  /// Index of `value` in `values`, or -1.
  int64_t find(mlir::Value value) const;
};

/// Whether every element of every tensor of `batches` is finite.
bool hasOnlyFiniteValues(llvm::ArrayRef<llvm::SmallVector<Tensor>> batches);

/// Runs `function` (whose values `values` are, each a function argument or
/// an op result of its body) on the samples of `dataFiles` and records
/// those values and the function's results. Errors are emitted, located.
mlir::FailureOr<RecordedValues>
recordValues(mlir::func::FuncOp function, llvm::ArrayRef<mlir::Value> values,
             llvm::ArrayRef<std::string> dataFiles,
             const BatchRunOptions &options);

} // namespace lin

#endif // LIN_INTERPRETER_VALUERECORDER_H
