//===- LayerNames.h - Names of activations users know -----------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Reports, tables and remarks name a layer after the code it came from:
// frontends leave it in name locations (lin_frontend locates every op of a
// PyTorch model in the path of the module computing it, `layers.0`;
// torch-mlir's ONNX importer in its node's name). A layer is the neurons of
// its pre-activation, so it takes the name of the op computing them (the
// Linear's module), else `<kind>@<name>` of the activation's own, else
// `<kind>_<index>`; a name several layers share (a module called twice)
// gets `:<kind>_<index>` appended.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_ANALYSIS_LAYERNAMES_H
#define LIN_ANALYSIS_LAYERNAMES_H

#include "lin/Dialect/Lin/IR/LinAttributes.h"

#include "mlir/IR/Operation.h"

#include <string>

namespace lin {

/// An activation to name: its op, the value it reads (its pre-activation;
/// null when unknown) and its kind.
struct ActivationToName {
  mlir::Operation *activation;
  mlir::Value preActivation;
  ActivationKind kind;
};

/// The names of `activations`; `<kind>_<index>` counts positions in it.
llvm::SmallVector<std::string>
nameActivations(llvm::ArrayRef<ActivationToName> activations);

} // namespace lin

#endif // LIN_ANALYSIS_LAYERNAMES_H
