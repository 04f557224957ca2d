// Temporary placeholder, replaced by the real pass.
#include "lin/Transforms/Passes.h"
namespace lin {
#define GEN_PASS_DEF_LINEARITYFOLD
#include "lin/Transforms/Passes.h.inc"
namespace {
struct LinearityFoldPass : impl::LinearityFoldBase<LinearityFoldPass> {
  using Base::Base;
  void runOnOperation() override {
    getOperation()->emitError("not implemented yet");
    signalPassFailure();
  }
};
} // namespace
} // namespace lin
