//===- ActivationProfile.cpp - Mutable per-neuron statistics --------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Dialect/Lin/IR/ActivationProfile.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <limits>
#include <optional>

using namespace mlir;
using namespace lin;

ActivationProfile::ActivationProfile(ActivationKind kind, int64_t numNeurons,
                                     ProfileSource source)
    : kind(kind), source(source), numNeurons(numNeurons),
      counts(lin::getNumPieces(kind) * numNeurons, 0),
      minimum(numNeurons, std::numeric_limits<float>::infinity()),
      maximum(numNeurons, -std::numeric_limits<float>::infinity()) {}

ActivationProfile ActivationProfile::fromAttr(ProfileAttr attr) {
  ActivationProfile profile(attr.getKind(), attr.getNumNeurons(),
                            attr.getSource());
  profile.numSamples = attr.getSamples();
  profile.axis = attr.getAxis();
  llvm::copy(attr.getCounts().asArrayRef(), profile.counts.begin());
  llvm::copy(attr.getMinimum().asArrayRef(), profile.minimum.begin());
  llvm::copy(attr.getMaximum().asArrayRef(), profile.maximum.begin());
  return profile;
}

ProfileAttr ActivationProfile::toAttr(MLIRContext *context) const {
  Builder builder(context);
  return ProfileAttr::get(context, kind, source, numSamples,
                          builder.getDenseI64ArrayAttr(counts),
                          builder.getDenseF32ArrayAttr(minimum),
                          builder.getDenseF32ArrayAttr(maximum), axis);
}

double ActivationProfile::getShare(unsigned piece, int64_t neuron) const {
  if (numSamples == 0)
    return 0.0;
  return static_cast<double>(getCount(piece, neuron)) /
         static_cast<double>(numSamples);
}

/// The error for a count `a + b` that does not fit in int64, naming the count
/// as `what`. Wrapping instead would give a negative count that fails the
/// attribute's verifier later, far from its cause.
static llvm::Error overflowError(const llvm::Twine &what, int64_t a,
                                 int64_t b) {
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      llvm::formatv("{0} overflows a 64-bit count: {1} + {2}", what.str(), a,
                    b));
}

llvm::Error ActivationProfile::addSamples(int64_t n) {
  if (n < 0)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("cannot add a negative number of samples ({0})", n));
  std::optional<int64_t> sum = llvm::checkedAdd(numSamples, n);
  if (!sum)
    return overflowError("the sample count", numSamples, n);
  numSamples = *sum;
  return llvm::Error::success();
}

llvm::Error ActivationProfile::merge(const ActivationProfile &other) {
  if (other.kind != kind)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("cannot merge a '{0}' profile into a '{1}' profile",
                      stringifyActivationKind(other.kind),
                      stringifyActivationKind(kind)));
  if (other.axis != axis)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "cannot merge profiles of different neuron dimensions");
  if (other.numNeurons != numNeurons)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("cannot merge a profile of {0} neurons into one of {1}",
                      other.numNeurons, numNeurons));
  // Sum into new storage first, so that an overflow leaves this profile as
  // it was.
  std::optional<int64_t> samples =
      llvm::checkedAdd(numSamples, other.numSamples);
  if (!samples)
    return overflowError("the merged sample count", numSamples,
                         other.numSamples);
  std::vector<int64_t> summed(counts.size());
  for (size_t i = 0, e = counts.size(); i < e; ++i) {
    std::optional<int64_t> sum = llvm::checkedAdd(counts[i], other.counts[i]);
    if (!sum)
      return overflowError(
          llvm::formatv("the merged count of neuron {0} in piece {1}",
                        i % numNeurons, i / numNeurons),
          counts[i], other.counts[i]);
    summed[i] = *sum;
  }
  counts = std::move(summed);
  numSamples = *samples;
  for (auto [mine, theirs] : llvm::zip_equal(minimum, other.minimum))
    mine = std::min(mine, theirs);
  for (auto [mine, theirs] : llvm::zip_equal(maximum, other.maximum))
    mine = std::max(mine, theirs);
  if (other.source != source)
    source = ProfileSource::Observed;
  return llvm::Error::success();
}

ActivationProfile
ActivationProfile::selectNeurons(llvm::ArrayRef<int64_t> neurons) const {
  ActivationProfile selected(kind, neurons.size(), source);
  selected.axis = axis;
  selected.numSamples = numSamples;
  for (auto [i, j] : llvm::enumerate(neurons)) {
    for (unsigned p = 0; p < getNumPieces(); ++p)
      selected.counts[p * neurons.size() + i] = getCount(p, j);
    selected.minimum[i] = minimum[j];
    selected.maximum[i] = maximum[j];
  }
  return selected;
}
