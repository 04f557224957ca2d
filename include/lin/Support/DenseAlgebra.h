//===- DenseAlgebra.h - Small dense matrix helpers for folding --*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Compile-time linear algebra on constant weights (row-major 2-D lin::Tensor
// matrices, 1-D vectors): products on OpenBLAS, row and column selection.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_SUPPORT_DENSEALGEBRA_H
#define LIN_SUPPORT_DENSEALGEBRA_H

#include "lin/Support/Tensor.h"

#include "llvm/ADT/ArrayRef.h"

namespace lin {

/// A zero vector of `size` entries.
Tensor zeroVector(int64_t size);
/// `a @ b` for a [n x k], b [k x m] (sgemm).
Tensor multiply(const Tensor &a, const Tensor &b);
/// `c += a @ b`.
void multiplyAccumulate(const Tensor &a, const Tensor &b, Tensor &c);
/// `v @ b` for a vector v [k] and b [k x m]: a vector [m].
Tensor multiplyVector(const Tensor &v, const Tensor &b);
/// The rows `rows` of a [n x m] matrix, in order.
Tensor selectRows(const Tensor &a, llvm::ArrayRef<int64_t> rows);
/// The columns `columns` of a [n x m] matrix, in order.
Tensor selectColumns(const Tensor &a, llvm::ArrayRef<int64_t> columns);
/// The entries `indices` of a vector.
Tensor selectEntries(const Tensor &v, llvm::ArrayRef<int64_t> indices);
/// The transpose of a [n x m] matrix.
Tensor transpose(const Tensor &a);
/// The [n x n] identity.
Tensor identityMatrix(int64_t n);
/// `a[i][j] *= scale[i]` (scales rows).
void scaleRows(Tensor &a, llvm::ArrayRef<float> scale);
/// `a += b` elementwise (same shapes).
void addInPlace(Tensor &a, const Tensor &b);

} // namespace lin

#endif // LIN_SUPPORT_DENSEALGEBRA_H
