//===- Progress.cpp - Progress line on stderr -----------------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "Progress.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

using namespace lin;

/// Runs shorter than this print nothing.
static constexpr double kQuietSeconds = 2.0;
/// Seconds between two updates of the line.
static constexpr double kUpdateSeconds = 0.5;

ProgressReporter::ProgressReporter(int64_t total, bool enabled)
    : total(total),
      enabled(enabled && llvm::sys::Process::StandardErrIsDisplayed()),
      start(Clock::now()), lastPrint(start) {}

void ProgressReporter::update(int64_t done) {
  if (!enabled)
    return;
  Clock::time_point now = Clock::now();
  double elapsed = std::chrono::duration<double>(now - start).count();
  double sinceLast = std::chrono::duration<double>(now - lastPrint).count();
  if (elapsed < kQuietSeconds || (printed && sinceLast < kUpdateSeconds))
    return;
  lastPrint = now;
  printed = true;
  double rate = done / elapsed;
  double eta = rate > 0 ? (total - done) / rate : 0.0;
  llvm::errs() << "\r" << done << "/" << total << " samples, "
               << llvm::format("%.0f", rate) << " samples/s, ETA "
               << llvm::format("%.0f", eta) << " s   ";
  llvm::errs().flush();
}

void ProgressReporter::finish() {
  if (!printed)
    return;
  llvm::errs() << "\n";
  printed = false;
}
