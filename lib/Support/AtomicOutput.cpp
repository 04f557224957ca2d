//===- AtomicOutput.cpp - Files lin's tools write and read ----------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Support/AtomicOutput.h"

#include "mlir/Bytecode/BytecodeReader.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Errc.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Signals.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <unistd.h>

using namespace lin;
using llvm::StringRef;
namespace fs = llvm::sys::fs;

static llvm::Error fileError(StringRef path, const llvm::Twine &message,
                             std::error_code ec) {
  return llvm::createStringError(ec,
                                 path + ": " + message + ": " + ec.message());
}

namespace {
/// Where a path's symbolic links lead.
struct ResolvedPath {
  /// The file the last link names; it need not exist (a dangling link is
  /// written through too, creating its target).
  std::string target;
  /// A link in /proc (/dev/stdout -> /proc/self/fd/1, /dev/fd/N): it names
  /// an open file descriptor, and reading it gives `pipe:[1234]` or a path
  /// the descriptor no longer matches, not a file to rename over.
  bool isDescriptor = false;
};
} // namespace

/// Follows `path` through every symbolic link. Not
/// llvm::sys::fs::real_path: it rejects a missing target.
static llvm::Expected<ResolvedPath> resolveSymlinks(StringRef path) {
  llvm::SmallString<256> current(path);
  // Linux gives up after 40 links (ELOOP); so do we.
  for (int hops = 0; hops < 40; ++hops) {
    fs::file_status status;
    if (fs::status(current, status, /*Follow=*/false) ||
        status.type() != fs::file_type::symlink_file)
      return ResolvedPath{std::string(current), false};
    llvm::SmallString<256> directory(llvm::sys::path::parent_path(current));
    if (directory.empty())
      directory = ".";
    llvm::SmallString<256> realDirectory;
    if (!fs::real_path(directory, realDirectory) &&
        realDirectory.starts_with("/proc/"))
      return ResolvedPath{std::string(current), true};
    char buffer[PATH_MAX];
    ssize_t length = ::readlink(current.c_str(), buffer, sizeof(buffer));
    if (length < 0)
      return fileError(path, "cannot read the symbolic link",
                       std::error_code(errno, std::generic_category()));
    if (static_cast<size_t>(length) == sizeof(buffer))
      return fileError(path, "cannot read the symbolic link",
                       std::make_error_code(std::errc::filename_too_long));
    StringRef link(buffer, length);
    if (llvm::sys::path::is_absolute(link)) {
      current = link;
    } else {
      // A relative link is relative to the directory holding the link.
      llvm::sys::path::append(directory, link);
      current = directory;
    }
  }
  return fileError(
      path, "cannot resolve",
      std::make_error_code(std::errc::too_many_symbolic_link_levels));
}

llvm::Error AtomicOutputFile::error(const llvm::Twine &message,
                                    std::error_code ec) const {
  return fileError(kind == Kind::Stdout ? StringRef("<stdout>") : path, message,
                   ec);
}

llvm::Expected<std::unique_ptr<AtomicOutputFile>>
AtomicOutputFile::create(StringRef path) {
  if (path == "-")
    return std::unique_ptr<AtomicOutputFile>(
        new AtomicOutputFile(path.str(), Kind::Stdout));

  llvm::Expected<ResolvedPath> resolved = resolveSymlinks(path);
  if (!resolved)
    return resolved.takeError();
  fs::file_status status;
  bool exists = !fs::status(resolved->target, status);
  Kind kind = resolved->isDescriptor ||
                      (exists && status.type() != fs::file_type::regular_file)
                  ? Kind::Direct
                  : Kind::Temporary;
  std::unique_ptr<AtomicOutputFile> file(
      new AtomicOutputFile(path.str(), kind));
  file->target = std::move(resolved->target);
  if (exists && status.type() == fs::file_type::directory_file)
    return file->error("cannot write",
                       std::make_error_code(std::errc::is_a_directory));

  if (kind == Kind::Direct) {
    // FIFOs, devices and descriptors cannot be renamed over, and writing in
    // place is what the user asked for (`-o /dev/stdout`, a FIFO read by
    // another process). Opened by the given path, which the kernel resolves
    // correctly also through /proc's descriptor links. Appending, not
    // truncating: through a descriptor naming a regular file (`{ echo
    // header; lin-opt -o /dev/stdout; } > file`) the output goes after what
    // was written before, as with `-o -`.
    std::error_code ec;
    file->stream = std::make_unique<llvm::raw_fd_ostream>(
        file->path, ec, fs::CD_OpenAlways, fs::FA_Write, fs::OF_Append);
    if (ec) {
      file->stream.reset();
      return file->error("cannot open for writing", ec);
    }
    return file;
  }

  // The temporary file lives next to the target so that the final rename
  // stays within one file system (and is therefore atomic).
  int fd;
  llvm::SmallString<256> temporary;
  if (std::error_code ec =
          fs::createUniqueFile(file->target + ".tmp-%%%%%%", fd, temporary,
                               fs::OF_None, fs::all_read | fs::all_write))
    return file->error("cannot create a temporary file next to it", ec);
  file->temporaryPath = std::string(temporary);
  // A signal (Ctrl-C, a timeout) must not leave the temporary file behind.
  llvm::sys::RemoveFileOnSignal(file->temporaryPath);
  file->stream = std::make_unique<llvm::raw_fd_ostream>(fd,
                                                        /*shouldClose=*/true);
  // Replacing a file must not change who may read it.
  if (exists)
    if (std::error_code ec = fs::setPermissions(fd, status.permissions()))
      return file->error("cannot copy its permissions to the temporary file",
                         ec);
  return file;
}

AtomicOutputFile::~AtomicOutputFile() { discard(); }

llvm::raw_ostream &AtomicOutputFile::os() {
  if (kind == Kind::Stdout)
    return llvm::outs();
  return *stream;
}

llvm::Error AtomicOutputFile::checkWriteError() {
  llvm::raw_fd_ostream &out = kind == Kind::Stdout ? llvm::outs() : *stream;
  // The error stays set: commit() must still refuse the file.
  if (out.has_error())
    return error("write failed", out.error());
  return llvm::Error::success();
}

llvm::Error AtomicOutputFile::commit() {
  if (done)
    return error("already committed or discarded",
                 std::make_error_code(std::errc::invalid_argument));
  llvm::raw_fd_ostream &out = kind == Kind::Stdout ? llvm::outs() : *stream;
  // Standard output stays open for the rest of the tool; the others are
  // closed here, since close() is where a full disk or a failing NFS server
  // shows up for the last bytes.
  if (kind == Kind::Stdout)
    out.flush();
  else
    out.close();
  if (out.has_error()) {
    llvm::Error err = error("write failed", out.error());
    discard();
    return err;
  }
  if (kind == Kind::Temporary) {
    if (std::error_code ec = fs::rename(temporaryPath, target)) {
      discard();
      return error("cannot move the finished file into place", ec);
    }
    llvm::sys::DontRemoveFileOnSignal(temporaryPath);
  }
  done = true;
  return llvm::Error::success();
}

void AtomicOutputFile::discard() {
  if (done)
    return;
  done = true;
  if (kind == Kind::Stdout) {
    // An unchecked stream error is fatal when raw_fd_ostream is destroyed
    // ("LLVM ERROR: IO failure on output stream"); the failure was reported
    // already, or the output is abandoned anyway.
    llvm::outs().flush();
    llvm::outs().clear_error();
    return;
  }
  if (stream) {
    stream->close();
    stream->clear_error();
    stream.reset();
  }
  if (!temporaryPath.empty()) {
    (void)fs::remove(temporaryPath);
    llvm::sys::DontRemoveFileOnSignal(temporaryPath);
  }
}

llvm::Error lin::writeFileAtomically(
    StringRef path,
    llvm::function_ref<llvm::Error(llvm::raw_ostream &)> write) {
  llvm::Expected<std::unique_ptr<AtomicOutputFile>> file =
      AtomicOutputFile::create(path);
  if (!file)
    return file.takeError();
  if (llvm::Error err = write((*file)->os()))
    return err;
  return (*file)->commit();
}

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
lin::readInputFile(StringRef path) {
  // IsVolatile = true: read(), never mmap (see the header).
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      path == "-" ? llvm::MemoryBuffer::getSTDIN()
                  : llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                                /*RequiresNullTerminator=*/true,
                                                /*IsVolatile=*/true);
  if (!buffer)
    return fileError(path == "-" ? StringRef("<stdin>") : path, "cannot open",
                     buffer.getError());
  StringRef text = (*buffer)->getBuffer();
  if (text.ends_with("\n") || mlir::isBytecode(**buffer))
    return std::move(*buffer);
  std::unique_ptr<llvm::WritableMemoryBuffer> copy =
      llvm::WritableMemoryBuffer::getNewUninitMemBuffer(
          text.size() + 1, (*buffer)->getBufferIdentifier());
  if (!copy)
    return fileError(path, "cannot read",
                     std::make_error_code(std::errc::not_enough_memory));
  std::memcpy(copy->getBufferStart(), text.data(), text.size());
  copy->getBufferStart()[text.size()] = '\n';
  return std::move(copy);
}
