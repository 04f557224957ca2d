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
  /// PiecewiseLinearActivation::match recognises.
  explicit ActivationProfiler(mlir::func::FuncOp function);

  /// Only the first `samples` slices along the leading dimension of the
  /// current batch are counted (the rest pads a static batch).
  void beginBatch(int64_t samples, int64_t batchSize) override {
    batchSamples = samples;
    this->batchSize = batchSize;
  }

  unsigned getNumActivations() const { return activations.size(); }
  const PiecewiseLinearActivation &getActivation(unsigned index) const {
    return activations[index].activation;
  }
  /// The profile of activation `index`, or nothing if it never ran (e.g. it
  /// depends on constants only).
  const std::optional<ActivationProfile> &getProfile(unsigned index) const {
    return activations[index].profile;
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
    std::optional<ActivationProfile> profile;
  };
  mlir::LogicalResult accumulate(Entry &entry, const Tensor &preActivation);

  std::vector<Entry> activations;
  llvm::DenseMap<mlir::Operation *, unsigned> indexOf;
  int64_t batchSamples = -1, batchSize = -1;
  /// Per-batch counters (int32 vectorise better; flushed every batch).
  std::vector<int32_t> scratchCounts;
};

} // namespace lin

#endif // LIN_PROFILING_ACTIVATIONPROFILER_H
