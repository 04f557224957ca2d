//===- ConvFold.cpp - Remove constant channels of convolutions ------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/ConvFold.h"
#include "lin/Analysis/LayerNames.h"
#include "lin/Analysis/WeightCount.h"
#include "lin/Dialect/Lin/IR/ActivationProfile.h"
#include "lin/Dialect/Lin/IR/LinDialect.h"
#include "lin/Transforms/FoldAlignment.h"
#include "lin/Transforms/FoldEmission.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace lin;

namespace {

/// What the fold changes in one convolution or matmul: the output channels
/// it loses as a producer, the input channels (or flattened channel rows) it
/// loses as a consumer, and what moves into its bias.
struct WeightEdit {
  /// The weights as read before the fold: a conv filter [O x C x kh x kw] or
  /// a matmul weight [K x out]; the bias [O] (zeros without one).
  Tensor weight, bias;
  llvm::SmallVector<bool> removedOut, removedIn;
  /// Rows of a matmul weight per input channel (H x W of the flattened
  /// value); 1 for a convolution.
  int64_t rowsPerChannel = 1;
  llvm::SmallVector<double> biasDelta;
  bool hasBiasDelta = false;
};

/// Identity channels J of a producer -> activation -> consumer chain merged
/// into one convolution of the producer's input:
///   K[o, c, t2 * s1 + t1] = sum_{j in J} W2[o, j, t2] W1[j, c, t1]
/// (per spatial dimension; s1 the producer's stride), of stride s1 * s2.
/// The consumer's output position p reads the activation at p * s2 + t2,
/// which the producer computed from input p * s1 * s2 + t2 * s1 + t1: the
/// same input positions K reads, so the composition is exact when nothing
/// (padding) lies between.
struct SkipConvolution {
  linalg::Conv2DNchwFchwOp producer, consumer;
  SmallVector<int64_t> channels;

  SmallVector<int64_t, 2> getStrides(linalg::Conv2DNchwFchwOp conv) const {
    return SmallVector<int64_t, 2>(conv.getStrides().getValues<int64_t>());
  }
  /// The composed kernel's height and width: k1 + s1 * (k2 - 1).
  std::pair<int64_t, int64_t> getKernelSize(ArrayRef<int64_t> first,
                                            ArrayRef<int64_t> second) const {
    SmallVector<int64_t, 2> s1 = getStrides(producer);
    return {first[2] + s1[0] * (second[2] - 1),
            first[3] + s1[1] * (second[3] - 1)};
  }
};

/// The kept indices of a removal mask.
SmallVector<int64_t> getKept(ArrayRef<bool> removed) {
  SmallVector<int64_t> kept;
  for (auto [index, gone] : llvm::enumerate(removed))
    if (!gone)
      kept.push_back(index);
  return kept;
}

/// `type` with `size` at dimension `dim`.
RankedTensorType withDimSize(Type type, unsigned dim, int64_t size) {
  auto ranked = cast<RankedTensorType>(type);
  SmallVector<int64_t> shape(ranked.getShape());
  shape[dim] = size;
  return ranked.clone(shape);
}

/// A tensor.empty like `like` (a tensor.empty) with `size` at `dim`.
Value emitEmptyLike(OpBuilder &builder, tensor::EmptyOp like, unsigned dim,
                    int64_t size) {
  RankedTensorType type = withDimSize(like.getType(), dim, size);
  return tensor::EmptyOp::create(builder, like.getLoc(), type.getShape(),
                                 type.getElementType(), like.getDynamicSizes());
}

/// The weights a convolution stores: its filter, and its bias when it has
/// one (a broadcast init).
int64_t countConvWeights(linalg::Conv2DNchwFchwOp conv) {
  int64_t count =
      cast<ShapedType>(conv.getInputs()[1].getType()).getNumElements();
  if (conv.getOutputs()[0].getDefiningOp<linalg::BroadcastOp>())
    count += cast<ShapedType>(conv.getResult(0).getType()).getDimSize(1);
  return count;
}

class ConvChannelRewriter {
public:
  ConvChannelRewriter(RewriterBase &rewriter,
                      ConstantTensorEvaluator &constants, int64_t alignment)
      : rewriter(rewriter), constants(constants), alignment(alignment) {}

  /// Decides the channels of every layer and reads the weights; nothing
  /// changes yet.
  LogicalResult plan(const ConvChainAnalysis &chains, ConvFoldResult &result);
  /// Decides which identity channels merge into skip convolutions (after
  /// every removal is planned: a merge reads the biases they change).
  LogicalResult planMerges(const ConvChainAnalysis &chains,
                           ConvFoldResult &result);
  /// Rewrites what plan decided.
  void apply(const ConvChainAnalysis &chains, ConvFoldResult &result);

private:
  /// The input (output) channels convolution `conv` keeps as planned so far.
  int64_t getNumKept(linalg::Conv2DNchwFchwOp conv, bool inputs) const {
    auto it = edits.find(conv);
    if (it != edits.end())
      return llvm::count(inputs ? it->second.removedIn : it->second.removedOut,
                         false);
    return cast<ShapedType>(conv.getInputs()[1].getType())
        .getDimSize(inputs ? 1 : 0);
  }
  /// The edit of `op`, reading its weights on first use. The pointer holds
  /// until the next call.
  FailureOr<WeightEdit *> getEdit(Operation *op);
  void rewriteConv(linalg::Conv2DNchwFchwOp conv, WeightEdit &edit);
  /// Emits `skip` before its consumer, accumulating into the consumer's
  /// init; returns the kernel's weights.
  int64_t emitSkip(SkipConvolution &skip);
  void rewriteMatmul(linalg::MatmulOp matmul, WeightEdit &edit);
  void narrowChain(const ConvChannelLayer &layer, int64_t channels);
  /// Replaces operand `operand` and remembers the old value's producer for
  /// the clean-up.
  void replaceOperand(OpOperand &operand, Value value);
  /// A bias init for `init`'s op with `bias` (or a zero fill when
  /// `needsBias` is false), with `channels` along `channelDim`.
  Value emitBiasInit(Operation *before, Value init, unsigned channelDim,
                     int64_t channels, const Tensor &bias, bool needsBias);

  /// The channel count `kept` of `layer` rounds up to (FoldAlignment.h):
  /// its producer's filter rows are the kept inputs times the taps.
  int64_t getAlignedChannels(const ConvChannelLayer &layer,
                             int64_t kept) const {
    linalg::Conv2DNchwFchwOp producer = layer.producer;
    auto filter = cast<ShapedType>(producer.getInputs()[1].getType());
    int64_t inputs = getNumKept(producer, /*inputs=*/true) *
                     filter.getDimSize(2) * filter.getDimSize(3);
    return getFoldAlignedWidth(kept, layer.channels, inputs, alignment);
  }

  RewriterBase &rewriter;
  ConstantTensorEvaluator &constants;
  /// The fold's `align`: IREE runs a convolution of an odd channel count
  /// (63, 115) slower than the original's 64 and 128, so the fold keeps
  /// removable channels until the count is a multiple again. Keeping a
  /// constant channel is exact and costs what a zero channel padded in
  /// would, so nothing is padded.
  int64_t alignment;
  llvm::MapVector<Operation *, WeightEdit> edits;
  /// Per layer, the channels that leave it, removed or merged (empty for a
  /// layer the fold declines).
  SmallVector<SmallVector<bool>> removed;
  SmallVector<Operation *> replaced;
  SmallVector<SkipConvolution> skips;
};

} // namespace

FailureOr<WeightEdit *> ConvChannelRewriter::getEdit(Operation *op) {
  auto [it, inserted] = edits.try_emplace(op);
  WeightEdit &edit = it->second;
  if (!inserted)
    return &edit;
  Value weight = op->getOperand(1);
  FailureOr<Tensor> weights = constants.evaluateTensor(weight);
  if (failed(weights))
    return op->emitError("linearity-fold: cannot read the weights of this "
                         "op to remove its constant channels");
  int64_t outputs = isa<linalg::MatmulOp>(op) ? weights->getDimSize(1)
                                              : weights->getDimSize(0);
  FailureOr<Tensor> bias =
      lin::readBias(cast<DestinationStyleOpInterface>(op).getDpsInits()[0],
                    outputs, constants);
  if (failed(bias))
    return op->emitError("linearity-fold: cannot read the bias of this op "
                         "to remove its constant channels");
  edit.weight = std::move(*weights);
  edit.bias = std::move(*bias);
  edit.removedOut.assign(outputs, false);
  int64_t inputs = isa<linalg::MatmulOp>(op) ? edit.weight.getDimSize(0)
                                             : edit.weight.getDimSize(1);
  edit.removedIn.assign(inputs, false);
  edit.biasDelta.assign(outputs, 0.0);
  return &edit;
}

LogicalResult ConvChannelRewriter::plan(const ConvChainAnalysis &chains,
                                        ConvFoldResult &result) {
  removed.resize(chains.layers.size());
  // Named like the dense layers (after the convolution's module); the
  // fallback `<kind>_<index>` gets a `conv_` prefix so that it cannot be
  // taken for a dense layer's in the same report.
  SmallVector<ActivationToName> toName;
  for (const ConvChannelLayer &layer : chains.layers)
    toName.push_back({layer.activation.getOperation(),
                      layer.producer ? layer.producer->getResult(0)
                                     : layer.activation.getInput(),
                      layer.activation.getKind()});
  SmallVector<std::string> names = nameActivations(toName);
  for (auto [index, layer] : llvm::enumerate(chains.layers)) {
    Operation *activation = layer.activation.getOperation();
    LayerFoldResult &row = result.layers.emplace_back();
    row.name = names[index];
    if (row.name ==
        llvm::formatv("{0}_{1}",
                      stringifyActivationKind(layer.activation.getKind()),
                      index)
            .str())
      row.name = "conv_" + row.name;
    row.neurons = row.kept = row.emittedWidth = layer.channels;
    if (layer.producer)
      row.paramsBefore = row.paramsAfter = countConvWeights(layer.producer);
    if (!layer.isFoldable()) {
      row.whyNotFolded = layer.whyNot;
      result.remarks.push_back(
          {activation, "layer " + row.name + " not folded: " + layer.whyNot});
      continue;
    }
    SmallVector<bool> gone(layer.channels, false);
    int64_t numRemoved = 0;
    std::string whyKept;
    int64_t numKeptConstant = 0;
    for (auto [channel, fact] : llvm::enumerate(layer.facts)) {
      gone[channel] = fact.removable;
      numRemoved += fact.removable;
      if (!fact.whyKept.empty()) {
        ++numKeptConstant;
        if (whyKept.empty())
          whyKept = fact.whyKept;
      }
    }
    if (numRemoved == layer.channels) {
      // A convolution of no channels is no model: one stays.
      gone[0] = false;
      --numRemoved;
      result.remarks.push_back(
          {activation, "channel 0 is kept although constant: every channel "
                       "is, and a convolution needs one"});
    }
    if (numKeptConstant)
      result.remarks.push_back(
          {activation, llvm::formatv("{0} constant channel(s) kept: {1}",
                                     numKeptConstant, whyKept)
                           .str()});
    int64_t kept = layer.channels - numRemoved;
    int64_t alignedKept = getAlignedChannels(layer, kept);
    if (alignedKept > kept) {
      result.remarks.push_back(
          {activation,
           llvm::formatv("{0} constant channel(s) kept: {1} channels are a "
                         "multiple of align={2}",
                         alignedKept - kept, alignedKept, alignment)
               .str()});
      // The last removable channels stay.
      for (int64_t channel = layer.channels - 1; kept < alignedKept;
           --channel) {
        if (!gone[channel])
          continue;
        gone[channel] = false;
        --numRemoved;
        ++kept;
      }
    }
    removed[index] = gone;
    if (numRemoved == 0)
      continue;

    // The producer loses output channels; each consumer input channels and
    // gains the constants' contribution.
    FailureOr<WeightEdit *> producer = getEdit(layer.producer);
    if (failed(producer))
      return failure();
    (*producer)->removedOut = gone;
    for (auto [consumerIndex, consumer] : llvm::enumerate(layer.consumers)) {
      FailureOr<WeightEdit *> found = getEdit(consumer.op);
      if (failed(found))
        return failure();
      WeightEdit &edit = **found;
      bool isMatmul = isa<linalg::MatmulOp>(consumer.op);
      if (isMatmul) {
        // A matmul reads one flattened value: its rows are that value's
        // channels times their positions.
        edit.rowsPerChannel = edit.weight.getDimSize(0) / layer.channels;
        edit.removedIn.assign(layer.channels, false);
      }
      const float *weight = edit.weight.data();
      int64_t outputs = edit.biasDelta.size();
      for (int64_t channel = 0; channel < layer.channels; ++channel) {
        if (!gone[channel])
          continue;
        edit.removedIn[channel] = true;
        float constant =
            layer.facts[channel].constantAtConsumers[consumerIndex];
        if (constant == 0.0f)
          continue;
        edit.hasBiasDelta = true;
        for (int64_t out = 0; out < outputs; ++out) {
          double sum = 0.0;
          if (isMatmul) {
            for (int64_t row = 0; row < edit.rowsPerChannel; ++row)
              sum +=
                  weight[(channel * edit.rowsPerChannel + row) * outputs + out];
          } else {
            int64_t taps =
                edit.weight.getDimSize(2) * edit.weight.getDimSize(3);
            const float *filter =
                weight + (out * layer.channels + channel) * taps;
            for (int64_t tap = 0; tap < taps; ++tap)
              sum += filter[tap];
          }
          edit.biasDelta[out] += double(constant) * sum;
        }
      }
    }
    row.removed = numRemoved;
    row.kept = row.emittedWidth = layer.channels - numRemoved;
  }
  return planMerges(chains, result);
}

LogicalResult ConvChannelRewriter::planMerges(const ConvChainAnalysis &chains,
                                              ConvFoldResult &result) {
  // In program order: a merge narrows the producer's outputs and the
  // consumer's inputs, and a later layer's merge only shrinks a skip
  // decided here, which keeps it paying (see the file comment).
  for (auto [index, layer] : llvm::enumerate(chains.layers)) {
    if (!layer.isFoldable())
      continue;
    SmallVector<bool> &gone = removed[index];
    SmallVector<int64_t> identity;
    for (auto [channel, fact] : llvm::enumerate(layer.facts))
      if (fact.identity && !gone[channel])
        identity.push_back(channel);
    Operation *activation = layer.activation.getOperation();
    // A convolution of no channels is no model: one stays.
    if (!identity.empty() &&
        int64_t(llvm::count(gone, true) + identity.size()) == layer.channels) {
      result.remarks.push_back(
          {activation,
           llvm::formatv("channel {0} is kept although always in the "
                         "identity piece: every other channel leaves, and a "
                         "convolution needs one",
                         identity.front())
               .str()});
      identity.erase(identity.begin());
    }
    // Merging leaves a channel count align rounds up: the last identity
    // channels stay until it is a multiple again.
    int64_t keptBefore = layer.channels - llvm::count(gone, true);
    int64_t unaligned = keptBefore - int64_t(identity.size());
    int64_t restored = std::min<int64_t>(
        getAlignedChannels(layer, unaligned) - unaligned, identity.size());
    if (restored > 0) {
      result.remarks.push_back(
          {activation,
           llvm::formatv("{0} channel(s) always in the identity piece kept: "
                         "{1} channels are a multiple of align={2}",
                         restored, unaligned + restored, alignment)
               .str()});
      identity.resize(identity.size() - restored);
    }
    if (identity.empty())
      continue;
    auto keptReason = [&](const std::string &why) {
      result.remarks.push_back(
          {activation, llvm::formatv("{0} channel(s) always in the identity "
                                     "piece kept: {1}",
                                     identity.size(), why)
                           .str()});
    };
    if (!layer.whyNoMerge.empty()) {
      keptReason(layer.whyNoMerge);
      continue;
    }
    auto consumer = cast<linalg::Conv2DNchwFchwOp>(layer.consumers[0].op);
    linalg::Conv2DNchwFchwOp producer = layer.producer;
    SkipConvolution skip{producer, consumer, identity};
    auto k1 = cast<ShapedType>(producer.getInputs()[1].getType());
    auto k2 = cast<ShapedType>(consumer.getInputs()[1].getType());
    auto [kh, kw] = skip.getKernelSize(k1.getShape(), k2.getShape());
    int64_t inputs = getNumKept(producer, /*inputs=*/true);
    int64_t outputs = getNumKept(consumer, /*inputs=*/false);
    int64_t merged = identity.size();
    int64_t freed =
        merged * (inputs * k1.getDimSize(2) * k1.getDimSize(3) + 1) +
        outputs * merged * k2.getDimSize(2) * k2.getDimSize(3);
    int64_t added = outputs * inputs * kh * kw;
    if (added >= freed) {
      keptReason(llvm::formatv("a skip convolution of {0} weights would "
                               "free only {1}",
                               added, freed)
                     .str());
      continue;
    }
    // Both read first: reading one may move the other (a MapVector).
    if (failed(getEdit(producer)) || failed(getEdit(consumer)))
      return failure();
    WeightEdit &first = edits.find(producer)->second;
    WeightEdit &second = edits.find(consumer)->second;
    // The identity channels' bias passes through linearly.
    ArrayRef<int64_t> shape = second.weight.getShape();
    int64_t taps = shape[2] * shape[3];
    for (int64_t channel : identity) {
      gone[channel] = true;
      first.removedOut[channel] = true;
      second.removedIn[channel] = true;
      double bias = first.bias.data()[channel] + first.biasDelta[channel];
      if (bias == 0.0)
        continue;
      second.hasBiasDelta = true;
      for (int64_t out = 0; out < shape[0]; ++out) {
        const float *filter =
            second.weight.data() + (out * shape[1] + channel) * taps;
        double sum = 0.0;
        for (int64_t tap = 0; tap < taps; ++tap)
          sum += filter[tap];
        second.biasDelta[out] += bias * sum;
      }
    }
    skips.push_back(std::move(skip));
    LayerFoldResult &row = result.layers[index];
    row.merged = merged;
    row.kept = row.emittedWidth = row.kept - merged;
  }
  return success();
}

void ConvChannelRewriter::replaceOperand(OpOperand &operand, Value value) {
  if (Operation *old = operand.get().getDefiningOp())
    replaced.push_back(old);
  rewriter.modifyOpInPlace(operand.getOwner(), [&] { operand.set(value); });
}

Value ConvChannelRewriter::emitBiasInit(Operation *before, Value init,
                                        unsigned channelDim, int64_t channels,
                                        const Tensor &bias, bool needsBias) {
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(before);
  Location loc = before->getLoc();
  auto broadcast = init.getDefiningOp<linalg::BroadcastOp>();
  auto fill = init.getDefiningOp<linalg::FillOp>();
  auto empty = (broadcast ? broadcast.getInit() : fill.output())
                   .getDefiningOp<tensor::EmptyOp>();
  Value shape = emitEmptyLike(rewriter, empty, channelDim, channels);
  if (!broadcast && !needsBias)
    return linalg::FillOp::create(rewriter, loc, fill.value(), shape)
        .getResult(0);
  SmallVector<int64_t> dimensions;
  for (int64_t dim = 0; dim < cast<ShapedType>(shape.getType()).getRank();
       ++dim)
    if (dim != channelDim)
      dimensions.push_back(dim);
  Value constant = emitConstant(rewriter, loc, bias);
  return linalg::BroadcastOp::create(rewriter, loc, constant, shape, dimensions)
      .getResult()[0];
}

void ConvChannelRewriter::rewriteConv(linalg::Conv2DNchwFchwOp conv,
                                      WeightEdit &edit) {
  SmallVector<int64_t> keptOut = getKept(edit.removedOut);
  SmallVector<int64_t> keptIn = getKept(edit.removedIn);
  ArrayRef<int64_t> shape = edit.weight.getShape();
  int64_t taps = shape[2] * shape[3];
  Tensor filter(
      {int64_t(keptOut.size()), int64_t(keptIn.size()), shape[2], shape[3]});
  Tensor bias(ArrayRef<int64_t>{int64_t(keptOut.size())});
  for (auto [o, out] : llvm::enumerate(keptOut)) {
    bias.data()[o] = float(edit.bias.data()[out] + edit.biasDelta[out]);
    for (auto [i, in] : llvm::enumerate(keptIn))
      std::copy_n(edit.weight.data() + (out * shape[1] + in) * taps, taps,
                  filter.data() + (o * keptIn.size() + i) * taps);
  }
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(conv);
  replaceOperand(conv->getOpOperand(1),
                 emitConstant(rewriter, conv.getLoc(), filter));
  if (int64_t(keptOut.size()) != shape[0] || edit.hasBiasDelta)
    replaceOperand(conv->getOpOperand(2),
                   emitBiasInit(conv, conv.getOutputs()[0], 1, keptOut.size(),
                                bias, edit.hasBiasDelta));
  rewriter.modifyOpInPlace(conv, [&] {
    conv.getResult(0).setType(
        withDimSize(conv.getResult(0).getType(), 1, keptOut.size()));
  });
}

void ConvChannelRewriter::rewriteMatmul(linalg::MatmulOp matmul,
                                        WeightEdit &edit) {
  int64_t outputs = edit.weight.getDimSize(1);
  SmallVector<int64_t> keptRows;
  for (auto [channel, gone] : llvm::enumerate(edit.removedIn))
    if (!gone)
      for (int64_t row = 0; row < edit.rowsPerChannel; ++row)
        keptRows.push_back(channel * edit.rowsPerChannel + row);
  Value weightValue = matmul.getInputs()[1];
  auto transpose = weightValue.getDefiningOp<linalg::TransposeOp>();
  int64_t rows = keptRows.size();
  Tensor weight(transpose ? ArrayRef<int64_t>{outputs, rows}
                          : ArrayRef<int64_t>{rows, outputs});
  for (auto [r, row] : llvm::enumerate(keptRows))
    for (int64_t out = 0; out < outputs; ++out)
      weight.data()[transpose ? out * rows + r : r * outputs + out] =
          edit.weight.data()[row * outputs + out];
  Tensor bias(ArrayRef<int64_t>{outputs});
  for (int64_t out = 0; out < outputs; ++out)
    bias.data()[out] = float(edit.bias.data()[out] + edit.biasDelta[out]);

  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(matmul);
  Location loc = matmul.getLoc();
  Value newWeight = emitConstant(rewriter, loc, weight);
  if (transpose) {
    auto empty = transpose.getInit().getDefiningOp<tensor::EmptyOp>();
    Value init = empty ? emitEmptyLike(rewriter, empty, 0, rows)
                       : tensor::EmptyOp::create(rewriter, loc, {rows, outputs},
                                                 rewriter.getF32Type())
                             .getResult();
    newWeight = linalg::TransposeOp::create(rewriter, loc, newWeight, init,
                                            transpose.getPermutation())
                    .getResult()[0];
  }
  replaceOperand(matmul->getOpOperand(1), newWeight);
  if (edit.hasBiasDelta ||
      matmul.getOutputs()[0].getDefiningOp<linalg::BroadcastOp>())
    replaceOperand(matmul->getOpOperand(2),
                   emitBiasInit(matmul, matmul.getOutputs()[0], 1, outputs,
                                bias, /*needsBias=*/true));
}

void ConvChannelRewriter::narrowChain(const ConvChannelLayer &layer,
                                      int64_t channels) {
  SmallVector<Operation *> ops(layer.activation.getOperations());
  llvm::append_range(ops, layer.between);
  for (Operation *op : ops) {
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(op);
    for (OpOperand &operand : op->getOpOperands()) {
      Value value = operand.get();
      if (auto empty = value.getDefiningOp<tensor::EmptyOp>()) {
        if (empty.getType().getRank() == 4 &&
            empty.getType().getDimSize(1) == layer.channels)
          replaceOperand(operand, emitEmptyLike(rewriter, empty, 1, channels));
      } else if (auto fill = value.getDefiningOp<linalg::FillOp>()) {
        auto empty = fill.output().getDefiningOp<tensor::EmptyOp>();
        if (empty && empty.getType().getRank() == 4 &&
            empty.getType().getDimSize(1) == layer.channels)
          replaceOperand(operand,
                         linalg::FillOp::create(
                             rewriter, fill.getLoc(), fill.value(),
                             emitEmptyLike(rewriter, empty, 1, channels))
                             .getResult(0));
      }
    }
    rewriter.modifyOpInPlace(op, [&] {
      for (OpResult result : op->getResults())
        result.setType(withDimSize(result.getType(), 1, channels));
    });
  }
  for (const ChannelConsumer &consumer : layer.consumers) {
    if (!consumer.flatten)
      continue;
    tensor::CollapseShapeOp flatten = consumer.flatten;
    RankedTensorType type = flatten.getResultType();
    int64_t positions = type.getDimSize(1) / layer.channels;
    rewriter.modifyOpInPlace(flatten, [&] {
      flatten.getResult().setType(withDimSize(type, 1, channels * positions));
    });
  }
}

void ConvChannelRewriter::apply(const ConvChainAnalysis &chains,
                                ConvFoldResult &result) {
  for (auto [index, layer] : llvm::enumerate(chains.layers)) {
    if (!llvm::is_contained(removed[index], true))
      continue;
    SmallVector<int64_t> kept = getKept(removed[index]);
    narrowChain(layer, kept.size());
    Operation *activation = layer.activation.getOperation();
    ActivationProfile profile =
        ActivationProfile::fromAttr(layer.profile).selectNeurons(kept);
    activation->setAttr(LinDialect::getProfileAttrName(),
                        profile.toAttr(activation->getContext()));
  }
  for (auto &[op, edit] : edits) {
    if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op))
      rewriteConv(conv, edit);
    else
      rewriteMatmul(cast<linalg::MatmulOp>(op), edit);
  }
  // A layer's row counts its skip's kernel with the producer's weights.
  DenseMap<Operation *, int64_t> skipWeights;
  for (SkipConvolution &skip : skips)
    skipWeights[skip.producer] += emitSkip(skip);
  // The replaced weights, inits and their producers are dead now.
  // An op is pending while listed and not erased; a stale entry of an
  // erased op is skipped without being read.
  DenseSet<Operation *> pending(replaced.begin(), replaced.end());
  while (!replaced.empty()) {
    Operation *op = replaced.pop_back_val();
    if (!pending.erase(op) || !isOpTriviallyDead(op))
      continue;
    for (Value operand : op->getOperands())
      if (Operation *producer = operand.getDefiningOp())
        if (pending.insert(producer).second)
          replaced.push_back(producer);
    rewriter.eraseOp(op);
  }
  for (auto [index, layer] : llvm::enumerate(chains.layers))
    if (layer.producer)
      result.layers[index].paramsAfter =
          countConvWeights(layer.producer) + skipWeights.lookup(layer.producer);
}

int64_t ConvChannelRewriter::emitSkip(SkipConvolution &skip) {
  // With the final masks: later merges and removals narrowed both sides.
  const WeightEdit &first = edits.find(skip.producer)->second;
  const WeightEdit &second = edits.find(skip.consumer)->second;
  SmallVector<int64_t> inputs = getKept(first.removedIn);
  SmallVector<int64_t> outputs = getKept(second.removedOut);
  ArrayRef<int64_t> k1 = first.weight.getShape(), k2 = second.weight.getShape();
  auto [kh, kw] = skip.getKernelSize(k1, k2);
  SmallVector<int64_t, 2> s1 = skip.getStrides(skip.producer);
  SmallVector<int64_t, 2> s2 = skip.getStrides(skip.consumer);
  Tensor kernel(ArrayRef<int64_t>{int64_t(outputs.size()),
                                  int64_t(inputs.size()), kh, kw});
  float *out = kernel.data();
  for (auto [o, output] : llvm::enumerate(outputs))
    for (int64_t channel : skip.channels)
      for (int64_t t2h = 0; t2h < k2[2]; ++t2h)
        for (int64_t t2w = 0; t2w < k2[3]; ++t2w) {
          float w2 =
              second.weight
                  .data()[((output * k2[1] + channel) * k2[2] + t2h) * k2[3] +
                          t2w];
          for (auto [i, input] : llvm::enumerate(inputs))
            for (int64_t t1h = 0; t1h < k1[2]; ++t1h)
              for (int64_t t1w = 0; t1w < k1[3]; ++t1w) {
                float w1 =
                    first.weight
                        .data()[((channel * k1[1] + input) * k1[2] + t1h) *
                                    k1[3] +
                                t1w];
                int64_t uh = t2h * s1[0] + t1h, uw = t2w * s1[1] + t1w;
                out[((o * inputs.size() + i) * kh + uh) * kw + uw] += w2 * w1;
              }
        }

  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(skip.consumer);
  Location loc = skip.consumer.getLoc();
  Value filter = emitConstant(rewriter, loc, kernel);
  auto conv = linalg::Conv2DNchwFchwOp::create(
      rewriter, loc, TypeRange{skip.consumer.getResult(0).getType()},
      ValueRange{skip.producer.getInputs()[0], filter},
      ValueRange{skip.consumer.getOutputs()[0]},
      rewriter.getI64VectorAttr({s1[0] * s2[0], s1[1] * s2[1]}),
      rewriter.getI64VectorAttr({1, 1}));
  rewriter.modifyOpInPlace(skip.consumer, [&] {
    skip.consumer->getOpOperand(2).set(conv.getResult(0));
  });
  return kernel.getNumElements();
}

FailureOr<Tensor> lin::readBias(Value init, int64_t size,
                                ConstantTensorEvaluator &constants) {
  if (auto broadcast = init.getDefiningOp<linalg::BroadcastOp>())
    return constants.evaluateTensor(broadcast.getInput());
  return Tensor(ArrayRef<int64_t>{size});
}

FailureOr<ConvFoldResult>
lin::foldConvChannels(RewriterBase &rewriter, func::FuncOp func,
                      ConstantTensorEvaluator &constants,
                      const ConvChainAnalysis &chains, int64_t alignment) {
  ConvFoldResult result;
  result.paramsBefore = countWeightElements(func);
  ConvChannelRewriter channelRewriter(rewriter, constants, alignment);
  if (failed(channelRewriter.plan(chains, result)))
    return failure();
  channelRewriter.apply(chains, result);
  result.paramsAfter = countWeightElements(func);
  return result;
}
