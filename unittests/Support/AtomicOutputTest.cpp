//===- AtomicOutputTest.cpp - Tests of the atomic output files ------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Support/AtomicOutput.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "gtest/gtest.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace lin;
namespace fs = llvm::sys::fs;

namespace {

/// The message of `error`, "" for success.
std::string message(llvm::Error error) {
  return error ? llvm::toString(std::move(error)) : std::string();
}
template <typename T> std::string message(llvm::Expected<T> &value) {
  return value ? std::string() : llvm::toString(value.takeError());
}
bool startsWith(llvm::StringRef text, llvm::StringRef prefix) {
  return text.starts_with(prefix);
}

class AtomicOutputTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> model;
    llvm::sys::path::system_temp_directory(/*ErasedOnReboot=*/true, model);
    llvm::sys::path::append(model, "lin-atomic-output-test-%%%%%%");
    ASSERT_FALSE(fs::createUniqueDirectory(model, dir));
  }
  void TearDown() override { fs::remove_directories(dir); }

  std::string path(llvm::StringRef name) const {
    llvm::SmallString<128> result(dir);
    llvm::sys::path::append(result, name);
    return std::string(result);
  }
  static void writeText(const std::string &file, const std::string &text) {
    std::ofstream(file, std::ios::binary) << text;
  }
  static std::string readText(const std::string &file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  /// The names in the test directory (a leftover temporary file shows up).
  std::vector<std::string> listDirectory() const {
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; it != end && !ec;
         it.increment(ec))
      names.push_back(llvm::sys::path::filename(it->path()).str());
    std::sort(names.begin(), names.end());
    return names;
  }
  static bool isSymlink(const std::string &file) {
    fs::file_status status;
    return !fs::status(file, status, /*Follow=*/false) &&
           status.type() == fs::file_type::symlink_file;
  }
  static llvm::Error writeString(llvm::StringRef file, llvm::StringRef text) {
    return writeFileAtomically(file, [&](llvm::raw_ostream &os) {
      os << text;
      return llvm::Error::success();
    });
  }

  llvm::SmallString<128> dir;
};

TEST_F(AtomicOutputTest, CreatesANewFileOnCommit) {
  std::string file = path("out.txt");
  auto output = AtomicOutputFile::create(file);
  ASSERT_EQ(message(output), "");
  (*output)->os() << "new";
  // Nothing at the target before commit().
  EXPECT_FALSE(fs::exists(file));
  ASSERT_EQ(message((*output)->commit()), "");
  EXPECT_EQ(readText(file), "new");
  EXPECT_EQ(listDirectory(), std::vector<std::string>{"out.txt"});
}

TEST_F(AtomicOutputTest, UncommittedLeavesTheTargetAndNoTemporary) {
  std::string file = path("out.txt");
  writeText(file, "old");
  {
    auto output = AtomicOutputFile::create(file);
    ASSERT_EQ(message(output), "");
    (*output)->os() << "partial";
    (*output)->os().flush();
    EXPECT_EQ(listDirectory().size(), 2u); // the target and the temporary
  }
  EXPECT_EQ(readText(file), "old");
  EXPECT_EQ(listDirectory(), std::vector<std::string>{"out.txt"});
}

TEST_F(AtomicOutputTest, FailingWriterLeavesTheTarget) {
  std::string file = path("out.txt");
  writeText(file, "old");
  llvm::Error error = writeFileAtomically(file, [](llvm::raw_ostream &os) {
    os << "partial";
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "boom");
  });
  EXPECT_EQ(message(std::move(error)), "boom");
  EXPECT_EQ(readText(file), "old");
  EXPECT_EQ(listDirectory(), std::vector<std::string>{"out.txt"});
}

TEST_F(AtomicOutputTest, ReplacesAndKeepsPermissions) {
  std::string file = path("out.txt");
  writeText(file, "old");
  ASSERT_FALSE(fs::setPermissions(file, fs::perms(0640)));
  ASSERT_EQ(message(writeString(file, "new")), "");
  EXPECT_EQ(readText(file), "new");
  llvm::ErrorOr<fs::perms> permissions = fs::getPermissions(file);
  ASSERT_TRUE(permissions);
  EXPECT_EQ(*permissions, fs::perms(0640));
}

TEST_F(AtomicOutputTest, NewFileGetsTheUsualPermissions) {
  std::string file = path("out.txt");
  mode_t mask = ::umask(022);
  ::umask(mask);
  ASSERT_EQ(message(writeString(file, "new")), "");
  llvm::ErrorOr<fs::perms> permissions = fs::getPermissions(file);
  ASSERT_TRUE(permissions);
  EXPECT_EQ(*permissions, fs::perms(0666 & ~mask));
}

TEST_F(AtomicOutputTest, WritesThroughSymlinks) {
  ASSERT_FALSE(fs::create_directory(path("real")));
  writeText(path("real/target.txt"), "old");
  // A relative link, a link to that link, and a dangling link.
  ASSERT_FALSE(fs::create_link("real/target.txt", path("link")));
  ASSERT_FALSE(fs::create_link(path("link"), path("chain")));
  ASSERT_FALSE(fs::create_link("real/new.txt", path("dangling")));

  ASSERT_EQ(message(writeString(path("link"), "one")), "");
  EXPECT_TRUE(isSymlink(path("link")));
  EXPECT_EQ(readText(path("real/target.txt")), "one");

  ASSERT_EQ(message(writeString(path("chain"), "two")), "");
  EXPECT_TRUE(isSymlink(path("chain")));
  EXPECT_TRUE(isSymlink(path("link")));
  EXPECT_EQ(readText(path("real/target.txt")), "two");

  ASSERT_EQ(message(writeString(path("dangling"), "three")), "");
  EXPECT_TRUE(isSymlink(path("dangling")));
  EXPECT_EQ(readText(path("real/new.txt")), "three");

  // Uncommitted: the link's target is untouched.
  {
    auto output = AtomicOutputFile::create(path("link"));
    ASSERT_EQ(message(output), "");
    (*output)->os() << "lost";
  }
  EXPECT_EQ(readText(path("real/target.txt")), "two");
  EXPECT_EQ(listDirectory(),
            (std::vector<std::string>{"chain", "dangling", "link", "real"}));
}

TEST_F(AtomicOutputTest, SymlinkLoopIsAnError) {
  ASSERT_FALSE(fs::create_link("b", path("a")));
  ASSERT_FALSE(fs::create_link("a", path("b")));
  auto output = AtomicOutputFile::create(path("a"));
  EXPECT_TRUE(startsWith(message(output), path("a") + ": cannot resolve"));
}

TEST_F(AtomicOutputTest, ErrorsNameTheFile) {
  std::string missing = path("missing/out.txt");
  auto inMissing = AtomicOutputFile::create(missing);
  EXPECT_TRUE(startsWith(message(inMissing),
                         missing + ": cannot create a temporary file next to "
                                   "it: No such file or directory"));
  auto directory = AtomicOutputFile::create(dir);
  EXPECT_TRUE(
      startsWith(message(directory), std::string(dir) + ": cannot write"));
}

TEST_F(AtomicOutputTest, CommitTwiceIsAnError) {
  auto output = AtomicOutputFile::create(path("out.txt"));
  ASSERT_EQ(message(output), "");
  ASSERT_EQ(message((*output)->commit()), "");
  EXPECT_NE(message((*output)->commit()), "");
}

TEST_F(AtomicOutputTest, DevicesAreWrittenInPlace) {
  ASSERT_EQ(message(writeString("/dev/null", "nothing")), "");
  fs::file_status status;
  ASSERT_FALSE(fs::status("/dev/null", status));
  EXPECT_EQ(status.type(), fs::file_type::character_file);

  // A full disk: an error naming the device, seen by checkWriteError once
  // the buffer is flushed, and by commit().
  auto full = AtomicOutputFile::create("/dev/full");
  ASSERT_EQ(message(full), "");
  (*full)->os() << std::string(1 << 20, 'x');
  EXPECT_TRUE(startsWith(message((*full)->checkWriteError()),
                         "/dev/full: write failed"));
  EXPECT_TRUE(
      startsWith(message((*full)->commit()), "/dev/full: write failed"));
  ASSERT_FALSE(fs::status("/dev/full", status));
  EXPECT_EQ(status.type(), fs::file_type::character_file);
}

TEST_F(AtomicOutputTest, FifoIsWrittenInPlace) {
  std::string fifo = path("fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = readText(fifo); });
  EXPECT_EQ(message(writeString(fifo, "through the pipe")), "");
  reader.join();
  EXPECT_EQ(received, "through the pipe");
  fs::file_status status;
  ASSERT_FALSE(fs::status(fifo, status));
  EXPECT_EQ(status.type(), fs::file_type::fifo_file);
  EXPECT_EQ(listDirectory(), std::vector<std::string>{"fifo"});
}

TEST_F(AtomicOutputTest, DescriptorIsWrittenInPlace) {
  // /dev/fd/N (like /dev/stdout) links into /proc; reading the link gives
  // `pipe:[...]`, not a file to rename over.
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string name = "/dev/fd/" + std::to_string(fds[1]);
  EXPECT_EQ(message(writeString(name, "through the descriptor")), "");
  ::close(fds[1]);
  char buffer[64] = {};
  ssize_t length = ::read(fds[0], buffer, sizeof(buffer) - 1);
  ::close(fds[0]);
  EXPECT_EQ(std::string(buffer, std::max<ssize_t>(length, 0)),
            "through the descriptor");
}

TEST_F(AtomicOutputTest, ReadInputFileEndsTextWithANewline) {
  writeText(path("cut.mlir"), "\"0x0400");
  auto cut = readInputFile(path("cut.mlir"));
  ASSERT_EQ(message(cut), "");
  EXPECT_EQ((*cut)->getBuffer(), "\"0x0400\n");
  EXPECT_EQ((*cut)->getBufferEnd()[0], '\0');
  EXPECT_EQ((*cut)->getBufferIdentifier(), path("cut.mlir"));

  writeText(path("whole.mlir"), "module {}\n");
  auto whole = readInputFile(path("whole.mlir"));
  ASSERT_EQ(message(whole), "");
  EXPECT_EQ((*whole)->getBuffer(), "module {}\n");
  EXPECT_EQ((*whole)->getBufferEnd()[0], '\0');

  // Bytecode is binary: a newline would be trailing garbage.
  std::string bytecode = std::string("ML\xefR", 4) + "\x01\x02";
  writeText(path("model.mlirbc"), bytecode);
  auto binary = readInputFile(path("model.mlirbc"));
  ASSERT_EQ(message(binary), "");
  EXPECT_EQ((*binary)->getBuffer(), bytecode);
}

TEST_F(AtomicOutputTest, ReadInputFileErrorNamesTheFile) {
  auto missing = readInputFile(path("missing.mlir"));
  EXPECT_EQ(message(missing),
            path("missing.mlir") + ": cannot open: No such file or directory");
}

} // namespace
