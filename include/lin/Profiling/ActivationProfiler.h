//===- ActivationProfiler.h - Count linear pieces while running -*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// An interpreter observer that accumulates, for every piecewise-linear
// activation of a function, the per-neuron statistics of #lin.profile: how
// many samples put each neuron's pre-activation in each linear piece
// (PiecewiseLinearFunction::getPieceIndex) and its minimum and
// maximum. The neuron is the last dimension of the pre-activation; all other
// dimensions count as samples (positions of a sequence, pixels of an image).
//
// A NaN or infinite pre-activation means the data or the weights are broken,
// and a profile of it would say something false (NaN lands in piece 0, so a
// ReLU neuron fed only NaN looks always inactive): it is a located error on
// the activation unless the profiler is told to count such values.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_PROFILING_ACTIVATIONPROFILER_H
#define LIN_PROFILING_ACTIVATIONPROFILER_H

#include "lin/Analysis/PiecewiseLinearActivation.h"
#include "lin/Dialect/Lin/IR/ActivationProfile.h"
#include "lin/Interpreter/Interpreter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/ADT/DenseMap.h"

#include <optional>
#include <vector>

namespace lin {

class ActivationProfiler : public InterpreterObserver {
public:
  /// Profiles every activation of `function` that
  /// PiecewiseLinearActivation::match recognises. Unless `allowNonFinite`, a
  /// NaN or infinite pre-activation fails the run; with it, NaN counts in
  /// piece 0 (PiecewiseLinearFunction::getPieceIndex) and is ignored by the
  /// extrema, and an infinity counts in the piece it falls in.
  explicit ActivationProfiler(mlir::func::FuncOp function,
                              bool allowNonFinite = false);

  /// Only the first `samples` slices along the leading dimension of the
  /// current batch are counted (the rest pads a static batch). Batches are
  /// numbered consecutively, so that errors can name a sample.
  void beginBatch(int64_t samples, int64_t batchSize) override {
    batchSamples = samples;
    this->batchSize = batchSize;
    batchFirstSample = nextSample;
    nextSample += samples;
  }

  unsigned getNumActivations() const { return activations.size(); }
  /// Recognised activations that are not profiled: those of type
  /// [N x ?], whose last dimension (the neurons a profile counts) is a
  /// dynamic batch: a feature-major [features x batch] value, as
  /// linearity-fold emits with activation-layout=feature-major.
  llvm::ArrayRef<mlir::Operation *> getUnprofiledActivations() const {
    return unprofiled;
  }
  const PiecewiseLinearActivation &getActivation(unsigned index) const {
    return activations[index].activation;
  }
  /// The profile of activation `index`, or nothing if it never ran (e.g. it
  /// depends on constants only).
  const std::optional<ActivationProfile> &getProfile(unsigned index) const {
    return activations[index].profile;
  }
  /// How many NaN and infinite pre-activations activation `index` counted
  /// (only with `allowNonFinite`; otherwise the first one fails the run).
  int64_t getNumNaN(unsigned index) const { return activations[index].numNaN; }
  int64_t getNumInfinite(unsigned index) const {
    return activations[index].numInfinite;
  }

  bool isObserved(mlir::Operation *op) override;
  /// Counts the pre-activation before the activation runs, so that the
  /// activation may then overwrite it in place.
  mlir::LogicalResult beforeOp(mlir::Operation *op,
                               llvm::ArrayRef<RuntimeValue> operands) override;
  bool readsOperandsAfter(mlir::Operation *op) override { return false; }

private:
  struct Entry {
    PiecewiseLinearActivation activation;
    unsigned inputOperand;
    /// The dimension holding the neurons (getNeuronDimension) and the axis
    /// the profile records (none for the last dimension).
    unsigned neuronDim;
    std::optional<int64_t> axis;
    std::optional<ActivationProfile> profile;
    int64_t numNaN = 0, numInfinite = 0;
  };
  mlir::LogicalResult accumulate(Entry &entry, const Tensor &preActivation);
  /// The number of the sample at leading index 0 of `preActivation`, if its
  /// leading dimension is the batch's samples.
  std::optional<int64_t>
  sampleOfLeadingIndex(const Tensor &preActivation) const;

  std::vector<Entry> activations;
  llvm::SmallVector<mlir::Operation *> unprofiled;
  llvm::DenseMap<mlir::Operation *, unsigned> indexOf;
  bool allowNonFinite;
  int64_t batchSamples = -1, batchSize = -1;
  /// The sample number of the current batch's first sample.
  int64_t batchFirstSample = 0, nextSample = 0;
  /// Per-batch counters (int32 vectorise better; flushed every batch).
  std::vector<int32_t> scratchCounts;
  /// The same for neurons holding blocks of positions (int64: a block may
  /// hold any number of them).
  std::vector<int64_t> scratchWideCounts;
};

} // namespace lin

#endif // LIN_PROFILING_ACTIVATIONPROFILER_H
