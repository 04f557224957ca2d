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
#include <set>

using namespace mlir;
using namespace lin;

// Denser where accuracy changes fast: a neuron's share of its piece falls
// from 1 slowly at first, so the high end is resolved finely.
ArrayRef<double> lin::getBudgetMergeThresholds() {
  static const double kThresholds[] = {
      1.0,  0.999, 0.995, 0.99, 0.98, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7,
      0.65, 0.6,   0.55,  0.5,  0.45, 0.4,  0.3, 0.2,  0.1, 0.0};
  return kThresholds;
}

ArrayRef<double> lin::getBudgetRemoveThresholds() {
  static const double kThresholds[] = {
      1.0,   0.999, 0.995, 0.99, 0.98,  0.97, 0.95, 0.93, 0.9,  0.875, 0.85,
      0.825, 0.8,   0.775, 0.75, 0.725, 0.7,  0.65, 0.6,  0.55, 0.5};
  return kThresholds;
}

namespace {

/// A candidate materialised in a clone of the function.
struct Materialised {
  func::FuncOp clone;
  FoldResult result;
};

/// A point of the threshold grid: indices into getBudgetMergeThresholds()
/// and getBudgetRemoveThresholds().
struct GridPoint {
  size_t merge = 0, remove = 0;
  FoldThresholds getThresholds() const {
    return {getBudgetMergeThresholds()[merge],
            getBudgetRemoveThresholds()[remove]};
  }
};

class BudgetSearch {
public:
  BudgetSearch(func::FuncOp func, const LayerGraph &graph,
               const RecordedValues *calibration,
               const BudgetSearchOptions &options)
      : func(func), calibration(calibration), options(options),
        planner(graph, options.cost) {}
  ~BudgetSearch() {
    if (best)
      best->clone.erase();
  }

  FailureOr<FoldResult> run();

private:
  /// Runs the original on the budget data; reads the labels.
  LogicalResult measureOriginal();
  /// The metric (a percentage) of `outputs`, the outputs of a candidate on
  /// the budget data.
  FailureOr<double> measure(func::FuncOp candidate,
                            ArrayRef<SmallVector<Tensor>> outputs);
  bool isWithinBudget(double value) const {
    // Percentages of whole samples are not exact in binary: losing exactly
    // the budget's worth of samples must pass.
    constexpr double kRounding = 1e-9;
    if (options.metric == BudgetMetric::Accuracy)
      return originalMetric - value <= options.budget + kRounding;
    return value <= options.budget + kRounding;
  }
  using PlanKey = std::pair<int64_t, size_t>;
  /// Identifies the plan a point makes (equal plans are evaluated once).
  PlanKey computePlanKey(const GridPoint &point) const;
  const PlanKey &getPlanKey(const GridPoint &point) const {
    return planKeys[point.merge * getBudgetRemoveThresholds().size() +
                    point.remove];
  }
  FailureOr<Materialised> materialise(const FoldThresholds &thresholds);
  /// Whether the candidate of `point` is within the budget; keeps it when
  /// it is the smallest so far. Evaluates each distinct plan once.
  FailureOr<bool> evaluate(const GridPoint &point);
  /// The last point of `path` within the budget, assuming the metric
  /// worsens along it; its first point must be within the budget.
  FailureOr<GridPoint> lowerAlong(ArrayRef<GridPoint> path);
  bool hasEvaluationsLeft() const { return evaluated < options.maxEvaluations; }

  func::FuncOp func;
  const RecordedValues *calibration;
  const BudgetSearchOptions &options;
  /// Plans on the graph of `func` (candidates are materialised in clones,
  /// each with a graph of its own).
  FoldPlanner planner;
  std::vector<int64_t> labels;
  std::vector<Tensor> originalOutputs;
  double originalMetric = 0.0;
  int64_t budgetSamples = 0;
  int64_t evaluated = 0;
  /// The plan key of every grid point (merge-major), computed once.
  std::vector<PlanKey> planKeys;
  std::map<PlanKey, bool> evaluatedPlans;
  /// The smallest candidate within the budget so far.
  std::optional<Materialised> best;
  double bestMetric = 0.0;
  FoldThresholds bestThresholds{1.0, 1.0};
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
  if (!options.allowNonFinite && !hasOnlyFiniteValues(run->outputs))
    return func.emitError()
           << "linearity-fold: the model's outputs on the budget data are not "
              "finite (NaN or infinity); allow-non-finite=1 measures the "
              "budget on them anyway";
  for (SmallVector<Tensor> &outputs : run->outputs) {
    if (outputs.empty() || outputs.front().getRank() != 2)
      return func.emitError()
             << "linearity-fold: a budget needs the function's first result "
                "to be a [samples x outputs] tensor";
    originalOutputs.push_back(std::move(outputs.front()));
  }
  // One sample more or less is 100 / n points: a finer budget can only
  // keep the metric, which is worth knowing before trusting the choice.
  double pointsPerSample = 100.0 / double(budgetSamples);
  if (options.metric != BudgetMetric::MSE && options.budget < pointsPerSample)
    func.emitRemark() << "linearity-fold: one of the " << budgetSamples
                      << " budget samples is "
                      << llvm::formatv("{0:F2}", pointsPerSample)
                      << " points, more than the budget of " << options.budget
                      << ": on this data the budget means no loss at all; "
                         "give more budget data for a finer choice";
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
    // A label that is no column of the result can never be predicted.
    int64_t classes = originalOutputs.front().getDimSize(1);
    for (auto [sample, label] : llvm::enumerate(labels))
      if (label < 0 || label >= classes)
        return func.emitError()
               << "linearity-fold: budget-labels '" << options.labelsFile
               << "': the label of sample " << sample << " is " << label
               << ", not a class of the first result (0 to " << classes - 1
               << ")";
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

FailureOr<Materialised>
BudgetSearch::materialise(const FoldThresholds &thresholds) {
  IRMapping mapping;
  auto clone = cast<func::FuncOp>(func->clone(mapping));
  clone.setPrivate();
  SymbolTable(func->getParentOfType<ModuleOp>())
      .insert(clone, func->getIterator());
  auto eraseOnFailure = llvm::scope_exit([&] {
    if (clone)
      clone.erase();
  });
  ConstantEvaluator constants(/*emitErrors=*/false, /*memoiseValues=*/false);
  LayerGraph graph = LayerGraph::build(clone, constants);
  FoldPlanOptions planOptions = options.plan;
  planOptions.thresholds = thresholds;
  planOptions.targetSize.reset();
  FoldPlan plan = FoldPlanner(graph, options.cost).plan(planOptions);
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

BudgetSearch::PlanKey
BudgetSearch::computePlanKey(const GridPoint &point) const {
  FoldPlanOptions planOptions = options.plan;
  planOptions.thresholds = point.getThresholds();
  planOptions.targetSize.reset();
  FoldPlan plan = planner.plan(planOptions);
  llvm::hash_code hash = llvm::hash_value(plan.mergeLayers.size());
  for (auto [index, cls] : llvm::enumerate(plan.classes)) {
    if (plan.mergeLayers[index])
      hash = llvm::hash_combine(
          hash, llvm::hash_combine_range(cls.merge.begin(), cls.merge.end()));
    hash = llvm::hash_combine(
        hash, -1,
        llvm::hash_combine_range(cls.remove.begin(), cls.remove.end()));
  }
  return {plan.predictedParamsAfter, size_t(hash)};
}

FailureOr<bool> BudgetSearch::evaluate(const GridPoint &point) {
  const PlanKey &key = getPlanKey(point);
  auto known = evaluatedPlans.find(key);
  if (known != evaluatedPlans.end())
    return known->second;
  FoldThresholds thresholds = point.getThresholds();
  FailureOr<Materialised> materialised = materialise(thresholds);
  if (failed(materialised))
    return failure();
  auto erase = llvm::scope_exit([&] {
    if (materialised->clone)
      materialised->clone.erase();
  });
  FailureOr<RecordedValues> run =
      recordValues(materialised->clone, {}, options.dataFiles, options.run);
  if (failed(run))
    return failure();
  FailureOr<double> value = measure(materialised->clone, run->outputs);
  if (failed(value))
    return failure();
  ++evaluated;
  bool within = isWithinBudget(*value);
  evaluatedPlans[key] = within;
  if (options.showProgress)
    llvm::errs() << llvm::formatv(
        "linearity-fold: budget candidate {0}/{1} (merge threshold {2:F3}, "
        "remove threshold {3:F3}): {4} weights, {5} {6:F2} % -> {7}\n",
        evaluated, options.maxEvaluations, thresholds.merge, thresholds.remove,
        materialised->result.paramsAfter, getMetricName(options.metric), *value,
        within ? "within budget" : "over budget");
  if (within &&
      (!best || materialised->result.paramsAfter < best->result.paramsAfter)) {
    if (best)
      best->clone.erase();
    best = std::move(*materialised);
    materialised->clone = nullptr;
    bestMetric = *value;
    bestThresholds = thresholds;
  }
  return within;
}

FailureOr<GridPoint> BudgetSearch::lowerAlong(ArrayRef<GridPoint> path) {
  // Bisection between the known-good first point and the path's end (tried
  // first: often the whole path is within the budget).
  size_t good = 0, bad = path.size();
  while (bad - good > 1 && hasEvaluationsLeft()) {
    size_t probe =
        bad == path.size() ? path.size() - 1 : good + (bad - good) / 2;
    FailureOr<bool> within = evaluate(path[probe]);
    if (failed(within))
      return failure();
    (*within ? good : bad) = probe;
  }
  return path[good];
}

/// The points from `start` along one axis to the grid's edge.
static SmallVector<GridPoint> getAxisPath(GridPoint start, bool mergeAxis) {
  SmallVector<GridPoint> path;
  size_t size =
      (mergeAxis ? getBudgetMergeThresholds() : getBudgetRemoveThresholds())
          .size();
  for (size_t index = mergeAxis ? start.merge : start.remove; index < size;
       ++index) {
    GridPoint point = start;
    (mergeAxis ? point.merge : point.remove) = index;
    path.push_back(point);
  }
  return path;
}

/// The points where both thresholds are equal, from 1 down.
static SmallVector<GridPoint> getDiagonalPath() {
  SmallVector<GridPoint> path;
  ArrayRef<double> merge = getBudgetMergeThresholds();
  ArrayRef<double> remove = getBudgetRemoveThresholds();
  for (size_t m = 0; m < merge.size(); ++m)
    for (size_t r = 0; r < remove.size(); ++r)
      if (merge[m] == remove[r])
        path.push_back({m, r});
  return path;
}

FailureOr<FoldResult> BudgetSearch::run() {
  auto start = std::chrono::steady_clock::now();
  if (failed(measureOriginal()))
    return failure();

  for (size_t m = 0; m < getBudgetMergeThresholds().size(); ++m)
    for (size_t r = 0; r < getBudgetRemoveThresholds().size(); ++r)
      planKeys.push_back(computePlanKey({m, r}));

  // From the lossless corner, lower both thresholds together (bisection
  // along the diagonal: small tabular models often fold completely), then
  // refine along the remove threshold (with a refit, removing
  // mostly-constant neurons is the cheap gain) and the merge threshold
  // alternately while evaluations last. The smallest candidate seen within
  // the budget wins, wherever the search met it.
  GridPoint point;
  FailureOr<bool> cornerWithin = evaluate(point);
  if (failed(cornerWithin))
    return failure();
  if (*cornerWithin) {
    FailureOr<GridPoint> lowered = lowerAlong(getDiagonalPath());
    if (failed(lowered))
      return failure();
    point = *lowered;
    // Alternate the axes, the remove threshold first, until neither moves
    // (evaluated plans are not run again) or the evaluations run out.
    bool mergeAxis = false;
    for (int unmoved = 0; unmoved < 2 && hasEvaluationsLeft();
         mergeAxis = !mergeAxis) {
      lowered = lowerAlong(getAxisPath(point, mergeAxis));
      if (failed(lowered))
        return failure();
      bool moved =
          lowered->merge != point.merge || lowered->remove != point.remove;
      unmoved = moved ? 0 : unmoved + 1;
      point = *lowered;
    }
  }

  // Distinct plans of the grid, for the report.
  std::set<PlanKey> distinct(planKeys.begin(), planKeys.end());

  if (!best) {
    // Nothing folds within the budget: the unfolded function.
    FoldThresholds none{std::numeric_limits<double>::infinity(),
                        std::numeric_limits<double>::infinity()};
    FailureOr<Materialised> unfolded = materialise(none);
    if (failed(unfolded))
      return failure();
    best = std::move(*unfolded);
    bestMetric =
        options.metric == BudgetMetric::Accuracy ? originalMetric : 0.0;
    bestThresholds = {1.0, 1.0};
  }
  func.getBody().takeBody(best->clone.getBody());
  best->clone.erase();
  FoldResult result = std::move(best->result);
  best.reset();

  BudgetOutcome outcome;
  outcome.metric = getMetricName(options.metric);
  outcome.budget = options.budget;
  outcome.original =
      options.metric == BudgetMetric::Accuracy ? originalMetric : 0.0;
  outcome.chosen = bestMetric;
  outcome.mergeThreshold = bestThresholds.merge;
  outcome.removeThreshold = bestThresholds.remove;
  outcome.budgetSamples = budgetSamples;
  outcome.candidates = distinct.size();
  outcome.evaluated = evaluated;
  outcome.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  result.budget = std::move(outcome);
  return result;
}

FailureOr<FoldResult>
lin::foldWithinBudget(func::FuncOp func, const LayerGraph &graph,
                      const RecordedValues *calibration,
                      const BudgetSearchOptions &options) {
  return BudgetSearch(func, graph, calibration, options).run();
}
