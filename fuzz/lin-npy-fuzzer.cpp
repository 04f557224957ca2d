//===- lin-npy-fuzzer.cpp - Fuzz the .npy reader --------------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Feeds arbitrary bytes to NpyReader as a file: opening must either fail
// with an error or describe an array that the file really holds, and reading
// any rows of it (as f32 and as int64 labels) must either succeed or fail
// with an error, never crash, overflow or read out of bounds.
//
//===----------------------------------------------------------------------===//

#include "lin/Support/Npy.h"
#include "lin/Support/Tensor.h"

#include "llvm/Support/FileSystem.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>
#include <vector>

using namespace lin;

/// The reader reads files (positioned reads), so each input goes to one
/// scratch file of this process, rewritten per input. The file is unlinked
/// at once and read through /proc/self/fd (libFuzzer exits without running
/// atexit handlers), in /dev/shm when there is one: truncating a file on
/// disk costs milliseconds.
static int scratchFd = -1;

static std::string getScratchPath() {
  if (scratchFd < 0) {
    llvm::SmallString<128> path;
    std::error_code ec =
        llvm::sys::fs::is_directory("/dev/shm")
            ? llvm::sys::fs::createUniqueFile(
                  "/dev/shm/lin-npy-fuzzer-%%%%%%.npy", scratchFd, path)
            : llvm::sys::fs::createTemporaryFile("lin-npy-fuzzer", "npy",
                                                 scratchFd, path);
    if (ec) {
      std::fprintf(stderr, "lin-npy-fuzzer: cannot create a scratch file\n");
      std::abort();
    }
    (void)llvm::sys::fs::remove(path);
  }
  return "/proc/self/fd/" + std::to_string(scratchFd);
}

/// Elements the fuzzer reads at most per call (keeps each input fast).
static constexpr int64_t kMaxElements = 1 << 16;

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  // A header may promise any size; reading never needs more than the file.
  Tensor::setAllocationLimit(64 << 20);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = getScratchPath();
  if (::ftruncate(scratchFd, 0) != 0 ||
      (size && ::pwrite(scratchFd, data, size, 0) != ssize_t(size)))
    std::abort();

  llvm::Expected<std::unique_ptr<NpyReader>> opened = NpyReader::open(path);
  if (!opened) {
    llvm::consumeError(opened.takeError());
    return 0;
  }
  NpyReader &reader = **opened;
  int64_t rows = reader.getNumRows(), rowSize = reader.getRowSize();
  // What open() promises: sizes are non-negative and the data is in the file.
  if (rows < 0 || rowSize < 0)
    std::abort();
  if (rowSize &&
      rows > int64_t(size) / rowSize / getNpyElementSize(reader.getDType()))
    std::abort();

  int64_t readable =
      rowSize == 0 ? rows : std::min<int64_t>(rows, kMaxElements / rowSize);
  readable = std::min<int64_t>(readable, 64);
  for (int64_t first : {int64_t(0), rows / 2, rows - readable}) {
    int64_t count = std::min(readable, rows - first);
    if (first < 0 || count < 0)
      continue;
    std::vector<float> floats(count * rowSize + 1);
    if (llvm::Error error = reader.readRows(first, count, floats.data()))
      llvm::consumeError(std::move(error));
    std::vector<int64_t> labels(count * rowSize + 1);
    if (llvm::Error error = reader.readRows(first, count, labels.data()))
      llvm::consumeError(std::move(error));
  }
  // Out-of-range requests are errors.
  float sink[1];
  if (llvm::Error error = reader.readRows(rows, 1, sink))
    llvm::consumeError(std::move(error));
  else
    std::abort();
  if (llvm::Error error = reader.readRows(INT64_MAX, INT64_MAX, sink))
    llvm::consumeError(std::move(error));
  else
    std::abort();
  if (rows * rowSize <= kMaxElements) {
    llvm::Expected<Tensor> all = reader.readAll();
    if (!all)
      llvm::consumeError(all.takeError());
    else if (all->getNumElements() != rows * rowSize)
      std::abort();
  }
  return 0;
}
