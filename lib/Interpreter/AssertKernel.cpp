//===- AssertKernel.cpp - Checked cf.assert
//--------------------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Frontends guard shapes and values with cf.assert (torch-mlir: "mismatched
// size for broadcast" at function scope, "unimplemented: tensor with zero
// element" in batch-norm bodies). The interpreter checks them: skipping a
// failing check would compute on inputs the model rejects.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilders.h"

using namespace mlir;
using namespace lin;

llvm::Error lin::assertionFailure(StringRef message) {
  return kernelError("assertion failed: {0}", message);
}

namespace {
class AssertKernel : public Kernel {
public:
  explicit AssertKernel(cf::AssertOp op) : Kernel(op), message(op.getMsg()) {}
  bool hasSideEffects() const override { return true; }
  llvm::Error run(MutableArrayRef<RuntimeValue> inputs,
                  MutableArrayRef<RuntimeValue>) override {
    if (inputs[0].getScalar() == 0.0)
      return assertionFailure(message);
    return llvm::Error::success();
  }

private:
  std::string message;
};
} // namespace

FailureOr<std::unique_ptr<Kernel>> lin::buildAssertKernel(cf::AssertOp op,
                                                          KernelDiagnoser &) {
  return std::unique_ptr<Kernel>(std::make_unique<AssertKernel>(op));
}
