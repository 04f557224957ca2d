//===- ChannelAffineFold.cpp - Fold batch norm into convolutions ----------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/ChannelAffineFold.h"
#include "lin/Analysis/ConvChain.h"
#include "lin/Analysis/PiecewiseLinearActivation.h"
#include "lin/Transforms/ConvFold.h"
#include "lin/Transforms/FoldEmission.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace lin;

namespace {

/// One per-channel affine step `x op k` (or `k op x`) of a chain value.
struct AffineStep {
  linalg::GenericOp op;
  /// The chain value the step reads (with the identity map).
  Value input;
  enum class Kind { Add, Sub, ReverseSub, Mul, Div } kind;
  /// The operand holding k per channel (or one scalar k): a tensor input of
  /// the generic, or a scalar constant defined outside its body.
  Value operand;
  /// Whether operand is a scalar constant (one k for every channel).
  std::optional<float> scalar;
};

/// Whether `map` reads a per-channel vector of an NCHW loop nest: every
/// result the constant 0 except at most one that is d1 (a [C, 1, 1] or [C]
/// tensor broadcast along batch and space, or a rank-0 tensor).
bool isPerChannelMap(AffineMap map) {
  unsigned channelResults = 0;
  for (AffineExpr expr : map.getResults()) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr); dim && dim.getPosition() == 1)
      ++channelResults;
    else if (auto constant = dyn_cast<AffineConstantExpr>(expr);
             !constant || constant.getValue() != 0)
      return false;
  }
  return channelResults <= 1;
}

/// The step `op` applies to chain value `input`, if it is one.
std::optional<AffineStep> matchAffineStep(linalg::GenericOp op, Value input) {
  if (op.getNumDpsInits() != 1 || op.getNumResults() != 1 ||
      op.getNumLoops() != 4 || op.getNumParallelLoops() != 4)
    return std::nullopt;
  Block &body = op.getRegion().front();
  if (body.getOperations().size() != 2 ||
      body.back().getOperand(0) != body.front().getResult(0))
    return std::nullopt;
  Operation &arith = body.front();
  if (!isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp>(arith))
    return std::nullopt;
  Value inputArg, otherArg;
  for (OpOperand *operand : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(operand);
    if (operand->get() == input) {
      if (!map.isIdentity() || inputArg)
        return std::nullopt;
      inputArg = op.getMatchingBlockArgument(operand);
    } else if (!isPerChannelMap(map)) {
      return std::nullopt;
    }
  }
  if (!inputArg)
    return std::nullopt;
  Value lhs = arith.getOperand(0), rhs = arith.getOperand(1);
  bool inputFirst = lhs == inputArg;
  Value other = inputFirst ? rhs : lhs;
  if (!inputFirst && rhs != inputArg)
    return std::nullopt;
  AffineStep step{op, input, AffineStep::Kind::Add, Value(), std::nullopt};
  if (auto arg = dyn_cast<BlockArgument>(other)) {
    if (arg.getOwner() != &body || arg == inputArg ||
        arg.getArgNumber() >= op.getNumDpsInputs())
      return std::nullopt;
    step.operand = op.getDpsInputs()[arg.getArgNumber()];
  } else if (other.getParentRegion() != &op.getRegion()) {
    step.scalar = getScalarConstant(other);
    if (!step.scalar)
      return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (isa<arith::AddFOp>(arith))
    step.kind = AffineStep::Kind::Add;
  else if (isa<arith::MulFOp>(arith))
    step.kind = AffineStep::Kind::Mul;
  else if (isa<arith::SubFOp>(arith))
    step.kind =
        inputFirst ? AffineStep::Kind::Sub : AffineStep::Kind::ReverseSub;
  else if (inputFirst)
    step.kind = AffineStep::Kind::Div;
  else
    return std::nullopt; // k / x is not affine.
  return step;
}

/// The convolution computing `value` through affine steps, and the steps in
/// program order; no convolution when the chain is something else.
std::pair<linalg::Conv2DNchwFchwOp, SmallVector<AffineStep>>
findAffineChain(Value value) {
  SmallVector<AffineStep> steps;
  while (auto generic = value.getDefiningOp<linalg::GenericOp>()) {
    std::optional<AffineStep> step;
    for (Value input : generic.getDpsInputs()) {
      if (isa<RankedTensorType>(input.getType()) && input.hasOneUse() &&
          input.getType() == value.getType())
        if ((step = matchAffineStep(generic, input)))
          break;
    }
    if (!step)
      return {};
    steps.push_back(*step);
    value = step->input;
  }
  auto conv = value.getDefiningOp<linalg::Conv2DNchwFchwOp>();
  if (!conv || steps.empty() || !conv.getResult(0).hasOneUse())
    return {};
  std::reverse(steps.begin(), steps.end());
  return {conv, std::move(steps)};
}

/// Whether `op`, an op the fold read a constant through, is dead: unused
/// and without effects, or a linalg op on tensors whose only effect is a
/// `cf.assert` (torch-mlir checks the batch norm's variance is not zero),
/// which held when its value was evaluated.
bool isDead(Operation *op) {
  if (isOpTriviallyDead(op))
    return true;
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && op->use_empty() && linalgOp.hasPureTensorSemantics();
}

/// Folds `steps` into `conv`; false with an error when a weight cannot be
/// read (nothing changes then).
LogicalResult foldChain(RewriterBase &rewriter, linalg::Conv2DNchwFchwOp conv,
                        ArrayRef<AffineStep> steps,
                        ConstantTensorEvaluator &constants) {
  int64_t channels =
      cast<RankedTensorType>(conv.getResult(0).getType()).getDimSize(1);
  // y = scale[f] x + shift[f], composed step by step.
  SmallVector<double> scale(channels, 1.0), shift(channels, 0.0);
  for (const AffineStep &step : steps) {
    Tensor values;
    if (!step.scalar) {
      FailureOr<Tensor> evaluated = constants.evaluateTensor(step.operand);
      if (failed(evaluated))
        return linalg::GenericOp(step.op).emitError(
            "linearity-fold: cannot read the per-channel "
            "constant of this op to fold it into the "
            "convolution");
      values = std::move(*evaluated);
    }
    for (int64_t f = 0; f < channels; ++f) {
      double k = step.scalar                    ? *step.scalar
                 : values.getNumElements() == 1 ? values.data()[0]
                                                : values.data()[f];
      switch (step.kind) {
      case AffineStep::Kind::Add:
        shift[f] += k;
        break;
      case AffineStep::Kind::Sub:
        shift[f] -= k;
        break;
      case AffineStep::Kind::ReverseSub:
        scale[f] = -scale[f];
        shift[f] = k - shift[f];
        break;
      case AffineStep::Kind::Mul:
        scale[f] *= k;
        shift[f] *= k;
        break;
      case AffineStep::Kind::Div:
        scale[f] /= k;
        shift[f] /= k;
        break;
      }
    }
  }
  FailureOr<Tensor> filter = constants.evaluateTensor(conv.getInputs()[1]);
  FailureOr<Tensor> bias = failure();
  if (succeeded(filter))
    bias = readBias(conv.getOutputs()[0], channels, constants);
  if (failed(filter) || failed(bias))
    return conv.emitError("linearity-fold: cannot read the weights of this "
                          "convolution to fold the batch norm after it");
  int64_t perChannel = filter->getNumElements() / channels;
  for (int64_t f = 0; f < channels; ++f) {
    float *row = filter->data() + f * perChannel;
    for (int64_t i = 0; i < perChannel; ++i)
      row[i] = float(scale[f] * row[i]);
    bias->data()[f] = float(scale[f] * bias->data()[f] + shift[f]);
  }

  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(conv);
  Location loc = conv.getLoc();
  Value oldFilter = conv.getInputs()[1], oldInit = conv.getOutputs()[0];
  Value newFilter = emitConstant(rewriter, loc, *filter);
  // The bias as torch-mlir writes it: broadcast into the init.
  Value empty = oldInit.getDefiningOp<linalg::BroadcastOp>()
                    ? oldInit.getDefiningOp<linalg::BroadcastOp>().getInit()
                    : oldInit.getDefiningOp<linalg::FillOp>().output();
  Value newInit = linalg::BroadcastOp::create(
                      rewriter, loc, emitConstant(rewriter, loc, *bias), empty,
                      ArrayRef<int64_t>{0, 2, 3})
                      .getResult()[0];
  rewriter.modifyOpInPlace(conv, [&] {
    conv->getOpOperand(1).set(newFilter);
    conv->getOpOperand(2).set(newInit);
  });
  rewriter.replaceAllUsesWith(steps.back().op->getResult(0), conv.getResult(0));
  // The steps, the old weights and what computed them are dead now.
  SmallVector<Operation *> worklist;
  for (const AffineStep &step : llvm::reverse(steps))
    worklist.push_back(linalg::GenericOp(step.op));
  for (Value old : {oldFilter, oldInit})
    if (Operation *op = old.getDefiningOp())
      worklist.push_back(op);
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (!isDead(op))
      continue;
    SmallVector<Operation *> producers;
    for (Value operand : op->getOperands())
      if (Operation *producer = operand.getDefiningOp())
        producers.push_back(producer);
    rewriter.eraseOp(op);
    llvm::append_range(worklist, producers);
  }
  return success();
}

} // namespace

FailureOr<int64_t>
lin::foldChannelAffineIntoConvolutions(RewriterBase &rewriter,
                                       func::FuncOp func,
                                       ConstantTensorEvaluator &constants) {
  int64_t folded = 0;
  for (PiecewiseLinearActivation &activation :
       findPiecewiseLinearActivations(func)) {
    if (!hasChannelProfile(activation.getOperation()))
      continue;
    // The batch norm's result must be read by the activation alone: any
    // other reader needs its values.
    Value input = activation.getInput();
    if (!llvm::all_of(input.getUsers(), [&](Operation *user) {
          return llvm::is_contained(activation.getOperations(), user);
        }))
      continue;
    auto [conv, steps] = findAffineChain(input);
    if (!conv || !whyNotRewritable(conv, constants).empty())
      continue;
    if (failed(foldChain(rewriter, conv, steps, constants)))
      return failure();
    folded += steps.size();
  }
  return folded;
}
