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

#include "lin/Analysis/LayerGraph.h"
#include "lin/Dialect/Lin/IR/LinDialect.h"
#include "lin/Interpreter/ConstantEvaluator.h"
#include "lin/Transforms/FoldPlanner.h"
#include "lin/Transforms/FoldReport.h"
#include "lin/Transforms/FoldRewrite.h"
#include "lin/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/FormatVariadic.h"

#define DEBUG_TYPE "linearity-fold"

namespace lin {
#define GEN_PASS_DEF_LINEARITYFOLD
#include "lin/Transforms/Passes.h.inc"
} // namespace lin

using namespace mlir;
using namespace lin;

namespace {

struct LinearityFoldPass : lin::impl::LinearityFoldBase<LinearityFoldPass> {
  using Base::Base;

  void runOnOperation() override;

private:
  /// Checks the options and turns them into planning options.
  FailureOr<FoldPlanOptions> getPlanOptions();
  FailureOr<FoldResult> foldFunction(func::FuncOp func,
                                     const FoldPlanOptions &planOptions);
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
               "off");
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

FailureOr<FoldResult>
LinearityFoldPass::foldFunction(func::FuncOp func,
                                const FoldPlanOptions &planOptions) {
  // Weights are read one consumer at a time; memoising every evaluated
  // constant would hold a second copy of the model.
  ConstantEvaluator constants(/*emitErrors=*/false, /*memoiseValues=*/false);
  LayerGraph graph = LayerGraph::build(func, constants);
  for (const DeclinedActivation &declined : graph.declined)
    declined.op->emitRemark() << "not folded: " << declined.reason;
  if (graph.layers.empty())
    return FoldResult();
  for (const Layer &layer : graph.layers)
    if (!layer.isFoldable())
      layer.activation.getOperation()->emitRemark()
          << "not folded: " << layer.whyNotFoldable;

  FoldPlan plan = FoldPlanner(graph).plan(planOptions);
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

  IRRewriter rewriter(func.getContext());
  FailureOr<FoldResult> result = applyFoldPlan(
      rewriter, func, graph, plan,
      FoldEmissionOptions{weightLayout, static_cast<bool>(keepProfiles)});
  if (failed(result))
    return failure();
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
  return result;
}

void LinearityFoldPass::runOnOperation() {
  ModuleOp module = getOperation();
  FailureOr<FoldPlanOptions> planOptions = getPlanOptions();
  if (failed(planOptions))
    return signalPassFailure();

  SmallVector<FoldResult> results;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    FailureOr<FoldResult> result = foldFunction(func, *planOptions);
    if (failed(result))
      return signalPassFailure();
    if (result->layers.empty())
      continue;
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
