//===- FoldSearch.h - The smallest fold within a budget ---------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Chooses what to fold by the accuracy it costs instead of by a hand-swept
// threshold. Candidates are the plans of a grid of merge and remove
// thresholds (equal plans are evaluated once); a candidate is materialised
// in a clone of the function (fold, refit when asked, emission: the IR that
// would be written) and run by the interpreter on the budget data. The
// metric worsens as either threshold falls, but not monotonically in model
// size across the grid, so the search walks paths along which it does
// worsen: from the lossless corner, bisection along the diagonal (both
// thresholds equal), then along the remove and the merge threshold
// alternately until neither moves. The smallest candidate within the budget
// wins, wherever it was met. Deterministic; at most `maxEvaluations`
// candidates are run.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_FOLDSEARCH_H
#define LIN_TRANSFORMS_FOLDSEARCH_H

#include "lin/Interpreter/BatchRunner.h"
#include "lin/Interpreter/ValueRecorder.h"
#include "lin/Transforms/FoldEnums.h"
#include "lin/Transforms/FoldRewrite.h"

#include <optional>
#include <string>
#include <vector>

namespace lin {

struct BudgetSearchOptions {
  /// Accuracy, Agreement or MSE (not Auto).
  BudgetMetric metric = BudgetMetric::Accuracy;
  /// Percentage points of the metric.
  double budget = 0.5;
  /// The budget data, one .npy file per function argument, and for the
  /// accuracy metric the labels.
  std::vector<std::string> dataFiles;
  std::string labelsFile;
  BatchRunOptions run;
  /// Planning apart from the thresholds (the policy), the refit (none: the
  /// algebraic fold) and the emission of every candidate.
  FoldPlanOptions plan;
  /// What candidates cost (their alignment must be emission's).
  FoldCostModel cost;
  std::optional<RefitOptions> refit;
  FoldEmissionOptions emission;
  int64_t maxEvaluations = 16;
  /// Accept non-finite outputs of the original on the budget data
  /// (otherwise an error: the metrics mean nothing on them).
  bool allowNonFinite = false;
  /// A line per evaluated candidate on stderr.
  bool showProgress = false;
};

/// The merge and remove thresholds of the candidate grid.
llvm::ArrayRef<double> getBudgetMergeThresholds();
llvm::ArrayRef<double> getBudgetRemoveThresholds();

/// Folds `func` with the smallest candidate within the budget (or not at
/// all, when none is). `graph` is the layer graph of `func`, planned on
/// only (not consumed); `calibration` holds the values the refit reads
/// (getRefitRecordedValues of that graph) when options.refit is set.
/// Errors (unreadable budget data, labels that do not match) are emitted.
mlir::FailureOr<FoldResult>
foldWithinBudget(mlir::func::FuncOp func, const LayerGraph &graph,
                 const RecordedValues *calibration,
                 const BudgetSearchOptions &options);

} // namespace lin

#endif // LIN_TRANSFORMS_FOLDSEARCH_H
