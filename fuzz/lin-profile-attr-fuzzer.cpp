//===- lin-profile-attr-fuzzer.cpp - Fuzz the #lin.profile parser ---------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Parses arbitrary text as an attribute with the lin dialect loaded. Parsing
// must fail with a diagnostic or succeed; a lin attribute that parses must
// print to text that parses back to the same attribute (profiles round-trip
// exactly, extrema included), and printing it must be stable.
//
//===----------------------------------------------------------------------===//

#include "lin/Dialect/Lin/IR/LinDialect.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

using namespace mlir;

/// The context, made afresh every few thousand inputs: it keeps every
/// attribute it ever uniqued, which would grow past libFuzzer's memory
/// limit within minutes.
static MLIRContext &getContext() {
  static std::unique_ptr<MLIRContext> context;
  static unsigned uses = 0;
  if (!context || ++uses % 4096 == 0) {
    // One thread: each input is small, and threads only add noise.
    context.reset();
    context = std::make_unique<MLIRContext>(MLIRContext::Threading::DISABLED);
    context->loadDialect<lin::LinDialect>();
  }
  return *context;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext &context = getContext();
  // Diagnostics of rejected inputs are expected; keep the output quiet.
  ScopedDiagnosticHandler quiet(&context,
                                [](Diagnostic &) { return success(); });
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  size_t numRead = 0;
  Attribute attr = parseAttribute(text, &context, Type(), &numRead);
  if (!attr || !isa<lin::LinDialect>(attr.getDialect()))
    return 0;

  std::string printed;
  llvm::raw_string_ostream(printed) << attr;
  Attribute reparsed = parseAttribute(printed, &context);
  if (reparsed != attr) {
    std::string again;
    if (reparsed)
      llvm::raw_string_ostream(again) << reparsed;
    std::fprintf(stderr,
                 "lin-profile-attr-fuzzer: the attribute does not round-trip\n"
                 "  printed:  %s\n  reparsed: %s\n",
                 printed.c_str(), reparsed ? again.c_str() : "(parse error)");
    std::abort();
  }
  return 0;
}
