//===- LinAttributes.td - Attributes of the lin dialect ----*- tablegen -*-===//

#ifndef LIN_DIALECT_LIN_IR_LINATTRIBUTES_TD
#define LIN_DIALECT_LIN_IR_LINATTRIBUTES_TD

include "lin/Dialect/Lin/IR/LinDialect.td"
include "lin/Dialect/Lin/IR/LinEnums.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributes.td"

class Lin_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Lin_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Lin_ProfileAttr : Lin_Attr<"Profile", "profile"> {
  let summary = "Per-neuron linear-piece statistics of one activation";
  let description = [{
    Records, for each of the `N` neurons (the last, feature dimension of the
    activation's result), how many of `samples` calibration samples put its
    pre-activation in each linear piece of the activation, and the smallest
    and largest pre-activation seen (or proven).

    `counts` is piece-major: `counts[p * N + j]` is the number of samples in
    which neuron `j` was in piece `p`, so it holds `pieces * N` entries, where
    `pieces` is 2 for `relu` / `leaky_relu` and 3 for `clamp`. Dense arrays
    keep the attribute compact for thousands of neurons.

    Example:

    ```mlir
    %r = linalg.generic {...} ins(%z : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>)
        attrs = {lin.profile = #lin.profile<relu, observed, samples = 4,
                 counts = [4, 0, 1, 0, 4, 3],
                 minimum = [-2.0, 0.5, -1.0],
                 maximum = [-0.5, 3.0, 2.0]>} {...}
    ```

    Profiles of the same activation computed on different calibration shards
    combine exactly (see `lin::ActivationProfile::merge`): counts add up,
    minima take the minimum, maxima the maximum.
  }];
  let parameters = (ins
    EnumParameter<Lin_ActivationKind>:$kind,
    EnumParameter<Lin_ProfileSource>:$source,
    "int64_t":$samples,
    "::mlir::DenseI64ArrayAttr":$counts,
    "::mlir::DenseF32ArrayAttr":$minimum,
    "::mlir::DenseF32ArrayAttr":$maximum
  );
  let assemblyFormat = [{
    `<` $kind `,` $source `,` struct($samples, $counts, $minimum, $maximum) `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Number of linear pieces of this profile's activation kind.
    unsigned getNumPieces() const;
    /// Number of neurons described.
    int64_t getNumNeurons() const { return getMinimum().size(); }
    /// Samples of neuron `neuron` in piece `piece`.
    int64_t getCount(unsigned piece, int64_t neuron) const {
      return getCounts()[piece * getNumNeurons() + neuron];
    }
  }];
}

#endif // LIN_DIALECT_LIN_IR_LINATTRIBUTES_TD
