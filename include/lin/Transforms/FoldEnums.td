//===- FoldEnums.td - Choices of the linearity fold -------*- tablegen -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The enumerated options of the fold, shared by the library API (FoldPlanner,
// FoldEmission) and the passes' options (Passes.td names them with
// cl::values); stringify/symbolize come from here too.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_FOLDENUMS_TD
#define LIN_TRANSFORMS_FOLDENUMS_TD

include "mlir/IR/EnumAttr.td"

def Lin_FoldPolicy : I32EnumAttr<"FoldPolicy",
    "which layers with mergeable neurons merge them", [
      I32EnumAttrCase<"Cost", 0, "cost">,
      I32EnumAttrCase<"Paper", 1, "paper">,
      I32EnumAttrCase<"All", 2, "all">
    ]> {
  let cppNamespace = "::lin";
  let genSpecializedAttr = 0;
}

def Lin_WeightLayout : I32EnumAttr<"WeightLayout",
    "how emitted matmuls hold their weight constants", [
      I32EnumAttrCase<"InOut", 0, "in-out">,
      I32EnumAttrCase<"OutIn", 1, "out-in">
    ]> {
  let cppNamespace = "::lin";
  let genSpecializedAttr = 0;
}

def Lin_FoldObjective : I32EnumAttr<"FoldObjective",
    "what the cost policy minimises", [
      I32EnumAttrCase<"Params", 0, "params">,
      I32EnumAttrCase<"Latency", 1, "latency">
    ]> {
  let cppNamespace = "::lin";
  let genSpecializedAttr = 0;
}

def Lin_ActivationLayout : I32EnumAttr<"ActivationLayout",
    "how emitted layers hold their activations", [
      I32EnumAttrCase<"BatchMajor", 0, "batch-major">,
      I32EnumAttrCase<"FeatureMajor", 1, "feature-major">
    ]> {
  let cppNamespace = "::lin";
  let genSpecializedAttr = 0;
}

def Lin_RefitMethod : I32EnumAttr<"RefitMethod",
    "how the weights of folded consumers are chosen", [
      I32EnumAttrCase<"None", 0, "none">,
      I32EnumAttrCase<"LeastSquares", 1, "lstsq">
    ]> {
  let cppNamespace = "::lin";
  let genSpecializedAttr = 0;
}

def Lin_BudgetMetric : I32EnumAttr<"BudgetMetric",
    "what an accuracy budget bounds", [
      I32EnumAttrCase<"Auto", 0, "auto">,
      I32EnumAttrCase<"Accuracy", 1, "accuracy">,
      I32EnumAttrCase<"Agreement", 2, "agreement">,
      I32EnumAttrCase<"MSE", 3, "mse">
    ]> {
  let cppNamespace = "::lin";
  let genSpecializedAttr = 0;
}

#endif // LIN_TRANSFORMS_FOLDENUMS_TD
