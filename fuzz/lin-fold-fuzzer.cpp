//===- lin-fold-fuzzer.cpp - Fuzz the interpreter, profile and fold -------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Parses module text mutated from lin's test models and, when it verifies:
//
// 1. the interpreter runs the entry function on a small random batch (read
//    from .npy files through BatchRunner, with a partial last batch);
// 2. `linearity-fold` on the profiles the text has, `linearity-prove` +
//    `linearity-fold` and `linearity-profile` on that batch +
//    `linearity-fold` run on copies of the module;
// 3. whenever a pipeline succeeds, its output must verify, and the last two
//    must compute what the original computes on the batch: a threshold-1.0
//    fold is exact on the data it was profiled on, and on the proven input
//    box.
//
// Every failure along the way must be a diagnostic; a crash, a sanitizer
// report, invalid output or a wrong result aborts.
//
// Mutations are token-aware (LLVMFuzzerCustomMutator below): numbers (sizes
// in types, constants, attribute values, including huge and negative ones),
// dynamic sizes, op names, predicates, iterator types, affine dimensions and
// whole lines change, so that inputs stay mostly parseable and reach lin's
// code. Byte-level mutation is left out on purpose: it spends the budget in
// MLIR's parser, which upstream fuzzes, and it stops at upstream parser
// crashes lin cannot fix (e.g. linalg.transpose with an unterminated
// `permutation = [1, 0` dereferences a null attribute in libMLIR).
//
//===----------------------------------------------------------------------===//

#include "lin/Dialect/Lin/IR/LinDialect.h"
#include "lin/Interpreter/BatchRunner.h"
#include "lin/Interpreter/Interpreter.h"
#include "lin/Support/Npy.h"
#include "lin/Support/Tensor.h"
#include "lin/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <random>
#include <string>
#include <vector>

using namespace mlir;
using namespace lin;

/// Bounds that keep one input in the milliseconds: rows of the random batch,
/// elements per row, module text size.
static constexpr int64_t kSamples = 5, kBatch = 4, kMaxRowElements = 4096;
static constexpr size_t kMaxInputSize = 64 << 10;

/// The context of the current input, made afresh every few hundred inputs:
/// it keeps every type and attribute it ever uniqued, which would grow past
/// libFuzzer's memory limit.
static std::unique_ptr<MLIRContext> currentContext;

static MLIRContext &getContext() { return *currentContext; }

static void startInput() {
  static unsigned uses = 0;
  if (currentContext && ++uses % 512 != 0)
    return;
  currentContext.reset();
  DialectRegistry registry;
  registry.insert<arith::ArithDialect, func::FuncDialect, linalg::LinalgDialect,
                  math::MathDialect, tensor::TensorDialect, lin::LinDialect>();
  currentContext =
      std::make_unique<MLIRContext>(registry, MLIRContext::Threading::DISABLED);
  currentContext->loadAllAvailableDialects();
}

namespace {
/// The data files of one input, removed with it (libFuzzer exits without
/// running atexit handlers): in /dev/shm when there is one, since creating
/// and renaming files on disk costs milliseconds.
struct ScratchDir {
  ScratchDir() {
    llvm::SmallString<128> created;
    std::error_code ec =
        llvm::sys::fs::is_directory("/dev/shm")
            ? llvm::sys::fs::createUniqueDirectory("/dev/shm/lin-fold-fuzzer",
                                                   created)
            : llvm::sys::fs::createUniqueDirectory("lin-fold-fuzzer", created);
    if (ec) {
      std::fprintf(stderr, "lin-fold-fuzzer: cannot create a scratch dir\n");
      std::abort();
    }
    path = std::string(created);
  }
  ~ScratchDir() { (void)llvm::sys::fs::remove_directories(path); }
  std::string path;
};
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  registerLinPasses();
  // Mutated shapes are often huge: the interpreter must say so (a located
  // error), and the cap keeps it from asking malloc, which libFuzzer would
  // report as an out-of-memory crash.
  Tensor::setAllocationLimit(16 << 20);
  return 0;
}

[[noreturn]] static void fail(const std::string &what, ModuleOp module,
                              const std::string &diagnostics) {
  std::fprintf(stderr, "lin-fold-fuzzer: %s\n", what.c_str());
  if (!diagnostics.empty())
    std::fprintf(stderr, "diagnostics:\n%s\n", diagnostics.c_str());
  if (module) {
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os, OpPrintingFlags().printGenericOpForm());
    std::fprintf(stderr, "module:\n%s\n", text.c_str());
  }
  std::abort();
}

namespace {
/// The outputs of every batch of one run, flattened per result.
struct RunOutputs {
  std::vector<std::vector<float>> values;
  std::vector<SmallVector<int64_t>> shapes;
};
} // namespace

/// Runs the entry function of `module` over the data files; nullopt when the
/// interpreter reports an error.
static std::optional<RunOutputs> runModel(ModuleOp module,
                                          ArrayRef<std::string> files) {
  FailureOr<func::FuncOp> function = findEntryFunction(module, "");
  if (failed(function))
    return std::nullopt;
  FailureOr<std::unique_ptr<Interpreter>> interpreter =
      Interpreter::create(*function);
  if (failed(interpreter))
    return std::nullopt;
  BatchRunOptions options;
  options.batchSize = kBatch;
  options.showProgress = false;
  FailureOr<std::unique_ptr<BatchRunner>> runner =
      BatchRunner::create(**interpreter, files, options);
  if (failed(runner))
    return std::nullopt;
  RunOutputs outputs;
  auto consume = [&](ArrayRef<Tensor> tensors, int64_t) -> LogicalResult {
    outputs.values.resize(tensors.size());
    outputs.shapes.resize(tensors.size());
    for (auto [i, tensor] : llvm::enumerate(tensors)) {
      llvm::append_range(outputs.values[i], tensor.values());
      outputs.shapes[i].assign(tensor.getShape().begin(),
                               tensor.getShape().end());
    }
    return success();
  };
  if (failed((*runner)->run(consume)))
    return std::nullopt;
  return outputs;
}

/// Writes one random .npy file per argument of the entry function: kSamples
/// rows in [-1, 1]. False when the arguments are not data-shaped or too big.
static bool writeData(func::FuncOp function, uint64_t seed,
                      const std::string &dir, std::vector<std::string> &files) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  for (auto [index, type] : llvm::enumerate(function.getArgumentTypes())) {
    auto tensorType = dyn_cast<RankedTensorType>(type);
    if (!tensorType || tensorType.getRank() == 0)
      return false;
    SmallVector<int64_t> shape{kSamples};
    int64_t rowElements = 1;
    for (int64_t size : tensorType.getShape().drop_front()) {
      int64_t actual = ShapedType::isDynamic(size) ? 2 : size;
      if (actual > kMaxRowElements ||
          rowElements * std::max<int64_t>(actual, 1) > kMaxRowElements)
        return false;
      rowElements *= actual;
      shape.push_back(actual);
    }
    if (!tensorType.isDynamicDim(0) && tensorType.getDimSize(0) > 64)
      return false;
    Tensor data = Tensor::uninitialized(shape);
    for (float &value : data.values())
      value = uniform(random);
    std::string path = dir + "/arg" + std::to_string(index) + ".npy";
    if (llvm::Error error = writeNpy(path, data)) {
      llvm::consumeError(std::move(error));
      return false;
    }
    files.push_back(path);
  }
  return true;
}

/// Checks that `folded` computes `expected` (up to rounding, relative to the
/// output scale).
static void compareOutputs(const RunOutputs &expected, const RunOutputs &folded,
                           const char *pipeline, ModuleOp module) {
  if (expected.shapes != folded.shapes)
    fail(std::string(pipeline) + ": the folded model's results have other "
                                 "shapes",
         module, "");
  for (auto [want, got] : llvm::zip(expected.values, folded.values)) {
    double scale = 1.0;
    for (float value : want) {
      // Rounding of huge or non-finite values says nothing about the fold.
      if (!std::isfinite(value) || std::fabs(value) > 1e6)
        return;
      scale = std::max(scale, double(std::fabs(value)));
    }
    for (auto [a, b] : llvm::zip(want, got))
      if (!(std::fabs(double(a) - double(b)) <= 1e-3 * scale))
        fail(std::string(pipeline) + ": the folded model computes " +
                 std::to_string(b) + " where the original computes " +
                 std::to_string(a),
             module, "");
  }
}

/// LIN_FOLD_FUZZER_VERBOSE=1: one line per stage on stderr, to see how far
/// inputs get (e.g. replaying a corpus with -runs=0).
static bool isVerbose() {
  static bool verbose = std::getenv("LIN_FOLD_FUZZER_VERBOSE") != nullptr;
  return verbose;
}

/// Runs `pipeline` on a copy of `original`; when it succeeds, the result must
/// verify and (when `expected` is known) compute the same outputs.
static void runPipeline(ModuleOp original, const std::string &pipeline,
                        ArrayRef<std::string> files,
                        const std::optional<RunOutputs> &expected,
                        std::string &diagnostics) {
  OwningOpRef<ModuleOp> module = original.clone();
  PassManager pm(&getContext());
  // Verified below, so that invalid output is a finding, not a pass failure.
  pm.enableVerifier(false);
  if (failed(parsePassPipeline(pipeline, pm)))
    fail("bad pipeline " + pipeline, nullptr, diagnostics);
  if (failed(pm.run(*module))) {
    if (isVerbose())
      std::fprintf(stderr, "  %s: failed\n", pipeline.c_str());
    return;
  }
  if (failed(verify(*module)))
    fail(pipeline + " succeeded but its output does not verify", *module,
         diagnostics);
  if (!expected)
    return;
  std::optional<RunOutputs> got = runModel(*module, files);
  if (!got)
    fail(pipeline + ": the interpreter runs the original but not the output",
         *module, diagnostics);
  compareOutputs(*expected, *got, pipeline.c_str(), *module);
  if (isVerbose())
    std::fprintf(stderr, "  %s: same outputs\n", pipeline.c_str());
}

//===----------------------------------------------------------------------===//
// Mutator
//===----------------------------------------------------------------------===//

namespace {
/// A number token of the text: [begin, end).
struct Span {
  size_t begin, end;
};

bool isIdentifierChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '%' ||
         c == '#' || c == '@' || c == '.' || c == '$';
}

/// Numbers not part of an identifier (f32, %arg0, #map1, d0): a digit run,
/// optionally signed, with a fraction and an exponent; `4x8xf32` yields 4
/// and 8.
std::vector<Span> findNumbers(const std::string &text) {
  std::vector<Span> numbers;
  size_t i = 0, n = text.size();
  while (i < n) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    size_t begin = i;
    bool standalone = begin == 0 || !isIdentifierChar(text[begin - 1]);
    // The x of a shape (4x8) follows a size or a '?'.
    if (!standalone && text[begin - 1] == 'x' && begin >= 2 &&
        (std::isdigit(static_cast<unsigned char>(text[begin - 2])) ||
         text[begin - 2] == '?'))
      standalone = true;
    if (standalone && begin > 0 && text[begin - 1] == '-')
      --begin;
    while (i < n && std::isdigit(static_cast<unsigned char>(text[i])))
      ++i;
    if (i + 1 < n && text[i] == '.' &&
        std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
      ++i;
      while (i < n && std::isdigit(static_cast<unsigned char>(text[i])))
        ++i;
    }
    if (i < n && (text[i] == 'e' || text[i] == 'E')) {
      size_t j = i + 1;
      if (j < n && (text[j] == '+' || text[j] == '-'))
        ++j;
      if (j < n && std::isdigit(static_cast<unsigned char>(text[j]))) {
        i = j;
        while (i < n && std::isdigit(static_cast<unsigned char>(text[i])))
          ++i;
      }
    }
    if (standalone && !(i < n && isIdentifierChar(text[i]) && text[i] != 'x' &&
                        text[i] != '.'))
      numbers.push_back({begin, i});
  }
  return numbers;
}

/// Tokens swapped within their group.
const std::vector<std::vector<std::string>> &getSwapGroups() {
  static const std::vector<std::vector<std::string>> groups = {
      {"arith.addf", "arith.subf", "arith.mulf", "arith.divf", "arith.maximumf",
       "arith.minimumf", "arith.maxnumf", "arith.minnumf"},
      {"ugt", "uge", "ult", "ule", "ogt", "oge", "olt", "ole", "oeq", "one",
       "une", "uno", "ord"},
      {"\"parallel\"", "\"reduction\""},
      {"d0", "d1", "d2"},
      {"relu", "leaky_relu", "clamp"},
      {"observed", "proven"},
      {"f32", "f16", "f64", "bf16"},
      {"linalg.matmul", "linalg.matmul_transpose_b"},
      {"math.exp", "math.tanh", "math.absf", "math.sqrt"},
  };
  return groups;
}

// Integers replace integers and floats floats: an integer array attribute
// holding a float (`dimensions = [0.0, 1]`) crashes libMLIR's linalg parser
// (a null attribute), which is upstream's bug, not lin's.
const char *const kInterestingIntegers[] = {
    "0",
    "1",
    "2",
    "3",
    "4",
    "-1",
    "-2",
    "16",
    "64",
    "1000",
    "?",
    "100000000000",
    "4611686018427387904",
    "9223372036854775807",
    "-9223372036854775808",
};
const char *const kInterestingFloats[] = {
    "0.0",    "-0.0",    "0.5",     "-3.5",   "1.0",
    "1.0e30", "-1.0e30", "1.0e-40", "3.4e38", "-2.0",
};

void replaceRange(std::string &text, size_t begin, size_t end,
                  const std::string &with) {
  text.replace(begin, end - begin, with);
}

void mutateOnce(std::string &text, std::mt19937 &random) {
  auto pick = [&](size_t bound) { return bound ? random() % bound : 0; };
  switch (pick(8)) {
  case 0:
  case 1:
  case 2: { // a number: an interesting one, or a neighbour
    std::vector<Span> numbers = findNumbers(text);
    if (numbers.empty())
      return;
    Span span = numbers[pick(numbers.size())];
    std::string current = text.substr(span.begin, span.end - span.begin);
    bool isFloat = current.find_first_of(".eE") != std::string::npos;
    std::string with;
    if (isFloat) {
      with = kInterestingFloats[pick(std::size(kInterestingFloats))];
    } else if (pick(3) == 0) {
      int64_t value = std::strtoll(current.c_str(), nullptr, 10);
      int64_t deltas[] = {1, -1, 2};
      with = std::to_string(
          llvm::checkedAdd(value, deltas[pick(3)]).value_or(value));
    } else {
      with = kInterestingIntegers[pick(std::size(kInterestingIntegers))];
      // '?' only where a size stands (next to an x of a shape or '<').
      bool inShape = (span.begin > 0 && (text[span.begin - 1] == 'x' ||
                                         text[span.begin - 1] == '<')) ||
                     (span.end < text.size() && text[span.end] == 'x');
      if (with == "?" && !inShape)
        with = "7";
    }
    replaceRange(text, span.begin, span.end, with);
    return;
  }
  case 3: { // a dynamic size becomes static
    std::vector<size_t> marks;
    for (size_t i = 0; i + 1 < text.size(); ++i)
      if (text[i] == '?' && (text[i + 1] == 'x' || text[i + 1] == '>'))
        marks.push_back(i);
    if (marks.empty())
      return;
    const char *sizes[] = {"0", "1", "3", "5", "100000000000"};
    size_t at = marks[pick(marks.size())];
    replaceRange(text, at, at + 1, sizes[pick(std::size(sizes))]);
    return;
  }
  case 4:
  case 5: { // a token of a swap group
    const auto &groups = getSwapGroups();
    const std::vector<std::string> &group = groups[pick(groups.size())];
    std::vector<std::pair<size_t, size_t>> hits;
    for (size_t g = 0; g < group.size(); ++g)
      for (size_t at = text.find(group[g]); at != std::string::npos;
           at = text.find(group[g], at + 1)) {
        bool before = at == 0 || !isIdentifierChar(text[at - 1]);
        size_t end = at + group[g].size();
        bool after = end >= text.size() ||
                     !(std::isalnum(static_cast<unsigned char>(text[end])) ||
                       text[end] == '_');
        if (before && after)
          hits.push_back({at, g});
      }
    if (hits.empty())
      return;
    auto [at, g] = hits[pick(hits.size())];
    replaceRange(text, at, at + group[g].size(), group[pick(group.size())]);
    return;
  }
  default: { // whole lines: delete, duplicate or swap with the next
    std::vector<size_t> starts{0};
    for (size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n' && i + 1 < text.size())
        starts.push_back(i + 1);
    size_t line = pick(starts.size());
    size_t begin = starts[line];
    size_t end = line + 1 < starts.size() ? starts[line + 1] : text.size();
    std::string content = text.substr(begin, end - begin);
    switch (pick(3)) {
    case 0:
      text.erase(begin, end - begin);
      return;
    case 1:
      text.insert(begin, content);
      return;
    default:
      if (line + 1 < starts.size()) {
        size_t nextEnd =
            line + 2 < starts.size() ? starts[line + 2] : text.size();
        std::string next = text.substr(end, nextEnd - end);
        if (!next.empty() && next.back() != '\n')
          next += '\n';
        text.replace(begin, nextEnd - begin, next + content);
      }
      return;
    }
  }
  }
}
} // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,
                                          size_t maxSize, unsigned seed) {
  std::mt19937 random(seed);
  std::string text(reinterpret_cast<const char *>(data), size);
  for (unsigned round = 0, rounds = 1 + random() % 3; round < rounds; ++round)
    mutateOnce(text, random);
  if (text.size() > maxSize)
    return size;
  std::memcpy(data, text.data(), text.size());
  return text.size();
}

//===----------------------------------------------------------------------===//
// Target
//===----------------------------------------------------------------------===//

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > kMaxInputSize)
    return 0;
  startInput();
  MLIRContext &context = getContext();
  std::string diagnostics;
  ScopedDiagnosticHandler collect(&context, [&](Diagnostic &diagnostic) {
    if (diagnostics.size() < 4096)
      diagnostics += diagnostic.str() + "\n";
    return success();
  });
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(text, ParserConfig(&context));
  if (!module)
    return 0;

  FailureOr<func::FuncOp> function = findEntryFunction(*module, "");
  if (failed(function))
    return 0;
  ScratchDir scratch;
  std::vector<std::string> files;
  if (!writeData(*function, llvm::hash_value(text), scratch.path, files))
    return 0;
  std::optional<RunOutputs> expected = runModel(*module, files);
  if (isVerbose())
    std::fprintf(stderr, "input: the interpreter %s\n",
                 expected ? "runs it" : "fails");

  // Profiles in the text (the seeds have some) are folded as they are: the
  // output must verify, but need not match, the profile being made up.
  runPipeline(*module, "builtin.module(linearity-fold)", files, std::nullopt,
              diagnostics);
  // The exact pipelines profile the data themselves.
  module->walk([](Operation *op) { op->removeAttr("lin.profile"); });

  std::string dataOption = llvm::join(files, ",");
  // The proven box is [-1, 1], where the data lies: the fold must be exact
  // on it.
  runPipeline(*module,
              "builtin.module(linearity-prove{lower=-1 upper=1},"
              "linearity-fold)",
              files, expected, diagnostics);
  runPipeline(*module,
              "builtin.module(linearity-profile{data=" + dataOption +
                  " batch=" + std::to_string(kBatch) +
                  " quiet=1},linearity-fold)",
              files, expected, diagnostics);
  return 0;
}
