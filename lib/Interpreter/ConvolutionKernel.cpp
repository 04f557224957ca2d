//===- ConvolutionKernel.cpp - Convolutions as im2col + sgemm -------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// A convolution (any linalg op whose loops MLIR classifies as batch, output
// image, output channel, filter window, input channel and depth, and whose
// body multiplies and accumulates) is, for each batch and depth (group)
// position, one matrix product
//
//   out[M x N] += filter[M x K] * columns[K x N]
//
// with M the output channels, N the output positions and K the input
// channels x window positions. `columns` is the im2col matrix: column n
// holds the input window of output position n. Both operands are packed
// through the ops' linear indexing maps, so every layout, stride, dilation
// and group form is the same code; the product runs on OpenBLAS. An output
// whose positions are not one contiguous run per channel (NHWC) receives the
// product through a scratch matrix.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilders.h"
#include "StructuredKernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"

#include <cblas.h>

#include <limits>
#include <vector>

using namespace mlir;
using namespace lin;

/// True when the body yields `out + in * filter` (in either order, through
/// float casts, which do nothing on f32 values).
static bool isMultiplyAccumulate(Block &body) {
  auto stripCasts = [](Value value) {
    while (Operation *op = value.getDefiningOp()) {
      if (!isa<arith::ExtFOp, arith::TruncFOp>(op))
        break;
      value = op->getOperand(0);
    }
    return value;
  };
  if (body.getNumArguments() != 3)
    return false;
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getValues()[0].getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  Value accumulator = body.getArgument(2);
  Value product = add.getRhs();
  if (stripCasts(add.getLhs()) != accumulator) {
    if (stripCasts(add.getRhs()) != accumulator)
      return false;
    product = add.getLhs();
  }
  auto mul = stripCasts(product).getDefiningOp<arith::MulFOp>();
  if (!mul)
    return false;
  Value a = stripCasts(mul.getLhs()), b = stripCasts(mul.getRhs());
  return (a == body.getArgument(0) && b == body.getArgument(1)) ||
         (a == body.getArgument(1) && b == body.getArgument(0));
}

namespace {
class ConvolutionKernel : public Kernel {
public:
  ConvolutionKernel(linalg::LinalgOp op, SmallVector<LinearMap> maps,
                    const linalg::ConvolutionDimensions &dims,
                    std::unique_ptr<Kernel> fallback)
      : Kernel(op), maps(std::move(maps)), fallback(std::move(fallback)) {
    llvm::append_range(outerLoops, dims.batch);
    llvm::append_range(outerLoops, dims.depth);
    rowLoops.assign(dims.outputChannel.begin(), dims.outputChannel.end());
    columnLoops.assign(dims.outputImage.begin(), dims.outputImage.end());
    llvm::append_range(reductionLoops, dims.inputChannel);
    llvm::append_range(reductionLoops, dims.filterLoop);
    for (auto *group : {&rowLoops, &columnLoops, &reductionLoops})
      llvm::sort(*group);
  }

  llvm::Error run(MutableArrayRef<RuntimeValue> inputs,
                  MutableArrayRef<RuntimeValue> results) override;

private:
  SmallVector<LinearMap> maps;
  /// One product per position of the outer loops (batch, then depth).
  SmallVector<unsigned> outerLoops;
  /// M: output channels; N: output positions; K: input channels and window.
  SmallVector<unsigned> rowLoops, columnLoops, reductionLoops;
  std::unique_ptr<Kernel> fallback;
  /// Packed operands, kept between runs.
  std::vector<float> packedFilter, columns, product;
};
} // namespace

/// The memory offsets of every point of the loops `loops` (row-major over
/// them, in that order) for an operand with per-loop strides `strides`.
static SmallVector<int64_t> enumerateOffsets(ArrayRef<unsigned> loops,
                                             ArrayRef<int64_t> ranges,
                                             ArrayRef<int64_t> strides) {
  SmallVector<int64_t> offsets{0};
  for (unsigned loop : loops) {
    SmallVector<int64_t> next;
    next.reserve(offsets.size() * ranges[loop]);
    for (int64_t base : offsets)
      for (int64_t i = 0; i < ranges[loop]; ++i)
        next.push_back(base + i * strides[loop]);
    offsets = std::move(next);
  }
  return offsets;
}

namespace {
/// The memory offsets of the elements of a matrix view of an operand: row
/// r, column c is at `rows[r] + columns[c]`.
struct MatrixOffsets {
  SmallVector<int64_t> rows, columns;
};
} // namespace

static MatrixOffsets getMatrixOffsets(ArrayRef<unsigned> rowLoops,
                                      ArrayRef<unsigned> columnLoops,
                                      ArrayRef<int64_t> ranges,
                                      ArrayRef<int64_t> strides) {
  return {enumerateOffsets(rowLoops, ranges, strides),
          enumerateOffsets(columnLoops, ranges, strides)};
}

/// Copies the matrix view `offsets` of `source` into the row-major `target`.
static void packMatrix(const float *source, const MatrixOffsets &offsets,
                       float *target) {
  int64_t numColumns = offsets.columns.size();
  for (auto [r, rowOffset] : llvm::enumerate(offsets.rows)) {
    const float *row = source + rowOffset;
    float *packed = target + r * numColumns;
    for (int64_t c = 0; c < numColumns; ++c)
      packed[c] = row[offsets.columns[c]];
  }
}

llvm::Error ConvolutionKernel::run(MutableArrayRef<RuntimeValue> inputs,
                                   MutableArrayRef<RuntimeValue> results) {
  const Tensor &input = inputs[0].getTensor();
  const Tensor &filter = inputs[1].getTensor();
  const Tensor &init = inputs[2].getTensor();
  llvm::Expected<SmallVector<int64_t>> ranges =
      computeLoopRanges(maps, {&input, &filter, &init});
  if (!ranges)
    return ranges.takeError();
  auto product = [&](ArrayRef<unsigned> loops) {
    int64_t size = 1;
    for (unsigned loop : loops)
      size *= (*ranges)[loop];
    return size;
  };
  int64_t M = product(rowLoops), N = product(columnLoops),
          K = product(reductionLoops);
  // BLAS takes 32-bit sizes; the packed matrices must fit in memory.
  constexpr int64_t blasMax = std::numeric_limits<int>::max();
  if (M > blasMax || N > blasMax || K > blasMax || M * K > blasMax ||
      K * N > blasMax)
    return fallback->run(inputs, results);

  Tensor output = std::move(inputs[2].getTensor());
  if (llvm::Error error = output.tryMakeUnique())
    return error;
  if (M == 0 || N == 0 || K == 0 || llvm::is_contained(*ranges, 0)) {
    results[0] = std::move(output);
    return llvm::Error::success();
  }

  SmallVector<int64_t> inputStrides = maps[0].getLoopStrides(input.getShape());
  SmallVector<int64_t> filterStrides =
      maps[1].getLoopStrides(filter.getShape());
  SmallVector<int64_t> outputStrides =
      maps[2].getLoopStrides(output.getShape());
  // Filter: M x K; input windows (im2col): K x N; output: M x N.
  MatrixOffsets filterMatrix =
      getMatrixOffsets(rowLoops, reductionLoops, *ranges, filterStrides);
  MatrixOffsets inputMatrix =
      getMatrixOffsets(reductionLoops, columnLoops, *ranges, inputStrides);
  MatrixOffsets outputMatrix =
      getMatrixOffsets(rowLoops, columnLoops, *ranges, outputStrides);
  ArrayRef<int64_t> outputRows = outputMatrix.rows;
  ArrayRef<int64_t> outputColumns = outputMatrix.columns;

  // The product goes straight into the output when each channel's positions
  // are one contiguous run and channels are equally spaced (NCHW).
  bool direct = true;
  for (int64_t n = 0; n < N; ++n)
    direct &= outputColumns[n] == n;
  int64_t ldc = M > 1 ? outputRows[1] - outputRows[0] : N;
  for (int64_t m = 0; m < M; ++m)
    direct &= outputRows[m] == outputRows[0] + m * ldc;
  direct &= ldc >= N && ldc <= blasMax;

  packedFilter.resize(M * K);
  columns.resize(K * N);
  if (!direct)
    this->product.resize(M * N);
  const float *in = input.data() + maps[0].getOffset(input.getShape());
  const float *weights = filter.data() + maps[1].getOffset(filter.getShape());
  float *out = output.data() + maps[2].getOffset(output.getShape());

  SmallVector<int64_t> position(outerLoops.size(), 0);
  while (true) {
    int64_t inputBase = 0, filterBase = 0, outputBase = 0;
    for (auto [i, loop] : llvm::enumerate(outerLoops)) {
      inputBase += position[i] * inputStrides[loop];
      filterBase += position[i] * filterStrides[loop];
      outputBase += position[i] * outputStrides[loop];
    }
    packMatrix(weights + filterBase, filterMatrix, packedFilter.data());
    packMatrix(in + inputBase, inputMatrix, columns.data());
    if (direct) {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, M, N, K, 1.0f,
                  packedFilter.data(), K, columns.data(), N, 1.0f,
                  out + outputBase + outputRows[0], ldc);
    } else {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, M, N, K, 1.0f,
                  packedFilter.data(), K, columns.data(), N, 0.0f,
                  this->product.data(), N);
      for (int64_t m = 0; m < M; ++m) {
        float *target = out + outputBase + outputRows[m];
        const float *source = this->product.data() + m * N;
        for (int64_t n = 0; n < N; ++n)
          target[outputColumns[n]] += source[n];
      }
    }
    // Next outer position; no outer loop means one product.
    if (!advanceOdometer(position, [&](size_t level) {
          return (*ranges)[outerLoops[level]];
        }))
      break;
  }
  results[0] = std::move(output);
  return llvm::Error::success();
}

FailureOr<std::unique_ptr<Kernel>>
lin::buildConvolutionKernel(linalg::LinalgOp op, KernelDiagnoser &diagnoser) {
  std::unique_ptr<Kernel> none;
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics() || !op.getBlock() ||
      !linalg::isaConvolutionOpInterface(op) ||
      !isMultiplyAccumulate(*op.getBlock()))
    return none;
  for (OpOperand &operand : op->getOpOperands())
    if (!isa<RankedTensorType>(operand.get().getType()))
      return none;
  FailureOr<linalg::ConvolutionDimensions> dims =
      linalg::inferConvolutionDims(op);
  if (failed(dims))
    return none;
  // Every loop in exactly one role.
  SmallVector<unsigned> roles;
  for (const auto &group : {dims->batch, dims->outputImage, dims->outputChannel,
                            dims->filterLoop, dims->inputChannel, dims->depth})
    llvm::append_range(roles, group);
  llvm::sort(roles);
  if (roles.size() != op.getNumLoops() ||
      std::adjacent_find(roles.begin(), roles.end()) != roles.end())
    return none;
  FailureOr<SmallVector<LinearMap>> maps =
      getLinearMaps(op.getIndexingMapsArray());
  if (failed(maps))
    return none;

  FailureOr<std::unique_ptr<Kernel>> fallback =
      buildStructuredKernel(op, diagnoser);
  if (failed(fallback))
    return failure();
  return std::unique_ptr<Kernel>(std::make_unique<ConvolutionKernel>(
      op, std::move(*maps), *dims, std::move(*fallback)));
}
