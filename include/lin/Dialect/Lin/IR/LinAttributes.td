//===- LinAttributes.td - Attributes of the lin dialect ----*- tablegen -*-===//

#ifndef LIN_DIALECT_LIN_IR_LINATTRIBUTES_TD
#define LIN_DIALECT_LIN_IR_LINATTRIBUTES_TD

include "lin/Dialect/Lin/IR/LinDialect.td"
include "lin/Dialect/Lin/IR/LinEnums.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributes.td"

// An f32 array printed so that it parses back bit-identical. The stripped form
// of DenseF32ArrayAttr (what a struct field prints) writes 7 significant digits
// and `INF`, and reads elements as f64, so a text round trip would change
// values and could not read non-finite ones at all.
def Lin_ExactF32ArrayParameter
    : AttrParameter<"::mlir::DenseF32ArrayAttr",
                    "f32 array that round-trips exactly through text"> {
  let parser = "::lin::parseExactF32Array($_parser)";
  let printer = "::lin::printExactF32Array($_printer, $_self)";
}

class Lin_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Lin_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Lin_ProfileAttr : Lin_Attr<"Profile", "profile"> {
  let summary = "Per-neuron linear-piece statistics of one activation";
  let description = [{
    Records, for each of the `N` neurons of an activation, how many of
    `samples` calibration samples put its pre-activation in each linear piece
    of the activation, and the smallest and largest pre-activation seen (or
    proven). The neurons are the positions along one dimension of the
    activation's result, `axis`: by default (no `axis`) the last one, the
    features of a batch-major `[batch x N]` or token-batch
    `[batch x tokens x N]` value; `axis = 1` for the channels of an NCHW
    convolution's `[batch x N x height x width]` result, `axis = 0` for a
    feature-major `[N x batch]` value (as `linearity-fold` with
    `activation-layout=feature-major` and `keep-profiles` emits). Every other
    position is a sample: a profile of an activation over tokens or image
    positions counts `batch x tokens` or `batch x height x width` samples.

    `counts` is piece-major: `counts[p * N + j]` is the number of samples in
    which neuron `j` was in piece `p`, so it holds `pieces * N` entries, where
    `pieces` is 2 for `relu` / `leaky_relu` and 3 for `clamp`. Dense arrays
    keep the attribute compact for thousands of neurons.

    `minimum` and `maximum` print like upstream MLIR's float attributes, so
    that they read back bit-identical: in the short exponent form when that is
    exact (`5.000000e-01`), else with as many significant digits as f32
    needs, at most 9 (`1.00000012`, `1.6777216E+7`), and infinities as their
    hexadecimal bit pattern (`0x7F800000`, `0xFF800000`). Each of these forms
    is accepted on input; NaN extrema are rejected.

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
    Lin_ExactF32ArrayParameter:$minimum,
    Lin_ExactF32ArrayParameter:$maximum,
    OptionalParameter<"std::optional<int64_t>",
                      "dimension of the annotated result holding the neurons "
                      "(absent: the last)">:$axis
  );
  let assemblyFormat = [{
    `<` $kind `,` $source `,` struct($samples, $counts, $minimum, $maximum,
                                     $axis) `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Number of linear pieces of this profile's activation kind.
    unsigned getNumPieces() const;
    /// Number of neurons described.
    int64_t getNumNeurons() const { return getMinimum().size(); }
    /// The dimension holding the neurons in a result of rank `rank`.
    int64_t getNeuronDim(int64_t rank) const {
      return getAxis() ? *getAxis() : rank - 1;
    }
    /// Samples of neuron `neuron` in piece `piece`.
    int64_t getCount(unsigned piece, int64_t neuron) const {
      return getCounts()[piece * getNumNeurons() + neuron];
    }
  }];
}

#endif // LIN_DIALECT_LIN_IR_LINATTRIBUTES_TD
