//===- NeuronDimension.cpp - Which dimension holds the neurons ------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Analysis/NeuronDimension.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace lin;

/// Values computed from one another are walked at most this deep: a chain of
/// bias add, batch norm and a few reshapes is far shorter.
static constexpr unsigned kMaxDepth = 32;

/// Result positions of `map` that select loop `loop` alone.
static void addPositionsOfLoop(AffineMap map, unsigned loop,
                               llvm::SetVector<unsigned> &positions) {
  for (auto [position, expr] : llvm::enumerate(map.getResults()))
    if (auto dim = dyn_cast<AffineDimExpr>(expr);
        dim && dim.getPosition() == loop)
      positions.insert(position);
}

namespace {
/// Channel dimensions of values, memoised: residual blocks reach one value
/// along several paths.
class ChannelWalker {
public:
  SmallVector<unsigned, 2> channelDimensions(Value value, unsigned depth);

private:
  SmallVector<unsigned, 2> compute(Value value, unsigned depth);
  SmallVector<unsigned, 2> channelsThrough(linalg::LinalgOp op, unsigned depth);
  llvm::DenseMap<Value, SmallVector<unsigned, 2>> known;
};
} // namespace

/// The output channels of a convolution: loops that index the filter and
/// the result (output channels, or the channel of a depthwise / grouped
/// convolution), as positions of the result.
static SmallVector<unsigned, 2> convolutionChannels(linalg::LinalgOp op) {
  FailureOr<linalg::ConvolutionDimensions> dims =
      linalg::inferConvolutionDims(op);
  if (failed(dims))
    return {};
  AffineMap outputMap = op.getIndexingMapsArray().back();
  llvm::SetVector<unsigned> positions;
  for (unsigned loop : llvm::concat<unsigned>(dims->depth, dims->outputChannel))
    addPositionsOfLoop(outputMap, loop, positions);
  SmallVector<unsigned, 2> sorted(positions.begin(), positions.end());
  llvm::sort(sorted);
  return sorted;
}

/// Channels of a result of an op that moves elements without mixing
/// channels (all loops parallel, or pooling): the channel dimensions of an
/// input carried to the result by the loops that index both alone.
SmallVector<unsigned, 2> ChannelWalker::channelsThrough(linalg::LinalgOp op,
                                                        unsigned depth) {
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  AffineMap outputMap = maps.back();
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (!isa<RankedTensorType>(input->get().getType()))
      continue;
    SmallVector<unsigned, 2> inputChannels =
        channelDimensions(input->get(), depth + 1);
    if (inputChannels.empty())
      continue;
    AffineMap inputMap = maps[input->getOperandNumber()];
    llvm::SetVector<unsigned> positions;
    bool carried = true;
    for (unsigned channel : inputChannels) {
      auto dim = dyn_cast<AffineDimExpr>(inputMap.getResult(channel));
      size_t before = positions.size();
      if (dim)
        addPositionsOfLoop(outputMap, dim.getPosition(), positions);
      carried &= positions.size() > before;
    }
    if (!carried)
      continue;
    SmallVector<unsigned, 2> sorted(positions.begin(), positions.end());
    llvm::sort(sorted);
    return sorted;
  }
  return {};
}

/// The channel dimensions of the result of a reshape, from those of its
/// source: each source group maps to one result group.
static SmallVector<unsigned, 2>
channelsThroughReshape(ArrayRef<ReassociationIndices> groups,
                       ArrayRef<unsigned> sourceChannels, bool collapsing) {
  llvm::SetVector<unsigned> positions;
  for (unsigned channel : sourceChannels) {
    if (collapsing) {
      // The group of collapsed source dims holding the channel.
      for (auto [group, dims] : llvm::enumerate(groups))
        if (llvm::is_contained(dims, int64_t(channel)))
          positions.insert(group);
    } else {
      for (int64_t dim : groups[channel])
        positions.insert(dim);
    }
  }
  SmallVector<unsigned, 2> sorted(positions.begin(), positions.end());
  llvm::sort(sorted);
  return sorted;
}

SmallVector<unsigned, 2> ChannelWalker::channelDimensions(Value value,
                                                          unsigned depth) {
  auto it = known.find(value);
  if (it != known.end())
    return it->second;
  SmallVector<unsigned, 2> channels = compute(value, depth);
  known[value] = channels;
  return channels;
}

SmallVector<unsigned, 2> ChannelWalker::compute(Value value, unsigned depth) {
  Operation *op = value.getDefiningOp();
  if (!op || depth > kMaxDepth)
    return {};
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
    SmallVector<unsigned, 2> source =
        channelDimensions(collapse.getSrc(), depth + 1);
    // A group merging channels with anything that is not a unit dimension
    // (a flatten) leaves no channel dimension.
    auto sourceType = collapse.getSrcType();
    for (const ReassociationIndices &group :
         collapse.getReassociationIndices()) {
      bool hasChannel = llvm::any_of(group, [&](int64_t dim) {
        return llvm::is_contained(source, unsigned(dim));
      });
      bool hasOther = llvm::any_of(group, [&](int64_t dim) {
        return !llvm::is_contained(source, unsigned(dim)) &&
               sourceType.getDimSize(dim) != 1;
      });
      if (hasChannel && hasOther)
        return {};
    }
    return channelsThroughReshape(collapse.getReassociationIndices(), source,
                                  /*collapsing=*/true);
  }
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op))
    return channelsThroughReshape(expand.getReassociationIndices(),
                                  channelDimensions(expand.getSrc(), depth + 1),
                                  /*collapsing=*/false);
  if (auto cast = dyn_cast<tensor::CastOp>(op))
    return channelDimensions(cast.getSource(), depth + 1);
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || linalgOp.getNumDpsInits() != 1)
    return {};
  if (linalg::isaConvolutionOpInterface(linalgOp)) {
    SmallVector<unsigned, 2> channels = convolutionChannels(linalgOp);
    if (!channels.empty())
      return channels;
    // Pooling: the channels go through.
    return channelsThrough(linalgOp, depth);
  }
  if (linalgOp.getNumLoops() == linalgOp.getNumParallelLoops())
    return channelsThrough(linalgOp, depth);
  return {};
}

SmallVector<unsigned, 2> lin::getConvolutionChannelDimensions(Value value) {
  return ChannelWalker().channelDimensions(value, 0);
}

unsigned lin::getNeuronDimension(const PiecewiseLinearActivation &activation) {
  auto type = cast<RankedTensorType>(activation.getResult().getType());
  assert(type.getRank() >= 1 && "activations of scalars have no neurons");
  SmallVector<unsigned, 2> channels =
      getConvolutionChannelDimensions(activation.getInput());
  if (channels.size() == 1)
    return channels.front();
  return type.getRank() - 1;
}

std::optional<int64_t>
lin::getProfileAxis(const PiecewiseLinearActivation &activation) {
  auto type = cast<RankedTensorType>(activation.getResult().getType());
  unsigned dim = getNeuronDimension(activation);
  if (dim == type.getRank() - 1)
    return std::nullopt;
  return dim;
}
