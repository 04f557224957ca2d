//===- ScalarOps.h - Semantics of arith and math scalar ops -----*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// arith and math operations reduced to a small set of opcodes with one
// definition of their semantics, shared by the bytecode of linalg bodies
// (vector loops over f32 registers) and by scalar ops at function scope
// (index arithmetic in double, exact for every realistic size).
//
// Integers are held as floating-point numbers: this is exact for the values
// neural-network IR computes with (indices, sizes, i1 flags, small integer
// tensors). Operations whose result depends on the bit width (wrap-around,
// shifts of negative numbers, unsigned views of negative values) are
// evaluated as on unbounded integers.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_LIB_INTERPRETER_SCALAROPS_H
#define LIN_LIB_INTERPRETER_SCALAROPS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/Compiler.h"

#include <cmath>
#include <cstdint>
#include <string>

namespace lin {

enum class Opcode : uint8_t {
  // Unary.
  Copy,
  Neg,
  Abs,
  Exp,
  Exp2,
  Expm1,
  Log,
  Log2,
  Log10,
  Log1p,
  Tanh,
  Sqrt,
  Rsqrt,
  Erf,
  Sin,
  Cos,
  Tan,
  Atan,
  Floor,
  Ceil,
  Round,
  RoundEven,
  Trunc,
  /// i1 <- integer: the low bit.
  LowBit,
  // Binary.
  Add,
  Sub,
  Mul,
  Div,
  Rem,
  Maximum,
  Minimum,
  MaxNum,
  MinNum,
  Pow,
  Atan2,
  CopySign,
  DivInt,
  FloorDivInt,
  CeilDivInt,
  And,
  Or,
  Xor,
  ShiftLeft,
  ShiftRight,
  CmpF,
  CmpI,
  // Ternary.
  Select,
  Fma,
  /// tensor.extract of a captured tensor at computed indices: run by the
  /// bytecode itself (BodyProgram::gathers), not an element function.
  Gather,
};

/// Number of operands an opcode reads.
unsigned getNumOperands(Opcode opcode);

/// An opcode with the comparison predicate of CmpF / CmpI (the arith enum's
/// integer value).
struct ScalarOp {
  Opcode opcode;
  uint8_t predicate = 0;
};

/// The scalar operation `op` computes, or failure with a reason in `whyNot`
/// when `op` is not an arith / math op the interpreter knows.
mlir::FailureOr<ScalarOp> getScalarOp(mlir::Operation *op, std::string &whyNot);

//===----------------------------------------------------------------------===//
// Element semantics
//===----------------------------------------------------------------------===//

namespace scalar {

// NaN-propagating extrema (arith.maximumf / minimumf).
template <typename T> inline T maximum(T a, T b) {
  return a != a ? a : (a > b ? a : b);
}
template <typename T> inline T minimum(T a, T b) {
  return a != a ? a : (a < b ? a : b);
}
// NaN-ignoring extrema (arith.maxnumf / minnumf).
template <typename T> inline T maxNum(T a, T b) {
  return b != b ? a : (a > b ? a : b);
}
template <typename T> inline T minNum(T a, T b) {
  return b != b ? a : (a < b ? a : b);
}

/// The integer an element (held as a float or double) stands for. Values
/// int64 cannot hold saturate and NaN becomes 0: a plain cast of them is
/// undefined behaviour, and fuzzed or overflowing IR produces them.
template <typename T> inline int64_t toInt(T value) {
  if (!(value >= T(-0x1p63)))
    return value != value ? 0 : INT64_MIN;
  if (value >= T(0x1p63))
    return INT64_MAX;
  return static_cast<int64_t>(value);
}

/// arith.cmpf with the arith::CmpFPredicate value `predicate`, on native
/// floats: the interpreter's per-element form of arith::applyCmpPredicate
/// (which works on APFloat and would be far too slow in a kernel loop); the
/// unit tests check the two agree on every predicate, NaN included.
template <typename T>
LLVM_ATTRIBUTE_ALWAYS_INLINE bool compareFloat(uint8_t predicate, T a, T b) {
  using P = mlir::arith::CmpFPredicate;
  switch (static_cast<P>(predicate)) {
  case P::AlwaysFalse:
    return false;
  case P::OEQ:
    return a == b;
  case P::OGT:
    return a > b;
  case P::OGE:
    return a >= b;
  case P::OLT:
    return a < b;
  case P::OLE:
    return a <= b;
  case P::ONE:
    return a < b || a > b;
  case P::ORD:
    return a == a && b == b;
  case P::UEQ:
    return !(a < b || a > b);
  case P::UGT:
    return !(a <= b);
  case P::UGE:
    return !(a < b);
  case P::ULT:
    return !(a >= b);
  case P::ULE:
    return !(a > b);
  case P::UNE:
    return !(a == b);
  case P::UNO:
    return a != a || b != b;
  case P::AlwaysTrue:
    return true;
  }
  return true;
}

/// arith.cmpi with the arith::CmpIPredicate value `predicate`; unsigned
/// predicates compare the two's complement bit patterns.
template <typename T>
LLVM_ATTRIBUTE_ALWAYS_INLINE bool compareInt(uint8_t predicate, T a, T b) {
  int64_t x = toInt(a), y = toInt(b);
  uint64_t ux = static_cast<uint64_t>(x), uy = static_cast<uint64_t>(y);
  using P = mlir::arith::CmpIPredicate;
  switch (static_cast<P>(predicate)) {
  case P::eq:
    return x == y;
  case P::ne:
    return x != y;
  case P::slt:
    return x < y;
  case P::sle:
    return x <= y;
  case P::sgt:
    return x > y;
  case P::sge:
    return x >= y;
  case P::ult:
    return ux < uy;
  case P::ule:
    return ux <= uy;
  case P::ugt:
    return ux > uy;
  case P::uge:
    return ux >= uy;
  }
  return ux >= uy;
}

/// One element of `opcode` applied to operands a, b, c (unused ones ignored).
/// Always inlined: the bytecode's loops instantiate it with a constant
/// opcode, and the switch must fold away for the loops to vectorise.
template <typename T>
LLVM_ATTRIBUTE_ALWAYS_INLINE T apply(ScalarOp op, T a, T b = T(), T c = T()) {
  switch (op.opcode) {
  case Opcode::Copy:
    return a;
  case Opcode::Neg:
    return -a;
  case Opcode::Abs:
    return std::fabs(a);
  case Opcode::Exp:
    return std::exp(a);
  case Opcode::Exp2:
    return std::exp2(a);
  case Opcode::Expm1:
    return std::expm1(a);
  case Opcode::Log:
    return std::log(a);
  case Opcode::Log2:
    return std::log2(a);
  case Opcode::Log10:
    return std::log10(a);
  case Opcode::Log1p:
    return std::log1p(a);
  case Opcode::Tanh:
    return std::tanh(a);
  case Opcode::Sqrt:
    return std::sqrt(a);
  case Opcode::Rsqrt:
    return T(1) / std::sqrt(a);
  case Opcode::Erf:
    return std::erf(a);
  case Opcode::Sin:
    return std::sin(a);
  case Opcode::Cos:
    return std::cos(a);
  case Opcode::Tan:
    return std::tan(a);
  case Opcode::Atan:
    return std::atan(a);
  case Opcode::Floor:
    return std::floor(a);
  case Opcode::Ceil:
    return std::ceil(a);
  case Opcode::Round:
    return std::round(a);
  case Opcode::RoundEven:
    return std::nearbyint(a);
  case Opcode::Trunc:
    return std::trunc(a);
  case Opcode::LowBit:
    return T(toInt(a) & 1);
  case Opcode::Add:
    return a + b;
  case Opcode::Sub:
    return a - b;
  case Opcode::Mul:
    return a * b;
  case Opcode::Div:
    return a / b;
  case Opcode::Rem:
    return std::fmod(a, b);
  case Opcode::Maximum:
    return maximum(a, b);
  case Opcode::Minimum:
    return minimum(a, b);
  case Opcode::MaxNum:
    return maxNum(a, b);
  case Opcode::MinNum:
    return minNum(a, b);
  case Opcode::Pow:
    return std::pow(a, b);
  case Opcode::Atan2:
    return std::atan2(a, b);
  case Opcode::CopySign:
    return std::copysign(a, b);
  case Opcode::DivInt:
    return std::trunc(a / b);
  case Opcode::FloorDivInt:
    return std::floor(a / b);
  case Opcode::CeilDivInt:
    return std::ceil(a / b);
  case Opcode::And:
    return T(toInt(a) & toInt(b));
  case Opcode::Or:
    return T(toInt(a) | toInt(b));
  case Opcode::Xor:
    return T(toInt(a) ^ toInt(b));
  case Opcode::ShiftLeft:
    return a * std::exp2(b);
  case Opcode::ShiftRight:
    return std::floor(a / std::exp2(b));
  case Opcode::CmpF:
    return compareFloat(op.predicate, a, b) ? T(1) : T(0);
  case Opcode::CmpI:
    return compareInt(op.predicate, a, b) ? T(1) : T(0);
  case Opcode::Select:
    return a != T(0) ? b : c;
  case Opcode::Fma:
    return a * b + c;
  case Opcode::Gather:
    break;
  }
  return a;
}

} // namespace scalar
} // namespace lin

#endif // LIN_LIB_INTERPRETER_SCALAROPS_H
