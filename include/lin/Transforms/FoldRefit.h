//===- FoldRefit.h - Least-squares refit of folded consumers ----*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Once a plan fixes which neurons leave the non-linear path, the shapes of
// the compressed model are fixed, but its weights need not be the algebraic
// ones: every consumer (a pre-activation or an output, i.e. a sink) of the
// folded graph is refitted, in program order, by ridge least squares so that
// it reproduces the ORIGINAL model's value on calibration data, its inputs
// taken from the already refitted, compressed model (upstream errors are
// compensated downstream). A neuron linear on only part of the data, or
// removed while not constant, so gets its best affine replacement.
//
// The original model's values (the consumers' targets and the inputs that do
// not depend on any folded layer) are recorded once with the interpreter
// (getRefitRecordedValues, recordValues); the compressed model's values are
// computed from the folded forms batch by batch. The normal equations are
// accumulated per batch in float64 (NormalEquations: sums, shards merge
// exactly); the ridge is fixed or chosen per consumer on a held-out slice.
// A refit that does not reduce the calibration error of the algebraic fold
// is discarded, so the refit is never worse on the data it is fitted on.
//
// Every decision is made from statistics alone (the errors before and after
// are residuals of the normal equations), and the statistics are summed per
// block of whole batches, then block by block in order. So the data can be
// split into shards of whole blocks whose statistics, computed apart and
// joined in order, give the same doubles, and the same model, as one run:
// a sharded refit runs one round per refit candidate (RefitShard,
// decideRefitConsumers, applyRefitDecisions; the files in
// RefitStatistics.h).
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_FOLDREFIT_H
#define LIN_TRANSFORMS_FOLDREFIT_H

#include "lin/Analysis/LayerGraph.h"
#include "lin/Interpreter/ValueRecorder.h"
#include "lin/Transforms/FoldAlgebra.h"

#include "mlir/IR/IRMapping.h"

#include <optional>
#include <string>

namespace lin {

struct RefitOptions {
  /// The relative ridge (NormalEquations::solve); nullopt: chosen per
  /// consumer from getRidgeCandidates() on a held-out slice of the data.
  std::optional<double> ridge;
  /// Share of the samples held out to choose the ridge, in (0, 1).
  double holdoutFraction = 0.2;
  /// Consumers with more features than this keep the algebraic fold (the
  /// normal equations take features^2 float64 values).
  int64_t maxFeatures = 16384;
  /// Samples per block of the statistics (rounded up to whole batches).
  int64_t blockSamples = 8192;
};

/// The ridges tried by a held-out choice, ascending.
llvm::ArrayRef<double> getRidgeCandidates();

/// What the refit did to one consumer.
struct ConsumerRefit {
  /// The sink (its index in the layer graph) and its name: the layer's for a
  /// pre-activation, `output_<k>` otherwise.
  unsigned sink = 0;
  std::string name;
  bool refitted = false;
  /// Why not, when it was not refitted.
  std::string whyNot;
  /// Relative reconstruction error on the calibration data,
  /// ||z - z_original|| / ||z_original||, of the algebraic fold and of the
  /// consumer as emitted (equal when not refitted); NaN when not computed.
  double errorBefore = 0.0, errorAfter = 0.0;
  /// The ridge used.
  double ridge = 0.0;
  /// Features the consumer was fitted on (its inputs' widths).
  int64_t features = 0;
};

struct RefitResult {
  llvm::SmallVector<ConsumerRefit> consumers;
  int64_t samples = 0;
};

struct RefitStatistics;
struct RefitDecisions;

/// How a run with data takes part in a sharded refit (RefitStatistics.h).
struct RefitShard {
  /// The decisions of earlier rounds: replayed, not remade.
  const RefitDecisions *decisions = nullptr;
  /// A worker run: instead of deciding, collect here the statistics of the
  /// undecided consumers up to and including the next refit candidate.
  RefitStatistics *statisticsOut = nullptr;
  /// Index of the data's first sample among all samples (a multiple of the
  /// block size), and all samples (-1: the data's).
  int64_t sampleOffset = 0;
  int64_t totalSamples = -1;
};

/// Identifies the folded forms of `graph` and the options that change the
/// refit's statistics or decisions: statistics and decisions carry it.
uint64_t getRefitFingerprint(const LayerGraph &graph, const FoldedForms &folded,
                             const RefitOptions &options);

/// The values of the original function the refit reads: every sink's value
/// (the targets) and every root that does not depend on a foldable layer.
llvm::SmallVector<mlir::Value> getRefitRecordedValues(const LayerGraph &graph);

/// Refits the folded forms of `graph` in place, marking the refitted sinks
/// changed. `recorded` holds the values getRefitRecordedValues named, for
/// the function `graph` describes or, through `toGraph`, for a function it
/// was cloned from. Fails only on an internal error or, with `shard`, on
/// decisions or sample ranges that do not fit (emitted); consumers that
/// cannot be refitted keep the algebraic fold, with the reason. A worker
/// run (shard->statisticsOut) returns no rows.
mlir::FailureOr<RefitResult>
refitFoldedForms(const LayerGraph &graph, FoldedForms &folded,
                 const RecordedValues &recorded, const RefitOptions &options,
                 const mlir::IRMapping *toGraph = nullptr,
                 const RefitShard *shard = nullptr);

/// The client run of a sharded refit: decides the consumers `statistics`
/// (all blocks, joinRefitStatistics) describes, exactly as a single run
/// does, and appends them to `decisions`. Errors (statistics or decisions
/// of another model, consumers that do not match) are emitted.
mlir::LogicalResult decideRefitConsumers(const LayerGraph &graph,
                                         const FoldedForms &folded,
                                         const RefitStatistics &statistics,
                                         const RefitOptions &options,
                                         RefitDecisions &decisions);

/// The final run of a sharded refit: applies complete `decisions` to the
/// folded forms, as refitFoldedForms would have. Errors are emitted.
mlir::FailureOr<RefitResult>
applyRefitDecisions(const LayerGraph &graph, FoldedForms &folded,
                    const RefitDecisions &decisions,
                    const RefitOptions &options);

} // namespace lin

#endif // LIN_TRANSFORMS_FOLDREFIT_H
