//===- RefitStatistics.h - What a sharded refit exchanges -------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// A sharded refit (FoldRefit.h) runs as stateless rounds of lin-opt runs
// that exchange two kinds of files:
//
// - the statistics of a shard (RefitStatistics): per undecided consumer and
//   per block of samples, what its decision needs (normal equations, or a
//   residual sum of squares), written by a worker run into a directory: one
//   float64 .npy per consumer, then manifest.json (written last, so a
//   directory without a manifest, or with an old one removed first, is never
//   read as complete statistics);
// - the decisions so far (RefitDecisions): the report row of every consumer
//   decided, in program order, with its refitted weights; a directory too:
//   weights.npy (float32, every refitted weight matrix and bias one after
//   another), then manifest.json (the rows, their errors printed with
//   enough digits to read back exactly, and where their weights are).
//   Binary weights, since every worker reads them every round.
//
// Both carry a fingerprint of the folded model and the refit options, so
// that files of another model or another configuration are rejected.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_REFITSTATISTICS_H
#define LIN_TRANSFORMS_REFITSTATISTICS_H

#include "lin/Support/LeastSquares.h"
#include "lin/Transforms/FoldRefit.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace lin {

/// What the statistics of a consumer are.
enum class ConsumerStatisticsKind {
  /// None: its values cannot be computed (the reason is its whyNot).
  Unknown,
  /// The residual of its algebraic fold: it is not refitted (whyNot says
  /// why) but its errors are reported.
  Residual,
  /// Normal equations: a refit candidate.
  NormalEquations,
};

/// The statistics of one consumer on one block of samples.
struct RefitBlock {
  /// NormalEquations: of the block's training and held-out samples.
  std::optional<NormalEquations> train, heldOut;
  /// Residual: sum ||z - y||^2 of the algebraic fold over the block.
  double residualSquares = 0.0;
  /// sum ||y||^2 of the original values over the block (the relative
  /// errors' denominator).
  double targetSquares = 0.0;
};

/// The statistics of one consumer on consecutive blocks.
struct ConsumerStatistics {
  /// The sink (its index in the layer graph) and its report name.
  unsigned sink = 0;
  std::string name;
  ConsumerStatisticsKind kind = ConsumerStatisticsKind::Unknown;
  /// Why it is not refitted, when known before its statistics.
  std::string whyNot;
  /// Its features (the widths of its weighted terms) and targets.
  int64_t features = 0, targets = 0;
  bool intercept = false;
  /// One per block (none for Unknown).
  std::vector<RefitBlock> blocks;
};

/// The statistics a worker run computed on its shard.
struct RefitStatistics {
  uint64_t fingerprint = 0;
  /// The decisions the run replayed: it describes the consumers after them.
  int64_t numDecided = 0;
  /// Whether no consumer is left after these.
  bool finished = false;
  /// All calibration samples, and the samples per block.
  int64_t totalSamples = 0, blockSamples = 0;
  /// The blocks described: [firstBlock, firstBlock + numBlocks).
  int64_t firstBlock = 0, numBlocks = 0;
  std::vector<ConsumerStatistics> consumers;
};

/// Writes `statistics` into `directory` (created if needed).
llvm::Error writeRefitStatistics(llvm::StringRef directory,
                                 const RefitStatistics &statistics);
/// Reads what writeRefitStatistics wrote; errors name the file.
llvm::Expected<RefitStatistics> readRefitStatistics(llvm::StringRef directory);

/// The statistics of all blocks from shards (in any order) that describe
/// the same consumers and cover every block of the samples exactly once:
/// their blocks in block order. `names` name the shards in errors.
llvm::Expected<RefitStatistics>
joinRefitStatistics(std::vector<RefitStatistics> shards,
                    llvm::ArrayRef<std::string> names);

/// The decision on one consumer.
struct RefitDecision {
  ConsumerRefit row;
  /// The refitted weights ([features x targets]) and bias, when
  /// row.refitted.
  std::optional<AffineSolution> solution;
};

/// The decisions of a sharded refit so far, in program order.
struct RefitDecisions {
  uint64_t fingerprint = 0;
  /// All calibration samples.
  int64_t samples = 0;
  /// Whether every consumer is decided.
  bool complete = false;
  std::vector<RefitDecision> decisions;
};

/// Writes `decisions` into `directory` (created if needed).
llvm::Error writeRefitDecisions(llvm::StringRef directory,
                                const RefitDecisions &decisions);
/// Reads what writeRefitDecisions wrote; errors name the file.
llvm::Expected<RefitDecisions> readRefitDecisions(llvm::StringRef directory);

} // namespace lin

#endif // LIN_TRANSFORMS_REFITSTATISTICS_H
