//===- lin-opt.cpp - The lin optimizer driver -----------------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// mlir-opt with the lin dialect, passes and pipelines added: every upstream
// dialect, extension and pass is registered too, so upstream lowering
// pipelines run on lin's output in the same tool.
//
// The driver is upstream's MlirOptMain(argc, argv, ...) taken apart at its
// documented seams, with two differences: the input is read by
// lin::readInputFile and the output written through lin::AtomicOutputFile
// (upstream's ToolOutputFile truncates `-o` at start-up and deletes it on
// failure, so a failing run, even for a bad option, destroyed the file, and
// `-o` naming the input destroyed the model), and diagnostics do not print
// the whole enclosing operation unless asked to.
//
//===----------------------------------------------------------------------===//

#include "lin/Dialect/Lin/IR/LinDialect.h"
#include "lin/Support/AtomicOutput.h"
#include "lin/Transforms/PassHelp.h"
#include "lin/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Process.h"

#include <algorithm>
#include <cstdio>

/// Changes the default of a boolean command-line option registered by MLIR
/// (an explicit flag still overrides it).
static void setBoolOptionDefault(llvm::StringRef name, bool value) {
  llvm::DenseMap<llvm::StringRef, llvm::cl::Option *> &options =
      llvm::cl::getRegisteredOptions();
  auto it = options.find(name);
  if (it != options.end())
    static_cast<llvm::cl::opt<bool> *>(it->second)->setInitialValue(value);
}

/// The generic options most lin-opt runs use, shown by --help after lin's
/// passes.
static const char *const kCommonOptions[] = {"pass-pipeline",
                                             "split-input-file",
                                             "verify-diagnostics",
                                             "mlir-print-debuginfo",
                                             "mlir-pass-statistics",
                                             "mlir-timing",
                                             "mlir-print-op-on-diagnostic",
                                             "dump-pass-pipeline",
                                             "list-passes"};

/// lin-opt's --help: lin's passes with their options and defaults, and the
/// common generic options. Upstream's help (every MLIR pass, every LLVM
/// option: 1,300 lines) is --help-all.
static void printHelp(llvm::StringRef overview) {
  llvm::raw_ostream &os = llvm::outs();
  os << "OVERVIEW: " << overview << "\n"
     << "USAGE: lin-opt [options] <input file> [-o <output file>]\n\n"
     << "lin's passes (--<pass>=\"option=value ...\", or "
        "--pass-pipeline=\"builtin.module(<pass>{option=value ...})\"):\n\n";
  lin::printLinPassHelp();
  llvm::DenseMap<llvm::StringRef, llvm::cl::Option *> &options =
      llvm::cl::getRegisteredOptions();
  size_t width = 0;
  for (const char *name : kCommonOptions)
    if (llvm::cl::Option *option = options.lookup(name))
      width = std::max(width, option->getOptionWidth());
  os << "\nCommon options:\n\n";
  for (const char *name : kCommonOptions)
    if (llvm::cl::Option *option = options.lookup(name))
      option->printOptionInfo(width);
  os << "\n--help-all lists every option: all of MLIR's passes and LLVM's "
        "options.\n";
}

static int fail(llvm::Error error) {
  llvm::errs() << "lin-opt: " << llvm::toString(std::move(error)) << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlir::registerAllPasses();
  lin::registerLinPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<lin::LinDialect>();

  static constexpr llvm::StringLiteral kOverview =
      "lin optimizer: linearity-based network compression";
  std::string helpHeader =
      mlir::registerCLIOptions((kOverview + "\n").str(), registry);
  static char helpFlag[] = "--help";
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (arg == "--help" || arg == "-help" || arg == "-h" || arg == "--h") {
      printHelp(kOverview);
      return 0;
    }
    if (arg == "--help-all" || arg == "-help-all")
      argv[i] = helpFlag;
  }
  // Errors and remarks name the op and its location; the attached dump of
  // the op (with its regions: the whole function in generic form, or
  // hundreds of profile numbers) buried them.
  setBoolOptionDefault("mlir-print-op-on-diagnostic", false);
  auto [inputFilename, outputFilename] =
      mlir::parseCLIOptions(argc, argv, helpHeader);
  mlir::MlirOptMainConfig config =
      mlir::MlirOptMainConfig::createFromCLOptions();

  // --show-dialects and --list-passes print and return before the input is
  // read, as upstream's driver does.
  if (config.shouldShowDialects() || config.shouldListPasses())
    return mlir::asMainReturnCode(mlir::MlirOptMain(
        llvm::outs(), llvm::MemoryBuffer::getMemBuffer(""), registry, config));

  if (inputFilename == "-" &&
      llvm::sys::Process::FileDescriptorIsDisplayed(fileno(stdin)))
    llvm::errs() << "(processing input from stdin now, hit ctrl-c/ctrl-d to "
                    "interrupt)\n";
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> input =
      lin::readInputFile(inputFilename);
  if (!input)
    return fail(input.takeError());
  // Opened before the run, so that an unwritable destination fails fast;
  // nothing replaces the target before commit().
  llvm::Expected<std::unique_ptr<lin::AtomicOutputFile>> output =
      lin::AtomicOutputFile::create(outputFilename);
  if (!output)
    return fail(output.takeError());
  if (mlir::failed(mlir::MlirOptMain((*output)->os(), std::move(*input),
                                     registry, config)))
    return 1;
  if (llvm::Error error = (*output)->commit())
    return fail(std::move(error));
  return 0;
}
