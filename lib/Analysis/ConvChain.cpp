//===- ConvChain.cpp - Channel chains of convolution layers ---------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Analysis/ConvChain.h"
#include "lin/Dialect/Lin/IR/LinDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <limits>
#include <sstream>

using namespace mlir;
using namespace lin;

bool lin::hasChannelProfile(Operation *op) {
  auto profile =
      op->getAttrOfType<ProfileAttr>(LinDialect::getProfileAttrName());
  if (!profile || op->getNumResults() != 1)
    return false;
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  return type && type.getRank() == 4 && profile.getNeuronDim(4) == 1;
}

std::optional<float> lin::getScalarConstant(Value value) {
  FloatAttr attr;
  if (matchPattern(value, m_Constant(&attr)))
    return float(attr.getValueAsDouble());
  DenseFPElementsAttr elements;
  if (matchPattern(value, m_Constant(&elements)) && elements.isSplat())
    return elements.getSplatValue<float>();
  return std::nullopt;
}

/// Whether `value` only gives a channel op its shape: a tensor.empty, or a
/// fill of one (`fillValue`, when given, is the required fill), rank 4 with
/// `channels` channels.
static bool isChannelDestination(Value value, int64_t channels,
                                 std::optional<float> fillValue = {}) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getRank() != 4 || type.getDimSize(1) != channels)
    return false;
  if (auto fill = value.getDefiningOp<linalg::FillOp>()) {
    std::optional<float> filled = getScalarConstant(fill.value());
    return filled && (!fillValue || *filled == *fillValue) &&
           fill.output().getDefiningOp<tensor::EmptyOp>();
  }
  return !fillValue && value.getDefiningOp<tensor::EmptyOp>();
}

/// Whether `value` is a constant the rewrite may replace: computable and
/// read by one op only (a weight shared with another op would stay, and
/// the replacement would add to the model).
static bool isOwnedConstant(Value value, ConstantTensorEvaluator &constants) {
  return value.hasOneUse() && constants.isConstantComputable(value);
}

/// Whether a convolution or matmul's init is a bias the rewrite can change:
/// a broadcast of an owned constant along every dimension but
/// `channelDim`, or a fill with zero.
static bool hasRewritableBias(Value init, int64_t channelDim,
                              ConstantTensorEvaluator &constants) {
  if (auto broadcast = init.getDefiningOp<linalg::BroadcastOp>()) {
    auto type = cast<RankedTensorType>(init.getType());
    SmallVector<int64_t> expected;
    for (int64_t dim = 0; dim < type.getRank(); ++dim)
      if (dim != channelDim)
        expected.push_back(dim);
    return init.hasOneUse() &&
           llvm::equal(broadcast.getDimensions(), expected) &&
           isOwnedConstant(broadcast.getInput(), constants) &&
           broadcast.getInit().getDefiningOp<tensor::EmptyOp>();
  }
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    std::optional<float> filled = getScalarConstant(fill.value());
    return init.hasOneUse() && filled && *filled == 0.0f &&
           fill.output().getDefiningOp<tensor::EmptyOp>();
  }
  return false;
}

std::string lin::whyNotRewritable(linalg::Conv2DNchwFchwOp conv,
                                  ConstantTensorEvaluator &constants) {
  if (!isOwnedConstant(conv.getInputs()[1], constants))
    return "the filter of 'linalg.conv_2d_nchw_fchw' is not a constant it "
           "alone reads";
  if (!hasRewritableBias(conv.getOutputs()[0], 1, constants))
    return "the init of 'linalg.conv_2d_nchw_fchw' is neither a broadcast "
           "bias constant nor a zero fill";
  return {};
}

/// The scale of an elementwise op `x * s` or `x / s` of a chain value, as
/// the factor it multiplies a constant channel with.
static std::optional<std::pair<bool, float>> getScaling(linalg::GenericOp op,
                                                        Value input) {
  if (op.getNumDpsInits() != 1 || op.getNumResults() != 1 ||
      op.getNumReductionLoops() != 0 || op.getNumLoops() != 4)
    return std::nullopt;
  Block &body = op.getRegion().front();
  if (body.getOperations().size() != 2)
    return std::nullopt;
  Operation &arith = body.front();
  if (!isa<arith::MulFOp, arith::DivFOp>(arith))
    return std::nullopt;
  // Identity map on the chain input; every other input a rank-0 constant.
  Value inputArg;
  for (OpOperand *operand : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(operand);
    BlockArgument arg = op.getMatchingBlockArgument(operand);
    if (operand->get() == input) {
      if (!map.isIdentity())
        return std::nullopt;
      inputArg = arg;
    } else if (map.getNumResults() != 0) {
      return std::nullopt;
    }
  }
  Value lhs = arith.getOperand(0), rhs = arith.getOperand(1), other;
  if (inputArg && lhs == inputArg)
    other = rhs;
  else if (inputArg && isa<arith::MulFOp>(arith) && rhs == inputArg)
    other = lhs;
  else
    return std::nullopt;
  if (body.back().getOperand(0) != arith.getResult(0))
    return std::nullopt;
  std::optional<float> scalar;
  if (auto arg = dyn_cast<BlockArgument>(other)) {
    if (arg.getOwner() != &body || arg.getArgNumber() >= op.getNumDpsInputs())
      return std::nullopt;
    scalar = getScalarConstant(op.getDpsInputs()[arg.getArgNumber()]);
  } else if (other.getParentRegion() != &op.getRegion()) {
    scalar = getScalarConstant(other);
  }
  if (!scalar)
    return std::nullopt;
  return std::make_pair(isa<arith::DivFOp>(arith), *scalar);
}

/// Whether every output window of max pooling `pool` over `pad`'s result
/// holds at least one position of the unpadded value, so that -inf padding
/// never wins the maximum.
static bool windowsMeetInterior(tensor::PadOp pad,
                                linalg::PoolingNchwMaxOp pool) {
  auto source = cast<RankedTensorType>(pad.getSource().getType());
  auto window = cast<RankedTensorType>(pool.getInputs()[1].getType());
  auto result = cast<RankedTensorType>(pool.getResult(0).getType());
  SmallVector<int64_t> strides(pool.getStrides().getValues<int64_t>());
  SmallVector<int64_t> dilations(pool.getDilations().getValues<int64_t>());
  for (unsigned spatial = 0; spatial < 2; ++spatial) {
    int64_t low = pad.getStaticLow()[2 + spatial];
    int64_t size = source.getDimSize(2 + spatial);
    int64_t kernel = window.getDimSize(spatial);
    if (ShapedType::isDynamic(size) || ShapedType::isDynamic(kernel) ||
        result.isDynamicDim(2 + spatial))
      return false;
    for (int64_t out = 0; out < result.getDimSize(2 + spatial); ++out) {
      bool meets = false;
      for (int64_t tap = 0; tap < kernel && !meets; ++tap) {
        int64_t at = out * strides[spatial] + tap * dilations[spatial];
        meets = at >= low && at < low + size;
      }
      if (!meets)
        return false;
    }
  }
  return true;
}

namespace {
/// Builds one ConvChannelLayer.
class ChainBuilder {
public:
  ChainBuilder(ConvChannelLayer &layer, ConstantTensorEvaluator &constants)
      : layer(layer), constants(constants) {}

  void build(double removeThreshold, double mergeThreshold);

private:
  /// Sets whyNot (the first reason wins) and returns false.
  bool decline(const std::string &why) {
    if (layer.whyNot.empty())
      layer.whyNot = why;
    return false;
  }
  bool findProducer();
  bool checkActivationOps();
  /// Classifies the users of chain value `value`.
  bool followUsers(Value value, llvm::SetVector<Value> &worklist);
  bool checkChannelOp(Operation *op, Value input);
  void computeFacts(double removeThreshold, double mergeThreshold);
  std::string whyNoMerge() const;
  /// The value a constant channel `c` has after channel op `op`, or why
  /// it is no longer a constant.
  std::optional<float> propagate(Operation *op, Value input, float c,
                                 std::string &why);

  ConvChannelLayer &layer;
  ConstantTensorEvaluator &constants;
};
} // namespace

bool ChainBuilder::findProducer() {
  auto conv =
      layer.activation.getInput().getDefiningOp<linalg::Conv2DNchwFchwOp>();
  if (!conv)
    return decline("its input is not computed by 'linalg.conv_2d_nchw_fchw'");
  layer.producer = conv;
  if (!conv.getResult(0).hasOneUse())
    return decline("the convolution's result has other users than the "
                   "activation");
  // The activation is elementwise: its channels are the convolution's.
  if (layer.channels != layer.profile.getNumNeurons())
    return decline(llvm::formatv("the profile describes {0} channels but the "
                                 "convolution computes {1}",
                                 layer.profile.getNumNeurons(), layer.channels)
                       .str());
  std::string why = whyNotRewritable(conv, constants);
  if (!why.empty())
    return decline(why);
  return true;
}

bool ChainBuilder::checkActivationOps() {
  ArrayRef<Operation *> ops = layer.activation.getOperations();
  llvm::SmallPtrSet<Operation *, 4> own(ops.begin(), ops.end());
  Value input = layer.activation.getInput();
  for (Operation *op : ops) {
    if (op->getBlock() != layer.producer->getBlock())
      return decline("the activation is not in the convolution's block");
    for (Value operand : op->getOperands()) {
      auto type = dyn_cast<RankedTensorType>(operand.getType());
      bool fromActivation =
          operand.getDefiningOp() && own.contains(operand.getDefiningOp());
      if (operand == input || fromActivation || !type || type.getRank() == 0 ||
          isChannelDestination(operand, layer.channels))
        continue;
      return decline("the activation reads a tensor other than its input "
                     "and rank-0 constants");
    }
    if (op != layer.activation.getOperation())
      for (Operation *user : op->getResult(0).getUsers())
        if (!own.contains(user))
          return decline("a partial result of the activation has other "
                         "users");
  }
  return true;
}

bool ChainBuilder::checkChannelOp(Operation *op, Value input) {
  for (Value operand : op->getOperands()) {
    auto type = dyn_cast<RankedTensorType>(operand.getType());
    if (operand == input || !type || type.getRank() != 4)
      continue;
    if (!isChannelDestination(operand, layer.channels))
      return decline(("'" + op->getName().getStringRef() +
                      "' reads another tensor with the channels")
                         .str());
  }
  return true;
}

bool ChainBuilder::followUsers(Value value, llvm::SetVector<Value> &worklist) {
  for (Operation *user : value.getUsers()) {
    std::string name = user->getName().getStringRef().str();
    if (user->getBlock() != layer.producer->getBlock())
      return decline("its value is used in another block, by '" + name + "'");
    if (auto pad = dyn_cast<tensor::PadOp>(user)) {
      bool spatialOnly =
          !ShapedType::isDynamicShape(pad.getStaticLow()) &&
          !ShapedType::isDynamicShape(pad.getStaticHigh()) &&
          pad.getStaticLow()[0] == 0 && pad.getStaticLow()[1] == 0 &&
          pad.getStaticHigh()[0] == 0 && pad.getStaticHigh()[1] == 0;
      if (!spatialOnly || !pad.getConstantPaddingValue() ||
          !getScalarConstant(pad.getConstantPaddingValue()))
        return decline("its value reaches a 'tensor.pad' that is not a "
                       "constant padding of height and width");
    } else if (auto pool = dyn_cast<linalg::PoolingNchwMaxOp>(user)) {
      if (pool.getInputs()[0] != value ||
          !isChannelDestination(pool.getOutputs()[0], layer.channels,
                                -std::numeric_limits<float>::infinity()))
        return decline("its value reaches a 'linalg.pooling_nchw_max' that "
                       "does not pool it from -inf");
    } else if (auto pool = dyn_cast<linalg::PoolingNchwSumOp>(user)) {
      if (pool.getInputs()[0] != value ||
          !isChannelDestination(pool.getOutputs()[0], layer.channels, 0.0f))
        return decline("its value reaches a 'linalg.pooling_nchw_sum' that "
                       "does not sum it from zero");
    } else if (auto generic = dyn_cast<linalg::GenericOp>(user)) {
      if (!getScaling(generic, value) ||
          !isChannelDestination(generic.getDpsInits()[0], layer.channels))
        return decline("its value reaches a 'linalg.generic' that is not a "
                       "multiplication or division by a scalar constant");
    } else if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(user)) {
      if (conv.getInputs()[0] != value)
        return decline("its value is a convolution's filter");
      std::string why = whyNotRewritable(conv, constants);
      if (!why.empty())
        return decline("a consumer's weights cannot be rewritten: " + why);
      layer.consumers.push_back({conv, value, {}});
      continue;
    } else if (auto flatten = dyn_cast<tensor::CollapseShapeOp>(user)) {
      SmallVector<ReassociationIndices> groups =
          flatten.getReassociationIndices();
      bool channelMajor =
          groups.size() == 2 && groups[0].size() == 1 && groups[1].size() == 3;
      auto matmul = flatten.getResult().hasOneUse()
                        ? dyn_cast<linalg::MatmulOp>(
                              *flatten.getResult().getUsers().begin())
                        : linalg::MatmulOp();
      if (!channelMajor || !matmul || flatten.getResultType().isDynamicDim(1) ||
          matmul.getInputs()[0] != flatten.getResult())
        return decline("its value is flattened into another op than a "
                       "matmul's left operand");
      // The weight [K x out] read directly or transposed from [out x K].
      Value weight = matmul.getInputs()[1];
      if (auto transpose = weight.getDefiningOp<linalg::TransposeOp>())
        weight = transpose.getInput();
      if (!matmul.getInputs()[1].hasOneUse() ||
          !isOwnedConstant(weight, constants) ||
          !isa<RankedTensorType>(weight.getType()) ||
          !matmul.getIndexingMapsArray()[1].isProjectedPermutation() ||
          matmul.hasUserDefinedMaps() ||
          !hasRewritableBias(matmul.getOutputs()[0], 1, constants))
        return decline("the matmul reading its flattened value has no "
                       "constant weight and bias it alone reads");
      layer.consumers.push_back({matmul, value, flatten});
      continue;
    } else {
      return decline("its value is used by '" + name +
                     "', which the conv fold does not look through");
    }
    if (!checkChannelOp(user, value))
      return false;
    layer.between.push_back(user);
    worklist.insert(user->getResult(0));
  }
  return true;
}

std::optional<float> ChainBuilder::propagate(Operation *op, Value input,
                                             float c, std::string &why) {
  if (auto pad = dyn_cast<tensor::PadOp>(op)) {
    float padding = *getScalarConstant(pad.getConstantPaddingValue());
    bool padsNothing =
        llvm::all_of(pad.getStaticLow(), [](int64_t n) { return n == 0; }) &&
        llvm::all_of(pad.getStaticHigh(), [](int64_t n) { return n == 0; });
    if (padsNothing || padding == c)
      return c;
    // -inf padding only read by max pooling whose windows all hold a real
    // position: the maximum is c everywhere.
    if (padding == -std::numeric_limits<float>::infinity() &&
        llvm::all_of(pad.getResult().getUsers(), [&](Operation *user) {
          auto pool = dyn_cast<linalg::PoolingNchwMaxOp>(user);
          return pool && windowsMeetInterior(pad, pool);
        }))
      return c;
    std::ostringstream text;
    text << "its constant " << c << " meets the padding value " << padding
         << " of 'tensor.pad', so the border differs";
    why = text.str();
    return std::nullopt;
  }
  if (isa<linalg::PoolingNchwMaxOp>(op))
    return c;
  if (auto pool = dyn_cast<linalg::PoolingNchwSumOp>(op)) {
    auto window = cast<RankedTensorType>(pool.getInputs()[1].getType());
    return c * float(window.getNumElements());
  }
  auto generic = cast<linalg::GenericOp>(op);
  auto [divides, scalar] = *getScaling(generic, input);
  return divides ? c / scalar : c * scalar;
}

void ChainBuilder::computeFacts(double removeThreshold, double mergeThreshold) {
  const PiecewiseLinearActivation &activation = layer.activation;
  int64_t samples = layer.profile.getSamples();
  layer.facts.resize(layer.channels);
  // The value state of each chain value: per channel, its constant or why
  // it has none.
  struct State {
    std::optional<float> constant;
    std::string why;
  };
  DenseMap<Value, SmallVector<State>> states;
  SmallVector<State> start(layer.channels);
  for (int64_t channel = 0; channel < layer.channels; ++channel) {
    ChannelFact &fact = layer.facts[channel];
    for (unsigned piece = 0; piece < activation.getNumPieces(); ++piece) {
      double share =
          samples ? double(layer.profile.getCount(piece, channel)) / samples
                  : 0.0;
      const LinearPiece &linear = activation.getPiece(piece);
      if (linear.isConstant() && share >= removeThreshold && samples)
        start[channel].constant = float(linear.offset);
      if (linear.isIdentity() && share >= mergeThreshold && samples)
        fact.identity = true;
    }
  }
  states[activation.getResult()] = start;
  for (Operation *op : layer.between) {
    Value input = *llvm::find_if(op->getOperands(),
                                 [&](Value v) { return states.count(v); });
    SmallVector<State> next = states[input];
    for (State &state : next)
      if (state.constant)
        state.constant = propagate(op, input, *state.constant, state.why);
    states[op->getResult(0)] = std::move(next);
  }
  for (int64_t channel = 0; channel < layer.channels; ++channel) {
    ChannelFact &fact = layer.facts[channel];
    if (!start[channel].constant)
      continue;
    fact.removable = true;
    for (const ChannelConsumer &consumer : layer.consumers) {
      State state = states.lookup(consumer.input)[channel];
      if (!state.constant) {
        fact.removable = false;
        fact.whyKept = state.why;
        fact.constantAtConsumers.clear();
        break;
      }
      fact.constantAtConsumers.push_back(*state.constant);
    }
  }
}

void ChainBuilder::build(double removeThreshold, double mergeThreshold) {
  if (!findProducer() || !checkActivationOps())
    return;
  llvm::SetVector<Value> worklist;
  worklist.insert(layer.activation.getResult());
  for (unsigned next = 0; next < worklist.size(); ++next)
    if (!followUsers(worklist[next], worklist))
      return;
  if (layer.consumers.empty())
    return (void)decline("no convolution or flattening matmul reads its "
                         "value");
  // A value reached on two paths (a fork joined again) is one op.
  llvm::sort(layer.between,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  layer.between.erase(llvm::unique(layer.between), layer.between.end());
  computeFacts(removeThreshold, mergeThreshold);
  layer.whyNoMerge = whyNoMerge();
}

std::string ChainBuilder::whyNoMerge() const {
  if (layer.consumers.size() != 1 || layer.consumers[0].flatten)
    return "merging needs exactly one convolution reading the value";
  if (!layer.between.empty())
    return ("'" + layer.between.front()->getName().getStringRef() +
            "' lies between the activation and the convolution, so the "
            "composed kernel would not be exact")
        .str();
  auto consumer = cast<linalg::Conv2DNchwFchwOp>(layer.consumers[0].op);
  auto isOne = [](DenseIntElementsAttr values) {
    return llvm::all_of(values.getValues<int64_t>(),
                        [](int64_t v) { return v == 1; });
  };
  if (!isOne(layer.producer.getDilations()) || !isOne(consumer.getDilations()))
    return "merging needs convolutions without dilation";
  return {};
}

ConvChainAnalysis ConvChainAnalysis::build(func::FuncOp func,
                                           ConstantTensorEvaluator &constants,
                                           double removeThreshold,
                                           double mergeThreshold) {
  ConvChainAnalysis analysis;
  for (PiecewiseLinearActivation &activation :
       findPiecewiseLinearActivations(func)) {
    Operation *op = activation.getOperation();
    if (!hasChannelProfile(op))
      continue;
    ConvChannelLayer layer;
    layer.profile =
        op->getAttrOfType<ProfileAttr>(LinDialect::getProfileAttrName());
    layer.activation = std::move(activation);
    // The activation's channels, also for a layer declined before its
    // convolution is found.
    layer.channels =
        cast<RankedTensorType>(op->getResult(0).getType()).getDimSize(1);
    if (layer.activation.getKind() != layer.profile.getKind())
      layer.whyNot = ("the profile is for '" +
                      stringifyActivationKind(layer.profile.getKind()) +
                      "' but the op computes '" +
                      stringifyActivationKind(layer.activation.getKind()) + "'")
                         .str();
    else
      ChainBuilder(layer, constants).build(removeThreshold, mergeThreshold);
    analysis.layers.push_back(std::move(layer));
  }
  return analysis;
}
