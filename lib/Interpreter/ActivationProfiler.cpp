//===- ActivationProfiler.cpp - Count linear pieces while running ---------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The counting loops run over every pre-activation element of every batch,
// so they are written to vectorise: one pass per row updating int32 piece
// counters (one compare each, no branches) and the running extrema. Only
// pieces other than the "middle" one are counted; it is the remainder.
// NaN pre-activations are classified like PiecewiseLinearActivation::classify
// does (the middle piece: no comparison holds) and ignored by the extrema.
//
//===----------------------------------------------------------------------===//

#include "lin/Interpreter/ActivationProfiler.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>

using namespace mlir;
using namespace lin;

ActivationProfiler::ActivationProfiler(func::FuncOp function) {
  for (PiecewiseLinearActivation &activation :
       findPiecewiseLinearActivations(function)) {
    // The pre-activation is an operand of one of the activation's ops (not
    // necessarily of the last one: torch-mlir splits leaky ReLU over four
    // generics); observe the first op that reads it.
    for (Operation *member : activation.getOperations()) {
      auto operands = member->getOperands();
      auto it = llvm::find(operands, activation.getInput());
      if (it == operands.end())
        continue;
      indexOf[member] = activations.size();
      activations.push_back(
          {activation, unsigned(it - operands.begin()), std::nullopt});
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

/// Adds rows of `width` pre-activations to counts of the pieces below (z <= 0
/// for ReLU-like, z < lower for clamp) and above (z > upper, clamp only).
template <bool isClamp>
static void countRows(const float *z, int64_t rows, int64_t width, float lower,
                      float upper, int32_t *below, int32_t *above,
                      float *minimum, float *maximum) {
  for (int64_t row = 0; row < rows; ++row, z += width) {
    for (int64_t j = 0; j < width; ++j) {
      float value = z[j];
      if constexpr (isClamp) {
        below[j] += value < lower;
        above[j] += value > upper;
      } else {
        below[j] += value <= 0.0f;
      }
      minimum[j] = value < minimum[j] ? value : minimum[j];
      maximum[j] = value > maximum[j] ? value : maximum[j];
    }
  }
}

LogicalResult ActivationProfiler::accumulate(Entry &entry,
                                             const Tensor &preActivation) {
  Operation *op = entry.activation.getOperation();
  if (preActivation.getRank() == 0)
    return op->emitError()
           << "lin profiler: the pre-activation is a scalar; profiles need a "
              "neuron dimension";
  int64_t width = preActivation.getShape().back();
  int64_t rows = width ? preActivation.getNumElements() / width : 0;
  // Padding of a static batch occupies the trailing leading-dim slices.
  if (batchSamples >= 0 && preActivation.getDimSize(0) == batchSize &&
      batchSize > 0 && preActivation.getRank() > 1)
    rows = rows / batchSize * batchSamples;
  else if (batchSamples >= 0 && batchSamples != batchSize &&
           preActivation.getRank() == 1)
    return op->emitError() << "lin profiler: cannot separate padding from "
                              "samples in a rank-1 pre-activation";

  if (!entry.profile)
    entry.profile.emplace(entry.activation.getKind(), width);
  ActivationProfile &profile = *entry.profile;
  if (profile.getNumNeurons() != width)
    return op->emitError() << "lin profiler: the pre-activation has " << width
                           << " neurons in this batch, "
                           << profile.getNumNeurons() << " before";

  bool isClamp = entry.activation.getKind() == ActivationKind::Clamp;
  scratchCounts.assign(2 * width, 0);
  int32_t *below = scratchCounts.data(), *above = below + width;
  float *minimum = profile.getMutableMinimum().data();
  float *maximum = profile.getMutableMaximum().data();
  llvm::MutableArrayRef<int64_t> counts = profile.getMutableCounts();
  // int32 counters hold up to 2^31 rows; flush in blocks well below that.
  constexpr int64_t kBlockRows = int64_t(1) << 30;
  const float *z = preActivation.data();
  for (int64_t first = 0; first < rows; first += kBlockRows) {
    int64_t block = std::min(kBlockRows, rows - first);
    std::fill(scratchCounts.begin(), scratchCounts.end(), 0);
    if (isClamp)
      countRows<true>(z + first * width, block, width,
                      entry.activation.getLower(), entry.activation.getUpper(),
                      below, above, minimum, maximum);
    else
      countRows<false>(z + first * width, block, width, 0.0f, 0.0f, below,
                       above, minimum, maximum);
    for (int64_t j = 0; j < width; ++j) {
      if (isClamp) {
        counts[0 * width + j] += below[j];
        counts[1 * width + j] += block - below[j] - above[j];
        counts[2 * width + j] += above[j];
      } else {
        counts[0 * width + j] += below[j];
        counts[1 * width + j] += block - below[j];
      }
    }
  }
  profile.addSamples(rows);
  return success();
}
