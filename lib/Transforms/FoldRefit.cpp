//===- FoldRefit.cpp - Least-squares refit of folded consumers ------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/FoldRefit.h"
#include "lin/Support/DenseAlgebra.h"
#include "lin/Support/LeastSquares.h"
#include "lin/Transforms/RefitStatistics.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <cmath>
#include <cstring>
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

/// The consumers in program order (sinks by the position of their value's
/// definition), and every sink's report name: the layer's for a
/// pre-activation, `output_<k>` otherwise.
static SmallVector<unsigned> getSinkOrder(const LayerGraph &graph,
                                          SmallVectorImpl<std::string> &names) {
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
  names.assign(graph.sinks.size(), "");
  for (unsigned s : order)
    names[s] = graph.sinks[s].layer
                   ? graph.getLayerName(*graph.sinks[s].layer)
                   : llvm::formatv("output_{0}", numOutputs++).str();
  return order;
}

/// The weighted terms of `form`, in the order their rows are stacked in a
/// refit's features.
static SmallVector<unsigned> getWeightedTerms(const AffineForm &form) {
  SmallVector<unsigned> weighted;
  for (auto [t, term] : llvm::enumerate(form.terms))
    if (term.hasWeight())
      weighted.push_back(t);
  return weighted;
}

static int64_t getNumWeightedFeatures(const AffineForm &form) {
  int64_t features = 0;
  for (unsigned t : getWeightedTerms(form))
    features += form.terms[t].weight.getDimSize(0);
  return features;
}

/// The weights of `form` as a solution of its refit: its weighted terms'
/// weights stacked in feature order, its bias.
static AffineSolution getAlgebraicSolution(const AffineForm &form) {
  AffineSolution solution;
  int64_t features = getNumWeightedFeatures(form);
  solution.weights =
      Tensor(llvm::ArrayRef<int64_t>{features, form.numFeatures});
  float *out = solution.weights.data();
  for (unsigned t : getWeightedTerms(form)) {
    const Tensor &weight = form.terms[t].weight;
    out = std::copy_n(weight.data(), weight.getNumElements(), out);
  }
  solution.bias = form.bias;
  return solution;
}

/// `form` with the weights of `solution` (getAlgebraicSolution's layout).
static AffineForm withSolution(const AffineForm &form,
                               const AffineSolution &solution) {
  AffineForm refitted;
  refitted.value = form.value;
  refitted.numFeatures = form.numFeatures;
  refitted.terms = form.terms;
  int64_t row = 0;
  for (unsigned t : getWeightedTerms(form)) {
    AffineTerm &term = refitted.terms[t];
    int64_t width = term.weight.getDimSize(0);
    SmallVector<int64_t> rows = llvm::to_vector(llvm::seq(row, row + width));
    term.weight = selectRows(solution.weights, rows);
    row += width;
  }
  if (form.hasBias())
    refitted.bias = solution.bias;
  return refitted;
}

uint64_t lin::getRefitFingerprint(const LayerGraph &graph,
                                  const FoldedForms &folded,
                                  const RefitOptions &options) {
  SmallVector<uint64_t> parts;
  auto addTensor = [&](const Tensor &tensor) {
    for (int64_t size : tensor.getShape())
      parts.push_back(size);
    if (tensor.hasStorage())
      parts.push_back(llvm::xxh3_64bits(
          llvm::ArrayRef(reinterpret_cast<const uint8_t *>(tensor.data()),
                         tensor.getNumElements() * sizeof(float))));
  };
  auto addDouble = [&](double value) {
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof(bits));
    parts.push_back(bits);
  };
  addDouble(options.ridge ? *options.ridge : -1.0);
  addDouble(options.holdoutFraction);
  parts.push_back(options.maxFeatures);
  parts.push_back(options.blockSamples);
  parts.push_back(graph.sinks.size());
  for (auto [form, changed] : llvm::zip_equal(folded.forms, folded.changed)) {
    parts.push_back(changed);
    parts.push_back(form.numFeatures);
    parts.push_back(form.terms.size());
    for (const AffineTerm &term : form.terms) {
      parts.push_back(term.identity);
      addTensor(term.weight);
    }
    addTensor(form.bias);
  }
  return llvm::xxh3_64bits(
      llvm::ArrayRef(reinterpret_cast<const uint8_t *>(parts.data()),
                     parts.size() * sizeof(uint64_t)));
}

/// The decision on a consumer from its statistics over all blocks (the
/// blocks summed in order): the same doubles wherever the blocks were
/// computed. Fails only when LAPACK does (emitted).
static FailureOr<RefitDecision> decide(const ConsumerStatistics &statistics,
                                       const AffineForm &form,
                                       const RefitOptions &options) {
  RefitDecision decision;
  ConsumerRefit &row = decision.row;
  row.sink = statistics.sink;
  row.name = statistics.name;
  row.whyNot = statistics.whyNot;
  row.errorBefore = row.errorAfter = std::nan("");
  if (statistics.kind == ConsumerStatisticsKind::Unknown)
    return decision;
  row.features = statistics.features;
  double targetSquares = 0.0;
  for (const RefitBlock &block : statistics.blocks)
    targetSquares += block.targetSquares;
  double scale = targetSquares > 0.0 ? targetSquares : 1.0;
  if (statistics.kind == ConsumerStatisticsKind::Residual) {
    double residual = 0.0;
    for (const RefitBlock &block : statistics.blocks)
      residual += block.residualSquares;
    row.errorBefore = row.errorAfter = std::sqrt(residual / scale);
    return decision;
  }

  NormalEquations train(statistics.features, statistics.targets,
                        statistics.intercept);
  NormalEquations heldOut = train;
  for (const RefitBlock &block : statistics.blocks) {
    train.merge(*block.train);
    heldOut.merge(*block.heldOut);
  }
  NormalEquations all = train;
  all.merge(heldOut);
  double before = all.getResidualSumOfSquares(getAlgebraicSolution(form));
  row.errorBefore = row.errorAfter = std::sqrt(before / scale);
  // Exact up to float32 rounding (the interpreter's and OpenBLAS's sums
  // differ in order): nothing to gain.
  if (row.errorBefore <= kExactError) {
    row.whyNot = "the algebraic fold is exact on the calibration data";
    return decision;
  }

  if (options.ridge) {
    row.ridge = *options.ridge;
  } else if (heldOut.getNumSamples() == 0 || train.getNumSamples() == 0) {
    row.ridge = kFallbackRidge;
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
        row.ridge = candidate;
      }
    }
  }
  llvm::Expected<AffineSolution> solution = all.solve(row.ridge);
  if (!solution) {
    form.value.getDefiningOp()->emitError()
        << "linearity-fold: refit failed: "
        << llvm::toString(solution.takeError());
    return failure();
  }
  // Keep the refit only if it reproduces the original better.
  double after = all.getResidualSumOfSquares(*solution);
  if (after < before) {
    row.refitted = true;
    row.errorAfter = std::sqrt(after / scale);
    decision.solution = std::move(*solution);
  } else {
    row.whyNot = "the refit did not reduce the calibration error";
  }
  return decision;
}

/// Checks that `decision` is one of the consumer `sink` named `name` with
/// the shape of `form`; emits an error on `func` otherwise.
static LogicalResult checkDecision(const RefitDecision &decision, unsigned sink,
                                   StringRef name, const AffineForm &form,
                                   func::FuncOp func) {
  auto fail = [&](const Twine &why) {
    return func.emitError()
           << "linearity-fold: refit-decisions do not fit this model: " << why;
  };
  if (decision.row.sink != sink || decision.row.name != name)
    return fail("decision '" + decision.row.name + "' where consumer '" + name +
                "' comes");
  if (!decision.solution)
    return success();
  const AffineSolution &solution = *decision.solution;
  if (solution.weights.getDimSize(0) != getNumWeightedFeatures(form) ||
      solution.weights.getDimSize(1) != form.numFeatures ||
      (solution.bias.getRank() != 0) != form.hasBias())
    return fail(llvm::formatv(
        "consumer '{0}' has {1} features and {2} "
        "targets{3}, its decision {4} and {5}{6}",
        name, getNumWeightedFeatures(form), form.numFeatures,
        form.hasBias() ? " with a bias" : "", solution.weights.getDimSize(0),
        solution.weights.getDimSize(1),
        solution.bias.getRank() ? " with a bias" : ""));
  return success();
}

namespace {

/// The refit of one function, consumer by consumer in program order.
class Refitter {
public:
  Refitter(const LayerGraph &graph, FoldedForms &folded,
           const RecordedValues &recorded, const RefitOptions &options,
           const IRMapping *toGraph, const RefitShard *shard)
      : graph(graph), folded(folded), recorded(recorded), options(options),
        shard(shard) {
    for (auto [index, value] : llvm::enumerate(recorded.values))
      recordedIndex[toGraph ? toGraph->lookupOrDefault(value) : value] = index;
    activations.resize(graph.layers.size());
    layerComputable.assign(graph.layers.size(), false);
    layerDiffers.assign(graph.layers.size(), false);
    int64_t offset = shard ? shard->sampleOffset : 0;
    for (const SmallVector<Tensor> &batch : recorded.batches) {
      batchOffsets.push_back(offset);
      offset += batch.empty() ? 0 : batch.front().getDimSize(0);
    }
    numBatches = recorded.batches.size();
    totalSamples = shard && shard->totalSamples >= 0 ? shard->totalSamples
                                                     : recorded.numSamples;
    int64_t batch = std::max<int64_t>(recorded.batchSize, 1);
    blockSamples = (std::max<int64_t>(options.blockSamples, 1) + batch - 1) /
                   batch * batch;
  }

  FailureOr<RefitResult> run();

private:
  /// Checks the shard's samples and decisions against the data and model.
  LogicalResult checkShard(func::FuncOp func, uint64_t fingerprint) const;
  /// Refits (or just recomputes) sink `index`; adds its row to `result`.
  /// Sets `stop` when a worker run has collected what it can.
  LogicalResult processSink(unsigned index, RefitResult &result, bool &stop);
  /// Why sink `index` cannot be computed from recorded and recomputed
  /// values (empty when it can); sets `inputsDiffer`.
  std::string checkInputs(const AffineForm &form, bool &inputsDiffer) const;
  /// What statistics sink `index` needs and what is known before them.
  ConsumerStatistics describe(unsigned index, std::string whyNot) const;
  /// Computes the blocks of `statistics` on the data; for a Residual
  /// consumer, its algebraic values per batch go to `values`.
  void collect(const AffineForm &form, ConsumerStatistics &statistics,
               std::vector<Tensor> &values) const;
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
  /// `form` evaluated on every batch.
  std::vector<Tensor> evaluate(const AffineForm &form) const;
  /// Stores the compressed activations of `layer` computed from the
  /// pre-activations `z` (one per batch).
  void setActivations(unsigned layer, std::vector<Tensor> z);
  /// Index of the block of the global sample `sample` among the data's.
  int64_t getLocalBlock(int64_t sample) const {
    return sample / blockSamples - batchOffsets.front() / blockSamples;
  }
  int64_t getNumLocalBlocks() const {
    return numBatches == 0
               ? 0
               : getLocalBlock(batchOffsets.front() + recorded.numSamples - 1) +
                     1;
  }

  const LayerGraph &graph;
  FoldedForms &folded;
  const RecordedValues &recorded;
  const RefitOptions &options;
  const RefitShard *shard;
  DenseMap<Value, unsigned> recordedIndex;
  /// Per foldable layer: its activations in the compressed model per batch,
  /// whether they could be computed, whether they differ from the original.
  std::vector<std::vector<Tensor>> activations;
  SmallVector<bool> layerComputable, layerDiffers;
  /// Per sink, its name in the report.
  SmallVector<std::string> sinkNames;
  /// Per batch, the global index of its first sample.
  SmallVector<int64_t> batchOffsets;
  size_t numBatches = 0;
  int64_t totalSamples = 0, blockSamples = 1;
  /// Decisions replayed so far.
  size_t numReplayed = 0;
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

std::vector<Tensor> Refitter::evaluate(const AffineForm &form) const {
  std::vector<Tensor> values;
  for (size_t b = 0; b < numBatches; ++b) {
    int64_t rows = recorded.batches[b].front().getDimSize(0);
    values.push_back(
        evaluateAffineForm(form, rows, [&](Value root) -> const Tensor & {
          return getRootValue(root, b);
        }));
  }
  return values;
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

ConsumerStatistics Refitter::describe(unsigned index,
                                      std::string whyNot) const {
  const Sink &sink = graph.sinks[index];
  const AffineForm &form = folded.forms[index];
  ConsumerStatistics statistics;
  statistics.sink = index;
  statistics.name = sinkNames[index];
  statistics.whyNot = std::move(whyNot);
  if (!statistics.whyNot.empty())
    return statistics; // Unknown: its values cannot be computed
  statistics.features = getNumWeightedFeatures(form);
  statistics.targets = form.numFeatures;
  statistics.intercept = form.hasBias();
  statistics.kind = ConsumerStatisticsKind::Residual;
  if (!folded.changed[index] && form.getNumParameters() > sink.ownedWeights)
    statistics.whyNot = "its weights are shared with other ops; a refit "
                        "would store them again";
  else if (statistics.features > options.maxFeatures)
    statistics.whyNot =
        llvm::formatv("{0} features, more than the refit takes ({1})",
                      statistics.features, options.maxFeatures);
  else if (statistics.features == 0 && !form.hasBias())
    statistics.whyNot = "it has no weights";
  else
    statistics.kind = ConsumerStatisticsKind::NormalEquations;
  return statistics;
}

void Refitter::collect(const AffineForm &form, ConsumerStatistics &statistics,
                       std::vector<Tensor> &values) const {
  std::vector<Tensor> targets = getTargets(statistics.sink);
  bool fitting = statistics.kind == ConsumerStatisticsKind::NormalEquations;
  statistics.blocks.resize(getNumLocalBlocks());
  if (fitting)
    for (RefitBlock &block : statistics.blocks) {
      block.train.emplace(statistics.features, statistics.targets,
                          statistics.intercept);
      block.heldOut.emplace(*block.train);
    }
  // The held-out slice is the last share of all samples.
  int64_t holdout =
      options.ridge ? 0
                    : static_cast<int64_t>(
                          std::floor(totalSamples * options.holdoutFraction));
  int64_t trainSamples = totalSamples - holdout;
  SmallVector<unsigned> weighted = getWeightedTerms(form);
  // Batches are whole in a block (blocks hold whole batches); accumulated
  // in order.
  for (auto [b, target] : llvm::enumerate(targets)) {
    RefitBlock &block = statistics.blocks[getLocalBlock(batchOffsets[b])];
    for (float y : target.values())
      block.targetSquares += double(y) * y;
    if (!fitting) {
      values.push_back(evaluateAffineForm(
          form, target.getDimSize(0),
          [&](Value root) -> const Tensor & { return getRootValue(root, b); }));
      for (auto [z, y] :
           llvm::zip_equal(values.back().values(), target.values()))
        block.residualSquares += (double(z) - y) * (double(z) - y);
      continue;
    }
    SmallVector<const Tensor *> features;
    for (unsigned t : weighted)
      features.push_back(&getRootValue(form.terms[t].root, b));
    Tensor reduced = subtractIdentityParts(form, target, b);
    int64_t rows = reduced.getDimSize(0);
    int64_t split =
        std::clamp<int64_t>(trainSamples - batchOffsets[b], 0, rows);
    block.train->accumulate(features, reduced, 0, split);
    block.heldOut->accumulate(features, reduced, split, rows);
  }
}

LogicalResult Refitter::processSink(unsigned index, RefitResult &result,
                                    bool &stop) {
  const Sink &sink = graph.sinks[index];
  AffineForm &form = folded.forms[index];
  bool inputsDiffer = false;
  std::string whyNot = checkInputs(form, inputsDiffer);
  std::optional<unsigned> layer = sink.layer;

  if (whyNot.empty() && !folded.changed[index] && !inputsDiffer) {
    // Same weights, same inputs: the original values.
    if (layer) {
      std::vector<Tensor> z = getTargets(index);
      for (Tensor &values : z)
        values.makeUnique(); // the activation is applied in place
      setActivations(*layer, std::move(z));
    }
    return success();
  }
  if (layer)
    layerDiffers[*layer] = true;
  ConsumerStatistics statistics = describe(index, std::move(whyNot));
  bool known = statistics.kind != ConsumerStatisticsKind::Unknown;

  // Decided in an earlier round of a sharded refit: replayed.
  if (shard && shard->decisions &&
      numReplayed < shard->decisions->decisions.size()) {
    const RefitDecision &decision = shard->decisions->decisions[numReplayed++];
    if (failed(checkDecision(decision, index, sinkNames[index], form,
                             getFunction(graph))))
      return failure();
    if (decision.solution) {
      form = withSolution(form, *decision.solution);
      folded.changed[index] = true;
    }
    if (known && layer)
      setActivations(*layer, evaluate(form));
    return success();
  }

  std::vector<Tensor> values;
  if (known)
    collect(form, statistics, values);
  if (shard && shard->statisticsOut) {
    // A worker: the client decides. The values of a consumer that is not
    // refitted are those of its algebraic fold whatever the decision, so
    // the run goes on up to the next refit candidate.
    bool candidate = statistics.kind == ConsumerStatisticsKind::NormalEquations;
    shard->statisticsOut->consumers.push_back(std::move(statistics));
    stop = candidate;
    if (!candidate && known && layer)
      setActivations(*layer, std::move(values));
    return success();
  }

  FailureOr<RefitDecision> decision = decide(statistics, form, options);
  if (failed(decision))
    return failure();
  if (decision->solution) {
    form = withSolution(form, *decision->solution);
    folded.changed[index] = true;
  }
  if (known && layer)
    setActivations(*layer, statistics.kind == ConsumerStatisticsKind::Residual
                               ? std::move(values)
                               : evaluate(form));
  result.consumers.push_back(std::move(decision->row));
  return success();
}

LogicalResult Refitter::checkShard(func::FuncOp func,
                                   uint64_t fingerprint) const {
  if (!shard)
    return success();
  int64_t begin = shard->sampleOffset, end = begin + recorded.numSamples;
  if (begin % blockSamples != 0 || end > totalSamples ||
      (end != totalSamples && end % blockSamples != 0))
    return func.emitError()
           << "linearity-fold: the shard's samples [" << begin << ", " << end
           << ") are not whole blocks of " << blockSamples
           << " samples (refit-block rounded up to whole batches) among "
           << totalSamples << " (refit-sample-offset, refit-total-samples)";
  if (!shard->decisions)
    return success();
  if (shard->decisions->fingerprint != fingerprint)
    return func.emitError()
           << "linearity-fold: refit-decisions were made for another model "
              "or other refit options";
  if (shard->decisions->samples != totalSamples)
    return func.emitError()
           << "linearity-fold: refit-decisions were made on "
           << shard->decisions->samples << " samples, not " << totalSamples;
  return success();
}

FailureOr<RefitResult> Refitter::run() {
  RefitResult result;
  result.samples = totalSamples;
  func::FuncOp func = getFunction(graph);
  // Hashes every weight: only for a sharded refit.
  uint64_t fingerprint =
      shard ? getRefitFingerprint(graph, folded, options) : 0;
  if (failed(checkShard(func, fingerprint)))
    return failure();
  RefitStatistics *statisticsOut = shard ? shard->statisticsOut : nullptr;
  if (statisticsOut) {
    statisticsOut->fingerprint = fingerprint;
    statisticsOut->numDecided =
        shard->decisions ? shard->decisions->decisions.size() : 0;
    statisticsOut->totalSamples = totalSamples;
    statisticsOut->blockSamples = blockSamples;
    statisticsOut->firstBlock = shard->sampleOffset / blockSamples;
    statisticsOut->numBlocks = getNumLocalBlocks();
  }
  if (numBatches == 0 || recorded.numSamples == 0)
    return result;
  SmallVector<unsigned> order = getSinkOrder(graph, sinkNames);
  SmallVector<bool> live = graph.getLiveSinks([&](unsigned s, Value root) {
    return folded.forms[s].findTerm(root) != nullptr;
  });
  bool stop = false;
  for (unsigned s : order) {
    if (!live[s] || folded.forms[s].numFeatures == 0 ||
        !recordedIndex.contains(graph.sinks[s].form.value))
      continue;
    if (failed(processSink(s, result, stop)))
      return failure();
    if (stop)
      break;
  }
  if (statisticsOut)
    statisticsOut->finished = !stop;
  return result;
}

FailureOr<RefitResult> lin::refitFoldedForms(const LayerGraph &graph,
                                             FoldedForms &folded,
                                             const RecordedValues &recorded,
                                             const RefitOptions &options,
                                             const IRMapping *toGraph,
                                             const RefitShard *shard) {
  return Refitter(graph, folded, recorded, options, toGraph, shard).run();
}

LogicalResult lin::decideRefitConsumers(const LayerGraph &graph,
                                        const FoldedForms &folded,
                                        const RefitStatistics &statistics,
                                        const RefitOptions &options,
                                        RefitDecisions &decisions) {
  func::FuncOp func = getFunction(graph);
  auto fail = [&](const Twine &why) {
    return func.emitError() << "linearity-fold: refit-statistics-in "
                               "do not fit: "
                            << why;
  };
  uint64_t fingerprint = getRefitFingerprint(graph, folded, options);
  if (statistics.fingerprint != fingerprint)
    return fail("they are statistics of another model or of other refit "
                "options");
  if (!decisions.decisions.empty() || decisions.complete) {
    if (decisions.fingerprint != fingerprint)
      return func.emitError()
             << "linearity-fold: refit-decisions were made for another "
                "model or other refit options";
    if (decisions.samples != statistics.totalSamples)
      return fail(llvm::formatv("they describe {0} samples, the decisions {1}",
                                statistics.totalSamples, decisions.samples));
  }
  if (decisions.complete)
    return func.emitError() << "linearity-fold: refit-decisions are "
                               "complete: nothing is left to decide";
  if (statistics.numDecided != int64_t(decisions.decisions.size()))
    return fail(llvm::formatv("computed after {0} decisions, but "
                              "refit-decisions hold {1}",
                              statistics.numDecided,
                              decisions.decisions.size()));
  SmallVector<std::string> names;
  getSinkOrder(graph, names);
  for (const ConsumerStatistics &consumer : statistics.consumers) {
    if (consumer.sink >= graph.sinks.size() ||
        names[consumer.sink] != consumer.name)
      return fail("consumer '" + consumer.name + "' is not in this model");
    const AffineForm &form = folded.forms[consumer.sink];
    if (consumer.kind != ConsumerStatisticsKind::Unknown &&
        (consumer.features != getNumWeightedFeatures(form) ||
         consumer.targets != form.numFeatures ||
         consumer.intercept != form.hasBias()))
      return fail(llvm::formatv("consumer '{0}' has {1} features and {2} "
                                "targets, its statistics {3} and {4}",
                                consumer.name, getNumWeightedFeatures(form),
                                form.numFeatures, consumer.features,
                                consumer.targets));
    FailureOr<RefitDecision> decision = decide(consumer, form, options);
    if (failed(decision))
      return failure();
    decisions.decisions.push_back(std::move(*decision));
  }
  decisions.fingerprint = fingerprint;
  decisions.samples = statistics.totalSamples;
  decisions.complete = statistics.finished;
  return success();
}

FailureOr<RefitResult> lin::applyRefitDecisions(const LayerGraph &graph,
                                                FoldedForms &folded,
                                                const RefitDecisions &decisions,
                                                const RefitOptions &options) {
  func::FuncOp func = getFunction(graph);
  if (decisions.fingerprint != getRefitFingerprint(graph, folded, options))
    return func.emitError()
           << "linearity-fold: refit-decisions were made for another model "
              "or other refit options";
  if (!decisions.complete)
    return func.emitError()
           << "linearity-fold: refit-decisions are not complete: run "
              "another round (a worker run per shard, then the client run) "
              "before applying them";
  SmallVector<std::string> names;
  getSinkOrder(graph, names);
  RefitResult result;
  result.samples = decisions.samples;
  for (const RefitDecision &decision : decisions.decisions) {
    unsigned sink = decision.row.sink;
    if (sink >= graph.sinks.size())
      return func.emitError() << "linearity-fold: refit-decisions name a "
                                 "consumer this model does not have";
    if (failed(checkDecision(decision, sink, names[sink], folded.forms[sink],
                             func)))
      return failure();
    if (decision.solution) {
      folded.forms[sink] = withSolution(folded.forms[sink], *decision.solution);
      folded.changed[sink] = true;
    }
    result.consumers.push_back(decision.row);
  }
  return result;
}
