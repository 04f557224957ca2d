//===- TokenBatches.cpp - Token dimensions as samples ---------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/TokenBatches.h"
#include "lin/Analysis/PiecewiseLinearActivation.h"
#include "lin/Dialect/Lin/IR/LinAttributes.h"
#include "lin/Dialect/Lin/IR/LinDialect.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace lin;

namespace {

/// The 2-D value `value` broadcasts along a new leading dimension, or null:
/// linalg.broadcast with dimensions = [0], or a generic that only yields
/// its one input read through (d0, d1, d2) -> (d1, d2).
Value getBatchBroadcastSource(Value value) {
  if (auto broadcast = value.getDefiningOp<linalg::BroadcastOp>())
    return broadcast.getDimensions() == ArrayRef<int64_t>{0}
               ? broadcast.getInput()
               : Value();
  auto generic = value.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 || generic.getNumLoops() != 3 ||
      generic.getNumParallelLoops() != 3)
    return Value();
  MLIRContext *ctx = generic.getContext();
  AffineExpr d1 = getAffineDimExpr(1, ctx), d2 = getAffineDimExpr(2, ctx);
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  if (maps[0] != AffineMap::get(3, 0, {d1, d2}, ctx) || !maps[1].isIdentity())
    return Value();
  Block *body = generic.getBlock();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (body->getOperations().size() != 1 ||
      yield.getOperand(0) != body->getArgument(0))
    return Value();
  return generic.getDpsInputOperand(0)->get();
}

/// batch_matmul(x : [B, T, K], broadcast(W : [K, N]), init : [B, T, N])
///   -> expand_shape(matmul(collapse_shape(x), W, collapse_shape(init))):
/// one weight for every batch element is a dense layer over B * T samples.
struct SharedWeightBatchMatmul : OpRewritePattern<linalg::BatchMatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::BatchMatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.hasUserDefinedMaps())
      return failure();
    Value weight = getBatchBroadcastSource(op.getInputs()[1]);
    if (!weight)
      return failure();
    Location loc = op.getLoc();
    SmallVector<ReassociationIndices> groups{{0, 1}, {2}};
    Value init = op.getOutputs()[0];
    Value lhs = tensor::CollapseShapeOp::create(rewriter, loc,
                                                op.getInputs()[0], groups);
    Value collapsedInit =
        tensor::CollapseShapeOp::create(rewriter, loc, init, groups);
    Value product = linalg::MatmulOp::create(
                        rewriter, loc, TypeRange{collapsedInit.getType()},
                        ValueRange{lhs, weight}, ValueRange{collapsedInit})
                        .getResult(0);
    SmallVector<OpFoldResult> shape =
        tensor::getMixedSizes(rewriter, loc, init);
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, op.getResultTypes()[0], product, groups, shape);
    return success();
  }
};

/// Moves an activation's lin.profile to the op that replaces it: the
/// collapsing patterns replace an op by expand_shape(collapsed op). The
/// control function only collapses positions, so the neurons stay the last
/// dimension and the profile holds as it is.
struct ProfileCarrier : RewriterBase::Listener {
  void notifyOperationReplaced(Operation *op, ValueRange values) override {
    StringRef name = LinDialect::getProfileAttrName();
    auto profile = op->getAttrOfType<ProfileAttr>(name);
    if (!profile || values.size() != 1)
      return;
    auto expand = values[0].getDefiningOp<tensor::ExpandShapeOp>();
    Operation *collapsed = expand ? expand.getSrc().getDefiningOp() : nullptr;
    if (!collapsed)
      return;
    collapsed->setAttr(
        name, ProfileAttr::get(profile.getContext(), profile.getKind(),
                               profile.getSource(), profile.getSamples(),
                               profile.getCounts(), profile.getMinimum(),
                               profile.getMaximum(), std::nullopt));
  }
};

/// Whether to collapse the elementwise `fused` consumer of an expand_shape:
/// only when the expansion splits the rows of a 2-D value into positions
/// (the features stay one dimension), and, for a profiled op, when its
/// neurons are those features.
bool isPositionCollapse(OpOperand *fused) {
  auto expand = fused->get().getDefiningOp<tensor::ExpandShapeOp>();
  auto consumer = dyn_cast<linalg::GenericOp>(fused->getOwner());
  if (!expand || !consumer || consumer.getNumReductionLoops() != 0 ||
      expand.getSrcType().getRank() != 2 ||
      expand.getReassociationIndices().back().size() != 1)
    return false;
  auto profile =
      consumer->getAttrOfType<ProfileAttr>(LinDialect::getProfileAttrName());
  int64_t rank = expand.getResultType().getRank();
  return !profile || profile.getNeuronDim(rank) == rank - 1;
}

bool hasTokenActivation(func::FuncOp func) {
  for (PiecewiseLinearActivation &activation :
       findPiecewiseLinearActivations(func)) {
    auto type = dyn_cast<RankedTensorType>(activation.getResult().getType());
    if (type && type.getRank() > 2)
      return true;
  }
  return false;
}

} // namespace

bool lin::collapseTokenDimensions(func::FuncOp func) {
  if (func.isExternal() || !hasTokenActivation(func))
    return false;
  MLIRContext *ctx = func.getContext();
  RewritePatternSet patterns(ctx);
  patterns.add<SharedWeightBatchMatmul>(ctx);
  linalg::populateFoldReshapeOpsByCollapsingPatterns(patterns,
                                                     isPositionCollapse);
  // collapse_shape(expand_shape(x)) -> x, reshapes of empties and fills,
  // and sizes read from the old 3-D values (which would otherwise keep an
  // expand_shape of a layer's value alive, an extra reader of it).
  tensor::DimOp::getCanonicalizationPatterns(patterns, ctx);
  memref::populateResolveRankedShapedTypeResultDimsPatterns(patterns);
  tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
  tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
  tensor::populateFoldTensorEmptyPatterns(patterns);
  linalg::FillOp::getCanonicalizationPatterns(patterns, ctx);

  ProfileCarrier carrier;
  GreedyRewriteConfig config;
  config.setListener(&carrier);
  bool changed = false;
  if (failed(
          applyPatternsGreedily(func, std::move(patterns), config, &changed)) ||
      !changed)
    return changed;
  // Both ends of a residual connection collapse the same input: one root.
  IRRewriter rewriter(ctx);
  DominanceInfo dominance(func);
  eliminateCommonSubExpressions(rewriter, dominance, func);
  return true;
}
