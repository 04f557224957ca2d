//===- LinearityFold.cpp - Fold linear neurons into skip matmuls ----------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Analysis, then materialisation:
//  1. LayerGraph: activations with profiles, and every sink (pre-activation
//     or output) as an affine form of roots with constant weights;
//  2. FoldPlanner: which neurons merge / are removed, which layers merge;
//  3. the fold algebra on the affine forms (matrices in memory, BLAS);
//  4. emission of the changed forms as linalg.matmul (skips accumulate into
//     the same result) + bias add, shrunk activations, dead-code removal.
// Nothing is rewritten before the plan is complete, so a declined fold leaves
// the IR untouched.
//
//===----------------------------------------------------------------------===//

#include "lin/Support/DenseAlgebra.h"
#include "lin/Analysis/LayerGraph.h"
#include "lin/Dialect/Lin/IR/ActivationProfile.h"
#include "lin/Dialect/Lin/IR/LinDialect.h"
#include "lin/Interpreter/ConstantEvaluator.h"
#include "lin/Transforms/FoldPlanner.h"
#include "lin/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/ToolOutputFile.h"

#define DEBUG_TYPE "linearity-fold"

namespace lin {
#define GEN_PASS_DEF_LINEARITYFOLD
#include "lin/Transforms/Passes.h.inc"
} // namespace lin

using namespace mlir;
using namespace lin;

namespace {

/// One row of the fold report.
struct LayerReport {
  std::string name;
  int64_t neurons = 0, folded = 0, removed = 0, kept = 0;
  int64_t paramsBefore = 0, paramsAfter = 0;
};

struct FunctionReport {
  int64_t paramsBefore = 0, paramsAfter = 0;
  SmallVector<LayerReport> layers;
};

//===----------------------------------------------------------------------===//
// Fold algebra
//===----------------------------------------------------------------------===//

/// Adds `weight` as a term of `root` to `form`.
void addTerm(AffineForm &form, Value root, Tensor weight) {
  if (AffineTerm *term = form.findTerm(root)) {
    if (term->isIdentity())
      term->weight = identityMatrix(form.numFeatures);
    addInPlace(term->weight, weight);
    return;
  }
  form.terms.push_back({root, std::move(weight)});
}

void addToBias(AffineForm &form, const Tensor &vector) {
  if (!form.hasBias())
    form.bias = zeroVector(form.numFeatures);
  addInPlace(form.bias, vector);
}

Tensor denseWeight(const AffineTerm &term, int64_t features) {
  return term.isIdentity() ? identityMatrix(features) : term.weight;
}

/// Substitutes the merged and removed neurons of layer `layer` into every
/// sink reading it, and shrinks its pre-activation to the kept neurons.
/// Marks the sinks it changes. Returns the kept neurons.
SmallVector<int64_t> foldLayer(const LayerGraph &graph, unsigned layerIndex,
                               const LayerClassification &cls, bool merge,
                               MutableArrayRef<AffineForm> forms,
                               MutableArrayRef<bool> changed) {
  const Layer &layer = graph.layers[layerIndex];
  ArrayRef<int64_t> merged = merge ? ArrayRef(cls.merge) : ArrayRef<int64_t>();
  ArrayRef<int64_t> removed = cls.remove;
  SmallVector<int64_t> kept;
  {
    SmallVector<bool> gone(layer.width, false);
    for (int64_t j : merged)
      gone[j] = true;
    for (int64_t j : removed)
      gone[j] = true;
    for (int64_t j = 0; j < layer.width; ++j)
      if (!gone[j])
        kept.push_back(j);
  }
  if (merged.empty() && removed.empty())
    return kept;

  const PiecewiseLinearActivation &act = layer.activation;
  unsigned preIndex = layer.preActivationSink;
  AffineForm &pre = forms[preIndex];
  Value result = act.getResult();

  // Merged neuron j contributes (slope_j * z_j + offset_j) * M[j, :].
  std::vector<float> slopes, mergedOffsets(merged.size());
  for (auto [i, j] : llvm::enumerate(merged)) {
    const LinearPiece &piece = act.getPiece(cls.mergePiece[i]);
    slopes.push_back(piece.slope);
    float bias = pre.hasBias() ? pre.bias.data()[j] : 0.0f;
    mergedOffsets[i] = piece.slope * bias + piece.offset;
  }
  Tensor removedOffsets = zeroVector(removed.size());
  for (auto [i, j] : llvm::enumerate(removed))
    removedOffsets.data()[i] = act.getPiece(cls.removePiece[i]).offset;
  Tensor mergedOffsetVector = zeroVector(merged.size());
  llvm::copy(mergedOffsets, mergedOffsetVector.data());

  for (auto [sinkIndex, sink] : llvm::enumerate(forms)) {
    if (sinkIndex == preIndex)
      continue;
    AffineTerm *term = sink.findTerm(result);
    if (!term)
      continue;
    Tensor consumer = denseWeight(*term, layer.width); // [width x m]
    if (!merged.empty()) {
      Tensor mergedRows = selectRows(consumer, merged);
      addToBias(sink, multiplyVector(mergedOffsetVector, mergedRows));
      scaleRows(mergedRows, slopes);
      // Snapshot the pre-activation terms: `sink` may gain terms as we go.
      for (const AffineTerm &source : pre.terms) {
        Tensor sourceWeight = denseWeight(source, layer.width);
        addTerm(sink, source.root,
                multiply(selectColumns(sourceWeight, merged), mergedRows));
      }
    }
    if (!removed.empty())
      addToBias(sink,
                multiplyVector(removedOffsets, selectRows(consumer, removed)));
    if (!sink.hasBias())
      sink.bias = zeroVector(sink.numFeatures);
    term = sink.findTerm(result);
    if (kept.empty())
      sink.terms.erase(sink.terms.begin() + (term - sink.terms.begin()));
    else
      term->weight = selectRows(consumer, kept);
    changed[sinkIndex] = true;
  }

  for (AffineTerm &term : pre.terms)
    term.weight = selectColumns(denseWeight(term, layer.width), kept);
  if (pre.hasBias())
    pre.bias = selectEntries(pre.bias, kept);
  pre.numFeatures = kept.size();
  changed[preIndex] = true;
  return kept;
}

//===----------------------------------------------------------------------===//
// Emission
//===----------------------------------------------------------------------===//

/// Constants of more than this many elements become dense_resource blobs
/// (compact in text and bytecode); smaller ones stay inline and readable.
constexpr int64_t kInlineConstantLimit = 64;

Value emitConstant(OpBuilder &builder, Location loc, const Tensor &tensor) {
  auto type = RankedTensorType::get(tensor.getShape(), builder.getF32Type());
  Attribute value;
  if (tensor.getNumElements() > kInlineConstantLimit) {
    // The blob takes a share of the tensor's storage instead of a copy: on
    // large models the folded weights are hundreds of megabytes.
    ArrayRef<float> data = tensor.values();
    AsmResourceBlob blob(
        ArrayRef<char>(reinterpret_cast<const char *>(data.data()),
                       data.size() * sizeof(float)),
        alignof(float),
        [owner = tensor](void *, size_t, size_t) mutable { owner = Tensor(); },
        /*dataIsMutable=*/false);
    value =
        DenseF32ResourceElementsAttr::get(type, "lin_folded", std::move(blob));
  } else {
    value = DenseElementsAttr::get(type, tensor.values());
  }
  return arith::ConstantOp::create(builder, loc, cast<TypedAttr>(value));
}

/// A [batch x features] tensor.empty whose dynamic batch size is read from
/// `batchSource`.
Value emitEmpty(OpBuilder &builder, Location loc, int64_t batch,
                int64_t features, Value batchSource) {
  SmallVector<Value> dynamicSizes;
  if (ShapedType::isDynamic(batch))
    dynamicSizes.push_back(
        tensor::DimOp::create(builder, loc, batchSource, 0).getResult());
  return tensor::EmptyOp::create(builder, loc,
                                 ArrayRef<int64_t>{batch, features},
                                 builder.getF32Type(), dynamicSizes);
}

/// `lhs + rhs` as a linalg.generic, with `rhs` read through `rhsMap` (the
/// identity, or a broadcast of a bias vector along the batch). A generic
/// rather than linalg.add: every MLIR consumer (IREE included) takes it.
Value emitAdd(OpBuilder &builder, Location loc, Value lhs, Value rhs,
              AffineMap rhsMap, Value init) {
  MLIRContext *ctx = builder.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(2, ctx);
  SmallVector<utils::IteratorType> parallel(2, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             builder, loc, TypeRange{lhs.getType()}, ValueRange{lhs, rhs},
             ValueRange{init}, ArrayRef<AffineMap>{identity, rhsMap, identity},
             parallel,
             [](OpBuilder &b, Location l, ValueRange args) {
               Value sum = arith::AddFOp::create(b, l, args[0], args[1]);
               linalg::YieldOp::create(b, l, sum);
             })
      .getResult(0);
}

/// Emits `sum_k root_k @ W_k + b` as matmuls accumulating into one zero-filled
/// tensor (the skips are residual adds folded into the accumulator) followed
/// by a broadcast bias add.
Value emitForm(OpBuilder &builder, Location loc, const AffineForm &form,
               const DenseMap<Value, Value> &rootMap, Value fallbackBatch) {
  auto originalType = cast<RankedTensorType>(form.value.getType());
  int64_t batch = originalType.getDimSize(0);
  int64_t m = form.numFeatures;
  auto mapped = [&](Value root) { return rootMap.lookup_or(root, root); };
  Value batchSource =
      form.terms.empty() ? fallbackBatch : mapped(form.terms.front().root);
  Value empty = emitEmpty(builder, loc, batch, m, batchSource);
  Value zero =
      arith::ConstantOp::create(builder, loc, builder.getF32FloatAttr(0.0f));
  Value acc = linalg::FillOp::create(builder, loc, zero, empty).getResult(0);
  MLIRContext *ctx = builder.getContext();
  for (const AffineTerm &term : form.terms) {
    Value root = mapped(term.root);
    if (term.isIdentity()) {
      acc = emitAdd(builder, loc, acc, root,
                    AffineMap::getMultiDimIdentityMap(2, ctx), empty);
      continue;
    }
    Value weight = emitConstant(builder, loc, term.weight);
    acc = linalg::MatmulOp::create(builder, loc, TypeRange{acc.getType()},
                                   ValueRange{root, weight}, ValueRange{acc})
              .getResult(0);
  }
  if (form.hasBias()) {
    Value bias = emitConstant(builder, loc, form.bias);
    acc = emitAdd(builder, loc, acc, bias,
                  AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx), empty);
  }
  return acc;
}

/// Emits the activation `act` applied elementwise to `input`.
Value emitActivation(OpBuilder &builder, Location loc,
                     const PiecewiseLinearActivation &act, Value input) {
  auto type = cast<RankedTensorType>(input.getType());
  Value empty =
      emitEmpty(builder, loc, type.getDimSize(0), type.getDimSize(1), input);
  MLIRContext *ctx = builder.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(2, ctx);
  SmallVector<utils::IteratorType> parallel(2, utils::IteratorType::parallel);
  auto body = [&act](OpBuilder &b, Location l, ValueRange args) {
    Value z = args[0];
    auto constant = [&](double v) -> Value {
      return arith::ConstantOp::create(b, l, b.getF32FloatAttr(v));
    };
    Value out;
    switch (act.getKind()) {
    case ActivationKind::ReLU:
      out = arith::MaximumFOp::create(b, l, z, constant(0.0));
      break;
    case ActivationKind::LeakyReLU: {
      Value positive = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UGT, z,
                                             constant(0.0));
      Value scaled =
          arith::MulFOp::create(b, l, z, constant(act.getNegativeSlope()));
      out = arith::SelectOp::create(b, l, positive, z, scaled);
      break;
    }
    case ActivationKind::Clamp: {
      Value low = arith::MaximumFOp::create(b, l, z, constant(act.getLower()));
      out = arith::MinimumFOp::create(b, l, low, constant(act.getUpper()));
      break;
    }
    }
    linalg::YieldOp::create(b, l, out);
  };
  return linalg::GenericOp::create(builder, loc, TypeRange{type},
                                   ValueRange{input}, ValueRange{empty},
                                   ArrayRef<AffineMap>{identity, identity},
                                   parallel, body)
      .getResult(0);
}

/// The profile of the kept neurons only.
ProfileAttr shrinkProfile(ProfileAttr profile, ArrayRef<int64_t> kept) {
  ActivationProfile full = ActivationProfile::fromAttr(profile);
  ActivationProfile shrunk(full.getKind(), kept.size(), full.getSource());
  shrunk.addSamples(full.getNumSamples());
  for (auto [i, j] : llvm::enumerate(kept)) {
    for (unsigned p = 0; p < full.getNumPieces(); ++p)
      shrunk.getMutableCounts()[p * kept.size() + i] = full.getCount(p, j);
    shrunk.getMutableMinimum()[i] = full.getMinimum(j);
    shrunk.getMutableMaximum()[i] = full.getMaximum(j);
  }
  return shrunk.toAttr(profile.getContext());
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct LinearityFoldPass : lin::impl::LinearityFoldBase<LinearityFoldPass> {
  using Base::Base;

  void runOnOperation() override;

private:
  LogicalResult foldFunction(func::FuncOp func, FoldPolicy policy,
                             FoldThresholds thresholds, FunctionReport &report);
  LogicalResult writeReport(ArrayRef<FunctionReport> reports);
  void printTable(ArrayRef<FunctionReport> reports);
};

} // namespace

LogicalResult LinearityFoldPass::foldFunction(func::FuncOp func,
                                              FoldPolicy policy,
                                              FoldThresholds thresholds,
                                              FunctionReport &report) {
  ConstantEvaluator constants(/*emitErrors=*/false, /*memoiseValues=*/false);
  LayerGraph graph = LayerGraph::build(func, constants);
  for (const DeclinedActivation &declined : graph.declined)
    declined.op->emitRemark() << "not folded: " << declined.reason;
  if (graph.layers.empty())
    return success();
  for (const Layer &layer : graph.layers)
    if (!layer.isFoldable())
      layer.activation.getOperation()->emitRemark()
          << "not folded: " << layer.whyNotFoldable;

  FoldPlanner planner(graph);
  int64_t before = planner.getOriginalParameters();
  SmallVector<LayerClassification> classes = planner.classify(thresholds);
  if (targetSize > 0.0) {
    // Lower the merge threshold along the neurons' own shares until the
    // target is met; the cost only falls as the threshold falls, so the
    // largest sufficient threshold is found by bisection.
    int64_t goal = static_cast<int64_t>(targetSize * double(before));
    SmallVector<double> candidates;
    for (double share : planner.getCandidateMergeThresholds())
      if (share <= thresholds.merge && share > 0.0)
        candidates.push_back(share);
    auto costAt = [&](double mergeThreshold) {
      FoldThresholds t = thresholds;
      t.merge = mergeThreshold;
      SmallVector<LayerClassification> c = planner.classify(t);
      return planner.simulate(c, planner.select(c, policy));
    };
    if (planner.simulate(classes, planner.select(classes, policy)) > goal &&
        !candidates.empty()) {
      size_t lo = 0, hi = candidates.size() - 1;
      if (costAt(candidates[hi]) > goal) {
        func.emitRemark() << "target-size " << targetSize
                          << " not reached: folding every neuron with a "
                             "non-zero share gives "
                          << costAt(candidates[hi]) << " of " << before
                          << " parameters";
        lo = hi;
      }
      while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (costAt(candidates[mid]) <= goal)
          hi = mid;
        else
          lo = mid + 1;
      }
      thresholds.merge = candidates[lo];
      classes = planner.classify(thresholds);
      func.emitRemark() << "target-size " << targetSize
                        << ": merge threshold lowered to "
                        << llvm::formatv("{0:F6}", thresholds.merge);
    }
  }
  SmallVector<bool> mergeLayers = planner.select(classes, policy);
  int64_t predicted = planner.simulate(classes, mergeLayers);

  // Fold algebra on the forms, moved out of the graph so that each original
  // weight is freed as soon as the fold replaces it (peak memory on large
  // models); the graph keeps the sinks' values.
  SmallVector<int64_t> paramsBefore;
  SmallVector<AffineForm> forms;
  for (Sink &sink : graph.sinks) {
    paramsBefore.push_back(sink.form.getNumParameters());
    forms.push_back(std::move(sink.form));
    sink.form.value = forms.back().value;
  }
  SmallVector<bool> changed(forms.size(), false);
  SmallVector<SmallVector<int64_t>> keptNeurons(graph.layers.size());
  for (auto [index, cls] : llvm::enumerate(classes))
    keptNeurons[index] =
        foldLayer(graph, index, cls, mergeLayers[index], forms, changed);

  // Report rows.
  for (auto [index, layer] : llvm::enumerate(graph.layers)) {
    LayerReport row;
    row.name = llvm::formatv(
                   "{0}_{1}",
                   stringifyActivationKind(layer.activation.getKind()), index)
                   .str();
    row.neurons = layer.width;
    row.folded = mergeLayers[index] ? classes[index].merge.size() : 0;
    row.removed = classes[index].remove.size();
    row.kept = row.neurons - row.folded - row.removed;
    row.paramsBefore = paramsBefore[layer.preActivationSink];
    row.paramsAfter = forms[layer.preActivationSink].getNumParameters();
    report.layers.push_back(row);
    numNeuronsMerged += row.folded;
    numNeuronsRemoved += row.removed;
    if (row.folded + row.removed > 0)
      ++numLayersFolded;
  }
  report.paramsBefore = before;
  for (const AffineForm &form : forms)
    report.paramsAfter += form.numFeatures ? form.getNumParameters() : 0;
  // The planner chose on a shape-only simulation of this algebra; if the two
  // ever disagree the choice was made on wrong numbers, so say so loudly.
  if (predicted != report.paramsAfter)
    func.emitWarning() << "linearity-fold: internal cost model predicted "
                       << predicted << " parameters but the fold produced "
                       << report.paramsAfter;
  numParamsBefore += report.paramsBefore;
  numParamsAfter += report.paramsAfter;
  LLVM_DEBUG(llvm::dbgs() << "fold of @" << func.getSymName() << ": "
                          << report.paramsBefore << " -> " << report.paramsAfter
                          << " parameters\n");

  // Unchanged forms are not emitted: drop their weights now.
  for (auto [form, isChanged] : llvm::zip_equal(forms, changed))
    if (!isChanged)
      form = AffineForm();

  // Materialise, in program order: new pre-activations and activations for
  // changed layers, then the changed output sinks. Each form is released as
  // soon as it is emitted (the constants hold the weights from then on).
  OpBuilder builder(func.getContext());
  DenseMap<Value, Value> rootMap;
  Value fallbackBatch;
  for (BlockArgument arg : func.getArguments())
    if (auto type = dyn_cast<RankedTensorType>(arg.getType()))
      if (type.getRank() > 0 && !fallbackBatch)
        fallbackBatch = arg;
  for (auto [index, layer] : llvm::enumerate(graph.layers)) {
    unsigned pre = layer.preActivationSink;
    if (!changed[pre])
      continue;
    Operation *actOp = layer.activation.getOperation();
    if (keptNeurons[index].empty())
      continue; // Entirely folded: nothing reads it any more.
    builder.setInsertionPoint(actOp);
    Value z =
        emitForm(builder, actOp->getLoc(), forms[pre], rootMap, fallbackBatch);
    forms[pre] = AffineForm();
    Value a = emitActivation(builder, actOp->getLoc(), layer.activation, z);
    if (keepProfiles)
      a.getDefiningOp()->setAttr(
          LinDialect::getProfileAttrName(),
          shrinkProfile(layer.profile, keptNeurons[index]));
    rootMap[layer.activation.getResult()] = a;
  }
  for (auto [index, sink] : llvm::enumerate(graph.sinks)) {
    if (sink.layer || !changed[index])
      continue;
    Value old = sink.form.value;
    Operation *def = old.getDefiningOp();
    builder.setInsertionPoint(def);
    Value replacement =
        emitForm(builder, def->getLoc(), forms[index], rootMap, fallbackBatch);
    forms[index] = AffineForm();
    old.replaceAllUsesWith(replacement);
  }

  // Remove what no longer has users (the old layers).
  IRRewriter rewriter(func.getContext());
  (void)runRegionDCE(rewriter, func.getBody());
  return success();
}

void LinearityFoldPass::printTable(ArrayRef<FunctionReport> reports) {
  llvm::raw_ostream &os = llvm::errs();
  for (const FunctionReport &report : reports) {
    os << llvm::formatv("{0,-14} {1,8} {2,8} {3,8} {4,8} {5,12} {6,12}\n",
                        "layer", "neurons", "folded", "removed", "kept",
                        "params", "params-after");
    for (const LayerReport &row : report.layers)
      os << llvm::formatv("{0,-14} {1,8} {2,8} {3,8} {4,8} {5,12} {6,12}\n",
                          row.name, row.neurons, row.folded, row.removed,
                          row.kept, row.paramsBefore, row.paramsAfter);
    double ratio = report.paramsBefore
                       ? double(report.paramsAfter) / report.paramsBefore
                       : 1.0;
    os << llvm::formatv("total parameters: {0} -> {1} ({2:P1})\n",
                        report.paramsBefore, report.paramsAfter, ratio);
  }
}

LogicalResult LinearityFoldPass::writeReport(ArrayRef<FunctionReport> reports) {
  llvm::json::Array layers;
  int64_t before = 0, after = 0;
  for (const FunctionReport &report : reports) {
    before += report.paramsBefore;
    after += report.paramsAfter;
    for (const LayerReport &row : report.layers)
      layers.push_back(llvm::json::Object{{"name", row.name},
                                          {"neurons", row.neurons},
                                          {"folded", row.folded},
                                          {"removed", row.removed},
                                          {"kept", row.kept},
                                          {"params_before", row.paramsBefore},
                                          {"params_after", row.paramsAfter}});
  }
  llvm::json::Object root{{"params_before", before},
                          {"params_after", after},
                          {"layers", std::move(layers)}};
  std::error_code error;
  // ToolOutputFile removes the file unless kept: no half-written report.
  llvm::ToolOutputFile output(reportFile, error, llvm::sys::fs::OF_Text);
  if (error)
    return failure();
  output.os() << llvm::formatv("{0:2}", llvm::json::Value(std::move(root)))
              << "\n";
  output.keep();
  return success();
}

void LinearityFoldPass::runOnOperation() {
  ModuleOp module = getOperation();
  FoldPolicy foldPolicy;
  if (policy == "cost")
    foldPolicy = FoldPolicy::Cost;
  else if (policy == "paper")
    foldPolicy = FoldPolicy::Paper;
  else if (policy == "all")
    foldPolicy = FoldPolicy::All;
  else {
    module.emitError() << "linearity-fold: unknown policy '" << policy
                       << "' (expected cost, paper or all)";
    return signalPassFailure();
  }
  FoldThresholds thresholds;
  thresholds.merge = mergeThreshold >= 0.0 ? mergeThreshold : threshold;
  thresholds.remove = removeThreshold >= 0.0 ? removeThreshold : threshold;
  for (auto [name, value] :
       {std::pair<StringRef, double>{"threshold", threshold},
        {"merge-threshold", thresholds.merge},
        {"remove-threshold", thresholds.remove}})
    if (value < 0.0 || value > 1.0) {
      module.emitError() << "linearity-fold: " << name
                         << " must be in [0, 1], got " << value;
      return signalPassFailure();
    }
  if (targetSize != -1.0 && (targetSize <= 0.0 || targetSize > 1.0)) {
    module.emitError() << "linearity-fold: target-size must be in (0, 1], got "
                       << targetSize;
    return signalPassFailure();
  }

  SmallVector<FunctionReport> reports;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    FunctionReport report;
    if (failed(foldFunction(func, foldPolicy, thresholds, report)))
      return signalPassFailure();
    if (!report.layers.empty())
      reports.push_back(std::move(report));
  }

  if (!keepProfiles)
    module.walk([](Operation *op) {
      op->removeAttr(LinDialect::getProfileAttrName());
    });
  if (verbose)
    printTable(reports);
  if (!reportFile.empty() && failed(writeReport(reports))) {
    module.emitError() << "linearity-fold: cannot write report '" << reportFile
                       << "'";
    return signalPassFailure();
  }
}
