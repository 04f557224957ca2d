//===- LinearityProve.cpp - Attach proven pre-activation bounds -----------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Analysis/IntervalBounds.h"
#include "lin/Dialect/Lin/IR/ActivationProfile.h"
#include "lin/Dialect/Lin/IR/LinDialect.h"
#include "lin/Interpreter/ConstantEvaluator.h"
#include "lin/Transforms/Passes.h"

namespace lin {
#define GEN_PASS_DEF_LINEARITYPROVE
#include "lin/Transforms/Passes.h.inc"
} // namespace lin

using namespace mlir;
using namespace lin;

namespace {
struct LinearityProvePass : lin::impl::LinearityProveBase<LinearityProvePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Infinite bounds would make every interval product 0 * inf = NaN.
    PassOptionChecker options(module, getArgument());
    options.isFinite("lower", lower).isFinite("upper", upper);
    if (options.succeeded())
      options.require(lower <= upper, "lower (" + formatOptionValue(lower) +
                                          ") must not exceed upper (" +
                                          formatOptionValue(upper) + ")");
    if (options.failed())
      return signalPassFailure();
    StringRef name = LinDialect::getProfileAttrName();
    ConstantEvaluator constants(/*emitErrors=*/false,
                                /*memoiseValues=*/false);
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      for (ActivationBounds &bounds :
           computeActivationBounds(func, constants, lower, upper)) {
        Operation *op = bounds.activation.getOperation();
        if (!bounds.isKnown()) {
          op->emitRemark() << "not proven: " << bounds.whyUnknown;
          continue;
        }
        if (op->hasAttr(name) && !replace)
          continue;
        ActivationProfile profile(bounds.activation.getKind(),
                                  bounds.preActivation.lower.size(),
                                  ProfileSource::Proven);
        llvm::copy(bounds.preActivation.lower,
                   profile.getMutableMinimum().begin());
        llvm::copy(bounds.preActivation.upper,
                   profile.getMutableMaximum().begin());
        op->setAttr(name, profile.toAttr(&getContext()));
      }
    }
  }
};
} // namespace
