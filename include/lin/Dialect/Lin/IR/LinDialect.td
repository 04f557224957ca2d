//===- LinDialect.td - The lin dialect definition ----------*- tablegen -*-===//
//
// The lin dialect carries per-neuron linearity facts about the activations of
// a neural network written in linalg-on-tensors IR.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_DIALECT_LIN_IR_LINDIALECT_TD
#define LIN_DIALECT_LIN_IR_LINDIALECT_TD

include "mlir/IR/OpBase.td"

def Lin_Dialect : Dialect {
  let name = "lin";
  let cppNamespace = "::lin";
  let summary = "Per-neuron linearity annotations for neural networks";
  let description = [{
    The `lin` dialect records, for every neuron of a piecewise-linear
    activation (ReLU, leaky ReLU, clamp / ReLU6 / hardtanh), how its
    pre-activation behaves: how many calibration samples fell into each linear
    piece of the activation and the observed (or proven) range of the
    pre-activation. The facts are attached to the activation operation as the
    discardable attribute `lin.profile` and drive the linearity-fold
    transformation, which merges neurons that stay in a linear piece into skip
    matmuls and removes neurons that stay in a constant piece.

    The dialect has no operations: its output, after folding, is plain upstream
    IR.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    /// Registers the attributes (defined in LinAttributes.cpp).
    void registerAttributes();

    /// Name of the discardable attribute holding an activation's profile.
    static constexpr ::llvm::StringLiteral getProfileAttrName() {
      return ::llvm::StringLiteral("lin.profile");
    }
  }];
}

#endif // LIN_DIALECT_LIN_IR_LINDIALECT_TD
