//===- ContractionKernel.cpp - Matmul-like linalg ops on BLAS -------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// A contraction with one m, one n and one k loop (and any number of batch
// loops) is one cblas_sgemm per batch index, whatever the operand layouts:
// each operand only needs one of its two matrix dimensions contiguous (the
// other stride becomes the leading dimension, which may skip over batch
// dimensions), and a result contiguous along m is computed as the transposed
// product. A zero-filled init is never read: sgemm runs with beta = 0 into
// an uninitialised buffer, so the fill producing it need not run at all.
// Other layouts run through the structured kernel.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilders.h"
#include "StructuredKernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"

#include <cblas.h>

#include <algorithm>
#include <limits>

using namespace mlir;
using namespace lin;

/// True when `init` is all zeros whatever the batch: a fill with 0 or a zero
/// splat constant.
static bool isZeroTensor(Value init) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return matchPattern(fill.getInputs()[0], m_AnyZeroFloat()) ||
           matchPattern(fill.getInputs()[0], m_Zero());
  DenseElementsAttr dense;
  if (matchPattern(init, m_Constant(&dense)) && dense.isSplat()) {
    if (isa<FloatType>(dense.getElementType()))
      return dense.getSplatValue<APFloat>().isZero();
    if (isa<IntegerType>(dense.getElementType()))
      return dense.getSplatValue<APInt>().isZero();
  }
  return false;
}

namespace {
/// One operand of sgemm: a matrix of `rows` x `columns` with either stride
/// 1 along columns (not transposed) or along rows (transposed).
struct MatrixView {
  int64_t rowStride, columnStride;
};

struct GemmLayout {
  CBLAS_TRANSPOSE transA, transB;
  int64_t lda, ldb, ldc;
  bool swapped; // computes C^T = B^T A^T
};

class ContractionKernel : public Kernel {
public:
  ContractionKernel(linalg::LinalgOp op, linalg::ContractionDimensions dims,
                    bool zeroInit, std::unique_ptr<Kernel> fallback)
      : Kernel(op), maps(op.getIndexingMapsArray()),
        linearMaps(*getLinearMaps(maps)), dims(std::move(dims)),
        zeroInit(zeroInit), fallback(std::move(fallback)) {
    setInputUse(2, zeroInit ? InputUse::None : InputUse::Data);
  }

  llvm::Error run(MutableArrayRef<RuntimeValue> inputs,
                  MutableArrayRef<RuntimeValue> results) override;

private:
  /// Strides of `tensor` per loop, through `map`.
  static SmallVector<int64_t> loopStrides(const Tensor &tensor, AffineMap map,
                                          unsigned numLoops) {
    SmallVector<int64_t> result(numLoops, 0);
    SmallVector<int64_t, 4> strides = getStrides(tensor.getShape());
    for (auto [position, expr] : llvm::enumerate(map.getResults()))
      result[cast<AffineDimExpr>(expr).getPosition()] += strides[position];
    return result;
  }

  std::optional<GemmLayout> chooseLayout(ArrayRef<int64_t> ranges,
                                         ArrayRef<int64_t> a,
                                         ArrayRef<int64_t> b,
                                         ArrayRef<int64_t> c) const;

  SmallVector<AffineMap> maps;
  /// The same maps (projected permutations) for computeLoopRanges.
  SmallVector<LinearMap> linearMaps;
  linalg::ContractionDimensions dims;
  bool zeroInit;
  std::unique_ptr<Kernel> fallback;
};
} // namespace

/// How a rows x columns matrix with the given strides is passed to BLAS
/// (row-major): not transposed with ld = row stride when columns are
/// contiguous, transposed with ld = column stride when rows are. Unit
/// dimensions may take any stride.
static std::optional<std::pair<CBLAS_TRANSPOSE, int64_t>>
asBlasMatrix(int64_t rows, int64_t columns, int64_t rowStride,
             int64_t columnStride) {
  if (columnStride == 1 || columns == 1) {
    int64_t ld = rows == 1 ? std::max<int64_t>(columns, 1) : rowStride;
    if (ld >= std::max<int64_t>(columns, 1))
      return std::make_pair(CblasNoTrans, ld);
  }
  if (rowStride == 1 || rows == 1) {
    int64_t ld = columns == 1 ? std::max<int64_t>(rows, 1) : columnStride;
    if (ld >= std::max<int64_t>(rows, 1))
      return std::make_pair(CblasTrans, ld);
  }
  return std::nullopt;
}

std::optional<GemmLayout>
ContractionKernel::chooseLayout(ArrayRef<int64_t> ranges, ArrayRef<int64_t> a,
                                ArrayRef<int64_t> b,
                                ArrayRef<int64_t> c) const {
  unsigned m = dims.m[0], n = dims.n[0], k = dims.k[0];
  int64_t M = ranges[m], N = ranges[n], K = ranges[k];
  // Row-major C (n contiguous): C = A B. Column-major C: C^T = B^T A^T.
  for (bool swapped : {false, true}) {
    int64_t rows = swapped ? N : M, columns = swapped ? M : N;
    int64_t cRowStride = swapped ? c[n] : c[m];
    int64_t cColumnStride = swapped ? c[m] : c[n];
    if (!(cColumnStride == 1 || columns == 1))
      continue;
    int64_t ldc = rows == 1 ? std::max<int64_t>(columns, 1) : cRowStride;
    if (ldc < std::max<int64_t>(columns, 1))
      continue;
    // Left operand rows x K, right operand K x columns.
    auto left = swapped ? asBlasMatrix(N, K, b[n], b[k])
                        : asBlasMatrix(M, K, a[m], a[k]);
    auto right = swapped ? asBlasMatrix(K, M, a[k], a[m])
                         : asBlasMatrix(K, N, b[k], b[n]);
    if (!left || !right)
      continue;
    return GemmLayout{left->first,   right->first, left->second,
                      right->second, ldc,          swapped};
  }
  return std::nullopt;
}

llvm::Error ContractionKernel::run(MutableArrayRef<RuntimeValue> inputs,
                                   MutableArrayRef<RuntimeValue> results) {
  const Tensor &a = inputs[0].getTensor();
  const Tensor &b = inputs[1].getTensor();
  const Tensor *init = zeroInit ? nullptr : &inputs[2].getTensor();
  llvm::Expected<SmallVector<int64_t>> ranges =
      computeLoopRanges(ArrayRef(linearMaps).take_front(3), {&a, &b, init});
  if (!ranges)
    return ranges.takeError();
  unsigned numLoops = ranges->size();
  SmallVector<int64_t> outputShape;
  for (AffineExpr expr : maps[2].getResults())
    outputShape.push_back((*ranges)[cast<AffineDimExpr>(expr).getPosition()]);

  SmallVector<int64_t> aStrides = loopStrides(a, maps[0], numLoops);
  SmallVector<int64_t> bStrides = loopStrides(b, maps[1], numLoops);
  // With a zero-filled init, the output's shape comes from the operands
  // alone: M x N may not be a valid tensor even though both are.
  llvm::Expected<Tensor> shape = Tensor::tryShapeOnly(outputShape);
  if (!shape)
    return shape.takeError();
  SmallVector<int64_t> cStrides = loopStrides(*shape, maps[2], numLoops);
  std::optional<GemmLayout> layout =
      chooseLayout(*ranges, aStrides, bStrides, cStrides);
  int64_t M = (*ranges)[dims.m[0]], N = (*ranges)[dims.n[0]],
          K = (*ranges)[dims.k[0]];
  if (layout && layout->swapped)
    std::swap(M, N);
  // BLAS takes 32-bit sizes (int in every cblas.h lin builds with; blasint
  // may be wider): larger problems run through the structured kernel rather
  // than being truncated.
  constexpr int64_t blasMax = std::numeric_limits<int>::max();
  if (layout &&
      (M > blasMax || N > blasMax || K > blasMax || layout->lda > blasMax ||
       layout->ldb > blasMax || layout->ldc > blasMax))
    layout.reset();
  if (!layout) {
    if (zeroInit) {
      llvm::Expected<Tensor> zeros = Tensor::tryZeros(outputShape);
      if (!zeros)
        return zeros.takeError();
      inputs[2] = std::move(*zeros);
    }
    return fallback->run(inputs, results);
  }

  Tensor output;
  float beta = 0.0f;
  if (zeroInit) {
    llvm::Expected<Tensor> allocated = Tensor::tryUninitialized(outputShape);
    if (!allocated)
      return allocated.takeError();
    output = std::move(*allocated);
  } else {
    output = std::move(inputs[2].getTensor());
    if (llvm::Error error = output.tryMakeUnique())
      return error;
    beta = 1.0f;
  }
  const float *left = layout->swapped ? b.data() : a.data();
  const float *right = layout->swapped ? a.data() : b.data();
  ArrayRef<int64_t> leftStrides = layout->swapped ? bStrides : aStrides;
  ArrayRef<int64_t> rightStrides = layout->swapped ? aStrides : bStrides;

  // One sgemm per batch index (odometer over the batch loops). The odometer
  // visits index 0 first, so an empty batch loop must stop it before: the
  // output then holds no element to write.
  SmallVector<int64_t> batchPosition(dims.batch.size(), 0);
  bool emptyBatch = llvm::any_of(
      dims.batch, [&](unsigned loop) { return (*ranges)[loop] == 0; });
  while (!emptyBatch) {
    int64_t leftOffset = 0, rightOffset = 0, outOffset = 0;
    for (auto [i, loop] : llvm::enumerate(dims.batch)) {
      leftOffset += batchPosition[i] * leftStrides[loop];
      rightOffset += batchPosition[i] * rightStrides[loop];
      outOffset += batchPosition[i] * cStrides[loop];
    }
    float *out = output.data() + outOffset;
    if (M > 0 && N > 0) {
      if (K == 0) {
        if (beta == 0.0f)
          for (int64_t row = 0; row < M; ++row)
            std::fill_n(out + row * layout->ldc, N, 0.0f);
      } else {
        cblas_sgemm(CblasRowMajor, layout->transA, layout->transB, M, N, K,
                    1.0f, left + leftOffset, layout->lda, right + rightOffset,
                    layout->ldb, beta, out, layout->ldc);
      }
    }
    if (!advanceOdometer(batchPosition, [&](size_t level) {
          return (*ranges)[dims.batch[level]];
        }))
      break;
  }
  results[0] = std::move(output);
  return llvm::Error::success();
}

FailureOr<std::unique_ptr<Kernel>>
lin::buildContractionKernel(linalg::LinalgOp op, KernelDiagnoser &diagnoser) {
  std::unique_ptr<Kernel> none;
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics() || !linalg::isaContractionOpInterface(op))
    return none;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 ||
      dims->k.size() != 1)
    return none;
  // Every loop is a batch, m, n or k loop, and maps are plain permutations
  // of the loops they use.
  unsigned numClassified = dims->batch.size() + 3;
  if (numClassified != op.getNumLoops())
    return none;
  for (AffineMap map : op.getIndexingMapsArray())
    if (!map.isProjectedPermutation(/*allowZeroInResults=*/false))
      return none;
  for (OpOperand &operand : op->getOpOperands())
    if (!isa<RankedTensorType>(operand.get().getType()))
      return none;

  FailureOr<std::unique_ptr<Kernel>> fallback =
      buildStructuredKernel(op, diagnoser);
  if (failed(fallback))
    return failure();
  bool zeroInit = isZeroTensor(op.getDpsInits()[0]);
  return std::unique_ptr<Kernel>(std::make_unique<ContractionKernel>(
      op, std::move(*dims), zeroInit, std::move(*fallback)));
}
