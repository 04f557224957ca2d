//===- LinearityCompress.cpp - Profile, fold, clean up --------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// linearity-compress = linearity-profile + linearity-fold + canonicalize +
// cse. Its options are the concatenation of the two passes' ODS option lists;
// here each is handed to the pass that owns it.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

namespace lin {
#define GEN_PASS_DEF_LINEARITYCOMPRESS
#include "lin/Transforms/Passes.h.inc"
} // namespace lin

using namespace mlir;
using namespace lin;

// The fold takes the data options too (its refit and budget search read the
// calibration data), so its option struct has every field of the compress
// pass's. These bindings stop compiling when an option is added to either
// pass (the number of names must match the number of fields), pointing here.
[[maybe_unused]] static void
checkForwardedOptions(const LinearityProfileOptions &profile,
                      const LinearityFoldOptions &fold) {
  [[maybe_unused]] auto &[dataFiles, functionName, batchSize, maxSamples,
                          allowNonFinite, quiet] = profile;
  [[maybe_unused]] auto &[dataFiles_, functionName_, batchSize_, maxSamples_,
                          allowNonFinite_, quiet_, threshold, mergeThreshold,
                          removeThreshold, policy, targetSize, reportFile,
                          weightLayout, activationLayout, concatBuffer, align,
                          objective, dispatchCost, keepProfiles, verbose, refit,
                          refitRidge, refitHoldout, budget, budgetMetric,
                          budgetDataFiles, budgetLabels, budgetEvaluations,
                          allowUnprofiled, refitBlock, refitDecisions,
                          refitStatisticsOut, refitSampleOffset,
                          refitTotalSamples, refitStatisticsIn,
                          refitDecisionsOut] = fold;
}

void lin::buildLinearityCompressPipeline(
    OpPassManager &pm, const LinearityCompressOptions &options) {
  LinearityProfileOptions profile;
  profile.dataFiles = options.dataFiles;
  profile.functionName = options.functionName;
  profile.batchSize = options.batchSize;
  profile.maxSamples = options.maxSamples;
  profile.allowNonFinite = options.allowNonFinite;
  profile.quiet = options.quiet;
  pm.addPass(createLinearityProfile(profile));

  LinearityFoldOptions fold;
  fold.dataFiles = options.dataFiles;
  fold.functionName = options.functionName;
  fold.batchSize = options.batchSize;
  fold.maxSamples = options.maxSamples;
  fold.allowNonFinite = options.allowNonFinite;
  fold.quiet = options.quiet;
  fold.threshold = options.threshold;
  fold.mergeThreshold = options.mergeThreshold;
  fold.removeThreshold = options.removeThreshold;
  fold.policy = options.policy;
  fold.targetSize = options.targetSize;
  fold.reportFile = options.reportFile;
  fold.weightLayout = options.weightLayout;
  fold.activationLayout = options.activationLayout;
  fold.concatBuffer = options.concatBuffer;
  fold.align = options.align;
  fold.objective = options.objective;
  fold.dispatchCost = options.dispatchCost;
  fold.keepProfiles = options.keepProfiles;
  fold.verbose = options.verbose;
  fold.refit = options.refit;
  fold.refitRidge = options.refitRidge;
  fold.refitHoldout = options.refitHoldout;
  fold.budget = options.budget;
  fold.budgetMetric = options.budgetMetric;
  fold.budgetDataFiles = options.budgetDataFiles;
  fold.budgetLabels = options.budgetLabels;
  fold.budgetEvaluations = options.budgetEvaluations;
  // The profile just ran: a model without activations it recognises was
  // warned about there, and compresses to itself.
  fold.allowUnprofiled = true;
  pm.addPass(createLinearityFold(fold));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

namespace {
struct LinearityCompressPass
    : lin::impl::LinearityCompressBase<LinearityCompressPass> {
  using Base::Base;

  void runOnOperation() override {
    // The pass's own option members, as the options struct. The binding
    // stops compiling when LinearityCompressOptions gains a field that is
    // not copied here.
    LinearityCompressOptions options;
    [[maybe_unused]] auto &[dataFiles_, functionName_, batchSize_, maxSamples_,
                            allowNonFinite_, quiet_, threshold_,
                            mergeThreshold_, removeThreshold_, policy_,
                            targetSize_, reportFile_, weightLayout_,
                            activationLayout_, concatBuffer_, align_,
                            objective_, dispatchCost_, keepProfiles_, verbose_,
                            refit_, refitRidge_, refitHoldout_, budget_,
                            budgetMetric_, budgetDataFiles_, budgetLabels_,
                            budgetEvaluations_] = options;
    options.dataFiles.assign(dataFiles.begin(), dataFiles.end());
    options.functionName = functionName;
    options.batchSize = batchSize;
    options.maxSamples = maxSamples;
    options.allowNonFinite = allowNonFinite;
    options.quiet = quiet;
    options.threshold = threshold;
    options.mergeThreshold = mergeThreshold;
    options.removeThreshold = removeThreshold;
    options.policy = policy;
    options.targetSize = targetSize;
    options.reportFile = reportFile;
    options.weightLayout = weightLayout;
    options.activationLayout = activationLayout;
    options.concatBuffer = concatBuffer;
    options.align = align;
    options.objective = objective;
    options.dispatchCost = dispatchCost;
    options.keepProfiles = keepProfiles;
    options.verbose = verbose;
    options.refit = refit;
    options.refitRidge = refitRidge;
    options.refitHoldout = refitHoldout;
    options.budget = budget;
    options.budgetMetric = budgetMetric;
    options.budgetDataFiles.assign(budgetDataFiles.begin(),
                                   budgetDataFiles.end());
    options.budgetLabels = budgetLabels;
    options.budgetEvaluations = budgetEvaluations;

    OpPassManager pipeline(ModuleOp::getOperationName());
    buildLinearityCompressPipeline(pipeline, options);
    if (failed(runPipeline(pipeline, getOperation())))
      signalPassFailure();
  }
};
} // namespace
