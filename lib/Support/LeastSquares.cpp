//===- LeastSquares.cpp - Streaming ridge least squares -------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Support/LeastSquares.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cassert>
#include <cblas.h>
#include <cmath>
#include <cstddef>
#include <limits>

using namespace lin;

// LAPACK's Fortran interface, as OpenBLAS exports it (32-bit integers; the
// trailing arguments are the hidden lengths of the character arguments).
extern "C" {
void dposv_(const char *uplo, const int *n, const int *nrhs, double *a,
            const int *lda, double *b, const int *ldb, int *info,
            size_t uploLength);
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a,
             const int *lda, double *w, double *work, const int *lwork,
             int *iwork, const int *liwork, int *info, size_t jobzLength,
             size_t uploLength);
}

/// Rows per dsyrk call: bounds the float64 copy of a batch.
static constexpr int64_t kRowsPerChunk = 1024;

NormalEquations::NormalEquations(int64_t numFeatures, int64_t numTargets,
                                 bool intercept)
    : numFeatures(numFeatures), numTargets(numTargets), intercept(intercept) {
  int64_t n = getSystemSize();
  gram.assign(n * n, 0.0);
  cross.assign(n * numTargets, 0.0);
}

void NormalEquations::accumulate(llvm::ArrayRef<const Tensor *> featureBlocks,
                                 const Tensor &targets) {
  accumulate(featureBlocks, targets, 0, targets.getDimSize(0));
}

void NormalEquations::accumulate(llvm::ArrayRef<const Tensor *> featureBlocks,
                                 const Tensor &targets, int64_t rowBegin,
                                 int64_t rowEnd) {
  assert(targets.getRank() == 2 && targets.getDimSize(1) == numTargets &&
         "targets must be [samples x targets]");
  assert(0 <= rowBegin && rowBegin <= rowEnd &&
         rowEnd <= targets.getDimSize(0) && "row range out of bounds");
  int64_t n = getSystemSize();
  std::vector<double> rows, rowTargets;
  for (int64_t chunk = rowBegin; chunk < rowEnd; chunk += kRowsPerChunk) {
    int64_t count = std::min(kRowsPerChunk, rowEnd - chunk);
    // Row-major [count x n]: column-major [n x count], one sample a column.
    rows.assign(count * n, 0.0);
    int64_t column = 0;
    for (const Tensor *block : featureBlocks) {
      assert(block->getRank() == 2 &&
             block->getDimSize(0) == targets.getDimSize(0) &&
             "feature blocks must be [samples x features]");
      int64_t width = block->getDimSize(1);
      const float *data = block->data();
      for (int64_t r = 0; r < count; ++r)
        std::copy_n(data + (chunk + r) * width, width,
                    rows.data() + r * n + column);
      column += width;
    }
    assert(column == numFeatures && "feature blocks do not add up");
    if (intercept)
      for (int64_t r = 0; r < count; ++r)
        rows[r * n + numFeatures] = 1.0;
    rowTargets.assign(targets.data() + chunk * numTargets,
                      targets.data() + (chunk + count) * numTargets);
    cblas_dsyrk(CblasColMajor, CblasUpper, CblasNoTrans, n, count, 1.0,
                rows.data(), n, 1.0, gram.data(), n);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, n, numTargets, count,
                1.0, rows.data(), n, rowTargets.data(), numTargets, 1.0,
                cross.data(), n);
    for (double y : rowTargets)
      targetSquares += y * y;
    numSamples += count;
  }
}

void NormalEquations::merge(const NormalEquations &other) {
  assert(other.numFeatures == numFeatures && other.numTargets == numTargets &&
         other.intercept == intercept && "merging different problems");
  for (auto [mine, theirs] : llvm::zip_equal(gram, other.gram))
    mine += theirs;
  for (auto [mine, theirs] : llvm::zip_equal(cross, other.cross))
    mine += theirs;
  targetSquares += other.targetSquares;
  numSamples += other.numSamples;
}

int64_t NormalEquations::getPackedSize() const {
  return int64_t(gram.size() + cross.size()) + 2;
}

void NormalEquations::pack(llvm::MutableArrayRef<double> out) const {
  assert(int64_t(out.size()) == getPackedSize() && "wrong packed size");
  double *next = std::copy(gram.begin(), gram.end(), out.begin());
  next = std::copy(cross.begin(), cross.end(), next);
  next[0] = targetSquares;
  next[1] = static_cast<double>(numSamples);
}

llvm::Error NormalEquations::unpack(llvm::ArrayRef<double> packed) {
  if (int64_t(packed.size()) != getPackedSize())
    return llvm::createStringError(
        llvm::formatv("{0} packed values for normal equations of {1} "
                      "features and {2} targets, expected {3}",
                      packed.size(), numFeatures, numTargets, getPackedSize()));
  double samples = packed.back();
  // Exact in a double up to 2^53 samples.
  if (!(samples >= 0.0 && samples < 0x1p53) || samples != std::trunc(samples))
    return llvm::createStringError(llvm::formatv(
        "packed normal equations with a sample count of {0}", samples));
  const double *next = packed.data();
  std::copy_n(next, gram.size(), gram.begin());
  next += gram.size();
  std::copy_n(next, cross.size(), cross.begin());
  next += cross.size();
  targetSquares = next[0];
  numSamples = static_cast<int64_t>(samples);
  return llvm::Error::success();
}

/// Solves the symmetric system `a x = b` (upper triangle of `a` valid,
/// column-major [n x n]; b [n x nrhs] overwritten by x) through the
/// eigendecomposition, dropping eigenvalues that are zero to working
/// precision: the minimum-norm least-squares solution.
static llvm::Error solveByEigendecomposition(std::vector<double> a,
                                             std::vector<double> &b, int n,
                                             int nrhs) {
  std::vector<double> eigenvalues(n);
  int info = 0, lwork = -1, liwork = -1, iworkQuery = 0;
  double workQuery = 0.0;
  dsyevd_("V", "U", &n, a.data(), &n, eigenvalues.data(), &workQuery, &lwork,
          &iworkQuery, &liwork, &info, 1, 1);
  if (info != 0)
    return llvm::createStringError(
        llvm::formatv("LAPACK dsyevd workspace query failed ({0})", info));
  lwork = static_cast<int>(workQuery);
  liwork = iworkQuery;
  std::vector<double> work(std::max(lwork, 1));
  std::vector<int> iwork(std::max(liwork, 1));
  dsyevd_("V", "U", &n, a.data(), &n, eigenvalues.data(), work.data(), &lwork,
          iwork.data(), &liwork, &info, 1, 1);
  if (info != 0)
    return llvm::createStringError(
        llvm::formatv("LAPACK dsyevd failed to converge ({0})", info));
  double largest = 0.0;
  for (double e : eigenvalues)
    largest = std::max(largest, std::abs(e));
  double cutoff = largest * n * std::numeric_limits<double>::epsilon();
  // x = Q diag(1/e) Q^T b, with 1/e = 0 below the cutoff.
  std::vector<double> projected(static_cast<size_t>(n) * nrhs);
  cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, n, nrhs, n, 1.0,
              a.data(), n, b.data(), n, 0.0, projected.data(), n);
  for (int i = 0; i < n; ++i) {
    double scale = eigenvalues[i] > cutoff ? 1.0 / eigenvalues[i] : 0.0;
    for (int j = 0; j < nrhs; ++j)
      projected[static_cast<size_t>(j) * n + i] *= scale;
  }
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, nrhs, n, 1.0,
              a.data(), n, projected.data(), n, 0.0, b.data(), n);
  return llvm::Error::success();
}

llvm::Expected<AffineSolution>
NormalEquations::solve(double relativeRidge) const {
  int64_t n64 = getSystemSize();
  if (n64 > std::numeric_limits<int>::max() ||
      n64 * numTargets > std::numeric_limits<int>::max())
    return llvm::createStringError("least-squares system too large for LAPACK");
  int n = static_cast<int>(n64), nrhs = static_cast<int>(numTargets);
  std::vector<double> a = gram;
  std::vector<double> b = cross;
  if (numFeatures > 0 && relativeRidge > 0.0) {
    double meanSquare = 0.0;
    for (int64_t i = 0; i < numFeatures; ++i)
      meanSquare += gram[i * n + i];
    meanSquare /= numFeatures;
    double lambda = relativeRidge * (meanSquare > 0.0 ? meanSquare : 1.0);
    for (int64_t i = 0; i < numFeatures; ++i)
      a[i * n + i] += lambda;
  }
  if (n > 0) {
    std::vector<double> factor = a;
    int info = 0;
    dposv_("U", &n, &nrhs, factor.data(), &n, b.data(), &n, &info, 1);
    if (info < 0)
      return llvm::createStringError(
          llvm::formatv("LAPACK dposv: bad argument {0}", -info));
    if (info > 0) {
      // Not positive definite: collinear or constant features. dposv may
      // have overwritten b.
      b = cross;
      if (llvm::Error error =
              solveByEigendecomposition(std::move(a), b, n, nrhs))
        return std::move(error);
    }
  }
  AffineSolution solution;
  solution.weights = Tensor(llvm::ArrayRef<int64_t>{numFeatures, numTargets});
  float *weights = solution.weights.data();
  for (int64_t t = 0; t < numTargets; ++t)
    for (int64_t i = 0; i < numFeatures; ++i)
      weights[i * numTargets + t] = static_cast<float>(b[t * n + i]);
  if (intercept) {
    solution.bias = Tensor(llvm::ArrayRef<int64_t>{numTargets});
    for (int64_t t = 0; t < numTargets; ++t)
      solution.bias.data()[t] = static_cast<float>(b[t * n + numFeatures]);
  }
  return solution;
}

double
NormalEquations::getResidualSumOfSquares(const AffineSolution &solution) const {
  int64_t n = getSystemSize();
  // w~ = [W; b] column-major [n x targets].
  std::vector<double> stacked(n * numTargets, 0.0);
  for (int64_t t = 0; t < numTargets; ++t) {
    for (int64_t i = 0; i < numFeatures; ++i)
      stacked[t * n + i] = solution.weights.data()[i * numTargets + t];
    if (intercept)
      stacked[t * n + numFeatures] =
          solution.bias.getRank() ? solution.bias.data()[t] : 0.0;
  }
  std::vector<double> product(n * numTargets, 0.0);
  cblas_dsymm(CblasColMajor, CblasLeft, CblasUpper, n, numTargets, 1.0,
              gram.data(), n, stacked.data(), n, 0.0, product.data(), n);
  double quadratic = 0.0, linear = 0.0;
  for (int64_t k = 0; k < n * numTargets; ++k) {
    quadratic += stacked[k] * product[k];
    linear += stacked[k] * cross[k];
  }
  return std::max(0.0, quadratic - 2.0 * linear + targetSquares);
}
