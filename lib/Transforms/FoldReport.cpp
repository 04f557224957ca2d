//===- FoldReport.cpp - Report what the fold did --------------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/FoldReport.h"

#include "lin/Support/AtomicOutput.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace lin;

/// The width of a table's first column: its longest name (module paths
/// such as `encoder.layers.11.mlp.fc1` are long), at least 14.
template <typename Rows> static unsigned getNameWidth(const Rows &rows) {
  size_t width = 14;
  for (const auto &row : rows)
    width = std::max(width, row.name.size());
  return width;
}

void lin::printFoldTable(llvm::raw_ostream &os, ArrayRef<FoldResult> results) {
  constexpr const char *kRow =
      "{0} {1,8} {2,8} {3,8} {4,8} {5,8} {6,12} {7,12}\n";
  for (const FoldResult &result : results) {
    unsigned nameWidth = getNameWidth(result.layers);
    os << llvm::formatv(kRow, llvm::left_justify("layer", nameWidth), "neurons",
                        "folded", "removed", "kept", "emitted", "params",
                        "params-after");
    for (const LayerFoldResult &row : result.layers)
      os << llvm::formatv(kRow, llvm::left_justify(row.name, nameWidth),
                          row.neurons, row.merged, row.removed, row.kept,
                          row.emittedWidth, row.paramsBefore, row.paramsAfter);
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
                        result.foldableParamsBefore, result.foldableParamsAfter,
                        foldableRatio);
    os << llvm::formatv("matmuls: {0} -> {1}\n", result.matmulsBefore,
                        result.matmulsAfter);
    if (result.refit) {
      constexpr const char *kRefitRow =
          "{0} {1,8} {2,8} {3,10} {4,12} {5,12}  {6}\n";
      unsigned refitNameWidth = getNameWidth(result.refit->consumers);
      os << llvm::formatv("refit on {0} calibration samples:\n",
                          result.refit->samples);
      os << llvm::formatv(
          kRefitRow, llvm::left_justify("consumer", refitNameWidth), "refitted",
          "features", "ridge", "error-before", "error-after", "");
      for (const ConsumerRefit &row : result.refit->consumers)
        os << llvm::formatv(
            kRefitRow, llvm::left_justify(row.name, refitNameWidth),
            row.refitted ? "yes" : "no", row.features,
            llvm::formatv("{0:E1}", row.ridge),
            llvm::formatv("{0:F6}", row.errorBefore),
            llvm::formatv("{0:F6}", row.errorAfter), row.whyNot);
    }
    if (const std::optional<BudgetOutcome> &budget = result.budget)
      os << llvm::formatv(
          "budget: {0} within {1} points on {2} samples: original {3:F2} %, "
          "chosen {4:F2} % (merge threshold {5:F3}, remove threshold {6:F3}); "
          "{7} of {8} candidates evaluated in {9:F1} s\n",
          budget->metric, budget->budget, budget->budgetSamples,
          budget->original, budget->chosen, budget->mergeThreshold,
          budget->removeThreshold, budget->evaluated, budget->candidates,
          budget->seconds);
  }
}

/// JSON has no NaN: an error that was not computed is null.
static llvm::json::Value getErrorJSON(double error) {
  if (std::isnan(error))
    return nullptr;
  return error;
}

llvm::json::Object lin::getConsumerRefitJSON(const ConsumerRefit &row) {
  return llvm::json::Object{{"name", row.name},
                            {"refitted", row.refitted},
                            {"why_not", row.whyNot},
                            {"features", row.features},
                            {"ridge", row.ridge},
                            {"error_before", getErrorJSON(row.errorBefore)},
                            {"error_after", getErrorJSON(row.errorAfter)}};
}

static llvm::json::Object getRefitJSON(const RefitResult &refit) {
  llvm::json::Array consumers;
  for (const ConsumerRefit &row : refit.consumers)
    consumers.push_back(getConsumerRefitJSON(row));
  return llvm::json::Object{{"samples", refit.samples},
                            {"consumers", std::move(consumers)}};
}

static llvm::json::Object getBudgetJSON(const BudgetOutcome &budget) {
  return llvm::json::Object{{"metric", budget.metric},
                            {"budget", budget.budget},
                            {"original", budget.original},
                            {"chosen", budget.chosen},
                            {"merge_threshold", budget.mergeThreshold},
                            {"remove_threshold", budget.removeThreshold},
                            {"samples", budget.budgetSamples},
                            {"candidates", budget.candidates},
                            {"evaluated", budget.evaluated},
                            {"seconds", budget.seconds}};
}

llvm::json::Value lin::getFoldReportJSON(ArrayRef<FoldResult> results) {
  llvm::json::Array layers, functions;
  int64_t before = 0, after = 0, foldableBefore = 0, foldableAfter = 0;
  for (const FoldResult &result : results) {
    before += result.paramsBefore;
    after += result.paramsAfter;
    foldableBefore += result.foldableParamsBefore;
    foldableAfter += result.foldableParamsAfter;
    llvm::json::Object function{{"name", result.function},
                                {"params_before", result.paramsBefore},
                                {"params_after", result.paramsAfter},
                                {"matmuls_before", result.matmulsBefore},
                                {"matmuls_after", result.matmulsAfter}};
    if (result.refit)
      function["refit"] = getRefitJSON(*result.refit);
    if (result.budget)
      function["budget"] = getBudgetJSON(*result.budget);
    functions.push_back(std::move(function));
    for (const LayerFoldResult &row : result.layers) {
      bool refitted =
          result.refit && llvm::any_of(result.refit->consumers,
                                       [&](const ConsumerRefit &consumer) {
                                         return consumer.refitted &&
                                                consumer.name == row.name;
                                       });
      llvm::json::Object layer{{"name", row.name},
                               {"neurons", row.neurons},
                               {"folded", row.merged},
                               {"removed", row.removed},
                               {"kept", row.kept},
                               {"emitted_width", row.emittedWidth},
                               {"params_before", row.paramsBefore},
                               {"params_after", row.paramsAfter},
                               {"refitted", refitted}};
      if (!row.whyNotFolded.empty())
        layer["not_folded"] = row.whyNotFolded;
      layers.push_back(std::move(layer));
    }
  }
  return llvm::json::Object{{"params_before", before},
                            {"params_after", after},
                            {"foldable_params_before", foldableBefore},
                            {"foldable_params_after", foldableAfter},
                            {"layers", std::move(layers)},
                            {"functions", std::move(functions)}};
}

llvm::Error lin::writeFoldReport(StringRef path, ArrayRef<FoldResult> results) {
  // Not llvm::writeToOutput: it aborts on a write error ("LLVM ERROR: IO
  // failure") and renames over devices and symbolic links.
  return writeFileAtomically(path, [&](llvm::raw_ostream &os) {
    os << llvm::formatv("{0:2}", getFoldReportJSON(results)) << "\n";
    return llvm::Error::success();
  });
}
