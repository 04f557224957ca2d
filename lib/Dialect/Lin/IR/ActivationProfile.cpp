//===- ActivationProfile.cpp - Mutable per-neuron statistics --------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Dialect/Lin/IR/ActivationProfile.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <limits>

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
                          builder.getDenseF32ArrayAttr(maximum));
}

double ActivationProfile::getShare(unsigned piece, int64_t neuron) const {
  if (numSamples == 0)
    return 0.0;
  return static_cast<double>(getCount(piece, neuron)) /
         static_cast<double>(numSamples);
}

llvm::Error ActivationProfile::merge(const ActivationProfile &other) {
  if (other.kind != kind)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("cannot merge a '{0}' profile into a '{1}' profile",
                      stringifyActivationKind(other.kind),
                      stringifyActivationKind(kind)));
  if (other.numNeurons != numNeurons)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("cannot merge a profile of {0} neurons into one of {1}",
                      other.numNeurons, numNeurons));
  for (auto [mine, theirs] : llvm::zip_equal(counts, other.counts))
    mine += theirs;
  for (auto [mine, theirs] : llvm::zip_equal(minimum, other.minimum))
    mine = std::min(mine, theirs);
  for (auto [mine, theirs] : llvm::zip_equal(maximum, other.maximum))
    mine = std::max(mine, theirs);
  numSamples += other.numSamples;
  if (other.source != source)
    source = ProfileSource::Observed;
  return llvm::Error::success();
}
