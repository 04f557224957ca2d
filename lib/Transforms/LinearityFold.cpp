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
  ModuleOp module = getOperation();
  FoldPlanOptions options;
  options.policy = policy;
  options.thresholds.merge = mergeThreshold >= 0.0 ? mergeThreshold : threshold;
  options.thresholds.remove =
      removeThreshold >= 0.0 ? removeThreshold : threshold;
  for (auto [name, value] :
       {std::pair<StringRef, double>{"threshold", threshold},
        {"merge-threshold", options.thresholds.merge},
        {"remove-threshold", options.thresholds.remove}})
    if (value < 0.0 || value > 1.0)
      return module.emitError() << "linearity-fold: " << name
                                << " must be in [0, 1], got " << value;
  if (targetSize != -1.0) {
    if (targetSize <= 0.0 || targetSize > 1.0)
      return module.emitError()
             << "linearity-fold: target-size must be in (0, 1], got "
             << targetSize;
    options.targetSize = targetSize;
  }
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

  IRRewriter rewriter(func.getContext());
  FailureOr<FoldResult> result = applyFoldPlan(
      rewriter, func, graph, plan,
      FoldEmissionOptions{weightLayout, static_cast<bool>(keepProfiles)});
  if (failed(result))
    return failure();
  // The planner chose on a shape-only simulation of the fold algebra; if the
  // two ever disagree the choice was made on wrong numbers, so say so loudly.
  if (plan.predictedParamsAfter != result->paramsAfter)
    func.emitWarning() << "linearity-fold: internal cost model predicted "
                       << plan.predictedParamsAfter
                       << " parameters but the fold produced "
                       << result->paramsAfter;
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
      module.emitError() << "linearity-fold: cannot write report '"
                         << reportFile << "': "
                         << llvm::toString(std::move(error));
      return signalPassFailure();
    }
}
