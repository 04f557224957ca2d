//===- LinAttributes.cpp - Attributes of the lin dialect ------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Dialect/Lin/IR/LinAttributes.h"
#include "lin/Dialect/Lin/IR/LinDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace lin;

#include "lin/Dialect/Lin/IR/LinEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "lin/Dialect/Lin/IR/LinAttributes.cpp.inc"

void LinDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "lin/Dialect/Lin/IR/LinAttributes.cpp.inc"
      >();
}

unsigned lin::getNumPieces(ActivationKind kind) {
  switch (kind) {
  case ActivationKind::ReLU:
  case ActivationKind::LeakyReLU:
    return 2;
  case ActivationKind::Clamp:
    return 3;
  }
  llvm_unreachable("unknown activation kind");
}

unsigned ProfileAttr::getNumPieces() const {
  return lin::getNumPieces(getKind());
}

LogicalResult ProfileAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                  ActivationKind kind, ProfileSource source,
                                  int64_t samples, DenseI64ArrayAttr counts,
                                  DenseF32ArrayAttr minimum,
                                  DenseF32ArrayAttr maximum) {
  if (samples < 0)
    return emitError() << "sample count must be non-negative, got " << samples;
  int64_t neurons = minimum.size();
  if (maximum.size() != neurons)
    return emitError() << "minimum has " << neurons
                       << " entries but maximum has " << maximum.size();
  unsigned pieces = lin::getNumPieces(kind);
  if (counts.size() != static_cast<int64_t>(pieces) * neurons)
    return emitError() << "'" << stringifyActivationKind(kind) << "' has "
                       << pieces << " pieces, so " << neurons
                       << " neurons need " << pieces * neurons
                       << " counts, got " << counts.size();
  ArrayRef<int64_t> countValues = counts.asArrayRef();
  for (int64_t neuron = 0; neuron < neurons; ++neuron) {
    int64_t sum = 0;
    for (unsigned piece = 0; piece < pieces; ++piece) {
      int64_t count = countValues[piece * neurons + neuron];
      if (count < 0)
        return emitError() << "neuron " << neuron << " has negative count "
                           << count << " in piece " << piece;
      sum += count;
    }
    if (sum != samples)
      return emitError() << "counts of neuron " << neuron << " sum to " << sum
                         << " but the profile has " << samples << " samples";
    float lo = minimum[neuron], hi = maximum[neuron];
    if (std::isnan(lo) || std::isnan(hi))
      return emitError() << "neuron " << neuron << " has a NaN extremum";
    // An observed profile without samples has no extrema yet (+inf / -inf).
    bool empty = samples == 0 && source == ProfileSource::Observed;
    if (!empty && lo > hi)
      return emitError() << "neuron " << neuron << " has minimum " << lo
                         << " greater than maximum " << hi;
  }
  return success();
}
