//===- LinearityMergeProfiles.cpp - Merge profiles of data shards ---------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Each shard is parsed in a context of its own (a pass may not load dialects
// into the context it runs in, and a file naming other dialects must be an
// error, not an abort). It matches this module when both print the same
// generic form once lin.profile attributes and locations are left out,
// compared by SHA-1; matching modules then have the same ops in the same
// order, so profiles move from shard to module by their op's position in a
// walk.
//
//===----------------------------------------------------------------------===//

#include "lin/Dialect/Lin/IR/ActivationProfile.h"
#include "lin/Dialect/Lin/IR/LinDialect.h"
#include "lin/Support/AtomicOutput.h"
#include "lin/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_sha1_ostream.h"

namespace lin {
#define GEN_PASS_DEF_LINEARITYMERGEPROFILES
#include "lin/Transforms/Passes.h.inc"
} // namespace lin

using namespace mlir;
using namespace lin;

/// The ops of `module` in walk (pre-)order.
static std::vector<Operation *> getOpsInOrder(ModuleOp module) {
  std::vector<Operation *> ops;
  module->walk<WalkOrder::PreOrder>([&](Operation *op) { ops.push_back(op); });
  return ops;
}

/// SHA-1 of the generic form of `module` without lin.profile attributes and
/// locations. Removes the profiles from `module`: pass a copy.
static std::array<uint8_t, 20> fingerprintWithoutProfiles(ModuleOp module) {
  module->walk(
      [](Operation *op) { op->removeAttr(LinDialect::getProfileAttrName()); });
  llvm::raw_sha1_ostream hash;
  module->print(hash, OpPrintingFlags().printGenericOpForm().assumeVerified());
  return hash.sha1();
}

namespace {

/// The profiles of one shard, by the position of their op in a walk.
struct ShardProfiles {
  std::vector<std::pair<size_t, ActivationProfile>> profiles;
  size_t numOps = 0;
  std::array<uint8_t, 20> fingerprint;
};

struct LinearityMergeProfilesPass
    : lin::impl::LinearityMergeProfilesBase<LinearityMergeProfilesPass> {
  using Base::Base;

  void runOnOperation() override;

private:
  /// Reads `path` in a context of its own; fails with a located error.
  FailureOr<ShardProfiles> readShard(StringRef path);
};

} // namespace

FailureOr<ShardProfiles> LinearityMergeProfilesPass::readShard(StringRef path) {
  ModuleOp module = getOperation();
  auto fail = [&](const Twine &why) {
    module.emitError() << "linearity-merge-profiles: cannot read shard '"
                       << path << "': " << why;
    return failure();
  };
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      readInputFile(path);
  if (!buffer)
    return fail(llvm::toString(buffer.takeError()));
  MLIRContext context(getContext().getDialectRegistry(),
                      MLIRContext::Threading::DISABLED);
  context.allowUnregisteredDialects(getContext().allowsUnregisteredDialects());
  std::string parseError;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diagnostic) {
    if (diagnostic.getSeverity() == DiagnosticSeverity::Error &&
        parseError.empty()) {
      llvm::raw_string_ostream os(parseError);
      if (auto fileLoc = dyn_cast<FileLineColLoc>(diagnostic.getLocation()))
        os << fileLoc.getFilename().strref() << ":" << fileLoc.getLine() << ":"
           << fileLoc.getColumn() << ": ";
      os << diagnostic;
    }
    return success();
  });
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  ParserConfig config(&context);
  OwningOpRef<ModuleOp> shard = parseSourceFile<ModuleOp>(sourceMgr, config);
  if (!shard)
    return fail(parseError.empty() ? "not a module" : parseError);

  ShardProfiles result;
  std::vector<Operation *> ops = getOpsInOrder(*shard);
  result.numOps = ops.size();
  for (auto [position, op] : llvm::enumerate(ops))
    if (auto profile =
            op->getAttrOfType<ProfileAttr>(LinDialect::getProfileAttrName()))
      result.profiles.push_back(
          {position, ActivationProfile::fromAttr(profile)});
  result.fingerprint = fingerprintWithoutProfiles(*shard);
  return result;
}

void LinearityMergeProfilesPass::runOnOperation() {
  ModuleOp module = getOperation();
  if (shardFiles.empty()) {
    module.emitError() << "linearity-merge-profiles needs the profiled "
                          "shards: shards=<file>[,<file>...]";
    return signalPassFailure();
  }
  std::array<uint8_t, 20> fingerprint;
  {
    OwningOpRef<ModuleOp> copy = module.clone();
    fingerprint = fingerprintWithoutProfiles(*copy);
  }
  std::vector<Operation *> ops = getOpsInOrder(module);

  // Merged aside first: the module changes only if every shard merges.
  std::vector<std::optional<ActivationProfile>> merged(ops.size());
  for (auto [position, op] : llvm::enumerate(ops))
    if (auto profile =
            op->getAttrOfType<ProfileAttr>(LinDialect::getProfileAttrName()))
      merged[position] = ActivationProfile::fromAttr(profile);
  for (const std::string &path : shardFiles) {
    FailureOr<ShardProfiles> shard = readShard(path);
    if (failed(shard))
      return signalPassFailure();
    if (shard->numOps != ops.size() || shard->fingerprint != fingerprint) {
      module.emitError()
          << "linearity-merge-profiles: shard '" << path
          << "' is not a profiled copy of this module: its IR differs in "
             "more than lin.profile attributes and locations";
      return signalPassFailure();
    }
    for (auto &[position, profile] : shard->profiles) {
      if (!merged[position]) {
        merged[position] = std::move(profile);
      } else if (llvm::Error error = merged[position]->merge(profile)) {
        ops[position]->emitError()
            << "linearity-merge-profiles: cannot merge the profile of shard '"
            << path << "': " << llvm::toString(std::move(error));
        return signalPassFailure();
      }
      ++numProfilesMerged;
    }
  }
  for (auto [position, op] : llvm::enumerate(ops))
    if (merged[position])
      op->setAttr(LinDialect::getProfileAttrName(),
                  merged[position]->toAttr(&getContext()));
}
