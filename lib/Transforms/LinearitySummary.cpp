//===- LinearitySummary.cpp - Print profile statistics --------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Analysis/LayerNames.h"
#include "lin/Analysis/PiecewiseLinearActivation.h"
#include "lin/Dialect/Lin/IR/ActivationProfile.h"
#include "lin/Dialect/Lin/IR/LinDialect.h"
#include "lin/Support/AtomicOutput.h"
#include "lin/Transforms/Passes.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

namespace lin {
#define GEN_PASS_DEF_LINEARITYSUMMARY
#include "lin/Transforms/Passes.h.inc"
} // namespace lin

using namespace mlir;
using namespace lin;

namespace {
struct LinearitySummaryPass
    : lin::impl::LinearitySummaryBase<LinearitySummaryPass> {
  using Base::Base;

  void runOnOperation() override {
    PassOptionChecker options(getOperation(), getArgument());
    options.isFraction("share", share).isNonEmpty("output", outputFile);
    if (options.failed())
      return signalPassFailure();
    // Rows in program order, named as the fold's report names layers.
    SmallVector<std::pair<Operation *, ProfileAttr>> profiled;
    SmallVector<ActivationToName> activations;
    getOperation().walk([&](Operation *op) {
      auto attr =
          op->getAttrOfType<ProfileAttr>(LinDialect::getProfileAttrName());
      if (!attr)
        return;
      FailureOr<PiecewiseLinearActivation> activation =
          PiecewiseLinearActivation::match(op);
      profiled.push_back({op, attr});
      activations.push_back(
          {op, succeeded(activation) ? activation->getInput() : Value(),
           attr.getKind()});
    });
    SmallVector<std::string> names = nameActivations(activations);
    size_t nameWidth = 14;
    for (const std::string &name : names)
      nameWidth = std::max(nameWidth, name.size());

    // The table is small: built in memory, then written in one piece, so
    // that an `output` file is replaced only by a complete table.
    std::string table;
    llvm::raw_string_ostream os(table);
    os << llvm::formatv("{0} {1,8} {2,8} {3,9} {4,9} {5,10}\n",
                        llvm::left_justify("layer", nameWidth), "neurons",
                        "samples", "active%", "inactive%",
                        llvm::formatv(">={0:F2}%", double(share)).str());
    for (auto [row, entry] : llvm::enumerate(profiled)) {
      ActivationProfile profile = ActivationProfile::fromAttr(entry.second);
      // The identity piece: 1 for every kind (ReLU / leaky active side,
      // clamp middle); the others are constant (or sloped, for leaky).
      const unsigned identity = 1;
      int64_t active = 0, inactive = 0, nearly = 0;
      for (int64_t j = 0; j < profile.getNumNeurons(); ++j) {
        double best = 0.0;
        for (unsigned p = 0; p < profile.getNumPieces(); ++p) {
          double s = profile.getShare(p, j);
          best = std::max(best, s);
          if (s == 1.0)
            (p == identity ? active : inactive) += 1;
        }
        nearly += best >= share;
      }
      double n = std::max<int64_t>(profile.getNumNeurons(), 1);
      os << llvm::formatv("{0} {1,8} {2,8} {3,9:F1} {4,9:F1} {5,10:F1}\n",
                          llvm::left_justify(names[row], nameWidth),
                          profile.getNumNeurons(), profile.getNumSamples(),
                          100.0 * active / n, 100.0 * inactive / n,
                          100.0 * nearly / n);
    }
    if (outputFile == "-") {
      llvm::errs() << table;
    } else if (llvm::Error error = writeFileAtomically(
                   outputFile, [&](llvm::raw_ostream &file) {
                     file << table;
                     return llvm::Error::success();
                   })) {
      getOperation().emitError()
          << "linearity-summary: " << llvm::toString(std::move(error));
      return signalPassFailure();
    }
    markAllAnalysesPreserved();
  }
};
} // namespace
