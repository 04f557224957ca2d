//===- Progress.h - Progress line on stderr ---------------------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_LIB_INTERPRETER_PROGRESS_H
#define LIN_LIB_INTERPRETER_PROGRESS_H

#include <chrono>
#include <cstdint>

namespace lin {

/// Rewrites one stderr line with samples done, samples/s and the estimated
/// time left. Silent for runs shorter than about two seconds, when disabled,
/// and when stderr is not a terminal (logs stay clean).
class ProgressReporter {
public:
  ProgressReporter(int64_t total, bool enabled);
  ~ProgressReporter() { finish(); }

  void update(int64_t done);
  /// Ends the progress line, if one was printed.
  void finish();

private:
  using Clock = std::chrono::steady_clock;
  int64_t total;
  bool enabled;
  bool printed = false;
  Clock::time_point start, lastPrint;
};

} // namespace lin

#endif // LIN_LIB_INTERPRETER_PROGRESS_H
