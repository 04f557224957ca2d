//===- Pipelines.cpp - Registered lin pass pipelines ----------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// linearity-compress = linearity-profile + linearity-fold + canonicalize +
// cse: the whole compression from calibration data in one flag.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace {
struct CompressPipelineOptions
    : public PassPipelineOptions<CompressPipelineOptions> {
  ListOption<std::string> data{*this, "data",
                               llvm::cl::desc("Calibration .npy files, one per "
                                              "function argument")};
  Option<std::string> function{
      *this, "function",
      llvm::cl::desc("Function to profile (default: the only public one)"),
      llvm::cl::init("")};
  Option<int64_t> batch{*this, "batch",
                        llvm::cl::desc("Samples per batch when profiling"),
                        llvm::cl::init(512)};
  Option<int64_t> maxSamples{*this, "max-samples",
                             llvm::cl::desc("Profile at most this many "
                                            "samples (-1: all)"),
                             llvm::cl::init(-1)};
  Option<bool> quiet{*this, "quiet", llvm::cl::desc("No progress on stderr"),
                     llvm::cl::init(false)};
  Option<double> threshold{*this, "threshold",
                           llvm::cl::desc("Minimum share of samples in one "
                                          "piece for a neuron to fold"),
                           llvm::cl::init(1.0)};
  Option<double> mergeThreshold{
      *this, "merge-threshold",
      llvm::cl::desc("Threshold for identity pieces (default: threshold)"),
      llvm::cl::init(-1.0)};
  Option<double> removeThreshold{
      *this, "remove-threshold",
      llvm::cl::desc("Threshold for other pieces (default: threshold)"),
      llvm::cl::init(-1.0)};
  Option<std::string> policy{*this, "policy",
                             llvm::cl::desc("cost, paper or all"),
                             llvm::cl::init("cost")};
  Option<double> targetSize{*this, "target-size",
                            llvm::cl::desc("Fraction of the original "
                                           "parameters to reach (-1: off)"),
                            llvm::cl::init(-1.0)};
  Option<std::string> report{*this, "report",
                             llvm::cl::desc("JSON report of the fold"),
                             llvm::cl::init("")};
  Option<bool> verbose{*this, "verbose",
                       llvm::cl::desc("Print the fold table on stderr"),
                       llvm::cl::init(false)};
};

void buildCompressPipeline(OpPassManager &pm,
                           const CompressPipelineOptions &options) {
  lin::LinearityProfileOptions profile;
  profile.dataFiles.assign(options.data.begin(), options.data.end());
  profile.functionName = options.function;
  profile.batchSize = options.batch;
  profile.maxSamples = options.maxSamples;
  profile.quiet = options.quiet;
  pm.addPass(lin::createLinearityProfile(profile));

  lin::LinearityFoldOptions fold;
  fold.threshold = options.threshold;
  fold.mergeThreshold = options.mergeThreshold;
  fold.removeThreshold = options.removeThreshold;
  fold.policy = options.policy;
  fold.targetSize = options.targetSize;
  fold.reportFile = options.report;
  fold.verbose = options.verbose;
  pm.addPass(lin::createLinearityFold(fold));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}
} // namespace

void lin::registerLinPipelines() {
  PassPipelineRegistration<CompressPipelineOptions>(
      "linearity-compress",
      "Profile on calibration data, fold linear neurons, clean up "
      "(linearity-profile, linearity-fold, canonicalize, cse)",
      buildCompressPipeline);
}
