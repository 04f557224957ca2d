//===- RuntimeValue.h - Values of interpreted programs ----------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Every SSA value the interpreter computes is either a tensor (any element
// type, held as f32) or a scalar (float, integer, index or i1, held as a
// double, which represents every index and integer up to 2^53 exactly).
//
//===----------------------------------------------------------------------===//

#ifndef LIN_INTERPRETER_RUNTIMEVALUE_H
#define LIN_INTERPRETER_RUNTIMEVALUE_H

#include "lin/Support/Tensor.h"

#include <cassert>
#include <utility>

namespace lin {

class RuntimeValue {
public:
  RuntimeValue() = default;
  /*implicit*/ RuntimeValue(Tensor tensor)
      : tensor(std::move(tensor)), holdsTensor(true) {}
  static RuntimeValue scalar(double value) {
    RuntimeValue result;
    result.scalarValue = value;
    return result;
  }

  bool isTensor() const { return holdsTensor; }
  const Tensor &getTensor() const {
    assert(holdsTensor && "not a tensor");
    return tensor;
  }
  Tensor &getTensor() {
    assert(holdsTensor && "not a tensor");
    return tensor;
  }
  double getScalar() const {
    assert(!holdsTensor && "not a scalar");
    return scalarValue;
  }

private:
  Tensor tensor;
  double scalarValue = 0.0;
  bool holdsTensor = false;
};

} // namespace lin

#endif // LIN_INTERPRETER_RUNTIMEVALUE_H
