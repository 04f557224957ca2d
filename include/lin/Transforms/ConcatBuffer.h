//===- ConcatBuffer.h - Feature-major concatenations in one buffer -*- C++
//-*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Feature-major emission reads every consumer's inputs with one matmul over
// a `tensor.concat` of them along the features (dimension 0 of
// [features x batch] values). IREE copies each member of each concatenation
// into it (a buffer copy and a barrier per member at run time), so a layer
// that every later layer reads is copied once per reader: 13 copies and 15
// barriers per call on breast cancer's lossless fold, whose original has 6
// barriers and no copy, which left it at 0.93x the original's speed at batch
// 1 (0.99x in one buffer; benchmarks/iree_concat_buffer.py). When every concatenation is a
// suffix of the longest one (lin concatenates the newest input first, so a
// chain with skips into every later layer is), they all fit in one buffer:
// each member is written once, at its rows, and each concatenation is a
// slice of it.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_CONCATBUFFER_H
#define LIN_TRANSFORMS_CONCATBUFFER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"

namespace lin {

/// Rewrites the feature-major concatenations of `func` (tensor.concat along
/// dimension 0 of 2-D f32 values whose dimension 1, the batch, is dynamic)
/// into one buffer of [sum of the members' rows x batch] elements, flat:
/// each member of the longest concatenation is collapsed to one dimension
/// and inserted once (tensor.insert_slice), right after its definition, and
/// each concatenation becomes a 1-D slice of the buffer expanded back to
/// [rows x batch]. Flat, because IREE copies a slice of whole rows only when
/// it is contiguous by its static sizes: a 2-D slice with a dynamic batch
/// would cost a copy dispatch. Done only when there are two or more such
/// concatenations, each a suffix of the longest, all in one block, and every
/// member is an op result (nothing is rewritten otherwise); returns whether
/// it rewrote.
bool placeConcatenationsInOneBuffer(mlir::RewriterBase &rewriter,
                                    mlir::func::FuncOp func);

} // namespace lin

#endif // LIN_TRANSFORMS_CONCATBUFFER_H
