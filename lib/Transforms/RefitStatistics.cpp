//===- RefitStatistics.cpp - What a sharded refit exchanges ---------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/RefitStatistics.h"
#include "lin/Support/AtomicOutput.h"
#include "lin/Support/Npy.h"
#include "lin/Transforms/FoldReport.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

#include <cmath>
#include <numeric>

using namespace lin;

static constexpr llvm::StringLiteral kStatisticsFormat = "lin-refit-statistics";
static constexpr llvm::StringLiteral kDecisionsFormat = "lin-refit-decisions";
static constexpr int64_t kVersion = 1;
static constexpr llvm::StringLiteral kManifest = "manifest.json";
static constexpr llvm::StringLiteral kWeights = "weights.npy";

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static std::string getPath(llvm::StringRef directory, llvm::StringRef name) {
  llvm::SmallString<128> path(directory);
  llvm::sys::path::append(path, name);
  return path.str().str();
}

static std::string getManifestPath(llvm::StringRef directory) {
  return getPath(directory, kManifest);
}

/// Creates `directory` if needed and removes its manifest: until a new one
/// is in place, the directory holds nothing complete.
static llvm::Error prepareDirectory(llvm::StringRef directory) {
  if (std::error_code ec = llvm::sys::fs::create_directories(directory))
    return makeError("cannot create '" + directory + "': " + ec.message());
  std::string manifestPath = getManifestPath(directory);
  if (std::error_code ec = llvm::sys::fs::remove(manifestPath))
    return makeError("cannot remove '" + manifestPath + "': " + ec.message());
  return llvm::Error::success();
}

/// Writes `manifest` as the directory's manifest.json, atomically.
static llvm::Error writeManifest(llvm::StringRef directory,
                                 llvm::json::Object manifest) {
  return writeFileAtomically(
      getManifestPath(directory), [&](llvm::raw_ostream &os) {
        os << llvm::formatv("{0:2}", llvm::json::Value(std::move(manifest)))
           << "\n";
        return llvm::Error::success();
      });
}

static llvm::StringRef getKindName(ConsumerStatisticsKind kind) {
  switch (kind) {
  case ConsumerStatisticsKind::Unknown:
    return "unknown";
  case ConsumerStatisticsKind::Residual:
    return "residual";
  case ConsumerStatisticsKind::NormalEquations:
    return "normal-equations";
  }
  llvm_unreachable("unknown statistics kind");
}

static std::optional<ConsumerStatisticsKind>
parseKindName(llvm::StringRef name) {
  for (ConsumerStatisticsKind kind :
       {ConsumerStatisticsKind::Unknown, ConsumerStatisticsKind::Residual,
        ConsumerStatisticsKind::NormalEquations})
    if (getKindName(kind) == name)
      return kind;
  return std::nullopt;
}

/// JSON integers are int64: the fingerprint travels as 16 hex digits.
static std::string formatFingerprint(uint64_t fingerprint) {
  return llvm::formatv("{0:x-16}", fingerprint).str();
}

/// An empty NormalEquations of the consumer's shape.
static NormalEquations makeEquations(const ConsumerStatistics &consumer) {
  return NormalEquations(consumer.features, consumer.targets,
                         consumer.intercept);
}

/// float64 values per block in a consumer's .npy file: the training and
/// held-out equations packed and sum ||y||^2, or the residual and sum ||y||^2.
static int64_t getRowSize(const ConsumerStatistics &consumer) {
  if (consumer.kind == ConsumerStatisticsKind::NormalEquations)
    return 2 * makeEquations(consumer).getPackedSize() + 1;
  return 2;
}

llvm::Error lin::writeRefitStatistics(llvm::StringRef directory,
                                      const RefitStatistics &statistics) {
  if (llvm::Error error = prepareDirectory(directory))
    return error;
  llvm::json::Array consumers;
  for (auto [index, consumer] : llvm::enumerate(statistics.consumers)) {
    llvm::json::Object entry{
        {"sink", int64_t(consumer.sink)},     {"name", consumer.name},
        {"kind", getKindName(consumer.kind)}, {"why_not", consumer.whyNot},
        {"features", consumer.features},      {"targets", consumer.targets},
        {"intercept", consumer.intercept}};
    if (consumer.kind != ConsumerStatisticsKind::Unknown) {
      std::string file = llvm::formatv("consumer{0}.npy", index).str();
      std::string path = getPath(directory, file);
      int64_t rowSize = getRowSize(consumer);
      int64_t numBlocks = consumer.blocks.size();
      llvm::Expected<std::unique_ptr<NpyWriter>> writer = NpyWriter::create(
          path, NpyDType::Float64, llvm::ArrayRef<int64_t>{numBlocks, rowSize});
      if (!writer)
        return writer.takeError();
      std::vector<double> row(rowSize);
      for (const RefitBlock &block : consumer.blocks) {
        if (consumer.kind == ConsumerStatisticsKind::NormalEquations) {
          int64_t packed = block.train->getPackedSize();
          block.train->pack(llvm::MutableArrayRef(row).take_front(packed));
          block.heldOut->pack(llvm::MutableArrayRef(row).slice(packed, packed));
        } else {
          row[0] = block.residualSquares;
        }
        row.back() = block.targetSquares;
        if (llvm::Error error = (*writer)->append(llvm::ArrayRef(row)))
          return error;
      }
      if (llvm::Error error = (*writer)->commit())
        return error;
      entry["file"] = file;
    }
    consumers.push_back(std::move(entry));
  }
  llvm::json::Object manifest{
      {"format", kStatisticsFormat},
      {"version", kVersion},
      {"fingerprint", formatFingerprint(statistics.fingerprint)},
      {"decided", statistics.numDecided},
      {"finished", statistics.finished},
      {"total_samples", statistics.totalSamples},
      {"block_samples", statistics.blockSamples},
      {"first_block", statistics.firstBlock},
      {"blocks", statistics.numBlocks},
      {"consumers", std::move(consumers)}};
  return writeManifest(directory, std::move(manifest));
}

namespace {
/// Reads typed fields of a JSON object, remembering the first missing or
/// mistyped one.
class FieldReader {
public:
  FieldReader(const llvm::json::Object &object, llvm::StringRef where)
      : object(object), where(where) {}

  int64_t integer(llvm::StringRef key) {
    if (std::optional<int64_t> value = object.getInteger(key))
      return *value;
    fail(key, "an integer");
    return 0;
  }
  bool boolean(llvm::StringRef key) {
    if (std::optional<bool> value = object.getBoolean(key))
      return *value;
    fail(key, "true or false");
    return false;
  }
  std::string string(llvm::StringRef key) {
    if (std::optional<llvm::StringRef> value = object.getString(key))
      return value->str();
    fail(key, "a string");
    return "";
  }
  /// A number, or null for NaN (JSON has none).
  double number(llvm::StringRef key) {
    const llvm::json::Value *value = object.get(key);
    if (value && value->getAsNull())
      return std::nan("");
    if (std::optional<double> number =
            value ? value->getAsNumber() : std::nullopt)
      return *number;
    fail(key, "a number or null");
    return 0.0;
  }
  /// 16 hex digits (JSON integers are int64).
  uint64_t fingerprint(llvm::StringRef key) {
    uint64_t value = 0;
    std::optional<llvm::StringRef> text = object.getString(key);
    if (!text || text->size() != 16 || text->getAsInteger(16, value))
      fail(key, "16 hex digits");
    return value;
  }
  const llvm::json::Array *array(llvm::StringRef key) {
    if (const llvm::json::Array *value = object.getArray(key))
      return value;
    fail(key, "an array");
    return nullptr;
  }

  llvm::Error takeError() {
    return problem.empty() ? llvm::Error::success() : makeError(problem);
  }

private:
  void fail(llvm::StringRef key, llvm::StringRef expected) {
    if (problem.empty())
      problem = (where + ": '" + key + "' must be " + expected).str();
  }

  const llvm::json::Object &object;
  std::string where;
  std::string problem;
};
} // namespace

/// Parses the JSON object of `path`, checking its format and version.
static llvm::Expected<llvm::json::Value> readManifest(llvm::StringRef path,
                                                      llvm::StringRef format) {
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      readInputFile(path);
  if (!buffer)
    return buffer.takeError();
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*buffer)->getBuffer());
  if (!json)
    return makeError("'" + path +
                     "' is not JSON: " + llvm::toString(json.takeError()));
  const llvm::json::Object *object = json->getAsObject();
  if (!object || object->getString("format") != format)
    return makeError("'" + path + "' is not a " + format + " file");
  if (object->getInteger("version") != kVersion)
    return makeError(
        llvm::formatv("'{0}' has a version other than {1}", path, kVersion));
  return json;
}

/// Reads the blocks of `consumer` from its .npy file.
static llvm::Error readBlocks(llvm::StringRef path, int64_t numBlocks,
                              ConsumerStatistics &consumer) {
  llvm::Expected<std::unique_ptr<NpyReader>> reader = NpyReader::open(path);
  if (!reader)
    return reader.takeError();
  int64_t rowSize = getRowSize(consumer);
  llvm::ArrayRef<int64_t> shape = (*reader)->getShape();
  if ((*reader)->getDType() != NpyDType::Float64 || shape.size() != 2 ||
      shape[0] != numBlocks || shape[1] != rowSize)
    return makeError(llvm::formatv(
        "'{0}' must be a float64 array of shape ({1}, {2}) for consumer {3}",
        path, numBlocks, rowSize, consumer.name));
  std::vector<double> row(rowSize);
  for (int64_t b = 0; b < numBlocks; ++b) {
    if (llvm::Error error = (*reader)->readRows(b, 1, row.data()))
      return error;
    RefitBlock block;
    if (consumer.kind == ConsumerStatisticsKind::NormalEquations) {
      block.train = makeEquations(consumer);
      block.heldOut = makeEquations(consumer);
      int64_t packed = block.train->getPackedSize();
      if (llvm::Error error =
              block.train->unpack(llvm::ArrayRef(row).take_front(packed)))
        return makeError("'" + path + "': " + llvm::toString(std::move(error)));
      if (llvm::Error error =
              block.heldOut->unpack(llvm::ArrayRef(row).slice(packed, packed)))
        return makeError("'" + path + "': " + llvm::toString(std::move(error)));
    } else {
      block.residualSquares = row[0];
    }
    block.targetSquares = row.back();
    consumer.blocks.push_back(std::move(block));
  }
  return llvm::Error::success();
}

llvm::Expected<RefitStatistics>
lin::readRefitStatistics(llvm::StringRef directory) {
  std::string manifestPath = getManifestPath(directory);
  llvm::Expected<llvm::json::Value> json =
      readManifest(manifestPath, kStatisticsFormat);
  if (!json)
    return json.takeError();
  const llvm::json::Object &object = *json->getAsObject();
  FieldReader fields(object, manifestPath);
  RefitStatistics statistics;
  statistics.fingerprint = fields.fingerprint("fingerprint");
  statistics.numDecided = fields.integer("decided");
  statistics.finished = fields.boolean("finished");
  statistics.totalSamples = fields.integer("total_samples");
  statistics.blockSamples = fields.integer("block_samples");
  statistics.firstBlock = fields.integer("first_block");
  statistics.numBlocks = fields.integer("blocks");
  const llvm::json::Array *consumers = fields.array("consumers");
  if (llvm::Error error = fields.takeError())
    return error;
  if (statistics.numDecided < 0 || statistics.totalSamples < 1 ||
      statistics.blockSamples < 1 || statistics.firstBlock < 0 ||
      statistics.numBlocks < 1)
    return makeError("'" + manifestPath +
                     "': the counts of decisions, samples and blocks are out "
                     "of range");

  for (const llvm::json::Value &value : *consumers) {
    const llvm::json::Object *entry = value.getAsObject();
    if (!entry)
      return makeError("'" + manifestPath + "': a consumer is not an object");
    FieldReader consumerFields(*entry, manifestPath);
    ConsumerStatistics consumer;
    int64_t sink = consumerFields.integer("sink");
    consumer.name = consumerFields.string("name");
    std::string kind = consumerFields.string("kind");
    consumer.whyNot = consumerFields.string("why_not");
    consumer.features = consumerFields.integer("features");
    consumer.targets = consumerFields.integer("targets");
    consumer.intercept = consumerFields.boolean("intercept");
    if (llvm::Error error = consumerFields.takeError())
      return error;
    std::optional<ConsumerStatisticsKind> parsedKind = parseKindName(kind);
    if (!parsedKind || sink < 0 ||
        sink > std::numeric_limits<unsigned>::max() || consumer.features < 0 ||
        consumer.targets < 0)
      return makeError("'" + manifestPath + "': consumer '" + consumer.name +
                       "' has an unknown kind or a negative size");
    consumer.sink = static_cast<unsigned>(sink);
    consumer.kind = *parsedKind;
    if (consumer.kind != ConsumerStatisticsKind::Unknown) {
      std::optional<llvm::StringRef> file = entry->getString("file");
      if (!file || file->contains('/') || file->empty())
        return makeError("'" + manifestPath + "': consumer '" + consumer.name +
                         "' needs the name of its file in the directory");
      if (llvm::Error error = readBlocks(getPath(directory, *file),
                                         statistics.numBlocks, consumer))
        return error;
    }
    statistics.consumers.push_back(std::move(consumer));
  }
  return statistics;
}

llvm::Expected<RefitStatistics>
lin::joinRefitStatistics(std::vector<RefitStatistics> shards,
                         llvm::ArrayRef<std::string> names) {
  assert(shards.size() == names.size() && !shards.empty() &&
         "one name per shard");
  std::vector<size_t> order(shards.size());
  std::iota(order.begin(), order.end(), 0);
  llvm::stable_sort(order, [&](size_t a, size_t b) {
    return shards[a].firstBlock < shards[b].firstBlock;
  });
  RefitStatistics joined = std::move(shards[order.front()]);
  llvm::StringRef firstName = names[order.front()];
  int64_t expectedBlocks =
      (joined.totalSamples + joined.blockSamples - 1) / joined.blockSamples;
  if (joined.firstBlock != 0)
    return makeError(llvm::formatv("no statistics of blocks [0, {0}) of {1} "
                                   "samples in blocks of {2}",
                                   joined.firstBlock, joined.totalSamples,
                                   joined.blockSamples));
  for (size_t k : llvm::drop_begin(order)) {
    RefitStatistics &shard = shards[k];
    auto differs = [&](llvm::StringRef what) {
      return makeError("'" + names[k] + "' and '" + firstName +
                       "' are statistics of different refits (" + what + ")");
    };
    if (shard.fingerprint != joined.fingerprint)
      return differs("another model or other refit options");
    if (shard.totalSamples != joined.totalSamples ||
        shard.blockSamples != joined.blockSamples)
      return differs("other sample or block counts");
    if (shard.numDecided != joined.numDecided ||
        shard.finished != joined.finished ||
        shard.consumers.size() != joined.consumers.size())
      return differs("other rounds");
    int64_t next = joined.firstBlock + joined.numBlocks;
    if (shard.firstBlock != next)
      return makeError(llvm::formatv(
          "'{0}' starts at block {1}, but the shards before it end at block "
          "{2}: the shards must cover every block exactly once",
          names[k], shard.firstBlock, next));
    for (auto [mine, theirs] :
         llvm::zip_equal(joined.consumers, shard.consumers)) {
      if (mine.sink != theirs.sink || mine.kind != theirs.kind ||
          mine.features != theirs.features || mine.targets != theirs.targets ||
          mine.intercept != theirs.intercept)
        return differs("other consumers");
      std::move(theirs.blocks.begin(), theirs.blocks.end(),
                std::back_inserter(mine.blocks));
    }
    joined.numBlocks += shard.numBlocks;
  }
  if (joined.numBlocks != expectedBlocks)
    return makeError(llvm::formatv(
        "the shards cover blocks [0, {0}) of the {1} blocks of {2} samples",
        joined.numBlocks, expectedBlocks, joined.totalSamples));
  return joined;
}

llvm::Error lin::writeRefitDecisions(llvm::StringRef directory,
                                     const RefitDecisions &decisions) {
  if (llvm::Error error = prepareDirectory(directory))
    return error;
  // The refitted weights, then bias, of every decision, one after another.
  int64_t numWeights = 0;
  for (const RefitDecision &decision : decisions.decisions)
    if (decision.solution)
      numWeights += decision.solution->weights.getNumElements() +
                    decision.solution->bias.getNumElements();
  llvm::Expected<std::unique_ptr<NpyWriter>> writer =
      NpyWriter::create(getPath(directory, kWeights), NpyDType::Float32,
                        llvm::ArrayRef<int64_t>{numWeights});
  if (!writer)
    return writer.takeError();
  llvm::json::Array entries;
  int64_t offset = 0;
  for (const RefitDecision &decision : decisions.decisions) {
    // The report's row, and what replaying it needs.
    llvm::json::Object entry = getConsumerRefitJSON(decision.row);
    entry["sink"] = int64_t(decision.row.sink);
    if (const std::optional<AffineSolution> &solution = decision.solution) {
      entry["targets"] = solution->weights.getDimSize(1);
      entry["bias"] = solution->bias.getRank() != 0;
      entry["offset"] = offset;
      for (const Tensor *part : {&solution->weights, &solution->bias})
        if (part->getRank() != 0) {
          if (llvm::Error error = (*writer)->append(part->values()))
            return error;
          offset += part->getNumElements();
        }
    }
    entries.push_back(std::move(entry));
  }
  if (llvm::Error error = (*writer)->commit())
    return error;
  llvm::json::Object manifest{
      {"format", kDecisionsFormat},
      {"version", kVersion},
      {"fingerprint", formatFingerprint(decisions.fingerprint)},
      {"samples", decisions.samples},
      {"complete", decisions.complete},
      {"decisions", std::move(entries)}};
  return writeManifest(directory, std::move(manifest));
}

/// Reads the refitted weights of `row` ([features x targets], then a bias
/// of `targets` values when `bias`) from `offset` in the decisions' weights.
static llvm::Expected<AffineSolution>
readSolution(NpyReader &weights, const ConsumerRefit &row, int64_t targets,
             bool bias, int64_t offset, llvm::StringRef where) {
  llvm::Expected<int64_t> matrixSize =
      Tensor::countElements(llvm::ArrayRef<int64_t>{row.features, targets});
  if (!matrixSize)
    return makeError(where + ": " + llvm::toString(matrixSize.takeError()));
  int64_t count = *matrixSize + (bias ? targets : int64_t(0));
  if (offset < 0 || offset > weights.getNumRows() - count)
    return makeError(llvm::formatv("{0}: its {1} weights at {2} are not in "
                                   "'{3}' ({4} values)",
                                   where, count, offset, weights.getPath(),
                                   weights.getNumRows()));
  AffineSolution solution;
  solution.weights = Tensor(llvm::ArrayRef<int64_t>{row.features, targets});
  if (bias)
    solution.bias = Tensor(llvm::ArrayRef<int64_t>{targets});
  for (Tensor *part : {&solution.weights, &solution.bias})
    if (part->getRank() != 0) {
      if (llvm::Error error =
              weights.readRows(offset, part->getNumElements(), part->data()))
        return error;
      offset += part->getNumElements();
    }
  return solution;
}

llvm::Expected<RefitDecisions>
lin::readRefitDecisions(llvm::StringRef directory) {
  std::string path = getManifestPath(directory);
  llvm::Expected<llvm::json::Value> json = readManifest(path, kDecisionsFormat);
  if (!json)
    return json.takeError();
  FieldReader fields(*json->getAsObject(), path);
  RefitDecisions decisions;
  decisions.fingerprint = fields.fingerprint("fingerprint");
  decisions.samples = fields.integer("samples");
  decisions.complete = fields.boolean("complete");
  const llvm::json::Array *entries = fields.array("decisions");
  if (llvm::Error error = fields.takeError())
    return error;
  llvm::Expected<std::unique_ptr<NpyReader>> weights =
      NpyReader::open(getPath(directory, kWeights));
  if (!weights)
    return weights.takeError();
  if ((*weights)->getDType() != NpyDType::Float32 ||
      (*weights)->getShape().size() != 1)
    return makeError("'" + (*weights)->getPath() +
                     "' must be a one-dimensional float32 array");

  for (const llvm::json::Value &value : *entries) {
    const llvm::json::Object *entry = value.getAsObject();
    if (!entry)
      return makeError("'" + path + "': a decision is not an object");
    FieldReader entryFields(*entry, path);
    RefitDecision decision;
    ConsumerRefit &row = decision.row;
    int64_t sink = entryFields.integer("sink");
    row.name = entryFields.string("name");
    row.refitted = entryFields.boolean("refitted");
    row.whyNot = entryFields.string("why_not");
    row.features = entryFields.integer("features");
    row.ridge = entryFields.number("ridge");
    row.errorBefore = entryFields.number("error_before");
    row.errorAfter = entryFields.number("error_after");
    int64_t targets = 0, offset = 0;
    bool bias = false;
    if (row.refitted) {
      targets = entryFields.integer("targets");
      offset = entryFields.integer("offset");
      bias = entryFields.boolean("bias");
    }
    if (llvm::Error error = entryFields.takeError())
      return error;
    if (sink < 0 || sink > std::numeric_limits<unsigned>::max() ||
        row.features < 0 || targets < 0)
      return makeError("'" + path + "': decision '" + row.name +
                       "' has a negative sink, feature or target count");
    row.sink = static_cast<unsigned>(sink);
    if (row.refitted) {
      llvm::Expected<AffineSolution> solution =
          readSolution(**weights, row, targets, bias, offset,
                       "'" + path + "': decision '" + row.name + "'");
      if (!solution)
        return solution.takeError();
      decision.solution = std::move(*solution);
    }
    decisions.decisions.push_back(std::move(decision));
  }
  return decisions;
}
