//===- ConstantData.h - Tensors from constant attributes --------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Decodes the elements of a constant attribute into an f32 tensor: inline
// dense literals (splat or not), and dense_resource blobs as frontends such as
// torch-mlir emit for weights. f16, bf16 and f64 convert to f32; integers and
// i1 convert to their value.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_LIB_INTERPRETER_CONSTANTDATA_H
#define LIN_LIB_INTERPRETER_CONSTANTDATA_H

#include "lin/Support/Tensor.h"

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "llvm/Support/Error.h"

namespace lin {

llvm::Expected<Tensor> decodeElements(mlir::ElementsAttr attr);

} // namespace lin

#endif // LIN_LIB_INTERPRETER_CONSTANTDATA_H
