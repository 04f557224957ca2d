//===- LinEnums.td - Enumerations of the lin dialect -------*- tablegen -*-===//

#ifndef LIN_DIALECT_LIN_IR_LINENUMS_TD
#define LIN_DIALECT_LIN_IR_LINENUMS_TD

include "mlir/IR/EnumAttr.td"

def Lin_ActivationKind : I32EnumAttr<"ActivationKind",
    "family of piecewise-linear activation", [
      I32EnumAttrCase<"ReLU", 0, "relu">,
      I32EnumAttrCase<"LeakyReLU", 1, "leaky_relu">,
      I32EnumAttrCase<"Clamp", 2, "clamp">
    ]> {
  let cppNamespace = "::lin";
  let genSpecializedAttr = 0;
  let description = [{
    `relu` and `leaky_relu` have two pieces: piece 0 is `z <= 0`, piece 1 is
    `z > 0`. `clamp` (ReLU6, hardtanh, clamp(lo, hi)) has three: piece 0 is
    `z < lo`, piece 1 is `lo <= z <= hi`, piece 2 is `z > hi`.
  }];
}

def Lin_ProfileSource : I32EnumAttr<"ProfileSource",
    "how the facts of a profile were obtained", [
      I32EnumAttrCase<"Observed", 0, "observed">,
      I32EnumAttrCase<"Proven", 1, "proven">
    ]> {
  let cppNamespace = "::lin";
  let genSpecializedAttr = 0;
  let description = [{
    `observed`: counts and extrema were measured on calibration samples.
    `proven`: minimum and maximum are sound bounds of the pre-activation over
    an input domain (counts are then those of any samples seen as well).
  }];
}

#endif // LIN_DIALECT_LIN_IR_LINENUMS_TD
