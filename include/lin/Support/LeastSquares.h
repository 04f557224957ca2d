//===- LeastSquares.h - Streaming ridge least squares -----------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The normal equations of a multi-output linear least-squares problem
//
//     minimise  sum_samples || x W + b - y ||^2 + lambda ||W||_F^2
//
// accumulated batch by batch in float64: G = [X 1]^T [X 1], C = [X 1]^T Y
// and sum ||y||^2. They are sums over samples, so statistics of shards of the
// data merge exactly (merge()) into those of the whole; solving needs them
// only, never the data again, and so does the residual of any candidate
// solution (used to choose lambda on held-out statistics). Solved with
// LAPACK from OpenBLAS: a Cholesky factorisation, falling back to a
// symmetric eigendecomposition (a pseudo-inverse) when the system is not
// positive definite (collinear features and no ridge).
//
//===----------------------------------------------------------------------===//

#ifndef LIN_SUPPORT_LEASTSQUARES_H
#define LIN_SUPPORT_LEASTSQUARES_H

#include "lin/Support/Tensor.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace lin {

/// An affine map `x W + b`: W [features x targets], b [targets] (rank 0
/// without an intercept).
struct AffineSolution {
  Tensor weights;
  Tensor bias;
};

class NormalEquations {
public:
  /// Statistics for `numFeatures` features and `numTargets` targets, with a
  /// (never penalised) intercept when `intercept`.
  NormalEquations(int64_t numFeatures, int64_t numTargets, bool intercept);

  int64_t getNumFeatures() const { return numFeatures; }
  int64_t getNumTargets() const { return numTargets; }
  bool hasIntercept() const { return intercept; }
  int64_t getNumSamples() const { return numSamples; }

  /// Adds rows [rowBegin, rowEnd) of the samples whose features are the
  /// column-wise concatenation of `featureBlocks` (each [samples x d_i], the
  /// d_i summing to getNumFeatures()) and whose targets are `targets`
  /// [samples x numTargets].
  void accumulate(llvm::ArrayRef<const Tensor *> featureBlocks,
                  const Tensor &targets, int64_t rowBegin, int64_t rowEnd);
  /// All rows.
  void accumulate(llvm::ArrayRef<const Tensor *> featureBlocks,
                  const Tensor &targets);

  /// Adds the statistics of other samples (the same problem's shapes).
  /// Floating-point sums depend on their grouping: merging the same parts in
  /// the same order gives the same doubles.
  void merge(const NormalEquations &other);

  /// Values pack() writes: the Gram matrix, the cross products, sum ||y||^2
  /// and the sample count.
  int64_t getPackedSize() const;
  /// The statistics as getPackedSize() float64 values (for files; unpack()
  /// reads them back exactly).
  void pack(llvm::MutableArrayRef<double> out) const;
  /// Replaces the statistics by packed ones; fails when `packed` has another
  /// size or a sample count that is not a whole number >= 0.
  llvm::Error unpack(llvm::ArrayRef<double> packed);

  /// The ridge solution. `relativeRidge` scales the mean squared feature
  /// (the mean of G's feature diagonal), so that one value fits features of
  /// any magnitude; 0 is plain least squares (minimum-norm when singular).
  /// Fails only when LAPACK does.
  llvm::Expected<AffineSolution> solve(double relativeRidge) const;

  /// sum ||x W + b - y||^2 over the accumulated samples, from the
  /// statistics alone.
  double getResidualSumOfSquares(const AffineSolution &solution) const;
  /// sum ||y||^2 over the accumulated samples.
  double getTargetSumOfSquares() const { return targetSquares; }

private:
  /// Size of the augmented system (features and the intercept).
  int64_t getSystemSize() const { return numFeatures + (intercept ? 1 : 0); }

  int64_t numFeatures, numTargets;
  bool intercept;
  int64_t numSamples = 0;
  /// [n x n] column-major, upper triangle valid, n = getSystemSize().
  std::vector<double> gram;
  /// [n x numTargets] column-major.
  std::vector<double> cross;
  double targetSquares = 0.0;
};

} // namespace lin

#endif // LIN_SUPPORT_LEASTSQUARES_H
