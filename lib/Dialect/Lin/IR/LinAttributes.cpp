//===- LinAttributes.cpp - Attributes of the lin dialect ------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Dialect/Lin/IR/LinAttributes.h"
#include "lin/Dialect/Lin/IR/LinDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/Format.h"

#include <cmath>
#include <limits>
#include <optional>
#include <string>

using namespace mlir;
using namespace lin;

//===----------------------------------------------------------------------===//
// Exact f32 arrays
//===----------------------------------------------------------------------===//

/// Whether `text`, read as MLIR's parser reads a float literal (to f64, then
/// rounded to f32), gives the bits of `value`. Checking the parser's own path,
/// rather than a direct conversion to f32, keeps the round trip exact even
/// where rounding twice could pick a neighbour.
static bool readsBackAs(StringRef text, const APFloat &value) {
  APFloat parsed(APFloat::IEEEdouble());
  llvm::Expected<APFloat::opStatus> status =
      parsed.convertFromString(text, APFloat::rmNearestTiesToEven);
  if (!status) {
    llvm::consumeError(status.takeError());
    return false;
  }
  bool losesInfo;
  parsed.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven,
                 &losesInfo);
  return parsed.bitwiseIsEqual(value);
}

/// Prints `value` so that it reads back bit-identical. Finite values take the
/// first decimal form that does: upstream's AsmPrinter::printFloat forms (the
/// short exponent form `1.000000e-01`, then the natural precision
/// `1.00000012`), then the natural precision in exponent form, which also
/// covers the integers the second form prints without a '.' (`1.6777216E+7`).
/// Non-finite values print as their bit pattern, as upstream prints them.
static void printExactF32(raw_ostream &os, float value) {
  APFloat apValue(value);
  if (apValue.isFinite()) {
    struct Format {
      unsigned precision, maxPadding;
      bool truncateZero;
    };
    for (Format format :
         {Format{6, 0, false}, Format{0, 3, true}, Format{0, 0, true}}) {
      SmallString<32> text;
      apValue.toString(text, format.precision, format.maxPadding,
                       format.truncateZero);
      // Without a '.', the lexer would read an integer literal.
      if (text.str().contains('.') && readsBackAs(text, apValue)) {
        os << text;
        return;
      }
    }
  }
  os << llvm::format_hex(apValue.bitcastToAPInt().getZExtValue(),
                         /*Width=*/10, /*Upper=*/true);
}

/// `value` as #lin.profile prints it, for diagnostics.
static std::string formatExactF32(float value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  printExactF32(os, value);
  return text;
}

// Used by the generated parser and printer of #lin.profile.
namespace lin {
static void printExactF32Array(AsmPrinter &printer, DenseF32ArrayAttr array) {
  raw_ostream &os = printer.getStream();
  os << '[';
  llvm::interleaveComma(array.asArrayRef(), os,
                        [&](float value) { printExactF32(os, value); });
  os << ']';
}

static FailureOr<DenseF32ArrayAttr> parseExactF32Array(AsmParser &parser) {
  SmallVector<float> values;
  // parseFloat with f32 semantics reads a hexadecimal literal as f32 bits;
  // DenseF32ArrayAttr's own parser reads it as f64 bits.
  auto parseElement = [&]() -> ParseResult {
    APFloat value(APFloat::IEEEsingle());
    if (parser.parseFloat(APFloat::IEEEsingle(), value))
      return failure();
    values.push_back(value.convertToFloat());
    return success();
  };
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square,
                                     parseElement))
    return failure();
  return DenseF32ArrayAttr::get(parser.getContext(), values);
}
} // namespace lin

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
                                  DenseF32ArrayAttr maximum,
                                  std::optional<int64_t> axis) {
  if (axis && *axis < 0)
    return emitError() << "axis must be non-negative, got " << *axis;
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
      std::optional<int64_t> newSum = llvm::checkedAdd(sum, count);
      if (!newSum)
        return emitError() << "counts of neuron " << neuron
                           << " sum to more than "
                           << std::numeric_limits<int64_t>::max()
                           << " but the profile has " << samples << " samples";
      sum = *newSum;
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
      return emitError() << "neuron " << neuron << " has minimum "
                         << formatExactF32(lo) << " greater than maximum "
                         << formatExactF32(hi);
  }
  return success();
}
