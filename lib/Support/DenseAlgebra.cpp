//===- DenseAlgebra.cpp - Small dense matrix helpers for folding ----------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Support/DenseAlgebra.h"

#include <cassert>
#include <cblas.h>
#include <cstring>

using namespace lin;

Tensor lin::zeroVector(int64_t size) {
  return Tensor(llvm::ArrayRef<int64_t>{size});
}

void lin::multiplyAccumulate(const Tensor &a, const Tensor &b, Tensor &c) {
  assert(a.getRank() == 2 && b.getRank() == 2 && c.getRank() == 2);
  int64_t n = a.getDimSize(0), k = a.getDimSize(1), m = b.getDimSize(1);
  assert(b.getDimSize(0) == k && c.getDimSize(0) == n && c.getDimSize(1) == m &&
         "shape mismatch");
  if (n == 0 || m == 0 || k == 0)
    return;
  c.makeUnique();
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, m, k, 1.0f,
              a.data(), k, b.data(), m, 1.0f, c.data(), m);
}

Tensor lin::multiply(const Tensor &a, const Tensor &b) {
  Tensor c({a.getDimSize(0), b.getDimSize(1)});
  multiplyAccumulate(a, b, c);
  return c;
}

Tensor lin::multiplyVector(const Tensor &v, const Tensor &b) {
  Tensor result = multiply(v.reshaped({1, v.getNumElements()}), b);
  return result.reshaped({b.getDimSize(1)});
}

Tensor lin::selectRows(const Tensor &a, llvm::ArrayRef<int64_t> rows) {
  int64_t m = a.getDimSize(1);
  Tensor result({int64_t(rows.size()), m});
  for (auto [i, row] : llvm::enumerate(rows))
    std::memcpy(result.data() + i * m, a.data() + row * m, m * sizeof(float));
  return result;
}

Tensor lin::selectColumns(const Tensor &a, llvm::ArrayRef<int64_t> columns) {
  int64_t n = a.getDimSize(0), m = a.getDimSize(1);
  int64_t k = columns.size();
  Tensor result({n, k});
  const float *src = a.data();
  float *dst = result.data();
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < k; ++j)
      dst[i * k + j] = src[i * m + columns[j]];
  return result;
}

Tensor lin::selectEntries(const Tensor &v, llvm::ArrayRef<int64_t> indices) {
  Tensor result = zeroVector(indices.size());
  for (auto [i, index] : llvm::enumerate(indices))
    result.data()[i] = v.data()[index];
  return result;
}

Tensor lin::transpose(const Tensor &a) {
  int64_t n = a.getDimSize(0), m = a.getDimSize(1);
  Tensor result({m, n});
  const float *src = a.data();
  float *dst = result.data();
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < m; ++j)
      dst[j * n + i] = src[i * m + j];
  return result;
}

Tensor lin::identityMatrix(int64_t n) {
  Tensor result({n, n});
  for (int64_t i = 0; i < n; ++i)
    result.data()[i * n + i] = 1.0f;
  return result;
}

void lin::scaleRows(Tensor &a, llvm::ArrayRef<float> scale) {
  a.makeUnique();
  int64_t m = a.getDimSize(1);
  for (auto [i, s] : llvm::enumerate(scale))
    for (int64_t j = 0; j < m; ++j)
      a.data()[i * m + j] *= s;
}

void lin::addInPlace(Tensor &a, const Tensor &b) {
  assert(a.getNumElements() == b.getNumElements() && "shape mismatch");
  a.makeUnique();
  float *dst = a.data();
  const float *src = b.data();
  for (int64_t i = 0, e = a.getNumElements(); i < e; ++i)
    dst[i] += src[i];
}
