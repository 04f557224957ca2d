//===- lin-plugin.cpp - lin as a plugin for upstream mlir-opt -------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Entry points for `mlir-opt --load-dialect-plugin=LinPlugin.so` and
// `mlir-opt --load-pass-plugin=LinPlugin.so` (mlir/Tools/Plugins). Both
// register lin's passes (linearity-compress included); the dialect plugin
// also adds the lin dialect to the tool's registry. Registrations only:
// everything else lives in lin's libraries, exactly as lin-opt uses them.
//
//===----------------------------------------------------------------------===//

#include "lin/Dialect/Lin/IR/LinDialect.h"
#include "lin/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

#include <mutex>

/// Registers what lin-opt registers from lin with MLIR's global pass
/// registry (in libMLIR.so). Once: loading the library as both a dialect and
/// a pass plugin calls this twice, and registering a pass pipeline twice is
/// a fatal error, should lin register one again.
static void registerLinPassesOnce() {
  static std::once_flag once;
  std::call_once(once, [] { lin::registerLinPasses(); });
}

extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "lin", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            registry->insert<lin::LinDialect>();
            registerLinPassesOnce();
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "lin-passes", LLVM_VERSION_STRING,
          registerLinPassesOnce};
}
