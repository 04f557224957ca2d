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
//===----------------------------------------------------------------------===//

#include "lin/Dialect/Lin/IR/LinDialect.h"
#include "lin/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  lin::registerLinPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<lin::LinDialect>();

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "lin optimizer: linearity-based network compression\n",
      registry));
}
