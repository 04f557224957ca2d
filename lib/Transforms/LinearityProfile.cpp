//===- LinearityProfile.cpp - Profile activations on calibration data -----===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Runs the function on the calibration data through the interpreter with an
// ActivationProfiler watching every recognised activation, then attaches the
// profiles (merged into existing ones). Nothing is attached unless the whole
// run succeeds.
//
//===----------------------------------------------------------------------===//

#include "lin/Dialect/Lin/IR/LinDialect.h"
#include "lin/Interpreter/BatchRunner.h"
#include "lin/Interpreter/Interpreter.h"
#include "lin/Profiling/ActivationProfiler.h"
#include "lin/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace lin {
#define GEN_PASS_DEF_LINEARITYPROFILE
#include "lin/Transforms/Passes.h.inc"
} // namespace lin

using namespace mlir;
using namespace lin;

namespace {
struct LinearityProfilePass
    : lin::impl::LinearityProfileBase<LinearityProfilePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    PassOptionChecker options(module, getArgument());
    options.areDataOptions(batchSize, maxSamples, dataFiles);
    if (options.failed())
      return signalPassFailure();
    if (dataFiles.empty()) {
      module.emitError() << "linearity-profile needs calibration data: "
                            "data=<file.npy>[,<file.npy>...], one file per "
                            "function argument";
      return signalPassFailure();
    }
    FailureOr<func::FuncOp> function = findEntryFunction(module, functionName);
    if (failed(function))
      return signalPassFailure();

    ActivationProfiler profiler(*function, allowNonFinite);
    for (Operation *op : profiler.getUnprofiledActivations())
      op->emitRemark() << "linearity-profile: not profiled: the neuron (last) "
                          "dimension is dynamic (a feature-major value)";
    if (profiler.getNumActivations() == 0) {
      // Feature-major ones were remarked on above; lin's own output is not
      // a mistake to warn about.
      if (profiler.getUnprofiledActivations().empty())
        function->emitWarning()
            << "linearity-profile: no piecewise-linear activation to profile";
      return;
    }
    // Activations whose result nothing reads still run, to be profiled.
    FailureOr<std::unique_ptr<Interpreter>> interpreter = Interpreter::create(
        *function, [&](Operation *op) { return profiler.isObserved(op); });
    if (failed(interpreter))
      return signalPassFailure();
    FailureOr<std::unique_ptr<BatchRunner>> runner =
        BatchRunner::create(**interpreter, dataFiles,
                            getBatchRunOptions(batchSize, maxSamples, quiet));
    if (failed(runner))
      return signalPassFailure();
    if ((*runner)->getNumSamples() == 0) {
      function->emitError() << "linearity-profile: the data has no samples";
      return signalPassFailure();
    }
    auto ignoreOutputs = [](ArrayRef<Tensor>, int64_t) { return success(); };
    if (failed((*runner)->run(ignoreOutputs, &profiler)))
      return signalPassFailure();

    // Merge everything first, attach only if every merge succeeds.
    SmallVector<std::pair<Operation *, ProfileAttr>> attachments;
    for (unsigned i = 0; i < profiler.getNumActivations(); ++i) {
      Operation *op = profiler.getActivation(i).getOperation();
      const std::optional<ActivationProfile> &observed = profiler.getProfile(i);
      if (!observed) {
        op->emitWarning() << "linearity-profile: the activation does not "
                             "depend on the data; not profiled";
        continue;
      }
      warnAboutNonFinite(profiler, i);
      ActivationProfile profile = *observed;
      if (auto existing = op->getAttrOfType<ProfileAttr>(
              LinDialect::getProfileAttrName())) {
        ActivationProfile merged = ActivationProfile::fromAttr(existing);
        if (llvm::Error error = merged.merge(profile)) {
          op->emitError() << "linearity-profile: cannot merge into the "
                             "existing profile: "
                          << llvm::toString(std::move(error));
          return signalPassFailure();
        }
        profile = std::move(merged);
      }
      attachments.push_back({op, profile.toAttr(&getContext())});
      ++numActivations;
      numNeurons += profile.getNumNeurons();
    }
    for (auto [op, attr] : attachments)
      op->setAttr(LinDialect::getProfileAttrName(), attr);
    numSamples += (*runner)->getNumSamples();
  }

  /// With allow-non-finite, the counts of non-finite values are still worth
  /// knowing: data full of NaN makes neurons look constant.
  void warnAboutNonFinite(const ActivationProfiler &profiler, unsigned index) {
    int64_t numNaN = profiler.getNumNaN(index);
    int64_t numInfinite = profiler.getNumInfinite(index);
    if (numNaN == 0 && numInfinite == 0)
      return;
    const ActivationProfile &profile = *profiler.getProfile(index);
    int64_t neverFinite = 0;
    for (int64_t j = 0; j < profile.getNumNeurons(); ++j)
      neverFinite += !(profile.getMinimum(j) <= profile.getMaximum(j));
    InFlightDiagnostic warning =
        profiler.getActivation(index).getOperation()->emitWarning();
    warning << "linearity-profile: counted " << numNaN
            << " NaN pre-activation value(s) in piece 0 and " << numInfinite
            << " infinite one(s) (allow-non-finite)";
    if (neverFinite)
      warning << "; " << neverFinite << " of " << profile.getNumNeurons()
              << " neuron(s) saw no finite value, so that their profile puts "
                 "every sample in piece 0";
  }
};
} // namespace
