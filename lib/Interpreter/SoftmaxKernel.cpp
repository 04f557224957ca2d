//===- SoftmaxKernel.cpp - linalg.softmax ---------------------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// softmax(x)_i = exp(x_i - max x) / sum_j exp(x_j - max x) along one
// dimension. The tensor is viewed as outer x axis x inner; the loops run over
// contiguous inner rows so that they vectorise.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilders.h"

#include <cmath>
#include <limits>
#include <vector>

using namespace mlir;
using namespace lin;

namespace {
class SoftmaxKernel : public Kernel {
public:
  SoftmaxKernel(linalg::SoftmaxOp op)
      : Kernel(op), dimension(op.getDimension()) {
    setInputUse(1, InputUse::ShapeOnly);
  }

  llvm::Error run(MutableArrayRef<RuntimeValue> inputs,
                  MutableArrayRef<RuntimeValue> results) override {
    const Tensor &input = inputs[0].getTensor();
    if (input.getShape() != inputs[1].getTensor().getShape())
      return kernelError("input {0} and output {1} differ in shape",
                         formatShape(input.getShape()),
                         formatShape(inputs[1].getTensor().getShape()));
    ArrayRef<int64_t> shape = input.getShape();
    int64_t outer = 1, axis = shape[dimension], inner = 1;
    for (int64_t d = 0; d < int64_t(dimension); ++d)
      outer *= shape[d];
    for (int64_t d = dimension + 1; d < int64_t(shape.size()); ++d)
      inner *= shape[d];

    llvm::Expected<Tensor> allocated = Tensor::tryUninitialized(shape);
    if (!allocated)
      return allocated.takeError();
    Tensor &output = *allocated;
    std::vector<float> maximum(inner), sum(inner);
    for (int64_t o = 0; o < outer; ++o) {
      const float *in = input.data() + o * axis * inner;
      float *out = output.data() + o * axis * inner;
      std::fill(maximum.begin(), maximum.end(),
                -std::numeric_limits<float>::infinity());
      std::fill(sum.begin(), sum.end(), 0.0f);
      for (int64_t a = 0; a < axis; ++a)
        for (int64_t i = 0; i < inner; ++i)
          maximum[i] = std::max(maximum[i], in[a * inner + i]);
      for (int64_t a = 0; a < axis; ++a)
        for (int64_t i = 0; i < inner; ++i) {
          float e = std::exp(in[a * inner + i] - maximum[i]);
          out[a * inner + i] = e;
          sum[i] += e;
        }
      for (int64_t a = 0; a < axis; ++a)
        for (int64_t i = 0; i < inner; ++i)
          out[a * inner + i] /= sum[i];
    }
    results[0] = std::move(output);
    return llvm::Error::success();
  }

private:
  uint64_t dimension;
};
} // namespace

FailureOr<std::unique_ptr<Kernel>>
lin::buildSoftmaxKernel(linalg::SoftmaxOp op, KernelDiagnoser &diagnoser) {
  if (!isa<RankedTensorType>(op.getInput().getType()))
    return diagnoser.fail(op, "linalg.softmax on buffers is not supported");
  return std::unique_ptr<Kernel>(std::make_unique<SoftmaxKernel>(op));
}
