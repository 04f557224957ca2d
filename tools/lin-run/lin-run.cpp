//===- lin-run.cpp - Run a linalg model on .npy data ----------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Runs one function of an MLIR module (linalg on tensors) with lin's
// interpreter over NumPy data, batch by batch:
//
//   lin-run model.mlir --input x.npy [--input y.npy ...] [--labels y.npy]
//           [--output out.npy ...] [--batch N] [--function NAME]
//           [--max-samples N] [--print] [--quiet]
//
// One --input per function argument; the leading dimension of every file is
// the sample dimension. One --output per function result (in order, any
// prefix of the results); outputs are float32 .npy files with one row per
// sample. With --labels (integer class labels in [0, classes), one per
// sample) the first result is read as [samples, classes] scores and the tool
// prints `accuracy: <fraction>` and `samples: <count>`.
//
//===----------------------------------------------------------------------===//

#include "lin/Dialect/Lin/IR/LinDialect.h"
#include "lin/Interpreter/BatchRunner.h"
#include "lin/Interpreter/Interpreter.h"
#include "lin/Support/AtomicOutput.h"
#include "lin/Support/Npy.h"
#include "lin/Support/OptionChecks.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace lin;
namespace cl = llvm::cl;

static cl::OptionCategory category("lin-run options");

static cl::opt<std::string> modelFile(cl::Positional, cl::desc("<model.mlir>"),
                                      cl::init("-"), cl::cat(category));
static cl::list<std::string>
    inputFiles("input", cl::desc("Data for the next function argument (.npy)"),
               cl::value_desc("file.npy"), cl::cat(category));
static cl::opt<std::string>
    labelsFile("labels",
               cl::desc("Integer class labels: print the accuracy of the "
                        "first result's argmax"),
               cl::value_desc("labels.npy"), cl::cat(category));
static cl::list<std::string>
    outputFiles("output",
                cl::desc("Write the next function result here (.npy)"),
                cl::value_desc("out.npy"), cl::cat(category));
// Numbers and flags are CheckedOptions: plain llvm::cl would read
// `--quiet=` as true.
static cl::opt<CheckedOption<int64_t>>
    batchSize("batch",
              cl::desc("Samples per run when the batch dimension is dynamic"),
              cl::init(256), cl::cat(category));
static cl::opt<std::string>
    functionName("function",
                 cl::desc("Function to run (default: the only public one)"),
                 cl::init(""), cl::cat(category));
static cl::opt<CheckedOption<int64_t>>
    maxSamples("max-samples",
               cl::desc("Run at most this many samples (-1: all)"),
               cl::init(-1), cl::cat(category));
static cl::opt<CheckedOption<bool>>
    printOutputs("print",
                 cl::desc("Print the results as text, one line per sample "
                          "(`r<result>[<sample>]: values`)"),
                 cl::init(false), cl::cat(category));
static cl::opt<CheckedOption<bool>> quiet("quiet",
                                          cl::desc("No progress on stderr"),
                                          cl::init(false), cl::cat(category));

namespace {
/// Streams per-sample results into .npy files, prints them, and scores them
/// against labels.
class ResultSink {
public:
  ResultSink(func::FuncOp function, int64_t numSamples, int64_t batchSize)
      : function(function), numSamples(numSamples), batchSize(batchSize),
        writers(outputFiles.size()) {}

  LogicalResult openLabels() {
    if (labelsFile.empty())
      return success();
    llvm::Expected<std::unique_ptr<NpyReader>> reader =
        NpyReader::open(labelsFile);
    if (!reader)
      return function.emitError() << llvm::toString(reader.takeError());
    labels = std::move(*reader);
    if (labels->getRowSize() != 1 || labels->getShape().size() > 2)
      return function.emitError()
             << labelsFile << ": labels must have shape (samples,) or "
             << "(samples, 1)";
    // The labels belong to the data: one per sample. When --max-samples cuts
    // the run short the data's own count is not known here, so then they
    // need only cover the run.
    bool wholeData = maxSamples < 0 || numSamples < maxSamples;
    if (wholeData ? labels->getNumRows() != numSamples
                  : labels->getNumRows() < numSamples)
      return function.emitError()
             << labelsFile << " has " << labels->getNumRows() << " labels for "
             << numSamples << " samples";
    return success();
  }

  LogicalResult consume(ArrayRef<Tensor> outputs, int64_t firstSample) {
    int64_t samples = std::min<int64_t>(batchSize, numSamples - firstSample);
    for (auto [index, output] : llvm::enumerate(outputs)) {
      bool perSample = output.getRank() > 0 && output.getDimSize(0) == samples;
      bool needed =
          index < outputFiles.size() || printOutputs || (index == 0 && labels);
      if (needed && !perSample)
        return function.emitError()
               << "result #" << index << " has shape " << formatShapeOf(output)
               << ": it has no leading sample dimension to split by sample";
      if (index < outputFiles.size() &&
          failed(write(index, output, firstSample)))
        return failure();
      if (printOutputs)
        print(index, output, firstSample);
    }
    if (labels && failed(score(outputs[0], firstSample)))
      return failure();
    return success();
  }

  LogicalResult finish() {
    for (auto &writer : writers)
      if (writer)
        if (llvm::Error error = writer->commit())
          return function.emitError() << llvm::toString(std::move(error));
    if (labels) {
      llvm::outs() << "accuracy: "
                   << llvm::format("%.6f", numSamples ? double(correct) /
                                                            double(numSamples)
                                                      : 0.0)
                   << "\n";
      llvm::outs() << "samples: " << numSamples << "\n";
    }
    return success();
  }

private:
  static std::string formatShapeOf(const Tensor &tensor) {
    std::string result;
    for (auto [i, size] : llvm::enumerate(tensor.getShape()))
      result += (i ? "x" : "") + std::to_string(size);
    return result.empty() ? "scalar" : result;
  }

  LogicalResult write(unsigned index, const Tensor &output,
                      int64_t firstSample) {
    if (!writers[index]) {
      SmallVector<int64_t> shape(output.getShape());
      shape[0] = numSamples;
      llvm::Expected<std::unique_ptr<NpyWriter>> writer =
          NpyWriter::create(outputFiles[index], NpyDType::Float32, shape);
      if (!writer)
        return function.emitError() << llvm::toString(writer.takeError());
      writers[index] = std::move(*writer);
      rowShapes.resize(outputFiles.size());
      rowShapes[index].assign(output.getShape().begin() + 1,
                              output.getShape().end());
    }
    if (output.getShape().drop_front() != ArrayRef(rowShapes[index]))
      return function.emitError()
             << "result #" << index << " changes shape between batches ("
             << formatShapeOf(output) << ")";
    if (llvm::Error error = writers[index]->append(output.values()))
      return function.emitError() << llvm::toString(std::move(error));
    return success();
  }

  void print(unsigned index, const Tensor &output, int64_t firstSample) {
    int64_t rows = output.getDimSize(0);
    int64_t rowSize = rows ? output.getNumElements() / rows : 0;
    for (int64_t row = 0; row < rows; ++row) {
      llvm::outs() << "r" << index << "[" << firstSample + row << "]:";
      for (int64_t i = 0; i < rowSize; ++i)
        llvm::outs() << " "
                     << llvm::format("%g", output.data()[row * rowSize + i]);
      llvm::outs() << "\n";
    }
  }

  LogicalResult score(const Tensor &scores, int64_t firstSample) {
    if (scores.getRank() != 2)
      return function.emitError()
             << "--labels needs a first result of shape [samples, classes], "
             << "got " << formatShapeOf(scores);
    int64_t rows = scores.getDimSize(0), classes = scores.getDimSize(1);
    std::vector<int64_t> expected(rows);
    if (llvm::Error error =
            labels->readRows(firstSample, rows, expected.data()))
      return function.emitError() << llvm::toString(std::move(error));
    for (int64_t row = 0; row < rows; ++row) {
      // A label no argmax can equal would silently count as wrong.
      if (expected[row] < 0 || expected[row] >= classes)
        return function.emitError()
               << labelsFile << ": label " << expected[row] << " of sample "
               << firstSample + row << " is not one of the " << classes
               << " classes of the first result (0 to " << classes - 1 << ")";
      const float *values = scores.data() + row * classes;
      int64_t best = 0;
      for (int64_t c = 1; c < classes; ++c)
        if (values[c] > values[best])
          best = c;
      correct += best == expected[row];
    }
    return success();
  }

  func::FuncOp function;
  int64_t numSamples;
  int64_t batchSize;
  std::vector<std::unique_ptr<NpyWriter>> writers;
  std::vector<SmallVector<int64_t>> rowShapes;
  std::unique_ptr<NpyReader> labels;
  int64_t correct = 0;
};
} // namespace

/// The checks llvm::cl does not make: ranges, and file names given empty.
static LogicalResult checkOptions() {
  bool ok = true;
  auto complain = [&](std::optional<std::string> problem) {
    if (problem) {
      llvm::errs() << "lin-run: " << *problem << "\n";
      ok = false;
    }
  };
  complain(checkPositive("--batch", batchSize));
  complain(checkPositive("--max-samples", maxSamples, -1, "all"));
  for (const std::string &file : inputFiles)
    complain(checkNonEmpty("--input", file));
  for (const std::string &file : outputFiles)
    complain(checkNonEmpty("--output", file));
  if (labelsFile.getNumOccurrences())
    complain(checkNonEmpty("--labels", labelsFile));
  return success(ok);
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv, "lin-run: run a linalg-on-tensors model on .npy data\n");
  if (failed(checkOptions()))
    return 1;

  DialectRegistry registry;
  // Dialects the interpreter runs, plus common ones it rejects with a
  // located error rather than a parse failure.
  registry.insert<affine::AffineDialect, arith::ArithDialect,
                  bufferization::BufferizationDialect, cf::ControlFlowDialect,
                  func::FuncDialect, linalg::LinalgDialect, math::MathDialect,
                  memref::MemRefDialect, scf::SCFDialect, tensor::TensorDialect,
                  lin::LinDialect>();
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // Errors name the op and its location; the op dump adds nothing.
  context.printOpOnDiagnostic(false);

  // Not mlir::openInputFile: a model cut off inside a string literal made
  // MLIR's lexer read past the buffer (see lin::readInputFile).
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> file =
      readInputFile(modelFile);
  if (!file) {
    llvm::errs() << "lin-run: " << llvm::toString(file.takeError()) << "\n";
    return 1;
  }
  auto sourceMgr = std::make_shared<llvm::SourceMgr>();
  sourceMgr->AddNewSourceBuffer(std::move(*file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnostics(*sourceMgr, &context);
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
  if (!module)
    return 1;

  FailureOr<func::FuncOp> function = findEntryFunction(*module, functionName);
  if (failed(function))
    return 1;
  if (outputFiles.size() > function->getNumResults()) {
    function->emitError() << outputFiles.size() << " --output files for "
                          << function->getNumResults() << " result(s)";
    return 1;
  }
  FailureOr<std::unique_ptr<Interpreter>> interpreter =
      Interpreter::create(*function);
  if (failed(interpreter))
    return 1;

  BatchRunOptions options;
  options.batchSize = batchSize;
  options.maxSamples = maxSamples;
  options.showProgress = !quiet;
  FailureOr<std::unique_ptr<BatchRunner>> runner =
      BatchRunner::create(**interpreter, inputFiles, options);
  if (failed(runner))
    return 1;

  if ((*runner)->getNumSamples() == 0) {
    function->emitError() << "the data has no samples";
    return 1;
  }
  ResultSink sink(*function, (*runner)->getNumSamples(),
                  (*runner)->getBatchSize());
  if (failed(sink.openLabels()))
    return 1;
  if (failed((*runner)->run([&](ArrayRef<Tensor> outputs, int64_t first) {
        return sink.consume(outputs, first);
      })))
    return 1;
  if (failed(sink.finish()))
    return 1;
  return 0;
}
