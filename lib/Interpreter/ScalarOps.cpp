//===- ScalarOps.cpp - Semantics of arith and math scalar ops -------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "ScalarOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace lin;

unsigned lin::getNumOperands(Opcode opcode) {
  if (opcode < Opcode::Add)
    return 1;
  if (opcode < Opcode::Select)
    return 2;
  if (opcode == Opcode::Gather)
    return 0;
  return 3;
}

static bool isI1(Type type) { return type.isInteger(1); }

FailureOr<ScalarOp> lin::getScalarOp(Operation *op, std::string &whyNot) {
  auto make = [](Opcode opcode, uint8_t predicate = 0) {
    return FailureOr<ScalarOp>(ScalarOp{opcode, predicate});
  };
  // Casts between float widths, between integers and floats and between
  // integer widths keep the value: everything is computed in one precision.
  auto cast = [&](Operation *cast) {
    Type from = getElementTypeOrSelf(cast->getOperand(0).getType());
    Type to = getElementTypeOrSelf(cast->getResult(0).getType());
    if (isa<arith::ExtSIOp>(cast) && isI1(from))
      return make(Opcode::Neg); // true sign-extends to -1.
    if (isa<arith::TruncIOp>(cast) && isI1(to))
      return make(Opcode::LowBit);
    return make(Opcode::Copy);
  };
  return llvm::TypeSwitch<Operation *, FailureOr<ScalarOp>>(op)
      // Float arithmetic.
      .Case([&](arith::AddFOp) { return make(Opcode::Add); })
      .Case([&](arith::SubFOp) { return make(Opcode::Sub); })
      .Case([&](arith::MulFOp) { return make(Opcode::Mul); })
      .Case([&](arith::DivFOp) { return make(Opcode::Div); })
      .Case([&](arith::RemFOp) { return make(Opcode::Rem); })
      .Case([&](arith::NegFOp) { return make(Opcode::Neg); })
      .Case([&](arith::MaximumFOp) { return make(Opcode::Maximum); })
      .Case([&](arith::MinimumFOp) { return make(Opcode::Minimum); })
      .Case([&](arith::MaxNumFOp) { return make(Opcode::MaxNum); })
      .Case([&](arith::MinNumFOp) { return make(Opcode::MinNum); })
      .Case([&](arith::CmpFOp cmp) {
        return make(Opcode::CmpF, static_cast<uint8_t>(cmp.getPredicate()));
      })
      // Integer arithmetic.
      .Case([&](arith::AddIOp) { return make(Opcode::Add); })
      .Case([&](arith::SubIOp) { return make(Opcode::Sub); })
      .Case([&](arith::MulIOp) { return make(Opcode::Mul); })
      .Case<arith::DivSIOp, arith::DivUIOp>(
          [&](Operation *) { return make(Opcode::DivInt); })
      .Case([&](arith::FloorDivSIOp) { return make(Opcode::FloorDivInt); })
      .Case<arith::CeilDivSIOp, arith::CeilDivUIOp>(
          [&](Operation *) { return make(Opcode::CeilDivInt); })
      .Case<arith::RemSIOp, arith::RemUIOp>(
          [&](Operation *) { return make(Opcode::Rem); })
      .Case<arith::MaxSIOp, arith::MaxUIOp>(
          [&](Operation *) { return make(Opcode::Maximum); })
      .Case<arith::MinSIOp, arith::MinUIOp>(
          [&](Operation *) { return make(Opcode::Minimum); })
      .Case([&](arith::AndIOp) { return make(Opcode::And); })
      .Case([&](arith::OrIOp) { return make(Opcode::Or); })
      .Case([&](arith::XOrIOp) { return make(Opcode::Xor); })
      .Case([&](arith::ShLIOp) { return make(Opcode::ShiftLeft); })
      .Case<arith::ShRSIOp, arith::ShRUIOp>(
          [&](Operation *) { return make(Opcode::ShiftRight); })
      .Case([&](arith::CmpIOp cmp) {
        return make(Opcode::CmpI, static_cast<uint8_t>(cmp.getPredicate()));
      })
      .Case([&](arith::SelectOp) { return make(Opcode::Select); })
      // Casts.
      .Case<arith::ExtFOp, arith::TruncFOp, arith::ExtSIOp, arith::ExtUIOp,
            arith::TruncIOp, arith::SIToFPOp, arith::UIToFPOp,
            arith::IndexCastOp, arith::IndexCastUIOp>(cast)
      .Case<arith::FPToSIOp, arith::FPToUIOp>(
          [&](Operation *) { return make(Opcode::Trunc); })
      // math.
      .Case<math::AbsFOp, math::AbsIOp>(
          [&](Operation *) { return make(Opcode::Abs); })
      .Case([&](math::ExpOp) { return make(Opcode::Exp); })
      .Case([&](math::Exp2Op) { return make(Opcode::Exp2); })
      .Case([&](math::ExpM1Op) { return make(Opcode::Expm1); })
      .Case([&](math::LogOp) { return make(Opcode::Log); })
      .Case([&](math::Log2Op) { return make(Opcode::Log2); })
      .Case([&](math::Log10Op) { return make(Opcode::Log10); })
      .Case([&](math::Log1pOp) { return make(Opcode::Log1p); })
      .Case([&](math::TanhOp) { return make(Opcode::Tanh); })
      .Case([&](math::SqrtOp) { return make(Opcode::Sqrt); })
      .Case([&](math::RsqrtOp) { return make(Opcode::Rsqrt); })
      .Case([&](math::ErfOp) { return make(Opcode::Erf); })
      .Case([&](math::SinOp) { return make(Opcode::Sin); })
      .Case([&](math::CosOp) { return make(Opcode::Cos); })
      .Case([&](math::TanOp) { return make(Opcode::Tan); })
      .Case([&](math::AtanOp) { return make(Opcode::Atan); })
      .Case([&](math::Atan2Op) { return make(Opcode::Atan2); })
      .Case([&](math::FloorOp) { return make(Opcode::Floor); })
      .Case([&](math::CeilOp) { return make(Opcode::Ceil); })
      .Case([&](math::RoundOp) { return make(Opcode::Round); })
      .Case([&](math::RoundEvenOp) { return make(Opcode::RoundEven); })
      .Case([&](math::TruncOp) { return make(Opcode::Trunc); })
      .Case<math::PowFOp, math::FPowIOp, math::IPowIOp>(
          [&](Operation *) { return make(Opcode::Pow); })
      .Case([&](math::CopySignOp) { return make(Opcode::CopySign); })
      .Case([&](math::FmaOp) { return make(Opcode::Fma); })
      .Default([&](Operation *other) -> FailureOr<ScalarOp> {
        whyNot =
            ("unsupported operation '" + other->getName().getStringRef() + "'")
                .str();
        return failure();
      });
}
