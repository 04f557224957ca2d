//===- RefitStatisticsTest.cpp - Sharded refit files ----------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The files a sharded refit exchanges read back exactly what was written
// (doubles bit for bit, NaN errors, every consumer kind), shards join in
// block order whatever order they come in, and files that do not fit are
// errors naming the file.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/RefitStatistics.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "gtest/gtest.h"

#include <cmath>
#include <fstream>
#include <random>

using namespace lin;

namespace {

class RefitStatisticsTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("lin-refit-test", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::string path(llvm::StringRef name) {
    llvm::SmallString<128> result(dir);
    llvm::sys::path::append(result, name);
    return std::string(result);
  }

  llvm::SmallString<128> dir;
};

/// Normal equations of random data (features 2, targets 1, intercept).
NormalEquations randomEquations(std::mt19937 &rng, int64_t rows) {
  std::normal_distribution<float> normal;
  Tensor x(llvm::ArrayRef<int64_t>{rows, 2});
  Tensor y(llvm::ArrayRef<int64_t>{rows, 1});
  for (float &v : x.values())
    v = normal(rng);
  for (float &v : y.values())
    v = normal(rng);
  NormalEquations equations(2, 1, true);
  equations.accumulate({&x}, y);
  return equations;
}

std::vector<double> packed(const NormalEquations &equations) {
  std::vector<double> values(equations.getPackedSize());
  equations.pack(values);
  return values;
}

/// Statistics of blocks [first, first + blocks) with three consumers: one of
/// each kind.
RefitStatistics makeShard(std::mt19937 &rng, int64_t first, int64_t blocks) {
  RefitStatistics shard;
  shard.fingerprint = 0xfedcba9876543210ull;
  shard.numDecided = 2;
  shard.totalSamples = 25;
  shard.blockSamples = 10;
  shard.firstBlock = first;
  shard.numBlocks = blocks;
  ConsumerStatistics unknown;
  unknown.sink = 0;
  unknown.name = "relu_0";
  unknown.whyNot = "it reads a value the refit does not model";
  ConsumerStatistics residual;
  residual.sink = 2;
  residual.name = "relu_1";
  residual.kind = ConsumerStatisticsKind::Residual;
  residual.whyNot = "it has no weights";
  residual.targets = 3;
  ConsumerStatistics fit;
  fit.sink = 1;
  fit.name = "output_0";
  fit.kind = ConsumerStatisticsKind::NormalEquations;
  fit.features = 2;
  fit.targets = 1;
  fit.intercept = true;
  for (int64_t b = 0; b < blocks; ++b) {
    RefitBlock block;
    block.residualSquares = 0.1 * (first + b + 1);
    block.targetSquares = 1.0 / 3.0 + first + b;
    residual.blocks.push_back(block);
    block.residualSquares = 0.0; // not part of normal-equations statistics
    block.train = randomEquations(rng, 7);
    block.heldOut = randomEquations(rng, 3);
    fit.blocks.push_back(block);
  }
  shard.consumers = {unknown, residual, fit};
  return shard;
}

void expectSameBlocks(const ConsumerStatistics &a,
                      const ConsumerStatistics &b) {
  EXPECT_EQ(a.sink, b.sink);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.whyNot, b.whyNot);
  EXPECT_EQ(a.features, b.features);
  EXPECT_EQ(a.targets, b.targets);
  EXPECT_EQ(a.intercept, b.intercept);
  ASSERT_EQ(a.blocks.size(), b.blocks.size());
  for (auto [x, y] : llvm::zip_equal(a.blocks, b.blocks)) {
    EXPECT_EQ(x.residualSquares, y.residualSquares);
    EXPECT_EQ(x.targetSquares, y.targetSquares);
    ASSERT_EQ(x.train.has_value(), y.train.has_value());
    if (x.train) {
      EXPECT_EQ(packed(*x.train), packed(*y.train));
      EXPECT_EQ(packed(*x.heldOut), packed(*y.heldOut));
    }
  }
}

TEST_F(RefitStatisticsTest, StatisticsRoundTripExactly) {
  std::mt19937 rng(1);
  RefitStatistics shard = makeShard(rng, 1, 2);
  shard.finished = true;
  ASSERT_FALSE(writeRefitStatistics(path("s"), shard));
  llvm::Expected<RefitStatistics> read = readRefitStatistics(path("s"));
  ASSERT_TRUE(bool(read)) << llvm::toString(read.takeError());
  EXPECT_EQ(read->fingerprint, shard.fingerprint);
  EXPECT_EQ(read->numDecided, 2);
  EXPECT_TRUE(read->finished);
  EXPECT_EQ(read->totalSamples, 25);
  EXPECT_EQ(read->blockSamples, 10);
  EXPECT_EQ(read->firstBlock, 1);
  EXPECT_EQ(read->numBlocks, 2);
  ASSERT_EQ(read->consumers.size(), 3u);
  for (auto [a, b] : llvm::zip_equal(read->consumers, shard.consumers))
    expectSameBlocks(a, b);

  // Rewriting into the same directory replaces the statistics.
  shard.consumers.pop_back();
  ASSERT_FALSE(writeRefitStatistics(path("s"), shard));
  read = readRefitStatistics(path("s"));
  ASSERT_TRUE(bool(read)) << llvm::toString(read.takeError());
  EXPECT_EQ(read->consumers.size(), 2u);
}

TEST_F(RefitStatisticsTest, ShardsJoinInBlockOrder) {
  std::mt19937 rng(2);
  RefitStatistics first = makeShard(rng, 0, 1);
  RefitStatistics rest = makeShard(rng, 1, 2);
  llvm::Expected<RefitStatistics> joined =
      joinRefitStatistics({rest, first}, {"rest", "first"});
  ASSERT_TRUE(bool(joined)) << llvm::toString(joined.takeError());
  EXPECT_EQ(joined->firstBlock, 0);
  EXPECT_EQ(joined->numBlocks, 3);
  const ConsumerStatistics &fit = joined->consumers[2];
  ASSERT_EQ(fit.blocks.size(), 3u);
  EXPECT_EQ(packed(*fit.blocks[0].train),
            packed(*first.consumers[2].blocks[0].train));
  EXPECT_EQ(packed(*fit.blocks[2].heldOut),
            packed(*rest.consumers[2].blocks[1].heldOut));
  EXPECT_EQ(joined->consumers[1].blocks[1].residualSquares,
            rest.consumers[1].blocks[0].residualSquares);
}

/// The message of a join that must fail.
std::string joinError(std::vector<RefitStatistics> shards) {
  std::vector<std::string> names;
  for (size_t k = 0; k < shards.size(); ++k)
    names.push_back("shard" + std::to_string(k));
  llvm::Expected<RefitStatistics> joined =
      joinRefitStatistics(std::move(shards), names);
  if (joined)
    return "";
  return llvm::toString(joined.takeError());
}

TEST_F(RefitStatisticsTest, ShardsThatDoNotFitAreErrors) {
  std::mt19937 rng(3);
  RefitStatistics a = makeShard(rng, 0, 1), b = makeShard(rng, 1, 2);
  EXPECT_NE(joinError({a}).find("the shards cover blocks [0, 1) of the 3"),
            std::string::npos);
  EXPECT_NE(joinError({b}).find("no statistics of blocks [0, 1)"),
            std::string::npos);
  EXPECT_NE(joinError({a, a, b}).find("starts at block 0, but the shards "
                                      "before it end at block 1"),
            std::string::npos);
  RefitStatistics other = b;
  other.fingerprint ^= 1;
  EXPECT_NE(joinError({a, other}).find("another model"), std::string::npos);
  other = b;
  other.numDecided = 3;
  EXPECT_NE(joinError({a, other}).find("other rounds"), std::string::npos);
  other = b;
  other.consumers[2].features = 3;
  EXPECT_NE(joinError({a, other}).find("other consumers"), std::string::npos);
  other = b;
  other.blockSamples = 5;
  EXPECT_NE(joinError({a, other}).find("other sample or block counts"),
            std::string::npos);
}

TEST_F(RefitStatisticsTest, DecisionsRoundTripExactly) {
  RefitDecisions decisions;
  decisions.fingerprint = 0x0123456789abcdefull;
  decisions.samples = 1000;
  decisions.complete = true;
  RefitDecision unknown;
  unknown.row.sink = 3;
  unknown.row.name = "relu_2";
  unknown.row.whyNot = "it reads relu_1, whose values could not be computed";
  unknown.row.errorBefore = unknown.row.errorAfter = std::nan("");
  RefitDecision refitted;
  refitted.row.sink = 1;
  refitted.row.name = "output_0";
  refitted.row.refitted = true;
  refitted.row.features = 2;
  refitted.row.ridge = 1e-5;
  refitted.row.errorBefore = 0.1 / 3.0;
  refitted.row.errorAfter = 1.0 / 7.0 * 1e-3;
  AffineSolution solution;
  solution.weights = Tensor(llvm::ArrayRef<int64_t>{2, 3});
  solution.bias = Tensor(llvm::ArrayRef<int64_t>{3});
  float next = 0.1f;
  for (float &v : solution.weights.values())
    v = next *= -1.7f;
  for (float &v : solution.bias.values())
    v = next *= 3.3f;
  refitted.solution = solution;
  decisions.decisions = {unknown, refitted};
  ASSERT_FALSE(writeRefitDecisions(path("d"), decisions));

  llvm::Expected<RefitDecisions> read = readRefitDecisions(path("d"));
  ASSERT_TRUE(bool(read)) << llvm::toString(read.takeError());
  EXPECT_EQ(read->fingerprint, decisions.fingerprint);
  EXPECT_EQ(read->samples, 1000);
  EXPECT_TRUE(read->complete);
  ASSERT_EQ(read->decisions.size(), 2u);
  const ConsumerRefit &first = read->decisions[0].row;
  EXPECT_EQ(first.sink, 3u);
  EXPECT_EQ(first.whyNot, unknown.row.whyNot);
  EXPECT_TRUE(std::isnan(first.errorBefore));
  EXPECT_TRUE(std::isnan(first.errorAfter));
  EXPECT_FALSE(read->decisions[0].solution);
  const RefitDecision &second = read->decisions[1];
  EXPECT_TRUE(second.row.refitted);
  EXPECT_EQ(second.row.ridge, 1e-5);
  EXPECT_EQ(second.row.errorBefore, refitted.row.errorBefore);
  EXPECT_EQ(second.row.errorAfter, refitted.row.errorAfter);
  ASSERT_TRUE(second.solution);
  EXPECT_EQ(second.solution->weights.getShape(), solution.weights.getShape());
  for (auto [a, b] : llvm::zip_equal(second.solution->weights.values(),
                                     solution.weights.values()))
    EXPECT_EQ(a, b);
  for (auto [a, b] :
       llvm::zip_equal(second.solution->bias.values(), solution.bias.values()))
    EXPECT_EQ(a, b);
}

TEST_F(RefitStatisticsTest, BadFilesAreErrorsNamingThem) {
  auto errorOf = [](auto expected) {
    return expected ? std::string() : llvm::toString(expected.takeError());
  };
  // No manifest: never read as statistics.
  ASSERT_FALSE(llvm::sys::fs::create_directory(path("empty")));
  EXPECT_NE(errorOf(readRefitStatistics(path("empty"))).find("manifest.json"),
            std::string::npos);
  // Decisions: not JSON, another format, a missing field, weights that are
  // not in weights.npy.
  RefitDecisions decisions;
  RefitDecision refitted;
  refitted.row.name = "relu_0";
  refitted.row.refitted = true;
  refitted.row.features = 2;
  refitted.solution =
      AffineSolution{Tensor(llvm::ArrayRef<int64_t>{2, 1}), Tensor()};
  decisions.decisions = {refitted};
  ASSERT_FALSE(writeRefitDecisions(path("d"), decisions));
  auto rewrite = [&](llvm::StringRef manifest) {
    std::ofstream(path("d/manifest.json")) << manifest.str();
    return errorOf(readRefitDecisions(path("d")));
  };
  EXPECT_NE(rewrite("not json").find("is not JSON"), std::string::npos);
  EXPECT_NE(rewrite(R"({"format": "lin-refit-statistics"})")
                .find("is not a lin-refit-decisions file"),
            std::string::npos);
  EXPECT_NE(rewrite(R"({"format": "lin-refit-decisions", "version": 1,
                        "fingerprint": "0123456789abcdef", "complete": true,
                        "decisions": []})")
                .find("'samples' must be an integer"),
            std::string::npos);
  std::string error = rewrite(
      R"({"format": "lin-refit-decisions", "version": 1,
          "fingerprint": "0123456789abcdef", "complete": true, "samples": 3,
          "decisions": [{"sink": 0, "name": "relu_0", "refitted": true,
          "why_not": "", "features": 2, "ridge": 0, "error_before": 1,
          "error_after": 0.5, "targets": 1, "bias": true, "offset": 0}]})");
  EXPECT_NE(error.find("decision 'relu_0': its 3 weights at 0 are not in"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("weights.npy' (2 values)"), std::string::npos) << error;
  ASSERT_FALSE(llvm::sys::fs::remove(path("d/weights.npy")));
  EXPECT_NE(rewrite(R"({"format": "lin-refit-decisions", "version": 1,
                        "fingerprint": "0123456789abcdef", "complete": true,
                        "samples": 3, "decisions": []})")
                .find("weights.npy"),
            std::string::npos);
}

} // namespace
