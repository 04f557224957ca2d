//===- ActivationProfiler.cpp - Count linear pieces while running ---------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The counting loops run over every pre-activation element of every batch,
// so they are written to vectorise: one pass per row updating, for every
// breakpoint b, an int32 counter of the values above it (one compare each,
// no branches) and the running extrema. A value's piece is the number of
// breakpoints it is above (PiecewiseLinearFunction::getPieceIndex), so piece
// p's count is `above[p-1] - above[p]`. NaN is above no breakpoint (piece 0,
// as getPieceIndex says) and ignored by the extrema.
//
// Non-finite values are found by the same loop without a branch: `z - z` is
// 0 for every finite z and NaN for NaN and +-inf, and the or of `!(z - z ==
// 0)` over the block is a vector reduction (this needs IEEE semantics: no
// -ffinite-math-only). Only a block where it fires is scanned again, to count
// and locate its non-finite values.
//
//===----------------------------------------------------------------------===//

#include "lin/Profiling/ActivationProfiler.h"
#include "lin/Analysis/NeuronDimension.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cassert>
#include <cmath>

using namespace mlir;
using namespace lin;

ActivationProfiler::ActivationProfiler(func::FuncOp function,
                                       bool allowNonFinite)
    : allowNonFinite(allowNonFinite) {
  for (PiecewiseLinearActivation &activation :
       findPiecewiseLinearActivations(function)) {
    auto type = dyn_cast<RankedTensorType>(activation.getResult().getType());
    if (type && type.getRank() == 2 && !type.isDynamicDim(0) &&
        type.isDynamicDim(1)) {
      unprofiled.push_back(activation.getOperation());
      continue;
    }
    // The pre-activation is an operand of one of the activation's ops (not
    // necessarily of the last one: torch-mlir splits leaky ReLU over four
    // generics); observe the first op that reads it.
    for (Operation *member : activation.getOperations()) {
      auto operands = member->getOperands();
      auto it = llvm::find(operands, activation.getInput());
      if (it == operands.end())
        continue;
      indexOf[member] = activations.size();
      // Scalars and unranked values fail when counted, with a located error.
      bool hasNeurons = type && type.getRank() >= 1;
      activations.push_back(
          {activation, unsigned(it - operands.begin()),
           hasNeurons ? getNeuronDimension(activation) : 0,
           hasNeurons ? getProfileAxis(activation) : std::nullopt,
           std::nullopt});
      break;
    }
  }
}

bool ActivationProfiler::isObserved(Operation *op) { return indexOf.count(op); }

LogicalResult ActivationProfiler::beforeOp(Operation *op,
                                           ArrayRef<RuntimeValue> operands) {
  Entry &entry = activations[indexOf.lookup(op)];
  return accumulate(entry, operands[entry.inputOperand].getTensor());
}

/// Adds rows of `width` pre-activations to the counts of values above each
/// of `numBreakpoints` breakpoints (counters of breakpoint k at
/// `above + k * width`) and to the running extrema. Returns whether any value
/// is NaN or infinite.
template <unsigned numBreakpoints>
static bool countRows(const float *z, int64_t rows, int64_t width,
                      const float *breakpoints, int32_t *above, float *minimum,
                      float *maximum) {
  unsigned nonFinite = 0;
  for (int64_t row = 0; row < rows; ++row, z += width) {
    for (int64_t j = 0; j < width; ++j) {
      float value = z[j];
      for (unsigned k = 0; k < numBreakpoints; ++k)
        above[k * width + j] += value > breakpoints[k];
      minimum[j] = value < minimum[j] ? value : minimum[j];
      maximum[j] = value > maximum[j] ? value : maximum[j];
      nonFinite |= !(value - value == 0.0f);
    }
  }
  return nonFinite;
}

/// Adds blocks of `inner` pre-activations of one neuron each (outer x width
/// blocks, neuron j at blocks o * width + j: a channel's spatial positions
/// in NCHW) to the counts of values above each breakpoint (breakpoint k of
/// neuron j at `above[k * width + j]`) and to the extrema. Each block is a
/// reduction loop, which vectorises. Returns whether any value is NaN or
/// infinite.
template <unsigned numBreakpoints>
static bool countBlocks(const float *z, int64_t outer, int64_t width,
                        int64_t inner, const float *breakpoints, int64_t *above,
                        float *minimum, float *maximum) {
  unsigned nonFinite = 0;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t j = 0; j < width; ++j, z += inner) {
      int64_t blockAbove[numBreakpoints] = {};
      float low = minimum[j], high = maximum[j];
      for (unsigned k = 0; k < numBreakpoints; ++k) {
        int64_t count = 0;
        for (int64_t i = 0; i < inner; ++i)
          count += z[i] > breakpoints[k];
        blockAbove[k] = count;
      }
      for (int64_t i = 0; i < inner; ++i) {
        float value = z[i];
        low = value < low ? value : low;
        high = value > high ? value : high;
        nonFinite |= !(value - value == 0.0f);
      }
      minimum[j] = low;
      maximum[j] = high;
      for (unsigned k = 0; k < numBreakpoints; ++k)
        above[k * width + j] += blockAbove[k];
    }
  }
  return nonFinite;
}

namespace {
/// The non-finite values of a block, found by a second (rare) pass.
struct NonFiniteValues {
  int64_t numNaN = 0, numInfinite = 0;
  /// Offset of the first one from the start of the block.
  int64_t first = -1;
};
} // namespace

static NonFiniteValues findNonFinite(const float *z, int64_t size) {
  NonFiniteValues result;
  for (int64_t i = 0; i < size; ++i) {
    if (std::isfinite(z[i]))
      continue;
    (std::isnan(z[i]) ? result.numNaN : result.numInfinite) += 1;
    if (result.first < 0)
      result.first = i;
  }
  return result;
}

/// The error for non-finite pre-activations, on the activation: its kind,
/// how many values, and where the first one is (`firstOffset` into the
/// pre-activation, of neuron `neuron`; the sample is `firstSample` plus its
/// leading index, when the leading dimension is known to be the samples').
static LogicalResult
reportNonFinite(const PiecewiseLinearActivation &activation,
                const Tensor &preActivation, int64_t firstOffset,
                int64_t neuron, const NonFiniteValues &found,
                std::optional<int64_t> firstSample) {
  InFlightDiagnostic diag = activation.getOperation()->emitError();
  diag << "lin profiler: " << found.numNaN + found.numInfinite
       << " pre-activation value(s) of this "
       << stringifyActivationKind(activation.getKind())
       << " in this batch are not finite (" << found.numNaN << " NaN, "
       << found.numInfinite << " infinite), the first at ";
  if (firstSample) {
    int64_t sliceSize =
        preActivation.getNumElements() / preActivation.getDimSize(0);
    diag << "sample " << *firstSample + firstOffset / sliceSize << ", ";
  }
  diag << "neuron " << neuron
       << ": the data or the weights hold NaN or infinity (allow-non-finite "
          "counts them instead)";
  return diag;
}

std::optional<int64_t>
ActivationProfiler::sampleOfLeadingIndex(const Tensor &preActivation) const {
  // The leading dimension holds the batch's samples when it has their number
  // (or the static batch size); without batches (a plain interpreter run)
  // the samples are numbered from 0.
  if (preActivation.getRank() < 2)
    return std::nullopt;
  int64_t leading = preActivation.getDimSize(0);
  if (batchSamples < 0 || leading == batchSamples || leading == batchSize)
    return batchFirstSample;
  return std::nullopt;
}

LogicalResult ActivationProfiler::accumulate(Entry &entry,
                                             const Tensor &preActivation) {
  Operation *op = entry.activation.getOperation();
  if (preActivation.getRank() == 0)
    return op->emitError()
           << "lin profiler: the pre-activation is a scalar; profiles need a "
              "neuron dimension";
  unsigned neuronDim = entry.neuronDim;
  if (neuronDim >= preActivation.getRank())
    return op->emitError() << "lin profiler: the pre-activation has rank "
                           << preActivation.getRank() << ", no dimension "
                           << neuronDim << " holding the neurons";
  // outer x width x inner: the neurons are dimension `neuronDim`; every
  // other element (batch, tokens, spatial positions) is a sample.
  ArrayRef<int64_t> shape = preActivation.getShape();
  int64_t width = shape[neuronDim];
  int64_t inner = 1;
  for (int64_t size : shape.drop_front(neuronDim + 1))
    inner *= size;
  int64_t outer =
      width * inner ? preActivation.getNumElements() / width / inner : 0;
  // Padding of a static batch occupies the trailing slices of the leading
  // dimension: the batch itself, or the batch collapsed with the dimensions
  // after it ([B*T, F] from [B, T, F]: row-major reshapes keep the batch
  // outermost), so the same fraction of the outer slices is padding.
  bool padded = batchSamples >= 0 && batchSamples != batchSize;
  int64_t leading = preActivation.getDimSize(0);
  if (batchSamples >= 0 && batchSize > 0 && leading > 0 &&
      leading % batchSize == 0 && preActivation.getRank() > 1) {
    if (neuronDim == 0 && padded)
      return op->emitError() << "lin profiler: cannot separate padding from "
                                "samples when the neurons are the leading "
                                "dimension";
    outer = outer / batchSize * batchSamples;
  } else if (padded && preActivation.getRank() == 1) {
    return op->emitError() << "lin profiler: cannot separate padding from "
                              "samples in a rank-1 pre-activation";
  }

  if (!entry.profile) {
    entry.profile.emplace(entry.activation.getKind(), width);
    entry.profile->setAxis(entry.axis);
  }
  ActivationProfile &profile = *entry.profile;
  if (profile.getNumNeurons() != width)
    return op->emitError() << "lin profiler: the pre-activation has " << width
                           << " neurons in this batch, "
                           << profile.getNumNeurons() << " before";

  // Counting the samples first bounds every count by the (checked) total.
  if (llvm::Error error = profile.addSamples(outer * inner))
    return op->emitError() << "lin profiler: "
                           << llvm::toString(std::move(error));

  // The breakpoints as f32 thresholds with one comparison, `z > t`: a
  // breakpoint whose value belongs to the piece above becomes the float just
  // below it (z >= b is z > nextafter(b, -inf) on floats).
  const PiecewiseLinearFunction &function = entry.activation.getFunction();
  SmallVector<float, 2> breakpoints;
  for (auto [index, breakpoint] : llvm::enumerate(function.breakpoints)) {
    float threshold = static_cast<float>(breakpoint);
    if (function.isUpperPieceAt(index))
      threshold = std::nextafter(threshold, -INFINITY);
    breakpoints.push_back(threshold);
  }
  unsigned numBreakpoints = breakpoints.size();
  assert(profile.getNumPieces() == numBreakpoints + 1 &&
         "the profile kind and the activation disagree on the pieces");
  if (numBreakpoints < 1 || numBreakpoints > 2)
    return op->emitError() << "lin profiler: activations with "
                           << numBreakpoints
                           << " breakpoints are not supported";
  float *minimum = profile.getMutableMinimum().data();
  float *maximum = profile.getMutableMaximum().data();
  llvm::MutableArrayRef<int64_t> counts = profile.getMutableCounts();
  const float *z = preActivation.data();

  // Adds the counts of `samples` values per neuron, `above` of them above
  // each breakpoint, to the profile.
  auto addCounts = [&](int64_t samples, auto above) {
    for (int64_t j = 0; j < width; ++j)
      for (unsigned p = 0; p <= numBreakpoints; ++p) {
        int64_t aboveLowerEnd = p == 0 ? samples : above[(p - 1) * width + j];
        int64_t aboveUpperEnd = p == numBreakpoints ? 0 : above[p * width + j];
        counts[p * width + j] += aboveLowerEnd - aboveUpperEnd;
      }
  };
  // Non-finite values of `size` elements from `offset`: counted, and an
  // error unless allowed.
  auto checkNonFinite = [&](int64_t offset, int64_t size) -> LogicalResult {
    NonFiniteValues found = findNonFinite(z + offset, size);
    entry.numNaN += found.numNaN;
    entry.numInfinite += found.numInfinite;
    if (allowNonFinite)
      return success();
    int64_t first = offset + found.first;
    return reportNonFinite(entry.activation, preActivation, first,
                           first / inner % width, found,
                           sampleOfLeadingIndex(preActivation));
  };

  if (inner > 1) {
    // Neurons hold blocks of positions (NCHW channels).
    scratchWideCounts.assign(numBreakpoints * width, 0);
    int64_t *above = scratchWideCounts.data();
    bool nonFinite =
        numBreakpoints == 1
            ? countBlocks<1>(z, outer, width, inner, breakpoints.data(), above,
                             minimum, maximum)
            : countBlocks<2>(z, outer, width, inner, breakpoints.data(), above,
                             minimum, maximum);
    if (nonFinite && failed(checkNonFinite(0, outer * width * inner)))
      return failure();
    addCounts(outer * inner, above);
    return success();
  }

  // Neurons are the last dimension: rows of `width`. int32 counters hold up
  // to 2^31 rows; flush in blocks well below that.
  int64_t rows = outer;
  scratchCounts.assign(numBreakpoints * width, 0);
  int32_t *above = scratchCounts.data();
  constexpr int64_t kBlockRows = int64_t(1) << 30;
  for (int64_t first = 0; first < rows; first += kBlockRows) {
    int64_t block = std::min(kBlockRows, rows - first);
    std::fill(scratchCounts.begin(), scratchCounts.end(), 0);
    const float *rowsOfBlock = z + first * width;
    bool nonFinite =
        numBreakpoints == 1
            ? countRows<1>(rowsOfBlock, block, width, breakpoints.data(), above,
                           minimum, maximum)
            : countRows<2>(rowsOfBlock, block, width, breakpoints.data(), above,
                           minimum, maximum);
    if (nonFinite && failed(checkNonFinite(first * width, block * width)))
      return failure();
    addCounts(block, above);
  }
  return success();
}
