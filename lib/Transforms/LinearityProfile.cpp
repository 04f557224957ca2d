// Temporary placeholder, replaced by the real pass.
#include "lin/Transforms/Passes.h"
namespace lin {
#define GEN_PASS_DEF_LINEARITYPROFILE
#include "lin/Transforms/Passes.h.inc"
namespace {
struct LinearityProfilePass : impl::LinearityProfileBase<LinearityProfilePass> {
  using Base::Base;
  void runOnOperation() override {
    getOperation()->emitError("not implemented yet");
    signalPassFailure();
  }
};
} // namespace
} // namespace lin
