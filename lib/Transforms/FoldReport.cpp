//===- FoldReport.cpp - Report what the fold did --------------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/FoldReport.h"

#include "lin/Support/AtomicOutput.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace lin;

void lin::printFoldTable(llvm::raw_ostream &os, ArrayRef<FoldResult> results) {
  constexpr const char *kRow =
      "{0,-14} {1,8} {2,8} {3,8} {4,8} {5,12} {6,12}\n";
  for (const FoldResult &result : results) {
    os << llvm::formatv(kRow, "layer", "neurons", "folded", "removed", "kept",
                        "params", "params-after");
    for (const LayerFoldResult &row : result.layers)
      os << llvm::formatv(kRow, row.name, row.neurons, row.merged, row.removed,
                          row.kept, row.paramsBefore, row.paramsAfter);
    double ratio = result.paramsBefore
                       ? double(result.paramsAfter) / result.paramsBefore
                       : 1.0;
    double foldableRatio =
        result.foldableParamsBefore
            ? double(result.foldableParamsAfter) / result.foldableParamsBefore
            : 1.0;
    os << llvm::formatv("total parameters: {0} -> {1} ({2:P1})\n",
                        result.paramsBefore, result.paramsAfter, ratio);
    os << llvm::formatv("foldable parameters: {0} -> {1} ({2:P1})\n",
                        result.foldableParamsBefore,
                        result.foldableParamsAfter, foldableRatio);
  }
}

llvm::json::Value lin::getFoldReportJSON(ArrayRef<FoldResult> results) {
  llvm::json::Array layers;
  int64_t before = 0, after = 0, foldableBefore = 0, foldableAfter = 0;
  for (const FoldResult &result : results) {
    before += result.paramsBefore;
    after += result.paramsAfter;
    foldableBefore += result.foldableParamsBefore;
    foldableAfter += result.foldableParamsAfter;
    for (const LayerFoldResult &row : result.layers)
      layers.push_back(llvm::json::Object{{"name", row.name},
                                          {"neurons", row.neurons},
                                          {"folded", row.merged},
                                          {"removed", row.removed},
                                          {"kept", row.kept},
                                          {"params_before", row.paramsBefore},
                                          {"params_after", row.paramsAfter}});
  }
  return llvm::json::Object{{"params_before", before},
                            {"params_after", after},
                            {"foldable_params_before", foldableBefore},
                            {"foldable_params_after", foldableAfter},
                            {"layers", std::move(layers)}};
}

llvm::Error lin::writeFoldReport(StringRef path,
                                 ArrayRef<FoldResult> results) {
  // Not llvm::writeToOutput: it aborts on a write error ("LLVM ERROR: IO
  // failure") and renames over devices and symbolic links.
  return writeFileAtomically(path, [&](llvm::raw_ostream &os) {
    os << llvm::formatv("{0:2}", getFoldReportJSON(results)) << "\n";
    return llvm::Error::success();
  });
}
