//===- BatchRunner.h - Run a function over .npy data sets -------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Feeds a function with the rows of .npy files, one file per argument, batch
// by batch. The leading dimension of every file is the sample dimension:
//
// * an argument with a dynamic leading dimension takes `batchSize` samples
//   per run (the last batch is smaller);
// * an argument with a static leading dimension B takes exactly B samples
//   per run; the last, partial batch is padded with zero samples and the
//   padding is cut off again from every output whose leading dimension is B
//   (so the padding never shows in outputs or, through
//   getCurrentSamples(), in profiles).
//
// The other dimensions of a file must equal the argument's static sizes.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_INTERPRETER_BATCHRUNNER_H
#define LIN_INTERPRETER_BATCHRUNNER_H

#include "lin/Interpreter/Interpreter.h"
#include "lin/Support/Npy.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <memory>
#include <string>
#include <vector>

namespace lin {

struct BatchRunOptions {
  /// Samples per run for a dynamic batch dimension.
  int64_t batchSize = 256;
  /// Run at most this many samples (-1: all).
  int64_t maxSamples = -1;
  /// Report progress on stderr for runs longer than about two seconds, when
  /// stderr is a terminal.
  bool showProgress = true;
};

class BatchRunner {
public:
  /// Opens the data files and checks them against the arguments of the
  /// interpreter's function. Errors are located on the function and name the
  /// file.
  static mlir::FailureOr<std::unique_ptr<BatchRunner>>
  create(Interpreter &interpreter, llvm::ArrayRef<std::string> dataFiles,
         const BatchRunOptions &options);
  ~BatchRunner();

  /// Samples that run() feeds (after maxSamples).
  int64_t getNumSamples() const { return numSamples; }
  /// Samples per run of the function.
  int64_t getBatchSize() const { return batchSize; }
  /// Real (unpadded) samples of the batch being run.
  int64_t getCurrentSamples() const { return currentSamples; }

  /// Receives the outputs of each batch, cut to its real samples, and the
  /// index of its first sample.
  using Consumer = llvm::function_ref<mlir::LogicalResult(
      llvm::ArrayRef<Tensor> outputs, int64_t firstSample)>;

  /// Runs every batch. Stops at the first failure (already reported).
  mlir::LogicalResult run(Consumer consume,
                          InterpreterObserver *observer = nullptr);

private:
  BatchRunner(Interpreter &interpreter, const BatchRunOptions &options)
      : interpreter(interpreter), options(options) {}

  Interpreter &interpreter;
  BatchRunOptions options;
  std::vector<std::unique_ptr<NpyReader>> readers;
  int64_t numSamples = 0;
  int64_t batchSize = 0;
  bool staticBatch = false;
  int64_t currentSamples = 0;
};

} // namespace lin

#endif // LIN_INTERPRETER_BATCHRUNNER_H
