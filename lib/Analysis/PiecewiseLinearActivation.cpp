//===- PiecewiseLinearActivation.cpp - Recognise PWL activations ----------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The scalar body of an elementwise linalg op is evaluated symbolically: every
// SSA value of the body becomes a piecewise-linear function of the
// pre-activation z. Binary operations split the real line at the union of
// their operands' breakpoints plus the points where the operands cross, and
// pick the resulting line on each segment by evaluating the operation at a
// point inside the segment. The final function is then classified as ReLU,
// leaky ReLU or clamp.
//
//===----------------------------------------------------------------------===//

#include "lin/Analysis/PiecewiseLinearActivation.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <tuple>

using namespace mlir;
using namespace lin;

namespace {
/// Chooses the line of a combined function on one segment, given the
/// operands' lines there and a point strictly inside the segment.
using SegmentRule = llvm::function_ref<LinearPiece(
    ArrayRef<LinearPiece> operands, double sample)>;
} // namespace

static void sortAndUnique(SmallVectorImpl<double> &values) {
  llvm::sort(values);
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

/// Segment `seg` between sorted cuts, as (low end, high end, a point
/// strictly inside): segment 0 starts at -inf, the last one ends at +inf.
static std::tuple<double, double, double> getSegment(ArrayRef<double> cuts,
                                                     size_t seg) {
  double lo = seg == 0 ? -INFINITY : cuts[seg - 1];
  double hi = seg == cuts.size() ? INFINITY : cuts[seg];
  double sample = std::isinf(lo)
                      ? (std::isinf(hi) ? 0.0 : hi - 1.0)
                      : (std::isinf(hi) ? lo + 1.0 : 0.5 * (lo + hi));
  return {lo, hi, sample};
}

/// Combines functions pointwise. `crossings` are the operand pairs whose
/// intersection points must become breakpoints (for max/min/compare).
static PiecewiseLinearFunction
combine(ArrayRef<const PiecewiseLinearFunction *> operands,
        ArrayRef<std::pair<unsigned, unsigned>> crossings, SegmentRule rule) {
  SmallVector<double> cuts;
  for (const PiecewiseLinearFunction *f : operands)
    llvm::append_range(cuts, f->breakpoints);
  sortAndUnique(cuts);

  // Add the points where crossing pairs intersect inside a segment.
  SmallVector<double> extra;
  for (size_t seg = 0; seg <= cuts.size(); ++seg) {
    auto [lo, hi, sample] = getSegment(cuts, seg);
    for (auto [i, j] : crossings) {
      const LinearPiece &a = operands[i]->getPiece(sample);
      const LinearPiece &b = operands[j]->getPiece(sample);
      double slope = a.slope - b.slope;
      if (slope == 0.0)
        continue;
      double root = (b.offset - a.offset) / slope;
      if (root > lo && root < hi)
        extra.push_back(root);
    }
  }
  llvm::append_range(cuts, extra);
  sortAndUnique(cuts);

  PiecewiseLinearFunction result;
  result.breakpoints = cuts;
  SmallVector<LinearPiece> lines(operands.size());
  for (size_t seg = 0; seg <= cuts.size(); ++seg) {
    double sample = std::get<2>(getSegment(cuts, seg));
    for (auto [k, f] : llvm::enumerate(operands))
      lines[k] = f->getPiece(sample);
    result.pieces.push_back(rule(lines, sample));
  }
  result.simplify();
  return result;
}

/// arith.cmpf's semantics (NaN cases included) on double operands.
static bool evaluatePredicate(arith::CmpFPredicate predicate, double lhs,
                              double rhs) {
  return arith::applyCmpPredicate(predicate, APFloat(lhs), APFloat(rhs));
}

//===----------------------------------------------------------------------===//
// Symbolic evaluation of a linalg body
//===----------------------------------------------------------------------===//

namespace {
class BodyEvaluator {
public:
  explicit BodyEvaluator(std::string *whyNot) : whyNot(whyNot) {}

  void bind(Value value, PiecewiseLinearFunction f) {
    values[value] = std::move(f);
  }

  /// Evaluates the block up to its terminator; returns the yielded function.
  FailureOr<PiecewiseLinearFunction> run(Block &body) {
    for (Operation &op : body.without_terminator())
      if (failed(visit(op)))
        return failure();
    Operation *terminator = body.getTerminator();
    if (terminator->getNumOperands() != 1)
      return fail("the body yields more than one value");
    const PiecewiseLinearFunction *result = lookup(terminator->getOperand(0));
    if (!result)
      return failure();
    return *result;
  }

private:
  LogicalResult fail(const Twine &reason) {
    if (whyNot)
      *whyNot = reason.str();
    return failure();
  }

  /// The function of a body value; scalar constants from anywhere resolve.
  const PiecewiseLinearFunction *lookup(Value value) {
    auto it = values.find(value);
    if (it != values.end())
      return &it->second;
    FloatAttr constant;
    if (matchPattern(value, m_Constant(&constant))) {
      values[value] = PiecewiseLinearFunction::constant(
          constant.getValue().convertToDouble());
      return &values[value];
    }
    (void)fail("the body uses a value that is neither the input nor a "
               "floating-point constant");
    return nullptr;
  }

  LogicalResult visit(Operation &op) {
    if (op.getNumResults() != 1)
      return fail("the body has an op with " + Twine(op.getNumResults()) +
                  " results");
    // Comparisons are consumed by the select that uses them.
    if (isa<arith::CmpFOp>(op))
      return success();
    if (isa<arith::ConstantOp>(op)) {
      if (!lookup(op.getResult(0)))
        return failure();
      return success();
    }

    SmallVector<const PiecewiseLinearFunction *> operands;
    auto getOperands = [&](ValueRange range) -> LogicalResult {
      operands.clear();
      for (Value v : range) {
        const PiecewiseLinearFunction *f = lookup(v);
        if (!f)
          return failure();
        operands.push_back(f);
      }
      return success();
    };
    auto isConstant = [](const PiecewiseLinearFunction *f) {
      return f->pieces.size() == 1 && f->pieces[0].isConstant();
    };

    Value result = op.getResult(0);
    auto pointwise = [&](auto function) {
      return [function](ArrayRef<LinearPiece> lines, double) {
        return function(lines[0], lines[1]);
      };
    };
    auto extremum = [&](bool takeMax) -> LogicalResult {
      if (failed(getOperands(op.getOperands())))
        return failure();
      values[result] = combine(
          operands, {{0, 1}}, [takeMax](ArrayRef<LinearPiece> lines, double s) {
            double a = lines[0].evaluate(s), b = lines[1].evaluate(s);
            return (a >= b) == takeMax ? lines[0] : lines[1];
          });
      return success();
    };

    return llvm::TypeSwitch<Operation *, LogicalResult>(&op)
        .Case<arith::MaximumFOp, arith::MaxNumFOp>(
            [&](Operation *) { return extremum(/*takeMax=*/true); })
        .Case<arith::MinimumFOp, arith::MinNumFOp>(
            [&](Operation *) { return extremum(/*takeMax=*/false); })
        .Case<arith::AddFOp, arith::SubFOp>([&](Operation *) -> LogicalResult {
          if (failed(getOperands(op.getOperands())))
            return failure();
          double sign = isa<arith::SubFOp>(op) ? -1.0 : 1.0;
          values[result] = combine(
              operands, {}, pointwise([sign](LinearPiece a, LinearPiece b) {
                return LinearPiece{a.slope + sign * b.slope,
                                   a.offset + sign * b.offset};
              }));
          return success();
        })
        .Case<arith::MulFOp>([&](Operation *) -> LogicalResult {
          if (failed(getOperands(op.getOperands())))
            return failure();
          if (!isConstant(operands[0]) && !isConstant(operands[1]))
            return fail("the body multiplies two non-constant values");
          values[result] = combine(
              operands, {}, pointwise([](LinearPiece a, LinearPiece b) {
                // One factor is constant: (a z + b) * c or c * (a z + b).
                if (a.isConstant())
                  return LinearPiece{a.offset * b.slope, a.offset * b.offset};
                return LinearPiece{b.offset * a.slope, b.offset * a.offset};
              }));
          return success();
        })
        .Case<arith::DivFOp>([&](Operation *) -> LogicalResult {
          if (failed(getOperands(op.getOperands())))
            return failure();
          if (!isConstant(operands[1]) || operands[1]->pieces[0].offset == 0.0)
            return fail("the body divides by a non-constant or zero value");
          double divisor = operands[1]->pieces[0].offset;
          values[result] = combine(
              operands, {}, pointwise([divisor](LinearPiece a, LinearPiece) {
                return LinearPiece{a.slope / divisor, a.offset / divisor};
              }));
          return success();
        })
        .Case<arith::TruncFOp, arith::ExtFOp>(
            [&](Operation *) -> LogicalResult {
              if (failed(getOperands(op.getOperands())))
                return failure();
              values[result] = *operands[0];
              return success();
            })
        .Case<arith::NegFOp>([&](Operation *) -> LogicalResult {
          if (failed(getOperands(op.getOperands())))
            return failure();
          PiecewiseLinearFunction negated = *operands[0];
          for (LinearPiece &piece : negated.pieces)
            piece = {-piece.slope, -piece.offset};
          values[result] = std::move(negated);
          return success();
        })
        .Case<arith::SelectOp>([&](arith::SelectOp select) -> LogicalResult {
          auto compare = select.getCondition().getDefiningOp<arith::CmpFOp>();
          if (!compare || compare->getBlock() != op.getBlock())
            return fail("the body selects on something other than a "
                        "floating-point comparison");
          if (failed(
                  getOperands({compare.getLhs(), compare.getRhs(),
                               select.getTrueValue(), select.getFalseValue()})))
            return failure();
          arith::CmpFPredicate predicate = compare.getPredicate();
          values[result] =
              combine(operands, {{0, 1}},
                      [predicate](ArrayRef<LinearPiece> lines, double s) {
                        bool taken =
                            evaluatePredicate(predicate, lines[0].evaluate(s),
                                              lines[1].evaluate(s));
                        return taken ? lines[2] : lines[3];
                      });
          return success();
        })
        .Default([&](Operation *other) {
          return fail("the body contains '" + other->getName().getStringRef() +
                      "', which is not piecewise linear");
        });
  }

  DenseMap<Value, PiecewiseLinearFunction> values;
  std::string *whyNot;
};
} // namespace

//===----------------------------------------------------------------------===//
// Matching
//===----------------------------------------------------------------------===//

/// The scalar value of a tensor operand that is the same for every element:
/// a splat constant, a fill with a constant, or a 0-d constant broadcast by
/// its indexing map.
static std::optional<double> getUniformValue(Value tensor) {
  DenseElementsAttr dense;
  if (matchPattern(tensor, m_Constant(&dense)) && dense.isSplat() &&
      isa<FloatType>(dense.getElementType()))
    return dense.getSplatValue<APFloat>().convertToDouble();
  if (auto fill = tensor.getDefiningOp<linalg::FillOp>()) {
    FloatAttr value;
    if (matchPattern(fill.getInputs()[0], m_Constant(&value)))
      return value.getValue().convertToDouble();
  }
  return std::nullopt;
}

/// Names the family of a piecewise-linear function: ReLU is (0, 0) then
/// (1, 0) with a break at 0; leaky ReLU is (k, 0) then (1, 0); clamp is the
/// constant lo, the identity on [lo, hi], then the constant hi.
/// Sets the family's convention for values at breakpoints (see
/// PiecewiseLinearFunction): clamp bounds belong to the identity piece.
static FailureOr<ActivationKind> classifyFamily(PiecewiseLinearFunction &f) {
  if (f.pieces.size() == 2 && f.breakpoints[0] == 0.0 &&
      f.pieces[1].isIdentity() && f.pieces[0].offset == 0.0)
    return f.pieces[0].slope == 0.0 ? ActivationKind::ReLU
                                    : ActivationKind::LeakyReLU;
  if (f.pieces.size() == 3 && f.pieces[1].isIdentity() &&
      f.pieces[0].isConstant() && f.pieces[2].isConstant() &&
      f.pieces[0].offset == f.breakpoints[0] &&
      f.pieces[2].offset == f.breakpoints[1]) {
    f.upperPieceAt = {true, false};
    return ActivationKind::Clamp;
  }
  return failure();
}

namespace {
/// A piecewise-linear function of one root value, computed by a set of
/// elementwise ops.
struct Composite {
  PiecewiseLinearFunction function;
  Value root;
  SmallVector<Operation *> ops;
};
} // namespace

/// How many elementwise ops deep an activation may be. Frontends split one
/// activation over a few ops (leaky ReLU in four generics, two deep); a
/// longer chain of elementwise ops (100,000 in a row are valid IR) is read
/// as several, so that matching each op costs a bounded amount of work and
/// stack instead of a walk down the whole chain.
static constexpr unsigned kMaxActivationDepth = 8;

static FailureOr<Composite>
evaluateComposite(Operation *op, std::string *whyNot, unsigned depth);

/// The function of an elementwise op's variable input: the input itself, or,
/// when it is computed by another elementwise piecewise-linear op within
/// kMaxActivationDepth, that op's composite (frontends split one activation
/// over several linalg ops, e.g. leaky ReLU as max(0, z) + k * min(0, z) in
/// four generics).
static Composite evaluateInput(Value input, unsigned depth) {
  if (Operation *producer = input.getDefiningOp();
      producer && depth <= kMaxActivationDepth) {
    FailureOr<Composite> inner = evaluateComposite(producer, nullptr, depth);
    if (succeeded(inner))
      return *inner;
  }
  return Composite{PiecewiseLinearFunction::identity(), input, {}};
}
/// The composite that `op` ends; `op` is at `depth` in the chain of ops the
/// match reads (1: the op matched).
static FailureOr<Composite>
evaluateComposite(Operation *op, std::string *whyNot, unsigned depth) {
  auto fail = [&](const Twine &reason) -> FailureOr<Composite> {
    if (whyNot)
      *whyNot = reason.str();
    return failure();
  };
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureTensorSemantics() ||
      op->getNumResults() != 1 || linalgOp.getNumDpsInits() != 1 ||
      linalgOp.getNumReductionLoops() != 0 || !linalgOp.getBlock())
    return failure();
  auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!resultType || !isa<FloatType>(resultType.getElementType()))
    return failure();

  OpOperand *init = linalgOp.getDpsInitOperand(0);
  AffineMap initMap = linalgOp.getMatchingIndexingMap(init);
  Block *body = linalgOp.getBlock();
  if (!body->getArgument(init->getOperandNumber()).use_empty())
    return fail("the body reads its output operand");

  BodyEvaluator evaluator(whyNot);
  Composite composite;
  for (OpOperand *operand : linalgOp.getDpsInputOperands()) {
    BlockArgument arg = linalgOp.getMatchingBlockArgument(operand);
    if (std::optional<double> uniform = getUniformValue(operand->get())) {
      evaluator.bind(arg, PiecewiseLinearFunction::constant(*uniform));
      continue;
    }
    if (linalgOp.getMatchingIndexingMap(operand) != initMap ||
        operand->get().getType() != resultType)
      return fail("the input is not elementwise with the result");
    Composite input = evaluateInput(operand->get(), depth + 1);
    if (composite.root && input.root != composite.root)
      return fail("more than one non-constant input");
    composite.root = input.root;
    llvm::append_range(composite.ops, input.ops);
    evaluator.bind(arg, std::move(input.function));
  }
  if (!composite.root)
    return failure();

  FailureOr<PiecewiseLinearFunction> function = evaluator.run(*body);
  if (failed(function))
    return failure();
  composite.function = std::move(*function);
  composite.ops.push_back(op);
  return composite;
}

FailureOr<PiecewiseLinearActivation>
PiecewiseLinearActivation::match(Operation *op, std::string *whyNot) {
  auto fail = [&](const Twine &reason) {
    if (whyNot)
      *whyNot = reason.str();
    return failure();
  };
  if (whyNot)
    whyNot->clear();
  FailureOr<Composite> composite = evaluateComposite(op, whyNot, /*depth=*/1);
  if (failed(composite))
    return failure();

  // Ops folded into the composite must not be read from outside it.
  SmallPtrSet<Operation *, 8> members(composite->ops.begin(),
                                      composite->ops.end());
  for (Operation *member : composite->ops)
    if (member != op)
      for (Operation *user : member->getUsers())
        if (!members.contains(user))
          return fail("an intermediate result of the activation has other "
                      "users");

  PiecewiseLinearActivation activation;
  activation.op = op;
  activation.input = composite->root;
  activation.ops.assign(composite->ops.begin(), composite->ops.end());
  activation.function = std::move(composite->function);
  FailureOr<ActivationKind> kind = classifyFamily(activation.function);
  if (failed(kind)) {
    // Affine bodies (one piece) are not activations; say nothing then.
    if (activation.function.pieces.size() > 1)
      return fail(llvm::formatv("piecewise-linear body with {0} pieces is not "
                                "a ReLU, leaky ReLU or clamp",
                                activation.function.pieces.size())
                      .str());
    return failure();
  }
  activation.kind = *kind;
  return activation;
}

SmallVector<PiecewiseLinearActivation>
lin::findPiecewiseLinearActivations(Operation *root) {
  // Walk backwards so that the last op of a composite claims the ops before
  // it; an op already claimed is not an activation of its own.
  SmallVector<Operation *> candidates;
  root->walk([&](linalg::LinalgOp op) { candidates.push_back(op); });
  DenseSet<Operation *> claimed;
  SmallVector<PiecewiseLinearActivation> found;
  for (Operation *op : llvm::reverse(candidates)) {
    if (claimed.contains(op))
      continue;
    FailureOr<PiecewiseLinearActivation> activation =
        PiecewiseLinearActivation::match(op);
    if (failed(activation))
      continue;
    claimed.insert(activation->getOperations().begin(),
                   activation->getOperations().end());
    found.push_back(std::move(*activation));
  }
  std::reverse(found.begin(), found.end());
  return found;
}
