//===- BatchRunner.cpp - Run a function over .npy data sets ---------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Interpreter/BatchRunner.h"
#include "Progress.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <cstring>

using namespace mlir;
using namespace lin;

BatchRunner::~BatchRunner() = default;

static std::string formatNpyShape(ArrayRef<int64_t> shape) {
  std::string result = "(";
  result += llvm::join(
      llvm::map_range(shape, [](int64_t s) { return std::to_string(s); }),
      ", ");
  if (shape.size() == 1)
    result += ",";
  return result + ")";
}

FailureOr<std::unique_ptr<BatchRunner>>
BatchRunner::create(Interpreter &interpreter, ArrayRef<std::string> dataFiles,
                    const BatchRunOptions &options) {
  func::FuncOp function = interpreter.getFunction();
  ArrayRef<Type> argumentTypes = function.getArgumentTypes();
  if (dataFiles.size() != argumentTypes.size())
    return function.emitError()
           << "@" << function.getSymName() << " takes " << argumentTypes.size()
           << " argument(s), but " << dataFiles.size()
           << " data file(s) were given";

  std::unique_ptr<BatchRunner> runner(new BatchRunner(interpreter, options));
  int64_t staticBatch = -1;
  int64_t rows = -1;
  StringRef rowsFile;
  for (auto [index, path] : llvm::enumerate(dataFiles)) {
    llvm::Expected<std::unique_ptr<NpyReader>> reader = NpyReader::open(path);
    if (!reader)
      return function.emitError() << llvm::toString(reader.takeError());
    auto type = cast<RankedTensorType>(argumentTypes[index]);
    ArrayRef<int64_t> shape = (*reader)->getShape();
    auto mismatch = [&]() {
      return function.emitError()
             << path << ": shape " << formatNpyShape(shape)
             << " does not match argument #" << index << " of @"
             << function.getSymName() << " (" << type
             << "): the leading dimension is the sample dimension, the "
                "others must equal the argument's";
    };
    if (type.getRank() == 0)
      return function.emitError()
             << "argument #" << index << " of @" << function.getSymName()
             << " is a 0-d tensor: data needs a leading sample dimension";
    if (static_cast<int64_t>(shape.size()) != type.getRank())
      return mismatch();
    for (int64_t d = 1; d < type.getRank(); ++d)
      if (!type.isDynamicDim(d) && type.getDimSize(d) != shape[d])
        return mismatch();
    if (!type.isDynamicDim(0)) {
      if (staticBatch >= 0 && staticBatch != type.getDimSize(0))
        return function.emitError()
               << "arguments of @" << function.getSymName()
               << " have different static batch sizes (" << staticBatch
               << " and " << type.getDimSize(0) << ")";
      staticBatch = type.getDimSize(0);
    }
    if (rows >= 0 && rows != shape[0])
      return function.emitError()
             << path << " has " << shape[0] << " samples, but " << rowsFile
             << " has " << rows;
    rows = shape[0];
    rowsFile = path;
    runner->readers.push_back(std::move(*reader));
  }

  runner->numSamples = std::max<int64_t>(rows, 0);
  if (options.maxSamples >= 0)
    runner->numSamples = std::min(runner->numSamples, options.maxSamples);
  runner->staticBatch = staticBatch >= 0;
  runner->batchSize = staticBatch >= 0 ? staticBatch : options.batchSize;
  if (runner->batchSize <= 0)
    return function.emitError()
           << "the batch size must be positive, got " << runner->batchSize;
  return runner;
}

LogicalResult BatchRunner::run(Consumer consume,
                               InterpreterObserver *observer) {
  func::FuncOp function = interpreter.getFunction();
  ProgressReporter progress(numSamples, options.showProgress);
  SmallVector<Tensor> arguments(readers.size());
  for (int64_t first = 0; first < numSamples; first += batchSize) {
    int64_t samples = std::min(batchSize, numSamples - first);
    int64_t rows = staticBatch ? batchSize : samples;
    for (auto [argument, reader] : llvm::zip(arguments, readers)) {
      SmallVector<int64_t> shape(reader->getShape());
      shape[0] = rows;
      // Reuse the previous batch's buffer once the interpreter let go of it.
      // A static batch dimension may be far larger than the file.
      if (!argument.isUniquelyOwned() ||
          argument.getShape() != ArrayRef(shape)) {
        llvm::Expected<Tensor> allocated = Tensor::tryUninitialized(shape);
        if (!allocated)
          return function.emitError()
                 << reader->getPath() << ": cannot hold a batch of " << rows
                 << " samples: " << llvm::toString(allocated.takeError());
        argument = std::move(*allocated);
      }
      if (llvm::Error error = reader->readRows(first, samples, argument.data()))
        return function.emitError() << llvm::toString(std::move(error));
      int64_t rowSize = reader->getRowSize();
      std::fill(argument.data() + samples * rowSize,
                argument.data() + rows * rowSize, 0.0f);
    }
    currentSamples = samples;
    if (observer)
      observer->beginBatch(samples, batchSize);
    FailureOr<SmallVector<Tensor>> outputs =
        interpreter.run(arguments, observer);
    if (failed(outputs))
      return failure();
    if (samples < rows)
      for (Tensor &output : *outputs)
        if (output.getRank() > 0 && output.getDimSize(0) == rows)
          output = output.leadingRows(samples);
    if (failed(consume(*outputs, first)))
      return failure();
    progress.update(first + samples);
  }
  progress.finish();
  return success();
}
