//===- FoldSearch.cpp - The smallest fold within a budget -----------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/FoldSearch.h"
#include "lin/Interpreter/ConstantEvaluator.h"
#include "lin/Support/Npy.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InterleavedRange.h"

#include <chrono>
#include <limits>
#include <map>

using namespace mlir;
using namespace lin;

ArrayRef<double> lin::getBudgetMergeThresholds() {
  static const double kThresholds[] = {1.0,  0.999, 0.99, 0.98, 0.95, 0.9,
                                       0.85, 0.8,   0.7,  0.6,  0.5,  0.4,
                                       0.3,  0.2,   0.1,  0.0};
  return kThresholds;
}

ArrayRef<double> lin::getBudgetRemoveThresholds() {
  static const double kThresholds[] = {1.0,  0.999, 0.99, 0.98, 0.95, 0.9,
                                       0.85, 0.8,   0.7,  0.6,  0.5};
  return kThresholds;
}

namespace {

struct Candidate {
  FoldThresholds thresholds;
  int64_t params = 0;
};

/// A candidate materialised in a clone of the function.
struct Materialised {
  func::FuncOp clone;
  FoldResult result;
};

class BudgetSearch {
public:
  BudgetSearch(func::FuncOp func, const RecordedValues *calibration,
               const BudgetSearchOptions &options)
      : func(func), calibration(calibration), options(options) {}

  FailureOr<FoldResult> run();

private:
  /// Runs the original on the budget data; reads the labels.
  LogicalResult measureOriginal();
  /// The metric (a percentage) of `outputs`, the outputs of a candidate on
  /// the budget data.
  FailureOr<double> measure(func::FuncOp candidate,
                            ArrayRef<SmallVector<Tensor>> outputs);
  bool isWithinBudget(double value) const {
    if (options.metric == BudgetMetric::Accuracy)
      return originalMetric - value <= options.budget;
    return value <= options.budget;
  }
  /// The distinct plans of the threshold grid, smallest first.
  std::vector<Candidate> enumerateCandidates();
  FailureOr<Materialised> materialise(const FoldThresholds &thresholds);

  func::FuncOp func;
  const RecordedValues *calibration;
  const BudgetSearchOptions &options;
  std::vector<int64_t> labels;
  std::vector<Tensor> originalOutputs;
  double originalMetric = 0.0;
  int64_t budgetSamples = 0;
};

} // namespace

static const char *getMetricName(BudgetMetric metric) {
  switch (metric) {
  case BudgetMetric::Accuracy:
    return "accuracy";
  case BudgetMetric::Agreement:
    return "agreement";
  case BudgetMetric::MSE:
    return "mse";
  case BudgetMetric::Auto:
    break;
  }
  return "auto";
}

static int64_t argmaxRow(const float *row, int64_t width) {
  int64_t best = 0;
  for (int64_t j = 1; j < width; ++j)
    if (row[j] > row[best])
      best = j;
  return best;
}

LogicalResult BudgetSearch::measureOriginal() {
  FailureOr<RecordedValues> run =
      recordValues(func, {}, options.dataFiles, options.run);
  if (failed(run))
    return failure();
  budgetSamples = run->numSamples;
  if (budgetSamples == 0)
    return func.emitError() << "linearity-fold: the budget data has no samples";
  for (SmallVector<Tensor> &outputs : run->outputs) {
    if (outputs.empty() || outputs.front().getRank() != 2)
      return func.emitError()
             << "linearity-fold: a budget needs the function's first result "
                "to be a [samples x outputs] tensor";
    originalOutputs.push_back(std::move(outputs.front()));
  }
  if (options.metric == BudgetMetric::Accuracy) {
    llvm::Expected<std::unique_ptr<NpyReader>> reader =
        NpyReader::open(options.labelsFile);
    if (!reader)
      return func.emitError()
             << "linearity-fold: " << llvm::toString(reader.takeError());
    if ((*reader)->getRowSize() != 1 ||
        (*reader)->getNumRows() != budgetSamples)
      return func.emitError()
             << "linearity-fold: budget-labels '" << options.labelsFile
             << "' must hold one label per budget sample (" << budgetSamples
             << "), not an array of shape "
             << llvm::interleaved((*reader)->getShape(), "x");
    labels.resize(budgetSamples);
    if (llvm::Error error =
            (*reader)->readRows(0, budgetSamples, labels.data()))
      return func.emitError()
             << "linearity-fold: " << llvm::toString(std::move(error));
    SmallVector<SmallVector<Tensor>> wrapped;
    for (const Tensor &output : originalOutputs)
      wrapped.push_back({output});
    FailureOr<double> accuracy = measure(func, wrapped);
    if (failed(accuracy))
      return failure();
    originalMetric = *accuracy;
  }
  return success();
}

FailureOr<double> BudgetSearch::measure(func::FuncOp candidate,
                                        ArrayRef<SmallVector<Tensor>> outputs) {
  double numerator = 0.0, denominator = 0.0;
  int64_t sample = 0;
  for (auto [batch, batchOutputs] : llvm::enumerate(outputs)) {
    const Tensor &output = batchOutputs.front();
    const Tensor &original = originalOutputs[batch];
    if (output.getShape() != original.getShape())
      return candidate.emitError()
             << "linearity-fold: internal error: a candidate's output shape "
                "differs from the original's";
    int64_t rows = output.getDimSize(0), width = output.getDimSize(1);
    for (int64_t r = 0; r < rows; ++r, ++sample) {
      const float *row = output.data() + r * width;
      const float *originalRow = original.data() + r * width;
      switch (options.metric) {
      case BudgetMetric::Accuracy:
        numerator += argmaxRow(row, width) == labels[sample];
        denominator += 1;
        break;
      case BudgetMetric::Agreement:
        numerator += argmaxRow(row, width) != argmaxRow(originalRow, width);
        denominator += 1;
        break;
      case BudgetMetric::MSE:
      case BudgetMetric::Auto:
        for (int64_t j = 0; j < width; ++j) {
          double difference = double(row[j]) - originalRow[j];
          numerator += difference * difference;
          denominator += double(originalRow[j]) * originalRow[j];
        }
        break;
      }
    }
  }
  return 100.0 * numerator / (denominator > 0.0 ? denominator : 1.0);
}

std::vector<Candidate> BudgetSearch::enumerateCandidates() {
  ConstantEvaluator constants(/*emitErrors=*/false, /*memoiseValues=*/false);
  LayerGraph graph = LayerGraph::build(func, constants);
  FoldPlanner planner(graph);
  // Distinct plans by what they fold; for equal plans the largest
  // thresholds are kept (the grid runs from high to low).
  std::map<std::pair<int64_t, size_t>, Candidate> distinct;
  for (double merge : getBudgetMergeThresholds()) {
    for (double remove : getBudgetRemoveThresholds()) {
      FoldPlanOptions planOptions = options.plan;
      planOptions.thresholds = {merge, remove};
      planOptions.targetSize.reset();
      FoldPlan plan = planner.plan(planOptions);
      llvm::hash_code hash = llvm::hash_value(plan.mergeLayers.size());
      for (auto [index, cls] : llvm::enumerate(plan.classes)) {
        if (plan.mergeLayers[index])
          hash = llvm::hash_combine(
              hash,
              llvm::hash_combine_range(cls.merge.begin(), cls.merge.end()));
        hash = llvm::hash_combine(
            hash, -1,
            llvm::hash_combine_range(cls.remove.begin(), cls.remove.end()));
      }
      distinct.try_emplace(
          {plan.predictedParamsAfter, size_t(hash)},
          Candidate{{merge, remove}, plan.predictedParamsAfter});
    }
  }
  std::vector<Candidate> candidates;
  for (auto &[key, candidate] : distinct)
    candidates.push_back(candidate);
  // The map orders by size, then hash; make ties deterministic by the
  // thresholds instead (larger first).
  llvm::stable_sort(candidates, [](const Candidate &a, const Candidate &b) {
    if (a.params != b.params)
      return a.params < b.params;
    if (a.thresholds.merge != b.thresholds.merge)
      return a.thresholds.merge > b.thresholds.merge;
    return a.thresholds.remove > b.thresholds.remove;
  });
  return candidates;
}

FailureOr<Materialised>
BudgetSearch::materialise(const FoldThresholds &thresholds) {
  IRMapping mapping;
  auto clone = cast<func::FuncOp>(func->clone(mapping));
  clone.setPrivate();
  SymbolTable(func->getParentOfType<ModuleOp>())
      .insert(clone, func->getIterator());
  auto eraseOnFailure = llvm::make_scope_exit([&] {
    if (clone)
      clone.erase();
  });
  ConstantEvaluator constants(/*emitErrors=*/false, /*memoiseValues=*/false);
  LayerGraph graph = LayerGraph::build(clone, constants);
  FoldPlanOptions planOptions = options.plan;
  planOptions.thresholds = thresholds;
  planOptions.targetSize.reset();
  FoldPlan plan = FoldPlanner(graph).plan(planOptions);
  FoldedForms folded = foldAffineForms(graph, plan);
  std::optional<RefitResult> refit;
  if (options.refit && calibration) {
    FailureOr<RefitResult> refitted =
        refitFoldedForms(graph, folded, *calibration, *options.refit, &mapping);
    if (failed(refitted))
      return failure();
    refit = std::move(*refitted);
  }
  IRRewriter rewriter(clone.getContext());
  FailureOr<FoldResult> result =
      applyFoldedForms(rewriter, clone, graph, plan, folded, options.emission);
  if (failed(result))
    return failure();
  result->function = func.getSymName().str();
  result->refit = std::move(refit);
  Materialised materialised{clone, std::move(*result)};
  clone = nullptr;
  return materialised;
}

FailureOr<FoldResult> BudgetSearch::run() {
  auto start = std::chrono::steady_clock::now();
  if (failed(measureOriginal()))
    return failure();
  std::vector<Candidate> candidates = enumerateCandidates();
  // The unfolded function, always within the budget, closes the list.
  candidates.push_back({{std::numeric_limits<double>::infinity(),
                         std::numeric_limits<double>::infinity()},
                        std::numeric_limits<int64_t>::max()});
  size_t unfolded = candidates.size() - 1;

  std::map<size_t, std::optional<Materialised>> within;
  int64_t evaluated = 0;
  auto evaluate = [&](size_t index) -> FailureOr<bool> {
    FailureOr<Materialised> materialised =
        materialise(candidates[index].thresholds);
    if (failed(materialised))
      return failure();
    FailureOr<RecordedValues> run =
        recordValues(materialised->clone, {}, options.dataFiles, options.run);
    if (failed(run)) {
      materialised->clone.erase();
      return failure();
    }
    FailureOr<double> value = measure(materialised->clone, run->outputs);
    if (failed(value)) {
      materialised->clone.erase();
      return failure();
    }
    ++evaluated;
    bool ok = isWithinBudget(*value);
    if (options.showProgress)
      llvm::errs() << llvm::formatv(
          "linearity-fold: budget candidate {0}/{1} (merge {2}, remove {3}): "
          "{4} weights, {5} {6:F2} % -> {7}\n",
          evaluated, options.maxEvaluations, candidates[index].thresholds.merge,
          candidates[index].thresholds.remove, materialised->result.paramsAfter,
          getMetricName(options.metric), *value,
          ok ? "within budget" : "over budget");
    materialised->result.budget = BudgetOutcome{};
    materialised->result.budget->chosen = *value;
    if (ok)
      within[index] = std::move(*materialised);
    else
      materialised->clone.erase();
    return ok;
  };

  // Bisection for the first candidate within budget, assuming the metric
  // worsens monotonically as candidates shrink.
  size_t lo = 0, hi = unfolded;
  std::vector<bool> tried(candidates.size(), false);
  while (lo < hi && evaluated < options.maxEvaluations) {
    size_t mid = lo + (hi - lo) / 2;
    tried[mid] = true;
    FailureOr<bool> ok = evaluate(mid);
    if (failed(ok))
      return failure();
    if (*ok)
      hi = mid;
    else
      lo = mid + 1;
  }
  // The assumption can fail: probe the next smaller untried candidates.
  for (size_t probe = hi; probe > 0 && evaluated < options.maxEvaluations;) {
    --probe;
    if (tried[probe])
      continue;
    tried[probe] = true;
    FailureOr<bool> ok = evaluate(probe);
    if (failed(ok))
      return failure();
    if (*ok)
      hi = probe;
    if (hi - probe >= 2 && !*ok)
      break;
  }

  // The smallest candidate within the budget wins; the others go.
  size_t best = unfolded;
  for (auto &[index, materialised] : within)
    if (index < best)
      best = index;
  FoldResult result;
  if (best == unfolded) {
    FailureOr<Materialised> none = materialise(candidates[unfolded].thresholds);
    if (failed(none))
      return failure();
    within[unfolded] = std::move(*none);
    within[unfolded]->result.budget = BudgetOutcome{};
    within[unfolded]->result.budget->chosen =
        options.metric == BudgetMetric::Accuracy ? originalMetric : 0.0;
  }
  for (auto &[index, materialised] : within) {
    if (index != best) {
      materialised->clone.erase();
      continue;
    }
    func.getBody().takeBody(materialised->clone.getBody());
    materialised->clone.erase();
    result = std::move(materialised->result);
  }
  BudgetOutcome &outcome = *result.budget;
  outcome.metric = getMetricName(options.metric);
  outcome.budget = options.budget;
  outcome.original =
      options.metric == BudgetMetric::Accuracy ? originalMetric : 0.0;
  outcome.mergeThreshold =
      best == unfolded ? 1.0 : candidates[best].thresholds.merge;
  outcome.removeThreshold =
      best == unfolded ? 1.0 : candidates[best].thresholds.remove;
  outcome.budgetSamples = budgetSamples;
  outcome.candidates = unfolded;
  outcome.evaluated = evaluated;
  outcome.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return result;
}

FailureOr<FoldResult>
lin::foldWithinBudget(func::FuncOp func, const RecordedValues *calibration,
                      const BudgetSearchOptions &options) {
  return BudgetSearch(func, calibration, options).run();
}
