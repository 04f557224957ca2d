//===- LeastSquaresTest.cpp - Streaming ridge least squares ---------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// NormalEquations against references computed here without BLAS or LAPACK:
// problems with exact solutions, and a Gaussian elimination of the (ridge)
// normal equations formed directly from the data.
//
//===----------------------------------------------------------------------===//

#include "lin/Support/LeastSquares.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <random>
#include <vector>

using namespace lin;

namespace {

/// A row-major [rows x cols] tensor.
Tensor makeMatrix(int64_t rows, int64_t cols, llvm::ArrayRef<float> values) {
  assert(int64_t(values.size()) == rows * cols && "wrong number of values");
  Tensor tensor(llvm::ArrayRef<int64_t>{rows, cols});
  std::copy(values.begin(), values.end(), tensor.data());
  return tensor;
}

Tensor randomMatrix(std::mt19937 &rng, int64_t rows, int64_t cols,
                    double scale = 1.0, double shift = 0.0) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  Tensor tensor(llvm::ArrayRef<int64_t>{rows, cols});
  for (float &v : tensor.values())
    v = static_cast<float>(shift + scale * normal(rng));
  return tensor;
}

/// Columns [begin, end) of a matrix.
Tensor columns(const Tensor &matrix, int64_t begin, int64_t end) {
  int64_t rows = matrix.getDimSize(0), cols = matrix.getDimSize(1);
  Tensor result(llvm::ArrayRef<int64_t>{rows, end - begin});
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = begin; c < end; ++c)
      result.data()[r * (end - begin) + c - begin] =
          matrix.data()[r * cols + c];
  return result;
}

/// x W + b in double (b ignored when of rank 0).
std::vector<double> predict(const Tensor &x, const AffineSolution &solution) {
  int64_t rows = x.getDimSize(0), features = x.getDimSize(1);
  int64_t targets = solution.weights.getDimSize(1);
  std::vector<double> out(rows * targets, 0.0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t t = 0; t < targets; ++t) {
      double sum = solution.bias.getRank() ? solution.bias.data()[t] : 0.0;
      for (int64_t i = 0; i < features; ++i)
        sum += double(x.data()[r * features + i]) *
               solution.weights.data()[i * targets + t];
      out[r * targets + t] = sum;
    }
  return out;
}

double residualSumOfSquares(const Tensor &x, const Tensor &y,
                            const AffineSolution &solution) {
  std::vector<double> prediction = predict(x, solution);
  double sum = 0.0;
  for (auto [p, target] : llvm::zip_equal(prediction, y.values()))
    sum += (p - target) * (p - target);
  return sum;
}

/// The ridge solution by Gaussian elimination (partial pivoting) of
/// (A^T A + lambda D) w = A^T y, A = [X 1] (or X), D the identity on the
/// features and 0 on the intercept, lambda = relativeRidge times the mean of
/// the features' squares summed over samples. Returns [W; b] per target.
std::vector<std::vector<double>> referenceSolve(const Tensor &x,
                                                const Tensor &y, bool intercept,
                                                double relativeRidge) {
  int64_t rows = x.getDimSize(0), features = x.getDimSize(1);
  int64_t targets = y.getDimSize(1);
  int64_t n = features + (intercept ? 1 : 0);
  auto a = [&](int64_t r, int64_t i) -> double {
    return i < features ? double(x.data()[r * features + i]) : 1.0;
  };
  std::vector<std::vector<double>> solutions;
  double meanSquare = 0.0;
  for (int64_t i = 0; i < features; ++i)
    for (int64_t r = 0; r < rows; ++r)
      meanSquare += a(r, i) * a(r, i) / features;
  for (int64_t t = 0; t < targets; ++t) {
    // The augmented matrix [G | c].
    std::vector<std::vector<double>> m(n, std::vector<double>(n + 1, 0.0));
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t j = 0; j < n; ++j)
        for (int64_t r = 0; r < rows; ++r)
          m[i][j] += a(r, i) * a(r, j);
      for (int64_t r = 0; r < rows; ++r)
        m[i][n] += a(r, i) * y.data()[r * targets + t];
      if (i < features)
        m[i][i] += relativeRidge * meanSquare;
    }
    for (int64_t col = 0; col < n; ++col) {
      int64_t pivot = col;
      for (int64_t r = col + 1; r < n; ++r)
        if (std::abs(m[r][col]) > std::abs(m[pivot][col]))
          pivot = r;
      std::swap(m[col], m[pivot]);
      for (int64_t r = col + 1; r < n; ++r) {
        double factor = m[r][col] / m[col][col];
        for (int64_t c = col; c <= n; ++c)
          m[r][c] -= factor * m[col][c];
      }
    }
    std::vector<double> w(n);
    for (int64_t i = n - 1; i >= 0; --i) {
      double sum = m[i][n];
      for (int64_t j = i + 1; j < n; ++j)
        sum -= m[i][j] * w[j];
      w[i] = sum / m[i][i];
    }
    solutions.push_back(std::move(w));
  }
  return solutions;
}

AffineSolution solveOrFail(const NormalEquations &equations, double ridge) {
  llvm::Expected<AffineSolution> solution = equations.solve(ridge);
  if (!solution) {
    ADD_FAILURE() << llvm::toString(solution.takeError());
    return {};
  }
  return std::move(*solution);
}

/// Expects `solution` to equal the reference [W; b] per target within a
/// tolerance relative to the largest reference coefficient.
void expectEqualsReference(const AffineSolution &solution,
                           const std::vector<std::vector<double>> &reference,
                           bool intercept, double tolerance) {
  int64_t features = solution.weights.getDimSize(0);
  int64_t targets = solution.weights.getDimSize(1);
  ASSERT_EQ(int64_t(reference.size()), targets);
  ASSERT_EQ(solution.bias.getRank(), intercept ? 1 : 0);
  for (int64_t t = 0; t < targets; ++t) {
    double scale = 1.0;
    for (double v : reference[t])
      scale = std::max(scale, std::abs(v));
    for (int64_t i = 0; i < features; ++i)
      EXPECT_NEAR(solution.weights.data()[i * targets + t], reference[t][i],
                  tolerance * scale)
          << "weight " << i << " of target " << t;
    if (intercept) {
      EXPECT_NEAR(solution.bias.data()[t], reference[t][features],
                  tolerance * scale)
          << "bias of target " << t;
    }
  }
}

TEST(LeastSquaresTest, ExactSolutionOfConsistentData) {
  // y0 = 2 x0 - x1 + 3, y1 = 0.5 x1 - 4: representable, consistent data.
  Tensor x = makeMatrix(5, 2, {1, 0, 0, 1, 2, 3, -1, 4, 3, -2});
  std::vector<float> targets;
  for (int64_t r = 0; r < 5; ++r) {
    float x0 = x.data()[2 * r], x1 = x.data()[2 * r + 1];
    targets.push_back(2 * x0 - x1 + 3);
    targets.push_back(0.5f * x1 - 4);
  }
  Tensor y = makeMatrix(5, 2, targets);
  NormalEquations equations(2, 2, /*intercept=*/true);
  equations.accumulate({&x}, y);
  EXPECT_EQ(equations.getNumSamples(), 5);
  EXPECT_EQ(equations.getNumFeatures(), 2);
  EXPECT_EQ(equations.getNumTargets(), 2);
  EXPECT_TRUE(equations.hasIntercept());
  AffineSolution solution = solveOrFail(equations, 0.0);
  ASSERT_EQ(solution.weights.getShape(), (llvm::ArrayRef<int64_t>{2, 2}));
  ASSERT_EQ(solution.bias.getShape(), (llvm::ArrayRef<int64_t>{2}));
  // Weights are [features x targets].
  EXPECT_NEAR(solution.weights.data()[0], 2.0, 1e-5);
  EXPECT_NEAR(solution.weights.data()[1], 0.0, 1e-5);
  EXPECT_NEAR(solution.weights.data()[2], -1.0, 1e-5);
  EXPECT_NEAR(solution.weights.data()[3], 0.5, 1e-5);
  EXPECT_NEAR(solution.bias.data()[0], 3.0, 1e-5);
  EXPECT_NEAR(solution.bias.data()[1], -4.0, 1e-5);
  EXPECT_NEAR(equations.getResidualSumOfSquares(solution), 0.0, 1e-6);
}

TEST(LeastSquaresTest, HandSolvedOverdeterminedLine) {
  // x = 0, 1, 2, 3; y = 1, 3, 2, 5. By hand: mean x 1.5, mean y 2.75,
  // sum (x - 1.5)(y - 2.75) = 5.5, sum (x - 1.5)^2 = 5: slope 1.1,
  // intercept 2.75 - 1.1 * 1.5 = 1.1; residuals -0.1, 0.8, -1.3, 0.6.
  Tensor x = makeMatrix(4, 1, {0, 1, 2, 3});
  Tensor y = makeMatrix(4, 1, {1, 3, 2, 5});
  NormalEquations equations(1, 1, /*intercept=*/true);
  equations.accumulate({&x}, y);
  AffineSolution solution = solveOrFail(equations, 0.0);
  EXPECT_NEAR(solution.weights.data()[0], 1.1, 1e-6);
  EXPECT_NEAR(solution.bias.data()[0], 1.1, 1e-6);
  EXPECT_NEAR(equations.getResidualSumOfSquares(solution),
              0.01 + 0.64 + 1.69 + 0.36, 1e-5);
  EXPECT_DOUBLE_EQ(equations.getTargetSumOfSquares(), 1 + 9 + 4 + 25);
}

TEST(LeastSquaresTest, MatchesGaussianEliminationReference) {
  std::mt19937 rng(7);
  for (bool intercept : {true, false}) {
    for (double ridge : {0.0, 1e-3, 0.1, 2.0}) {
      // Features of different scales and non-zero means, noisy targets.
      Tensor x = randomMatrix(rng, 200, 6, 1.5, 0.3);
      for (int64_t r = 0; r < 200; ++r)
        x.data()[r * 6 + 2] *= 20.0f;
      Tensor w = randomMatrix(rng, 6, 3);
      Tensor y = randomMatrix(rng, 200, 3, 0.1, 0.0);
      AffineSolution truth{w, Tensor(llvm::ArrayRef<int64_t>{3})};
      truth.bias.data()[0] = 1.0f;
      truth.bias.data()[2] = -2.0f;
      std::vector<double> clean = predict(x, truth);
      for (auto [noisy, value] : llvm::zip_equal(y.values(), clean))
        noisy += static_cast<float>(value);

      NormalEquations equations(6, 3, intercept);
      equations.accumulate({&x}, y);
      AffineSolution solution = solveOrFail(equations, ridge);
      SCOPED_TRACE(testing::Message()
                   << "intercept " << intercept << " ridge " << ridge);
      expectEqualsReference(solution, referenceSolve(x, y, intercept, ridge),
                            intercept, 1e-5);
    }
  }
}

TEST(LeastSquaresTest, FeatureBlocksConcatenateColumns) {
  std::mt19937 rng(11);
  Tensor x = randomMatrix(rng, 50, 5);
  Tensor y = randomMatrix(rng, 50, 2);
  Tensor left = columns(x, 0, 2), right = columns(x, 2, 5);
  NormalEquations whole(5, 2, true), blocks(5, 2, true);
  whole.accumulate({&x}, y);
  blocks.accumulate({&left, &right}, y);
  AffineSolution a = solveOrFail(whole, 0.0), b = solveOrFail(blocks, 0.0);
  for (auto [u, v] : llvm::zip_equal(a.weights.values(), b.weights.values()))
    EXPECT_FLOAT_EQ(u, v);
  for (auto [u, v] : llvm::zip_equal(a.bias.values(), b.bias.values()))
    EXPECT_FLOAT_EQ(u, v);
  // The order of the blocks is the order of the weight rows.
  NormalEquations swapped(5, 2, true);
  swapped.accumulate({&right, &left}, y);
  AffineSolution c = solveOrFail(swapped, 0.0);
  for (int64_t i = 0; i < 5; ++i)
    for (int64_t t = 0; t < 2; ++t)
      EXPECT_NEAR(c.weights.data()[((i + 3) % 5) * 2 + t],
                  a.weights.data()[i * 2 + t], 1e-5);
}

TEST(LeastSquaresTest, ShardsMergeIntoTheWhole) {
  // More rows than one internal chunk, shards of uneven sizes.
  std::mt19937 rng(3);
  const int64_t rows = 2600;
  Tensor x = randomMatrix(rng, rows, 4, 1.0, 0.5);
  Tensor y = randomMatrix(rng, rows, 2, 1.0, -1.0);
  NormalEquations whole(4, 2, true);
  whole.accumulate({&x}, y);
  EXPECT_EQ(whole.getNumSamples(), rows);

  // Row ranges into one object, and shards in separate objects merged.
  const int64_t cuts[] = {0, 7, 1030, 1031, 2100, rows};
  NormalEquations ranges(4, 2, true), merged(4, 2, true);
  for (size_t s = 0; s + 1 < std::size(cuts); ++s) {
    ranges.accumulate({&x}, y, cuts[s], cuts[s + 1]);
    NormalEquations shard(4, 2, true);
    shard.accumulate({&x}, y, cuts[s], cuts[s + 1]);
    EXPECT_EQ(shard.getNumSamples(), cuts[s + 1] - cuts[s]);
    merged.merge(shard);
  }
  // An empty range adds nothing.
  ranges.accumulate({&x}, y, 5, 5);

  double targetSquares = 0.0;
  for (float v : y.values())
    targetSquares += double(v) * v;
  for (const NormalEquations *other : {&ranges, &merged}) {
    EXPECT_EQ(other->getNumSamples(), rows);
    EXPECT_NEAR(other->getTargetSumOfSquares(), targetSquares,
                1e-12 * targetSquares);
    EXPECT_NEAR(other->getTargetSumOfSquares(), whole.getTargetSumOfSquares(),
                1e-12 * targetSquares);
    for (double ridge : {0.0, 0.01}) {
      AffineSolution a = solveOrFail(whole, ridge);
      AffineSolution b = solveOrFail(*other, ridge);
      for (auto [u, v] :
           llvm::zip_equal(a.weights.values(), b.weights.values()))
        EXPECT_NEAR(u, v, 1e-6 * std::max(1.0f, std::abs(u)));
      for (auto [u, v] : llvm::zip_equal(a.bias.values(), b.bias.values()))
        EXPECT_NEAR(u, v, 1e-6 * std::max(1.0f, std::abs(u)));
      double rss = whole.getResidualSumOfSquares(a);
      EXPECT_NEAR(other->getResidualSumOfSquares(a), rss, 1e-9 * rss);
    }
  }
  // And the whole equals the reference computed from all rows.
  expectEqualsReference(solveOrFail(merged, 0.0),
                        referenceSolve(x, y, true, 0.0), true, 1e-5);
}

TEST(LeastSquaresTest, RidgeShrinksWeightsNotTheIntercept) {
  // One centred feature: x = -2, -1, 1, 2 (sum x^2 = 10), y = 3 x + 10. The
  // relative ridge r adds r * 10 (the mean squared feature summed over the
  // samples) to sum x^2, so w = 30 / (10 + 10 r) = 3 / (1 + r); the
  // intercept is not penalised and stays the mean of y, 10.
  Tensor x = makeMatrix(4, 1, {-2, -1, 1, 2});
  Tensor y = makeMatrix(4, 1, {4, 7, 13, 16});
  NormalEquations equations(1, 1, /*intercept=*/true);
  equations.accumulate({&x}, y);
  for (double ridge : {0.0, 0.5, 1.0, 3.0, 1e6}) {
    AffineSolution solution = solveOrFail(equations, ridge);
    EXPECT_NEAR(solution.weights.data()[0], 3.0 / (1.0 + ridge), 1e-6)
        << "ridge " << ridge;
    EXPECT_NEAR(solution.bias.data()[0], 10.0, 1e-5) << "ridge " << ridge;
    // The fit is worse than without the ridge, as the statistics say.
    double expected = 0.0;
    for (int64_t r = 0; r < 4; ++r) {
      double error = x.data()[r] * solution.weights.data()[0] +
                     solution.bias.data()[0] - y.data()[r];
      expected += error * error;
    }
    EXPECT_NEAR(equations.getResidualSumOfSquares(solution), expected,
                1e-6 * std::max(1.0, expected));
  }

  // Several features: the weight norm falls as the ridge grows, the bias
  // tends to the mean of the targets minus mean(x) W -> mean(y).
  std::mt19937 rng(5);
  Tensor xs = randomMatrix(rng, 100, 4, 1.0, 2.0);
  Tensor ys = randomMatrix(rng, 100, 1, 1.0, 5.0);
  NormalEquations several(4, 1, true);
  several.accumulate({&xs}, ys);
  double previous = std::numeric_limits<double>::infinity();
  for (double ridge : {0.0, 0.01, 0.1, 1.0, 10.0, 1e8}) {
    AffineSolution solution = solveOrFail(several, ridge);
    double norm = 0.0;
    for (float w : solution.weights.values())
      norm += double(w) * w;
    EXPECT_LT(norm, previous) << "ridge " << ridge;
    previous = norm;
  }
  double meanY = 0.0;
  for (float v : ys.values())
    meanY += v / 100.0;
  AffineSolution heavy = solveOrFail(several, 1e8);
  EXPECT_NEAR(heavy.bias.data()[0], meanY, 1e-4);
}

TEST(LeastSquaresTest, NoIntercept) {
  // y = 2 x + 5 fitted through the origin: w = sum(x y) / sum(x^2) =
  // (1*7 + 2*9 + 3*11) / 14 = 58 / 14.
  Tensor x = makeMatrix(3, 1, {1, 2, 3});
  Tensor y = makeMatrix(3, 1, {7, 9, 11});
  NormalEquations equations(1, 1, /*intercept=*/false);
  EXPECT_FALSE(equations.hasIntercept());
  equations.accumulate({&x}, y);
  AffineSolution solution = solveOrFail(equations, 0.0);
  EXPECT_EQ(solution.bias.getRank(), 0);
  EXPECT_NEAR(solution.weights.data()[0], 58.0 / 14.0, 1e-6);
  // With a relative ridge of 1: 58 / (14 + 14).
  AffineSolution ridged = solveOrFail(equations, 1.0);
  EXPECT_NEAR(ridged.weights.data()[0], 58.0 / 28.0, 1e-6);
  double expected = 0.0;
  for (int64_t r = 0; r < 3; ++r) {
    double error = x.data()[r] * solution.weights.data()[0] - y.data()[r];
    expected += error * error;
  }
  EXPECT_NEAR(equations.getResidualSumOfSquares(solution), expected, 1e-5);
}

TEST(LeastSquaresTest, CollinearFeaturesGiveTheMinimumNormSolution) {
  // x1 = 2 x0 and y = 5 x0 - 1: every w with w0 + 2 w1 = 5 (b = -1) fits
  // exactly; the minimum-norm one is along (1, 2): w = (1, 2). The null
  // space of [x0 x1 1] is (2, -1, 0), so b = -1 in every exact solution and
  // the minimum norm over (w, b) is that over w.
  Tensor x = makeMatrix(5, 2, {1, 2, -1, -2, 3, 6, 0.5f, 1, 2, 4});
  std::vector<float> targets;
  for (int64_t r = 0; r < 5; ++r)
    targets.push_back(5 * x.data()[2 * r] - 1);
  Tensor y = makeMatrix(5, 1, targets);
  NormalEquations equations(2, 1, /*intercept=*/true);
  equations.accumulate({&x}, y);
  AffineSolution solution = solveOrFail(equations, 0.0);
  EXPECT_NEAR(solution.weights.data()[0], 1.0, 1e-5);
  EXPECT_NEAR(solution.weights.data()[1], 2.0, 1e-5);
  EXPECT_NEAR(solution.bias.data()[0], -1.0, 1e-5);
  // It reproduces the targets.
  std::vector<double> fitted = predict(x, solution);
  for (auto [f, target] : llvm::zip_equal(fitted, y.values()))
    EXPECT_NEAR(f, target, 1e-5);
  EXPECT_NEAR(equations.getResidualSumOfSquares(solution), 0.0, 1e-8);

  // A duplicated column, several targets, no intercept: y0 = 4 x, y1 = -x;
  // the minimum-norm weights split evenly: (2, 2) and (-0.5, -0.5).
  Tensor t = makeMatrix(4, 1, {1, -2, 3, 0.25f});
  NormalEquations duplicated(2, 2, /*intercept=*/false);
  std::vector<float> ys;
  for (float v : t.values()) {
    ys.push_back(4 * v);
    ys.push_back(-v);
  }
  Tensor y2 = makeMatrix(4, 2, ys);
  duplicated.accumulate({&t, &t}, y2);
  AffineSolution split = solveOrFail(duplicated, 0.0);
  EXPECT_NEAR(split.weights.data()[0], 2.0, 1e-5);
  EXPECT_NEAR(split.weights.data()[1], -0.5, 1e-5);
  EXPECT_NEAR(split.weights.data()[2], 2.0, 1e-5);
  EXPECT_NEAR(split.weights.data()[3], -0.5, 1e-5);

  // A ridge makes the system definite: the same symmetric split, shrunk.
  AffineSolution ridged = solveOrFail(duplicated, 0.1);
  EXPECT_NEAR(ridged.weights.data()[0], ridged.weights.data()[2], 1e-6);
  EXPECT_LT(ridged.weights.data()[0], 2.0);
  EXPECT_GT(ridged.weights.data()[0], 1.5);
}

TEST(LeastSquaresTest, RandomRankDeficientProblem) {
  // 10 random features and 4 exact copies of some of them scaled by powers
  // of two, noisy targets: the column space is that of the 10, so the
  // minimum-norm solution has their least-squares residual, and it is
  // orthogonal to the null space, spanned by v = s e_base - e_copy for a
  // copy s x_base: s w_base = w_copy.
  std::mt19937 rng(17);
  const int64_t rows = 120, base = 10;
  const std::pair<int64_t, float> copies[] = {
      {0, 1.0f}, {3, 2.0f}, {3, -0.5f}, {7, 4.0f}};
  const int64_t features = base + std::size(copies);
  Tensor x0 = randomMatrix(rng, rows, base, 1.0, 0.5);
  Tensor x(llvm::ArrayRef<int64_t>{rows, features});
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t i = 0; i < base; ++i)
      x.data()[r * features + i] = x0.data()[r * base + i];
    for (auto [k, copy] : llvm::enumerate(copies))
      x.data()[r * features + base + k] =
          copy.second * x0.data()[r * base + copy.first];
  }
  Tensor y = randomMatrix(rng, rows, 2, 2.0, 1.0);
  for (bool intercept : {true, false}) {
    SCOPED_TRACE(testing::Message() << "intercept " << intercept);
    NormalEquations equations(features, 2, intercept);
    equations.accumulate({&x}, y);
    AffineSolution solution = solveOrFail(equations, 0.0);
    for (int64_t t = 0; t < 2; ++t)
      for (auto [k, copy] : llvm::enumerate(copies)) {
        double wBase = solution.weights.data()[copy.first * 2 + t];
        double wCopy = solution.weights.data()[(base + k) * 2 + t];
        EXPECT_NEAR(wBase * copy.second - wCopy, 0.0, 1e-4)
            << "target " << t << " copy " << k;
      }
    // The residual of the base problem (full rank, solved by hand).
    std::vector<std::vector<double>> reference =
        referenceSolve(x0, y, intercept, 0.0);
    AffineSolution baseSolution{Tensor(llvm::ArrayRef<int64_t>{base, 2}),
                                intercept ? Tensor(llvm::ArrayRef<int64_t>{2})
                                          : Tensor()};
    for (int64_t t = 0; t < 2; ++t) {
      for (int64_t i = 0; i < base; ++i)
        baseSolution.weights.data()[i * 2 + t] = reference[t][i];
      if (intercept)
        baseSolution.bias.data()[t] = reference[t][base];
    }
    double expected = residualSumOfSquares(x0, y, baseSolution);
    EXPECT_NEAR(residualSumOfSquares(x, y, solution), expected,
                1e-5 * expected);
    EXPECT_NEAR(equations.getResidualSumOfSquares(solution), expected,
                1e-5 * expected);
  }
}

TEST(LeastSquaresTest, ConstantAndZeroFeatures) {
  // A constant feature duplicates the intercept: y = 3 + 2 t, the constant
  // column c = 1 and the intercept share the 3 evenly at minimum norm.
  Tensor x = makeMatrix(4, 2, {1, 0, 1, 1, 1, 2, 1, 3});
  Tensor y = makeMatrix(4, 1, {3, 5, 7, 9});
  NormalEquations constant(2, 1, true);
  constant.accumulate({&x}, y);
  AffineSolution solution = solveOrFail(constant, 0.0);
  EXPECT_NEAR(solution.weights.data()[0], 1.5, 1e-5);
  EXPECT_NEAR(solution.weights.data()[1], 2.0, 1e-5);
  EXPECT_NEAR(solution.bias.data()[0], 1.5, 1e-5);

  // All-zero features: the weights are 0 and the intercept the mean, with
  // or without a ridge.
  Tensor zeros(llvm::ArrayRef<int64_t>{3, 2});
  Tensor z = makeMatrix(3, 1, {1, 2, 6});
  NormalEquations dead(2, 1, true);
  dead.accumulate({&zeros}, z);
  for (double ridge : {0.0, 0.1}) {
    AffineSolution s = solveOrFail(dead, ridge);
    EXPECT_NEAR(s.weights.data()[0], 0.0, 1e-6);
    EXPECT_NEAR(s.weights.data()[1], 0.0, 1e-6);
    EXPECT_NEAR(s.bias.data()[0], 3.0, 1e-5);
    EXPECT_NEAR(dead.getResidualSumOfSquares(s), 4 + 1 + 9, 1e-5);
  }

  // No samples at all: a zero solution, not a failure.
  NormalEquations empty(3, 2, true);
  AffineSolution none = solveOrFail(empty, 0.0);
  for (float v : none.weights.values())
    EXPECT_EQ(v, 0.0f);
  for (float v : none.bias.values())
    EXPECT_EQ(v, 0.0f);
  EXPECT_EQ(empty.getResidualSumOfSquares(none), 0.0);
}

TEST(LeastSquaresTest, ResidualFromStatisticsEqualsDirectResidual) {
  std::mt19937 rng(13);
  for (bool intercept : {true, false}) {
    Tensor x = randomMatrix(rng, 300, 5, 2.0, 1.0);
    Tensor y = randomMatrix(rng, 300, 3, 3.0, -0.5);
    NormalEquations equations(5, 3, intercept);
    equations.accumulate({&x}, y);
    // The optimum, a ridge solution and an arbitrary affine map.
    AffineSolution arbitrary{randomMatrix(rng, 5, 3), Tensor()};
    if (intercept) {
      arbitrary.bias = Tensor(llvm::ArrayRef<int64_t>{3});
      arbitrary.bias.data()[0] = 0.75f;
      arbitrary.bias.data()[1] = -3.0f;
    }
    for (const AffineSolution &solution :
         {solveOrFail(equations, 0.0), solveOrFail(equations, 0.3),
          arbitrary}) {
      double direct = residualSumOfSquares(x, y, solution);
      EXPECT_NEAR(equations.getResidualSumOfSquares(solution), direct,
                  1e-9 * direct)
          << "intercept " << intercept;
    }
    // The least-squares solution has the smallest residual.
    double best =
        equations.getResidualSumOfSquares(solveOrFail(equations, 0.0));
    EXPECT_LT(best,
              equations.getResidualSumOfSquares(solveOrFail(equations, 0.3)));
    EXPECT_LT(best, equations.getResidualSumOfSquares(arbitrary));
  }
  // An intercept problem given a solution without a bias: the bias is 0.
  Tensor x = makeMatrix(2, 1, {1, 2});
  Tensor y = makeMatrix(2, 1, {3, 3});
  NormalEquations equations(1, 1, true);
  equations.accumulate({&x}, y);
  AffineSolution noBias{makeMatrix(1, 1, {1}), Tensor()};
  EXPECT_NEAR(equations.getResidualSumOfSquares(noBias), 4 + 1, 1e-9);
}

/// The packed statistics and the solution of two equations are equal bit
/// for bit.
void expectIdentical(const NormalEquations &a, const NormalEquations &b) {
  std::vector<double> packedA(a.getPackedSize()), packedB(b.getPackedSize());
  a.pack(packedA);
  b.pack(packedB);
  EXPECT_EQ(packedA, packedB);
  EXPECT_EQ(a.getNumSamples(), b.getNumSamples());
}

TEST(LeastSquaresTest, PackRoundTripsExactly) {
  std::mt19937 rng(11);
  Tensor x = randomMatrix(rng, 50, 4, 3.0, 1.0);
  Tensor y = randomMatrix(rng, 50, 2);
  NormalEquations equations(4, 2, true);
  equations.accumulate({&x}, y);
  std::vector<double> packed(equations.getPackedSize());
  EXPECT_EQ(packed.size(), 5u * 5u + 5u * 2u + 2u);
  equations.pack(packed);
  NormalEquations copy(4, 2, true);
  ASSERT_FALSE(copy.unpack(packed));
  expectIdentical(copy, equations);
  EXPECT_EQ(copy.getTargetSumOfSquares(), equations.getTargetSumOfSquares());
  AffineSolution a = solveOrFail(equations, 1e-3), b = solveOrFail(copy, 1e-3);
  EXPECT_EQ(std::memcmp(a.weights.data(), b.weights.data(),
                        a.weights.getNumElements() * sizeof(float)),
            0);

  // A wrong size or a sample count that is not a whole number >= 0.
  NormalEquations other(3, 2, true);
  llvm::Error size = other.unpack(packed);
  EXPECT_NE(llvm::toString(std::move(size)).find("expected 26"),
            std::string::npos);
  for (double samples : {-1.0, 2.5, std::nan("")}) {
    packed.back() = samples;
    EXPECT_TRUE(bool(copy.unpack(packed))) << samples;
    llvm::consumeError(copy.unpack(packed));
  }
}

TEST(LeastSquaresTest, BlocksMergedInOrderGiveTheSameDoublesAnywhere) {
  // The statistics of a sharded refit: per block, then the blocks in order.
  // A client that merges shards' blocks in block order gets the doubles of
  // one process; merging in another grouping generally does not.
  std::mt19937 rng(5);
  const int64_t blocks = 6, rows = 40;
  std::vector<NormalEquations> parts;
  for (int64_t b = 0; b < blocks; ++b) {
    Tensor x = randomMatrix(rng, rows, 3, 1e3, 7.0);
    Tensor y = randomMatrix(rng, rows, 1, 1e2);
    parts.emplace_back(3, 1, true);
    parts.back().accumulate({&x}, y);
  }
  NormalEquations single(3, 1, true);
  for (const NormalEquations &part : parts)
    single.merge(part);
  // Shards [0, 2), [2, 5), [5, 6) return their blocks, packed and unpacked
  // as a file would carry them, to a client merging them in order.
  NormalEquations client(3, 1, true);
  for (const NormalEquations &part : parts) {
    std::vector<double> packed(part.getPackedSize());
    part.pack(packed);
    NormalEquations received(3, 1, true);
    ASSERT_FALSE(received.unpack(packed));
    client.merge(received);
  }
  expectIdentical(client, single);
  // Shards summing their own blocks first: the grouping differs, and so
  // (here) do the last bits: why shards return blocks, not sums.
  NormalEquations grouped(3, 1, true);
  for (auto [begin, end] : {std::pair{0, 2}, {2, 5}, {5, 6}}) {
    NormalEquations shard(3, 1, true);
    for (int b = begin; b < end; ++b)
      shard.merge(parts[b]);
    grouped.merge(shard);
  }
  std::vector<double> a(single.getPackedSize()), b(grouped.getPackedSize());
  single.pack(a);
  grouped.pack(b);
  EXPECT_NE(a, b);
}

} // namespace
