//===- ActivationProfile.h - Mutable per-neuron statistics ------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// ActivationProfile is the in-memory, mutable form of #lin.profile: the
// profiling interpreter accumulates into it, shard profiles merge into it, and
// it converts to and from the attribute.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_DIALECT_LIN_IR_ACTIVATIONPROFILE_H
#define LIN_DIALECT_LIN_IR_ACTIVATIONPROFILE_H

#include "lin/Dialect/Lin/IR/LinAttributes.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace lin {

class ActivationProfile {
public:
  /// An empty profile (no samples) of `numNeurons` neurons.
  ActivationProfile(ActivationKind kind, int64_t numNeurons,
                    ProfileSource source = ProfileSource::Observed);

  /// Copies the facts of an attribute.
  static ActivationProfile fromAttr(ProfileAttr attr);
  /// Builds the attribute. The result always verifies.
  ProfileAttr toAttr(mlir::MLIRContext *context) const;

  ActivationKind getKind() const { return kind; }
  /// The result dimension holding the neurons (ProfileAttr's `axis`); none
  /// means the last.
  std::optional<int64_t> getAxis() const { return axis; }
  void setAxis(std::optional<int64_t> neuronAxis) { axis = neuronAxis; }
  ProfileSource getSource() const { return source; }
  int64_t getNumNeurons() const { return numNeurons; }
  unsigned getNumPieces() const { return lin::getNumPieces(kind); }
  int64_t getNumSamples() const { return numSamples; }

  int64_t getCount(unsigned piece, int64_t neuron) const {
    return counts[piece * numNeurons + neuron];
  }
  float getMinimum(int64_t neuron) const { return minimum[neuron]; }
  float getMaximum(int64_t neuron) const { return maximum[neuron]; }

  /// Share of samples in which `neuron` was in `piece` (0 without samples).
  double getShare(unsigned piece, int64_t neuron) const;

  /// Raw storage for accumulation by the profiler: counts are piece-major
  /// (`counts[piece * numNeurons + neuron]`).
  llvm::MutableArrayRef<int64_t> getMutableCounts() { return counts; }
  llvm::MutableArrayRef<float> getMutableMinimum() { return minimum; }
  llvm::MutableArrayRef<float> getMutableMaximum() { return maximum; }
  /// Counts `n` more samples. Fails (leaving the profile unchanged) when `n`
  /// is negative or the total would overflow int64.
  llvm::Error addSamples(int64_t n);

  /// Combines the statistics of another shard of calibration data for the
  /// same activation: counts and sample numbers add, minima take the minimum
  /// and maxima the maximum. Fails (leaving this profile unchanged) when the
  /// kinds or neuron counts differ or a sum would overflow int64. Merging is
  /// associative and commutative, so shards may be combined in any order with
  /// identical results. A merge with a proven profile is proven only if both
  /// are.
  llvm::Error merge(const ActivationProfile &other);

  /// The profile of the neurons `neurons` only (indices into this profile),
  /// in that order, with the same samples and axis.
  ActivationProfile selectNeurons(llvm::ArrayRef<int64_t> neurons) const;

private:
  ActivationKind kind;
  ProfileSource source;
  int64_t numNeurons;
  int64_t numSamples = 0;
  std::optional<int64_t> axis;
  std::vector<int64_t> counts;
  std::vector<float> minimum;
  std::vector<float> maximum;
};

} // namespace lin

#endif // LIN_DIALECT_LIN_IR_ACTIVATIONPROFILE_H
