//===- FoldRefit.cpp - Least-squares refit of folded consumers ------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/FoldRefit.h"
#include "lin/Support/DenseAlgebra.h"
#include "lin/Support/LeastSquares.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace lin;

ArrayRef<double> lin::getRidgeCandidates() {
  static const double kCandidates[] = {0.0,  1e-6, 1e-5, 1e-4,
                                       1e-3, 1e-2, 1e-1, 1.0};
  return kCandidates;
}

/// A relative error at which a consumer counts as exact.
static constexpr double kExactError = 1e-6;

/// The ridge used when too few samples leave none to hold out.
static constexpr double kFallbackRidge = 1e-3;

static func::FuncOp getFunction(const LayerGraph &graph) {
  for (const Sink &sink : graph.sinks)
    if (Region *region = Value(sink.form.value).getParentRegion())
      return region->getParentOfType<func::FuncOp>();
  return nullptr;
}

/// Values of the function's body that change when foldable layers are
/// folded: the foldable activations' results and everything computed from
/// them (values used inside an op's regions count as its operands).
static DenseSet<Value> getFoldDependentValues(const LayerGraph &graph,
                                              func::FuncOp func) {
  DenseSet<Value> dependent;
  for (Operation &op : func.getBody().front()) {
    bool depends = false;
    if (op.getNumResults() > 0)
      if (std::optional<unsigned> layer = graph.getLayerOf(op.getResult(0)))
        depends = graph.layers[*layer].isFoldable();
    op.walk([&](Operation *nested) {
      for (Value operand : nested->getOperands())
        depends = depends || dependent.contains(operand);
    });
    if (depends)
      dependent.insert(op.result_begin(), op.result_end());
  }
  return dependent;
}

SmallVector<Value> lin::getRefitRecordedValues(const LayerGraph &graph) {
  SmallVector<Value> values;
  func::FuncOp func = getFunction(graph);
  if (!func)
    return values;
  DenseSet<Value> dependent = getFoldDependentValues(graph, func);
  llvm::SetVector<Value> unique;
  for (const Sink &sink : graph.sinks) {
    if (isa<RankedTensorType>(sink.form.value.getType()) &&
        !sink.form.value.use_empty())
      unique.insert(sink.form.value);
    for (const AffineTerm &term : sink.form.terms)
      if (!dependent.contains(term.root) && !term.root.use_empty())
        unique.insert(term.root);
  }
  return unique.takeVector();
}

namespace {

/// The refit of one function, consumer by consumer in program order.
class Refitter {
public:
  Refitter(const LayerGraph &graph, FoldedForms &folded,
           const RecordedValues &recorded, const RefitOptions &options,
           const IRMapping *toGraph)
      : graph(graph), folded(folded), recorded(recorded), options(options) {
    for (auto [index, value] : llvm::enumerate(recorded.values))
      recordedIndex[toGraph ? toGraph->lookupOrDefault(value) : value] = index;
    activations.resize(graph.layers.size());
    layerComputable.assign(graph.layers.size(), false);
    layerDiffers.assign(graph.layers.size(), false);
    int64_t offset = 0;
    for (const SmallVector<Tensor> &batch : recorded.batches) {
      batchOffsets.push_back(offset);
      offset += batch.empty() ? 0 : batch.front().getDimSize(0);
    }
    numBatches = recorded.batches.size();
  }

  FailureOr<RefitResult> run();

private:
  /// Refits (or just recomputes) sink `index`; adds its row to `result`.
  LogicalResult processSink(unsigned index, RefitResult &result);
  /// Why sink `index` cannot be computed from recorded and recomputed
  /// values (empty when it can); sets `inputsDiffer`.
  std::string checkInputs(const AffineForm &form, bool &inputsDiffer) const;
  /// The value of `root` on batch `batch` in the compressed model.
  const Tensor &getRootValue(Value root, size_t batch) const;
  /// The original model's values of sink `index`, one per batch, restricted
  /// to the features its folded form keeps. They may share the record's
  /// storage: read only.
  std::vector<Tensor> getTargets(unsigned index) const;
  /// `target` of batch `batch` minus the residual (identity) parts of `form`:
  /// what its weighted terms and bias must produce.
  Tensor subtractIdentityParts(const AffineForm &form, Tensor target,
                               size_t batch) const;
  /// Stores the compressed activations of `layer` computed from the
  /// pre-activations `z` (one per batch).
  void setActivations(unsigned layer, std::vector<Tensor> z);
  /// Fits `form` (its weighted terms and bias) to `targets` (getTargets);
  /// the ridge is returned through `ridge`.
  FailureOr<AffineForm> fit(unsigned index, const AffineForm &form,
                            ArrayRef<Tensor> targets, double &ridge) const;

  const LayerGraph &graph;
  FoldedForms &folded;
  const RecordedValues &recorded;
  const RefitOptions &options;
  DenseMap<Value, unsigned> recordedIndex;
  /// Per foldable layer: its activations in the compressed model per batch,
  /// whether they could be computed, whether they differ from the original.
  std::vector<std::vector<Tensor>> activations;
  SmallVector<bool> layerComputable, layerDiffers;
  /// Per sink, its name in the report.
  SmallVector<std::string> sinkNames;
  SmallVector<int64_t> batchOffsets;
  size_t numBatches = 0;
};

} // namespace

const Tensor &Refitter::getRootValue(Value root, size_t batch) const {
  if (std::optional<unsigned> layer = graph.getLayerOf(root))
    if (graph.layers[*layer].isFoldable())
      return activations[*layer][batch];
  return recorded.batches[batch][recordedIndex.lookup(root)];
}

std::string Refitter::checkInputs(const AffineForm &form,
                                  bool &inputsDiffer) const {
  inputsDiffer = false;
  for (const AffineTerm &term : form.terms) {
    std::optional<unsigned> layer = graph.getLayerOf(term.root);
    if (layer && graph.layers[*layer].isFoldable()) {
      if (!layerComputable[*layer])
        return "it reads " + graph.getLayerName(*layer) +
               ", whose compressed values could not be computed";
      inputsDiffer = inputsDiffer || layerDiffers[*layer];
      continue;
    }
    if (!recordedIndex.contains(term.root))
      return "it reads a value computed from folded layers by ops the "
             "refit does not model";
    if (recorded.batches.front()[recordedIndex.lookup(term.root)].getRank() !=
        2)
      return "an input of it was not recorded as a [samples x features] "
             "tensor";
  }
  return "";
}

std::vector<Tensor> Refitter::getTargets(unsigned index) const {
  const Sink &sink = graph.sinks[index];
  unsigned recordIndex = recordedIndex.lookup(sink.form.value);
  bool shrunk = sink.layer && int64_t(folded.keptNeurons[*sink.layer].size()) !=
                                  graph.layers[*sink.layer].width;
  std::vector<Tensor> targets;
  for (const SmallVector<Tensor> &batch : recorded.batches)
    targets.push_back(shrunk ? selectColumns(batch[recordIndex],
                                             folded.keptNeurons[*sink.layer])
                             : batch[recordIndex]);
  return targets;
}

Tensor Refitter::subtractIdentityParts(const AffineForm &form, Tensor target,
                                       size_t batch) const {
  for (const AffineTerm &term : form.terms) {
    if (!term.identity)
      continue;
    target.makeUnique(); // never touch the record
    const Tensor &root = getRootValue(term.root, batch);
    float *out = target.data();
    for (int64_t i = 0; i < target.getNumElements(); ++i)
      out[i] -= root.data()[i];
  }
  return target;
}

void Refitter::setActivations(unsigned layer, std::vector<Tensor> z) {
  const PiecewiseLinearFunction &function =
      graph.layers[layer].activation.getFunction();
  for (Tensor &values : z)
    for (float &v : values.values())
      v = static_cast<float>(function.evaluate(v));
  activations[layer] = std::move(z);
  layerComputable[layer] = true;
}

FailureOr<AffineForm> Refitter::fit(unsigned index, const AffineForm &form,
                                    ArrayRef<Tensor> targets,
                                    double &ridge) const {
  SmallVector<unsigned> weighted;
  int64_t features = 0;
  for (auto [t, term] : llvm::enumerate(form.terms))
    if (term.hasWeight()) {
      weighted.push_back(t);
      features += term.weight.getDimSize(0);
    }
  int64_t samples = recorded.numSamples;
  int64_t holdout =
      options.ridge
          ? 0
          : static_cast<int64_t>(std::floor(samples * options.holdoutFraction));
  int64_t trainRows = samples - holdout;
  NormalEquations train(features, form.numFeatures, form.hasBias());
  NormalEquations heldOut(features, form.numFeatures, form.hasBias());
  for (size_t b = 0; b < numBatches; ++b) {
    SmallVector<const Tensor *> blocks;
    for (unsigned t : weighted)
      blocks.push_back(&getRootValue(form.terms[t].root, b));
    Tensor target = subtractIdentityParts(form, targets[b], b);
    int64_t rows = target.getDimSize(0);
    int64_t split = std::clamp<int64_t>(trainRows - batchOffsets[b], 0, rows);
    train.accumulate(blocks, target, 0, split);
    heldOut.accumulate(blocks, target, split, rows);
  }

  if (options.ridge) {
    ridge = *options.ridge;
  } else if (holdout == 0 || trainRows == 0) {
    ridge = kFallbackRidge;
  } else {
    double best = std::numeric_limits<double>::infinity();
    for (double candidate : getRidgeCandidates()) {
      llvm::Expected<AffineSolution> solution = train.solve(candidate);
      if (!solution) {
        llvm::consumeError(solution.takeError());
        continue;
      }
      double error = heldOut.getResidualSumOfSquares(*solution);
      if (error < best) {
        best = error;
        ridge = candidate;
      }
    }
  }
  train.merge(heldOut);
  llvm::Expected<AffineSolution> solution = train.solve(ridge);
  if (!solution) {
    graph.sinks[index].form.value.getDefiningOp()->emitError()
        << "linearity-fold: refit failed: "
        << llvm::toString(solution.takeError());
    return failure();
  }

  AffineForm refitted;
  refitted.value = form.value;
  refitted.numFeatures = form.numFeatures;
  refitted.terms = form.terms;
  int64_t row = 0;
  for (unsigned t : weighted) {
    AffineTerm &term = refitted.terms[t];
    int64_t width = term.weight.getDimSize(0);
    SmallVector<int64_t> rows = llvm::to_vector(llvm::seq(row, row + width));
    term.weight = selectRows(solution->weights, rows);
    row += width;
  }
  if (form.hasBias())
    refitted.bias = std::move(solution->bias);
  return refitted;
}

LogicalResult Refitter::processSink(unsigned index, RefitResult &result) {
  const Sink &sink = graph.sinks[index];
  AffineForm &form = folded.forms[index];
  bool inputsDiffer = false;
  std::string whyNot = checkInputs(form, inputsDiffer);
  bool changed = folded.changed[index];
  std::optional<unsigned> layer = sink.layer;

  if (whyNot.empty() && !changed && !inputsDiffer) {
    // Same weights, same inputs: the original values.
    if (layer) {
      std::vector<Tensor> z = getTargets(index);
      for (Tensor &values : z)
        values.makeUnique(); // the activation is applied in place
      setActivations(*layer, std::move(z));
    }
    return success();
  }

  ConsumerRefit row;
  row.sink = index;
  row.name = sinkNames[index];
  row.errorBefore = row.errorAfter = std::nan("");
  if (layer)
    layerDiffers[*layer] = true;
  if (!whyNot.empty()) {
    // Its values are unknown from here on: its layer stays not computable.
    row.whyNot = std::move(whyNot);
    result.consumers.push_back(std::move(row));
    return success();
  }
  for (const AffineTerm &term : form.terms)
    if (term.hasWeight())
      row.features += term.weight.getDimSize(0);
  if (!changed && form.getNumParameters() > sink.ownedWeights)
    row.whyNot = "its weights are shared with other ops; a refit would "
                 "store them again";
  else if (row.features > options.maxFeatures)
    row.whyNot = llvm::formatv("{0} features, more than the refit takes ({1})",
                               row.features, options.maxFeatures);
  else if (row.features == 0 && !form.hasBias())
    row.whyNot = "it has no weights";

  // The error of `candidate` on the compressed model's inputs, relative to
  // the original values; its values per batch go to `values`.
  std::vector<Tensor> targets = getTargets(index);
  double targetSquares = 0.0;
  for (const Tensor &target : targets)
    for (float y : target.values())
      targetSquares += double(y) * y;
  auto measure = [&](const AffineForm &candidate, std::vector<Tensor> &values) {
    double sum = 0.0;
    for (auto [b, target] : llvm::enumerate(targets)) {
      values.push_back(evaluateAffineForm(
          candidate, target.getDimSize(0),
          [&](Value root) -> const Tensor & { return getRootValue(root, b); }));
      for (auto [z, y] :
           llvm::zip_equal(values.back().values(), target.values()))
        sum += (double(z) - y) * (double(z) - y);
    }
    return sum;
  };
  std::vector<Tensor> algebraicZ, refitZ;
  double before = measure(form, algebraicZ);
  double scale = targetSquares > 0.0 ? targetSquares : 1.0;
  row.errorBefore = row.errorAfter = std::sqrt(before / scale);
  // Exact up to float32 rounding (the interpreter's and OpenBLAS's sums
  // differ in order): nothing to gain.
  if (row.whyNot.empty() && row.errorBefore <= kExactError)
    row.whyNot = "the algebraic fold is exact on the calibration data";

  // Refit; keep it only if it reproduces the original better.
  if (row.whyNot.empty()) {
    FailureOr<AffineForm> refitted = fit(index, form, targets, row.ridge);
    if (failed(refitted))
      return failure();
    double after = measure(*refitted, refitZ);
    if (after < before) {
      row.refitted = true;
      row.errorAfter = std::sqrt(after / scale);
      form = std::move(*refitted);
      folded.changed[index] = true;
      algebraicZ = std::move(refitZ);
    } else {
      row.whyNot = "the refit did not reduce the calibration error";
    }
  }
  if (layer)
    setActivations(*layer, std::move(algebraicZ));
  result.consumers.push_back(std::move(row));
  return success();
}

FailureOr<RefitResult> Refitter::run() {
  RefitResult result;
  result.samples = recorded.numSamples;
  if (numBatches == 0 || recorded.numSamples == 0)
    return result;
  // Program order: sinks by the position of their value's definition.
  DenseMap<Operation *, unsigned> position;
  if (func::FuncOp func = getFunction(graph))
    for (auto [i, op] : llvm::enumerate(func.getBody().front()))
      position[&op] = i + 1;
  SmallVector<unsigned> order = llvm::to_vector(
      llvm::seq<unsigned>(0, static_cast<unsigned>(graph.sinks.size())));
  auto positionOf = [&](unsigned s) {
    Operation *def = graph.sinks[s].form.value.getDefiningOp();
    return def ? position.lookup(def) : 0u;
  };
  llvm::stable_sort(order, [&](unsigned a, unsigned b) {
    return positionOf(a) < positionOf(b);
  });
  unsigned numOutputs = 0;
  sinkNames.resize(graph.sinks.size());
  for (unsigned s : order)
    sinkNames[s] = graph.sinks[s].layer
                       ? graph.getLayerName(*graph.sinks[s].layer)
                       : llvm::formatv("output_{0}", numOutputs++).str();
  SmallVector<bool> live = graph.getLiveSinks([&](unsigned s, Value root) {
    return folded.forms[s].findTerm(root) != nullptr;
  });
  for (unsigned s : order) {
    if (!live[s] || folded.forms[s].numFeatures == 0 ||
        !recordedIndex.contains(graph.sinks[s].form.value))
      continue;
    if (failed(processSink(s, result)))
      return failure();
  }
  return result;
}

FailureOr<RefitResult> lin::refitFoldedForms(const LayerGraph &graph,
                                             FoldedForms &folded,
                                             const RecordedValues &recorded,
                                             const RefitOptions &options,
                                             const IRMapping *toGraph) {
  return Refitter(graph, folded, recorded, options, toGraph).run();
}
