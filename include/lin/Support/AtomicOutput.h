//===- AtomicOutput.h - Files lin's tools write and read --------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Every file lin writes (lin-opt's output, lin-run's --output, the fold
// report, the linearity summary) goes through AtomicOutputFile, so that a
// failed run never destroys what was there before:
//
//   * a regular file (or a path that does not exist yet) is written to a
//     temporary file in the same directory and renamed over the target only
//     by commit(); the target keeps its permissions; a run that fails, or is
//     interrupted by a signal, leaves the target untouched and no temporary
//     file behind;
//   * a symbolic link is written through: the file it finally points to is
//     replaced atomically and the link stays a link;
//   * a FIFO, a character or block device (/dev/null, /dev/full, ...), a
//     descriptor link (/dev/stdout, /dev/fd/N) and "-" (standard output)
//     cannot be renamed over, so they are written directly (appending, not
//     truncating, through a descriptor);
//   * every error is an llvm::Error that names the file.
//
// The input side lives here too because it is the other half of the same
// problem (files that change under a running tool): readInputFile reads a
// whole source file into memory.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_SUPPORT_ATOMICOUTPUT_H
#define LIN_SUPPORT_ATOMICOUTPUT_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

namespace lin {

/// An output file whose previous content survives until the new one is
/// complete. Write to os(), then commit(); destroying it uncommitted
/// discards what was written.
class AtomicOutputFile {
public:
  /// Opens `path` for writing ("-" is standard output). For a regular file
  /// this creates the temporary file at once, so that an unwritable
  /// directory is reported before any work is done.
  static llvm::Expected<std::unique_ptr<AtomicOutputFile>>
  create(llvm::StringRef path);
  ~AtomicOutputFile();

  AtomicOutputFile(const AtomicOutputFile &) = delete;
  AtomicOutputFile &operator=(const AtomicOutputFile &) = delete;

  /// The path as given to create().
  llvm::StringRef getPath() const { return path; }
  llvm::raw_ostream &os();

  /// A write error seen so far, if any. The stream is buffered, so an error
  /// may only show up in commit(); streaming writers call this to stop early.
  llvm::Error checkWriteError();
  /// Flushes, checks that every byte was written and moves the file into
  /// place. On error the target is untouched (for a regular file) and the
  /// temporary file is gone.
  llvm::Error commit();
  /// Drops what was written: removes the temporary file. Called by the
  /// destructor; does nothing after commit().
  void discard();

private:
  enum class Kind {
    /// A temporary file renamed over the target by commit().
    Temporary,
    /// A FIFO or device written in place.
    Direct,
    /// llvm::outs().
    Stdout,
  };

  AtomicOutputFile(std::string path, Kind kind) : path(path), kind(kind) {}
  llvm::Error error(const llvm::Twine &message, std::error_code ec) const;

  std::string path;
  Kind kind;
  /// Where the content finally goes (the target of every symbolic link).
  std::string target;
  /// The file being written for Kind::Temporary.
  std::string temporaryPath;
  /// The stream for Temporary and Direct (Stdout uses llvm::outs()).
  std::unique_ptr<llvm::raw_fd_ostream> stream;
  bool done = false;
};

/// Writes `path` through an AtomicOutputFile: `write` fills the stream; the
/// file is committed if it succeeds and discarded if it fails.
llvm::Error
writeFileAtomically(llvm::StringRef path,
                    llvm::function_ref<llvm::Error(llvm::raw_ostream &)> write);

/// Reads the whole file at `path` ("-" is standard input) into a
/// null-terminated buffer in memory, for MLIR's parser. Never memory-mapped,
/// so that a file truncated or rewritten while lin runs cannot fault (a
/// mapped page past the new end raises SIGBUS). Text that does not end with
/// a newline gets one: MLIR's lexer steps past the null terminator when a
/// string literal is cut off by the end of the buffer and then reads memory
/// after the buffer (an intermittent segfault); with the newline the string
/// ends inside the buffer and the next token is the end of the file.
/// Bytecode is left as is.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readInputFile(llvm::StringRef path);

} // namespace lin

#endif // LIN_SUPPORT_ATOMICOUTPUT_H
