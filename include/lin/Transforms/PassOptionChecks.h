//===- PassOptionChecks.h - Range checks of lin's pass options --*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Every lin pass checks its options when it runs, through one
// PassOptionChecker, so that a bad value is a located error of one form,
// `<pass>: <option> must be <rule>, got <value>`, with the rules of
// lin/Support/OptionChecks.h. (Empty values and NaN never get this far: the
// CheckedOption parser rejects them.)
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_PASSOPTIONCHECKS_H
#define LIN_TRANSFORMS_PASSOPTIONCHECKS_H

#include "lin/Interpreter/BatchRunner.h"
#include "lin/Support/OptionChecks.h"

#include "mlir/IR/Operation.h"
#include "llvm/ADT/STLExtras.h"

#include <string>

namespace lin {

/// The option checks of one pass run. Each check emits its error on `op`
/// (the pass's anchor) when it fails; they are independent, so that one run
/// reports every bad option, and failed() says whether any did.
class PassOptionChecker {
public:
  PassOptionChecker(mlir::Operation *op, llvm::StringRef passName)
      : op(op), passName(passName) {}

  /// See checkInRange.
  PassOptionChecker &inRange(llvm::StringRef option, double value, double min,
                             double max, bool minExclusive = false,
                             std::optional<double> sentinel = std::nullopt,
                             llvm::StringRef sentinelMeaning = "") {
    return report(checkInRange(option, value, min, max, minExclusive, sentinel,
                               sentinelMeaning));
  }
  /// See checkInOpenRange.
  PassOptionChecker &inOpenRange(llvm::StringRef option, double value,
                                 double min, double max) {
    return report(checkInOpenRange(option, value, min, max));
  }
  /// See checkFraction.
  PassOptionChecker &isFraction(llvm::StringRef option, double value,
                                std::optional<double> sentinel = std::nullopt,
                                llvm::StringRef sentinelMeaning = "") {
    return report(checkFraction(option, value, sentinel, sentinelMeaning));
  }
  /// See checkPositive.
  PassOptionChecker &isPositive(llvm::StringRef option, int64_t value,
                                std::optional<int64_t> sentinel = std::nullopt,
                                llvm::StringRef sentinelMeaning = "") {
    return report(checkPositive(option, value, sentinel, sentinelMeaning));
  }
  /// See checkNonNegative.
  PassOptionChecker &isNonNegative(llvm::StringRef option, double value) {
    return report(checkNonNegative(option, value));
  }
  /// See checkFinite.
  PassOptionChecker &isFinite(llvm::StringRef option, double value) {
    return report(checkFinite(option, value));
  }
  /// See checkNonEmpty.
  PassOptionChecker &isNonEmpty(llvm::StringRef option, llvm::StringRef value) {
    return report(checkNonEmpty(option, value));
  }
  /// No name in the list option `files` is empty (`data=a.npy,`).
  PassOptionChecker &hasNoEmptyFileName(llvm::StringRef option,
                                        llvm::ArrayRef<std::string> files) {
    return require(
        llvm::none_of(files,
                      [](const std::string &file) { return file.empty(); }),
        option + " has an empty file name");
  }
  /// The checks of the calibration-data options every pass taking
  /// LinearityDataOptions (Passes.td) has: `batch`, `max-samples`, `data`.
  PassOptionChecker &areDataOptions(int64_t batch, int64_t maxSamples,
                                    llvm::ArrayRef<std::string> dataFiles) {
    return isPositive("batch", batch)
        .isPositive("max-samples", maxSamples, /*sentinel=*/-1, "all")
        .hasNoEmptyFileName("data", dataFiles);
  }
  /// A rule of its own: fails with `<pass>: <message>` unless `holds`.
  PassOptionChecker &require(bool holds, const llvm::Twine &message) {
    return report(holds ? std::nullopt : std::optional(message.str()));
  }

  bool failed() const { return anyFailed; }
  bool succeeded() const { return !anyFailed; }

private:
  PassOptionChecker &report(std::optional<std::string> problem);

  mlir::Operation *op;
  llvm::StringRef passName;
  bool anyFailed = false;
};

/// How to run over the calibration data that LinearityDataOptions
/// (Passes.td) describe.
inline BatchRunOptions getBatchRunOptions(int64_t batch, int64_t maxSamples,
                                          bool quiet) {
  BatchRunOptions options;
  options.batchSize = batch;
  options.maxSamples = maxSamples;
  options.showProgress = !quiet;
  return options;
}

} // namespace lin

#endif // LIN_TRANSFORMS_PASSOPTIONCHECKS_H
