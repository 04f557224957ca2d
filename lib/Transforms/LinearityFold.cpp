//===- LinearityFold.cpp - Fold linear neurons into skip matmuls ----------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The pass drives the fold library (FoldRewrite.h) per function: build the
// layer graph, plan, apply; it owns the options, the diagnostics (remarks
// for what is not folded, the check of the planner's prediction) and the
// report. Nothing is rewritten before the plan is complete, so a declined
// fold leaves the IR untouched.
//
//===----------------------------------------------------------------------===//

#include "lin/Analysis/ConvChain.h"
#include "lin/Analysis/LayerGraph.h"
#include "lin/Analysis/WeightCount.h"
#include "lin/Dialect/Lin/IR/LinDialect.h"
#include "lin/Interpreter/ConstantEvaluator.h"
#include "lin/Interpreter/Interpreter.h"
#include "lin/Interpreter/ValueRecorder.h"
#include "lin/Transforms/ChannelAffineFold.h"
#include "lin/Transforms/ConvFold.h"
#include "lin/Transforms/FoldPlanner.h"
#include "lin/Transforms/FoldRefit.h"
#include "lin/Transforms/FoldReport.h"
#include "lin/Transforms/FoldRewrite.h"
#include "lin/Transforms/FoldSearch.h"
#include "lin/Transforms/Passes.h"
#include "lin/Transforms/RefitStatistics.h"
#include "lin/Transforms/TokenBatches.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

#define DEBUG_TYPE "linearity-fold"

namespace lin {
#define GEN_PASS_DEF_LINEARITYFOLD
#include "lin/Transforms/Passes.h.inc"
} // namespace lin

using namespace mlir;
using namespace lin;

namespace {

/// The part a run plays in a refit (Passes.td: "Sharded refit").
enum class RefitRole {
  /// All the data in one run.
  Single,
  /// A shard's statistics (refit-statistics-out).
  Worker,
  /// Decisions from the workers' statistics (refit-statistics-in).
  Client,
  /// Complete decisions applied (refit-decisions without data).
  Apply,
};

struct LinearityFoldPass : lin::impl::LinearityFoldBase<LinearityFoldPass> {
  using Base::Base;

  void runOnOperation() override;

private:
  /// Checks the options and turns them into planning options.
  FailureOr<FoldPlanOptions> getPlanOptions();
  /// Checks the refit and budget options; sets refitOptions and the
  /// resolved budget metric.
  LogicalResult checkCalibrationOptions();
  /// Removes constant conv channels, then folds the dense layers; one
  /// result for both.
  FailureOr<FoldResult> foldFunction(func::FuncOp func,
                                     const FoldPlanOptions &planOptions,
                                     bool calibrated);
  /// Remarks on the foldable layers `plan` leaves whole, saying why; the
  /// reasons go to `whyNot` (per layer).
  void remarkUnfoldedLayers(const LayerGraph &graph, const FoldPlanner &planner,
                            const FoldPlan &plan,
                            MutableArrayRef<std::string> whyNot) const;
  FailureOr<FoldResult> foldDenseLayers(func::FuncOp func,
                                        const FoldPlanOptions &planOptions,
                                        bool calibrated);
  /// Records what the refit reads from `func` on the calibration data.
  FailureOr<RecordedValues> recordCalibration(func::FuncOp func,
                                              const LayerGraph &graph);
  /// Refits `folded` as refitRole says; nullopt for a worker or client run,
  /// whose results are files.
  FailureOr<std::optional<RefitResult>>
  refitFunction(func::FuncOp func, const LayerGraph &graph, FoldedForms &folded,
                std::optional<RecordedValues> calibration);
  BatchRunOptions getRunOptions() const {
    return getBatchRunOptions(batchSize, maxSamples, quiet);
  }
  FoldEmissionOptions getEmissionOptions() const {
    return FoldEmissionOptions{weightLayout, static_cast<bool>(keepProfiles),
                               activationLayout, align,
                               static_cast<bool>(concatBuffer)};
  }
  FoldCostModel getCostModel() const {
    return FoldCostModel{align, activationLayout,
                         static_cast<bool>(keepProfiles), objective,
                         dispatchCost};
  }

  std::optional<RefitOptions> refitOptions;
  RefitRole refitRole = RefitRole::Single;
  BudgetMetric resolvedBudgetMetric = BudgetMetric::Accuracy;
};

} // namespace

FailureOr<FoldPlanOptions> LinearityFoldPass::getPlanOptions() {
  // -1 is the documented "use threshold" / "off"; any other value outside
  // the range (a negative threshold, NaN) is a mistake, not a default.
  PassOptionChecker checks(getOperation(), getArgument());
  checks.isFraction("threshold", threshold)
      .isFraction("merge-threshold", mergeThreshold, -1.0, "threshold")
      .isFraction("remove-threshold", removeThreshold, -1.0, "threshold")
      .inRange("target-size", targetSize, 0.0, 1.0, /*minExclusive=*/true, -1.0,
               "off")
      .isPositive("align", align)
      .isNonNegative("dispatch-cost", dispatchCost);
  if (checks.failed())
    return failure();
  FoldPlanOptions options;
  options.policy = policy;
  options.thresholds.merge =
      mergeThreshold == -1.0 ? double(threshold) : double(mergeThreshold);
  options.thresholds.remove =
      removeThreshold == -1.0 ? double(threshold) : double(removeThreshold);
  if (targetSize != -1.0)
    options.targetSize = double(targetSize);
  return options;
}

LogicalResult LinearityFoldPass::checkCalibrationOptions() {
  PassOptionChecker checks(getOperation(), getArgument());
  checks.inOpenRange("refit-holdout", refitHoldout, 0.0, 1.0)
      .inRange("budget", budget, 0.0, 100.0, /*minExclusive=*/false, -1.0,
               "off")
      .areDataOptions(batchSize, maxSamples, dataFiles)
      .isPositive("budget-evaluations", budgetEvaluations)
      .hasNoEmptyFileName("budget-data", budgetDataFiles);
  std::optional<double> ridge;
  if (refitRidge != "auto") {
    double value = 0.0;
    bool parsed = !llvm::StringRef(refitRidge).getAsDouble(value);
    checks.require(parsed && std::isfinite(value) && value >= 0.0,
                   "refit-ridge must be auto or a number >= 0, not '" +
                       refitRidge + "'");
    ridge = value;
  }
  bool refitting = refit == RefitMethod::LeastSquares;
  bool budgeted = budget != -1.0;
  bool worker = !refitStatisticsOut.empty();
  bool client = !refitStatisticsIn.empty() || !refitDecisionsOut.empty();
  bool sharded = worker || client || !refitDecisions.empty();
  bool hasData = !dataFiles.empty();
  checks.isPositive("refit-block", refitBlock)
      .hasNoEmptyFileName("refit-statistics-in", refitStatisticsIn)
      .require(!sharded || refitting,
               "refit-decisions, refit-statistics-out, refit-statistics-in "
               "and refit-decisions-out take part in a sharded refit: they "
               "need refit=lstsq")
      .require(!worker || !client,
               "refit-statistics-out (a worker run) and refit-statistics-in "
               "or refit-decisions-out (the client run) belong to different "
               "runs; give one set")
      .require(!client ||
                   (!refitStatisticsIn.empty() && !refitDecisionsOut.empty()),
               "the client run of a sharded refit needs both "
               "refit-statistics-in=<dir>[,...] and "
               "refit-decisions-out=<dir>")
      .require(!client || !hasData,
               "the client run of a sharded refit (refit-statistics-in) reads "
               "no data: the workers did; drop data=")
      .require(!hasData || worker || refitDecisions.empty(),
               "refit-decisions with data= is a worker run: it needs "
               "refit-statistics-out=<dir>; without data= the decisions are "
               "applied")
      .require(worker || (refitSampleOffset == 0 && refitTotalSamples == -1),
               "refit-sample-offset and refit-total-samples describe a "
               "worker's shard: they need refit-statistics-out=<dir>")
      .isNonNegative("refit-sample-offset", refitSampleOffset)
      .isPositive("refit-total-samples", refitTotalSamples, -1,
                  "the shard's samples")
      .require(!(worker || client) || reportFile.empty(),
               "a worker or client run of a sharded refit writes no report "
               "(it folds nothing); the final run (refit-decisions without "
               "data) does")
      .require(!sharded || !budgeted,
               "a sharded refit does not run with a budget (the budget's "
               "candidates are refitted in one run)");
  checks
      .require(!refitting || hasData || sharded,
               "refit=lstsq needs calibration data: data=<file.npy>[,...], "
               "one file per function argument")
      .require(!budgeted || !budgetDataFiles.empty(),
               "a budget needs budget data: budget-data=<file.npy>[,...], "
               "one file per function argument")
      .require(budgeted || (budgetDataFiles.empty() && budgetLabels.empty()),
               "budget-data and budget-labels are only read with a budget "
               "(budget=<points>)")
      .require(!budgeted || targetSize == -1.0,
               "budget and target-size both choose the size; give one")
      .require(!budgeted || budgetMetric != BudgetMetric::Accuracy ||
                   !budgetLabels.empty(),
               "budget-metric=accuracy needs budget-labels=<labels.npy>");
  if (checks.failed())
    return failure();
  if (refitting) {
    RefitOptions options;
    options.ridge = ridge;
    options.holdoutFraction = refitHoldout;
    options.blockSamples = refitBlock;
    refitOptions = options;
  }
  refitRole = worker    ? RefitRole::Worker
              : client  ? RefitRole::Client
              : sharded ? RefitRole::Apply
                        : RefitRole::Single;
  resolvedBudgetMetric = budgetMetric;
  if (budgetMetric == BudgetMetric::Auto)
    resolvedBudgetMetric =
        budgetLabels.empty() ? BudgetMetric::Agreement : BudgetMetric::Accuracy;
  return success();
}

FailureOr<RecordedValues>
LinearityFoldPass::recordCalibration(func::FuncOp func,
                                     const LayerGraph &graph) {
  FailureOr<RecordedValues> recorded = recordValues(
      func, getRefitRecordedValues(graph), dataFiles, getRunOptions());
  if (failed(recorded))
    return failure();
  if (recorded->numSamples == 0)
    return func.emitError() << "linearity-fold: the calibration data has no "
                               "samples";
  // As for profiling: a refit on NaN fits nothing and says little why.
  if (!allowNonFinite && !hasOnlyFiniteValues(recorded->batches))
    return func.emitError()
           << "linearity-fold: the model's values on the calibration data "
              "are not finite (NaN or infinity); allow-non-finite=1 refits "
              "with them anyway";
  return recorded;
}

FailureOr<std::optional<RefitResult>>
LinearityFoldPass::refitFunction(func::FuncOp func, const LayerGraph &graph,
                                 FoldedForms &folded,
                                 std::optional<RecordedValues> calibration) {
  // The files a run reads are named in its errors.
  auto readError = [&](StringRef option, llvm::Error error) {
    func.emitError() << "linearity-fold: cannot read " << option << ": "
                     << llvm::toString(std::move(error));
    return failure();
  };
  std::optional<RefitDecisions> decisions;
  if (!refitDecisions.empty()) {
    llvm::Expected<RefitDecisions> read = readRefitDecisions(refitDecisions);
    if (!read)
      return readError("refit-decisions", read.takeError());
    decisions = std::move(*read);
  }

  switch (refitRole) {
  case RefitRole::Single: {
    FailureOr<RefitResult> result =
        refitFoldedForms(graph, folded, *calibration, *refitOptions);
    if (failed(result))
      return failure();
    return std::optional<RefitResult>(std::move(*result));
  }
  case RefitRole::Worker: {
    RefitStatistics statistics;
    RefitShard shard;
    shard.decisions = decisions ? &*decisions : nullptr;
    shard.statisticsOut = &statistics;
    shard.sampleOffset = refitSampleOffset;
    shard.totalSamples = refitTotalSamples;
    if (failed(refitFoldedForms(graph, folded, *calibration, *refitOptions,
                                /*toGraph=*/nullptr, &shard)))
      return failure();
    calibration.reset();
    if (llvm::Error error =
            writeRefitStatistics(refitStatisticsOut, statistics)) {
      func.emitError() << "linearity-fold: cannot write refit-statistics-out: "
                       << llvm::toString(std::move(error));
      return failure();
    }
    return std::optional<RefitResult>();
  }
  case RefitRole::Client: {
    std::vector<RefitStatistics> shards;
    for (const std::string &directory : refitStatisticsIn) {
      llvm::Expected<RefitStatistics> read = readRefitStatistics(directory);
      if (!read)
        return readError("refit-statistics-in", read.takeError());
      shards.push_back(std::move(*read));
    }
    llvm::Expected<RefitStatistics> joined = joinRefitStatistics(
        std::move(shards), SmallVector<std::string>(refitStatisticsIn.begin(),
                                                    refitStatisticsIn.end()));
    if (!joined) {
      func.emitError() << "linearity-fold: refit-statistics-in do not fit "
                          "together: "
                       << llvm::toString(joined.takeError());
      return failure();
    }
    RefitDecisions updated =
        decisions ? std::move(*decisions) : RefitDecisions();
    if (failed(decideRefitConsumers(graph, folded, *joined, *refitOptions,
                                    updated)))
      return failure();
    if (llvm::Error error = writeRefitDecisions(refitDecisionsOut, updated)) {
      func.emitError() << "linearity-fold: cannot write refit-decisions-out: "
                       << llvm::toString(std::move(error));
      return failure();
    }
    return std::optional<RefitResult>();
  }
  case RefitRole::Apply: {
    FailureOr<RefitResult> result =
        applyRefitDecisions(graph, folded, *decisions, *refitOptions);
    if (failed(result))
      return failure();
    return std::optional<RefitResult>(std::move(*result));
  }
  }
  llvm_unreachable("unknown refit role");
}

/// A threshold as users write it (1, 0.95).
static std::string formatShare(double share) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%g", share);
  return text;
}

static std::string neurons(size_t count) {
  return std::to_string(count) + (count == 1 ? " neuron" : " neurons");
}

void LinearityFoldPass::remarkUnfoldedLayers(
    const LayerGraph &graph, const FoldPlanner &planner, const FoldPlan &plan,
    MutableArrayRef<std::string> whyNot) const {
  // The plan's own classes are emptied when it falls back from growth.
  SmallVector<LayerClassification> candidates =
      planner.classify(plan.thresholds);
  for (auto [index, layer] : llvm::enumerate(graph.layers)) {
    if (!layer.isFoldable() || plan.getNumMerged(index) != 0 ||
        plan.getNumRemoved(index) != 0)
      continue;
    size_t merge = candidates[index].merge.size();
    size_t remove = candidates[index].remove.size();
    llvm::raw_string_ostream why(whyNot[index]);
    if (merge + remove == 0)
      why << "no neuron stays in one linear piece on enough samples "
             "(merge-threshold "
          << formatShare(plan.thresholds.merge) << ", remove-threshold "
          << formatShare(plan.thresholds.remove) << ")";
    else if (plan.declinedGrowth)
      why << "folding its " << neurons(merge + remove)
          << " in one linear piece would make the function larger";
    else
      why << "merging its " << neurons(merge)
          << " in the identity piece would not make the function "
             "smaller (policy="
          << stringifyFoldPolicy(policy) << ")";
    layer.activation.getOperation()->emitRemark()
        << "layer " << graph.getLayerName(index)
        << " not folded: " << whyNot[index];
  }
}

FailureOr<FoldResult> LinearityFoldPass::foldFunction(
    func::FuncOp func, const FoldPlanOptions &planOptions, bool calibrated) {
  FailureOr<ConvFoldResult> convResult;
  // Batch norm leaves with its vectors: when it folds, the sizes count from
  // before (-1: the conv fold's or the dense fold's count).
  int64_t paramsBefore = countWeightElements(func);
  // The function as it was: put back if the fold, against its own
  // predictions, would make it store more weights (lin never emits a bigger
  // model). Cheap: constants are attributes, shared with the copy.
  const int64_t originalParams = paramsBefore;
  OwningOpRef<func::FuncOp> original = func.clone();
  {
    ConstantEvaluator constants(/*emitErrors=*/false, /*memoiseValues=*/false);
    IRRewriter rewriter(func.getContext());
    FailureOr<int64_t> foldedNorms =
        foldChannelAffineIntoConvolutions(rewriter, func, constants);
    if (failed(foldedNorms))
      return failure();
    if (*foldedNorms == 0)
      paramsBefore = -1;
    ConvChainAnalysis chains =
        ConvChainAnalysis::build(func, constants, planOptions.thresholds.remove,
                                 planOptions.thresholds.merge);
    convResult = foldConvChannels(rewriter, func, constants, chains, align);
    if (failed(convResult))
      return failure();
  }
  for (const auto &[op, message] : convResult->remarks)
    op->emitRemark() << message;
  FailureOr<FoldResult> result = foldDenseLayers(func, planOptions, calibrated);
  if (failed(result))
    return result;
  if (paramsBefore >= 0)
    result->paramsBefore = paramsBefore;
  if (!convResult->layers.empty()) {
    if (paramsBefore < 0)
      result->paramsBefore = convResult->paramsBefore;
    // One report: the conv layers first (they come first in CNNs).
    result->layers.insert(result->layers.begin(), convResult->layers.begin(),
                          convResult->layers.end());
  }
  if (result->paramsAfter > originalParams) {
    func.emitWarning() << "linearity-fold: the folded function would store "
                       << result->paramsAfter << " weights, more than the "
                       << originalParams
                       << " before; left as it was (a cost model is wrong: "
                          "please report it)";
    func.getBody().takeBody(original->getBody());
    result->paramsBefore = originalParams;
    result->markUnfolded();
  }
  return result;
}

FailureOr<FoldResult> LinearityFoldPass::foldDenseLayers(
    func::FuncOp func, const FoldPlanOptions &planOptions, bool calibrated) {
  // Weights are read one consumer at a time; memoising every evaluated
  // constant would hold a second copy of the model.
  ConstantEvaluator constants(/*emitErrors=*/false, /*memoiseValues=*/false);
  collapseTokenDimensions(func);
  LayerGraph graph = LayerGraph::build(func, constants);
  for (const DeclinedActivation &declined : graph.declined)
    declined.op->emitRemark() << "not folded: " << declined.reason;
  if (graph.layers.empty())
    return getUnfoldedResult(func, graph);
  // Why layers stay whole, for the remarks and the report's rows.
  SmallVector<std::string> whyNotFolded(graph.layers.size());
  for (auto [index, layer] : llvm::enumerate(graph.layers))
    if (!layer.isFoldable()) {
      whyNotFolded[index] = layer.whyNotFoldable;
      layer.activation.getOperation()->emitRemark()
          << "layer " << graph.getLayerName(index)
          << " not folded: " << layer.whyNotFoldable;
    }
  // Says why on the result's rows of the layers that stayed whole.
  auto explainUnfolded = [&](FailureOr<FoldResult> result) {
    if (succeeded(result) && result->layers.size() == whyNotFolded.size())
      for (auto [row, why] : llvm::zip_equal(result->layers, whyNotFolded))
        if (row.merged + row.removed == 0)
          row.whyNotFolded = why;
    return result;
  };

  // What the refit reads from the original function, recorded before
  // anything changes it.
  std::optional<RecordedValues> calibration;
  bool readsData =
      refitRole == RefitRole::Single || refitRole == RefitRole::Worker;
  if (calibrated && refitOptions && readsData) {
    FailureOr<RecordedValues> recorded = recordCalibration(func, graph);
    if (failed(recorded))
      return failure();
    calibration = std::move(*recorded);
  }

  if (calibrated && budget != -1.0) {
    BudgetSearchOptions search;
    search.metric = resolvedBudgetMetric;
    search.budget = budget;
    search.dataFiles.assign(budgetDataFiles.begin(), budgetDataFiles.end());
    search.labelsFile = budgetLabels;
    search.run = getRunOptions();
    search.run.showProgress = false;
    search.plan = planOptions;
    search.refit = refitOptions;
    search.emission = getEmissionOptions();
    search.cost = getCostModel();
    search.maxEvaluations = budgetEvaluations;
    search.allowNonFinite = allowNonFinite;
    search.showProgress = !quiet && llvm::errs().is_displayed();
    return explainUnfolded(foldWithinBudget(
        func, graph, calibration ? &*calibration : nullptr, search));
  }

  FoldPlanner planner(graph, getCostModel());
  FoldPlan plan = planner.plan(planOptions);
  if (plan.targetSize && plan.targetSize->lowered) {
    if (!plan.targetSize->reached)
      func.emitRemark() << "target-size " << *planOptions.targetSize
                        << " not reached: folding every neuron with a "
                           "non-zero share gives "
                        << plan.predictedParamsAfter << " of "
                        << plan.paramsBefore << " parameters";
    func.emitRemark() << "target-size " << *planOptions.targetSize
                      << ": merge threshold lowered to "
                      << llvm::formatv("{0:F6}", plan.thresholds.merge);
  }

  if (plan.declinedGrowth)
    func.emitRemark() << "not folded as planned: the plan would store "
                      << *plan.declinedGrowth << " weights, more than the "
                      << plan.paramsBefore
                      << " the function has; folding less instead";

  remarkUnfoldedLayers(graph, planner, plan, whyNotFolded);

  FoldedForms folded = foldAffineForms(graph, plan);
  std::optional<RefitResult> refitted;
  if (calibrated && refitOptions) {
    FailureOr<std::optional<RefitResult>> refitResult =
        refitFunction(func, graph, folded, std::move(calibration));
    if (failed(refitResult))
      return failure();
    // A worker's or the client's results are files; the function stays.
    if (!*refitResult)
      return getUnfoldedResult(func, graph);
    refitted = std::move(**refitResult);
  }
  IRRewriter rewriter(func.getContext());
  FailureOr<FoldResult> result = applyFoldedForms(rewriter, func, graph, plan,
                                                  folded, getEmissionOptions());
  if (failed(result))
    return failure();
  result->refit = std::move(refitted);
  if (result->declinedGrowth)
    func.emitRemark() << "not folded: the folded function would store "
                         "more weights than the "
                      << result->paramsBefore << " it has";
  // The planner chose on a shape-only simulation of the fold algebra, and
  // the fold predicted its output's size from the folded weights; if either
  // disagrees with what was produced, choices were made on wrong numbers,
  // so say so loudly (tests fail on any warning).
  if (plan.predictedFoldableParamsAfter != result->foldableParamsAfter &&
      !result->declinedGrowth)
    func.emitWarning() << "linearity-fold: internal cost model predicted "
                       << plan.predictedFoldableParamsAfter
                       << " parameters but the fold produced "
                       << result->foldableParamsAfter;
  if (result->paramsAfter != result->predictedParamsAfter ||
      result->paramsAfter > result->paramsBefore)
    func.emitWarning() << "linearity-fold: the folded function stores "
                       << result->paramsAfter << " weights, "
                       << result->predictedParamsAfter << " predicted, "
                       << result->paramsBefore << " before";
  LLVM_DEBUG(llvm::dbgs() << "fold of @" << func.getSymName() << ": "
                          << result->paramsBefore << " -> "
                          << result->paramsAfter << " parameters\n");
  return explainUnfolded(std::move(result));
}

/// Whether any op of `module` carries a lin.profile.
static bool hasProfile(ModuleOp module) {
  StringRef name = LinDialect::getProfileAttrName();
  return module
      .walk([&](Operation *op) {
        return op->hasAttr(name) ? WalkResult::interrupt()
                                 : WalkResult::advance();
      })
      .wasInterrupted();
}

void LinearityFoldPass::runOnOperation() {
  ModuleOp module = getOperation();
  FailureOr<FoldPlanOptions> planOptions = getPlanOptions();
  if (failed(planOptions) || failed(checkCalibrationOptions()))
    return signalPassFailure();
  if (!allowUnprofiled && !hasProfile(module)) {
    // Located on the first function: that is where profiles go.
    Operation *where = module;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal()) {
        where = func;
        break;
      }
    where->emitError()
        << "linearity-fold: no activation carries a #lin.profile, so "
           "nothing would fold; profile first "
           "(--linearity-profile=\"data=calib.npy\"), or profile and fold "
           "in one pass (--linearity-compress=\"data=calib.npy\"), or pass "
           "allow-unprofiled=1 to fold nothing";
    return signalPassFailure();
  }
  // The refit and the budget run the function the data is for.
  func::FuncOp calibrated;
  if (refitOptions || budget != -1.0) {
    FailureOr<func::FuncOp> entry = findEntryFunction(module, functionName);
    if (failed(entry))
      return signalPassFailure();
    calibrated = *entry;
  }

  SmallVector<FoldResult, 1> results;
  // Collected first: a budget search adds (and removes) candidate functions.
  for (auto func : llvm::to_vector(module.getOps<func::FuncOp>())) {
    if (func.isExternal())
      continue;
    FailureOr<FoldResult> result =
        foldFunction(func, *planOptions, func == calibrated);
    if (failed(result))
      return signalPassFailure();
    for (const LayerFoldResult &layer : result->layers) {
      numNeuronsMerged += layer.merged;
      numNeuronsRemoved += layer.removed;
      if (layer.merged + layer.removed > 0)
        ++numLayersFolded;
    }
    numParamsBefore += result->paramsBefore;
    numParamsAfter += result->paramsAfter;
    results.push_back(std::move(*result));
  }

  if (!keepProfiles)
    module.walk([](Operation *op) {
      op->removeAttr(LinDialect::getProfileAttrName());
    });
  if (verbose)
    printFoldTable(llvm::errs(), results);
  if (!reportFile.empty())
    if (llvm::Error error = writeFoldReport(reportFile, results)) {
      // The error names the file.
      module.emitError() << "linearity-fold: cannot write report: "
                         << llvm::toString(std::move(error));
      return signalPassFailure();
    }
}
