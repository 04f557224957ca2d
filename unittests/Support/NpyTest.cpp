//===- NpyTest.cpp - Tests of .npy reading and writing --------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Support/Npy.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <fstream>

using namespace lin;

namespace {

class NpyTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("lin-npy-test", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::string path(llvm::StringRef name) {
    llvm::SmallString<128> result(dir);
    llvm::sys::path::append(result, name);
    return std::string(result);
  }

  /// Writes an .npy file byte by byte: header dict `dict` (padded to 64
  /// bytes) in format `version`, then `data`.
  std::string writeRaw(llvm::StringRef name, llvm::StringRef dict,
                       const std::string &data, int version = 1,
                       const char *magic = "\x93NUMPY") {
    size_t prefix = version == 1 ? 10 : 12;
    std::string text = dict.str();
    size_t total = (prefix + text.size() + 1 + 63) / 64 * 64;
    text.append(total - prefix - text.size() - 1, ' ');
    text += '\n';
    std::string bytes(magic, 6);
    bytes += char(version);
    bytes += char(0);
    uint32_t length = text.size();
    bytes += char(length & 0xff);
    bytes += char(length >> 8);
    if (version != 1) {
      bytes += char(length >> 16);
      bytes += char(length >> 24);
    }
    bytes += text + data;
    std::string file = path(name);
    std::ofstream(file, std::ios::binary) << bytes;
    return file;
  }

  template <typename T> static std::string bytesOf(std::vector<T> values) {
    return std::string(reinterpret_cast<const char *>(values.data()),
                       values.size() * sizeof(T));
  }

  static std::string errorOf(llvm::Error error) {
    return llvm::toString(std::move(error));
  }

  llvm::SmallString<128> dir;
};

TEST_F(NpyTest, WritesAndReadsFloat32InBatches) {
  std::string file = path("x.npy");
  {
    auto writer = NpyWriter::create(file, NpyDType::Float32, {3, 2});
    ASSERT_TRUE(bool(writer)) << errorOf(writer.takeError());
    ASSERT_FALSE((*writer)->append(llvm::ArrayRef<float>({1, 2, 3, 4})));
    ASSERT_FALSE((*writer)->append(llvm::ArrayRef<float>({5, 6.5f})));
    // Nothing appears at the path before commit.
    EXPECT_FALSE(llvm::sys::fs::exists(file));
    ASSERT_FALSE((*writer)->commit());
  }
  auto reader = NpyReader::open(file);
  ASSERT_TRUE(bool(reader)) << errorOf(reader.takeError());
  EXPECT_EQ((*reader)->getDType(), NpyDType::Float32);
  EXPECT_EQ((*reader)->getShape(), llvm::ArrayRef<int64_t>({3, 2}));
  EXPECT_EQ((*reader)->getRowSize(), 2);
  float rows[4];
  ASSERT_FALSE((*reader)->readRows(1, 2, rows));
  EXPECT_EQ(std::vector<float>(rows, rows + 4),
            (std::vector<float>{3, 4, 5, 6.5f}));
  // The data starts at a multiple of 64 bytes, as NumPy writes it.
  auto buffer = llvm::MemoryBuffer::getFile(file);
  ASSERT_TRUE(bool(buffer));
  EXPECT_EQ((*buffer)->getBufferSize() % 64, 24u);
  EXPECT_TRUE((*buffer)->getBuffer().contains(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }"));
}

TEST_F(NpyTest, WritesInt64) {
  std::string file = path("labels.npy");
  auto writer = NpyWriter::create(file, NpyDType::Int64, {3});
  ASSERT_TRUE(bool(writer));
  ASSERT_FALSE((*writer)->append(llvm::ArrayRef<int64_t>({7, -1, 1ll << 40})));
  ASSERT_FALSE((*writer)->commit());
  auto reader = NpyReader::open(file);
  ASSERT_TRUE(bool(reader));
  EXPECT_EQ((*reader)->getShape(), llvm::ArrayRef<int64_t>({3}));
  int64_t values[3];
  ASSERT_FALSE((*reader)->readRows(0, 3, values));
  EXPECT_EQ(values[2], 1ll << 40);
  EXPECT_EQ(values[1], -1);
  auto buffer = llvm::MemoryBuffer::getFile(file);
  EXPECT_TRUE((*buffer)->getBuffer().contains("'shape': (3,)"));
}

TEST_F(NpyTest, WritesAndReadsFloat64Exactly) {
  std::string file = path("sums.npy");
  // Values float32 cannot hold: they must come back bit for bit.
  const double values[4] = {0.1, -1e300, 1.0 + 0x1p-52, 123456789.123456789};
  auto writer = NpyWriter::create(file, NpyDType::Float64, {2, 2});
  ASSERT_TRUE(bool(writer));
  llvm::Error mismatch = (*writer)->append(llvm::ArrayRef<float>({1.0f}));
  EXPECT_NE(llvm::toString(std::move(mismatch))
                .find("appending float32 elements to a float64 array"),
            std::string::npos);
  ASSERT_FALSE((*writer)->append(llvm::ArrayRef<double>(values)));
  ASSERT_FALSE((*writer)->commit());
  auto reader = NpyReader::open(file);
  ASSERT_TRUE(bool(reader));
  EXPECT_EQ((*reader)->getDType(), NpyDType::Float64);
  double read[4];
  ASSERT_FALSE((*reader)->readRows(0, 2, read));
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(read[i], values[i]);
  // Other dtypes convert.
  std::string floats = path("floats.npy");
  ASSERT_FALSE(writeNpy(floats, Tensor(llvm::ArrayRef<int64_t>{2})));
  auto floatReader = NpyReader::open(floats);
  ASSERT_TRUE(bool(floatReader));
  ASSERT_FALSE((*floatReader)->readRows(0, 2, read));
  EXPECT_EQ(read[0], 0.0);
}

TEST_F(NpyTest, UncommittedOrIncompleteWritesLeaveNoFile) {
  std::string file = path("partial.npy");
  {
    auto writer = NpyWriter::create(file, NpyDType::Float32, {4});
    ASSERT_TRUE(bool(writer));
    ASSERT_FALSE((*writer)->append(llvm::ArrayRef<float>({1, 2})));
    std::string error = errorOf((*writer)->commit());
    EXPECT_NE(error.find("2 of 4 elements written"), std::string::npos);
    EXPECT_NE(errorOf((*writer)->append(llvm::ArrayRef<int64_t>({1})))
                  .find("appending int64 elements to a float32 array"),
              std::string::npos);
    EXPECT_NE(errorOf((*writer)->append(llvm::ArrayRef<float>({1, 2, 3})))
                  .find("more elements than the shape holds"),
              std::string::npos);
  }
  EXPECT_FALSE(llvm::sys::fs::exists(file));
  // No temporary file is left behind either.
  std::error_code ec;
  llvm::sys::fs::directory_iterator it(dir, ec), end;
  EXPECT_TRUE(it == end) << it->path();
}

TEST_F(NpyTest, ConvertsDTypesAndReadsVersion2) {
  struct Case {
    const char *descr;
    std::string data;
    std::vector<float> expected;
  };
  uint16_t halfs[] = {0x3c00, 0xc000, 0x3800}; // 1, -2, 0.5
  std::vector<Case> cases = {
      {"<f8", bytesOf<double>({1.5, -2.25, 1e10}), {1.5f, -2.25f, 1e10f}},
      {"|u1", bytesOf<uint8_t>({0, 128, 255}), {0, 128, 255}},
      {"|i1", bytesOf<int8_t>({-128, 0, 127}), {-128, 0, 127}},
      {"<i8", bytesOf<int64_t>({-3, 0, 5}), {-3, 0, 5}},
      {"<i4", bytesOf<int32_t>({-7, 8, 9}), {-7, 8, 9}},
      {"<u2", bytesOf<uint16_t>({1, 65535, 3}), {1, 65535, 3}},
      {"|b1", bytesOf<uint8_t>({1, 0, 1}), {1, 0, 1}},
      {"<f2", std::string(reinterpret_cast<char *>(halfs), 6), {1, -2, 0.5f}},
      {"=f4", bytesOf<float>({0.25f, 4, -8}), {0.25f, 4, -8}},
  };
  for (auto [i, c] : llvm::enumerate(cases)) {
    std::string dict = std::string("{'descr': '") + c.descr +
                       "', 'fortran_order': False, 'shape': (3,), }";
    std::string file = writeRaw("d" + std::to_string(i) + ".npy", dict, c.data,
                                /*version=*/i % 2 ? 1 : 2);
    auto reader = NpyReader::open(file);
    ASSERT_TRUE(bool(reader)) << c.descr << ": " << errorOf(reader.takeError());
    float values[3];
    ASSERT_FALSE((*reader)->readRows(0, 3, values));
    EXPECT_EQ(std::vector<float>(values, values + 3), c.expected) << c.descr;
  }
}

TEST_F(NpyTest, ReadsAllAsTensor) {
  std::string file = writeRaw("m.npy",
                              "{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (2, 1, 2), }",
                              bytesOf<float>({1, 2, 3, 4}));
  auto reader = NpyReader::open(file);
  ASSERT_TRUE(bool(reader));
  auto tensor = (*reader)->readAll();
  ASSERT_TRUE(bool(tensor));
  EXPECT_EQ(tensor->getShape(), llvm::ArrayRef<int64_t>({2, 1, 2}));
  EXPECT_EQ(tensor->values()[3], 4.0f);
}

TEST_F(NpyTest, LabelsMustBeIntegral) {
  std::string file = writeRaw("y.npy",
                              "{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (2,), }",
                              bytesOf<float>({1, 2.5f}));
  auto reader = NpyReader::open(file);
  ASSERT_TRUE(bool(reader));
  int64_t labels[2];
  std::string error = errorOf((*reader)->readRows(0, 2, labels));
  EXPECT_NE(error.find("element 1 (2.5) is not an integer"), std::string::npos)
      << error;
}

TEST_F(NpyTest, ReportsBadFilesWithTheirName) {
  std::string good =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
  std::string data = bytesOf<float>({1, 2});
  struct Case {
    std::string file;
    const char *message;
  };
  std::vector<Case> cases = {
      {writeRaw("magic.npy", good, data, 1, "\x93NUMPX"), "bad magic"},
      {writeRaw("short.npy", good, data.substr(0, 5)),
       "truncated: shape (2) of <f4 needs 8 bytes of data, the file has 5"},
      {writeRaw("fortran.npy",
                "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }",
                data),
       "Fortran-order arrays are not supported"},
      {writeRaw("big.npy",
                "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }",
                data),
       "big-endian dtype '>f4' is not supported"},
      {writeRaw("complex.npy",
                "{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }",
                data),
       "unsupported dtype '<c8'"},
      {writeRaw("struct.npy",
                "{'descr': [('a', '<f4')], 'fortran_order': False, "
                "'shape': (2,), }",
                data),
       "structured dtypes are not supported"},
      {writeRaw("shape.npy",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }",
                data),
       "'shape' is not a tuple of non-negative integers"},
      {writeRaw("keys.npy", "{'descr': '<f4', 'shape': (2,), }", data),
       "'descr', 'fortran_order' or 'shape' is missing"},
      {writeRaw("version.npy", good, data, 4), "unsupported .npy format "
                                               "version 4.0"},
      {path("missing.npy"), "cannot open"},
  };
  for (const Case &c : cases) {
    auto reader = NpyReader::open(c.file);
    ASSERT_FALSE(bool(reader)) << c.file;
    std::string error = errorOf(reader.takeError());
    EXPECT_EQ(error.rfind(c.file + ": ", 0), 0u) << error;
    EXPECT_NE(error.find(c.message), std::string::npos) << error;
  }
  // The header length may point past the end of the file.
  std::string truncatedHeader = path("header.npy");
  std::ofstream(truncatedHeader, std::ios::binary)
      << std::string("\x93NUMPY\x01\x00\xff\x00{'descr'", 18);
  auto reader = NpyReader::open(truncatedHeader);
  ASSERT_FALSE(bool(reader));
  EXPECT_NE(errorOf(reader.takeError()).find("truncated header"),
            std::string::npos);
}

TEST_F(NpyTest, RowsOutOfRangeAreErrors) {
  std::string file = writeRaw("r.npy",
                              "{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (2,), }",
                              bytesOf<float>({1, 2}));
  auto reader = NpyReader::open(file);
  ASSERT_TRUE(bool(reader));
  float values[3];
  std::string error = errorOf((*reader)->readRows(1, 2, values));
  EXPECT_NE(error.find("rows [1, 3) out of range (2 rows)"), std::string::npos)
      << error;
}

TEST_F(NpyTest, ShapesWhoseSizeOverflowsAreErrors) {
  // Issue 9: 4 x 2^62 floats is 2^66 bytes, which wrapped to 0 and passed the
  // size check; lin-run then wrote a data-less .npy and lin-opt aborted.
  std::string data = bytesOf<float>({1, 2, 3, 4});
  struct Case {
    const char *name, *shape;
  };
  for (Case c : {Case{"product.npy", "(4, 4611686018427387904)"},
                 Case{"bytes.npy", "(4611686018427387905,)"},
                 Case{"rows.npy", "(3, 3074457345618258603)"},
                 // A 0 does not hide an overflowing product of the others:
                 // strides of the rows would overflow.
                 Case{"zero.npy", "(0, 4611686018427387904, 4)"},
                 Case{"int64.npy", "(99999999999999999999,)"}}) {
    std::string file = writeRaw(c.name,
                                std::string("{'descr': '<f4', 'fortran_order': "
                                            "False, 'shape': ") +
                                    c.shape + ", }",
                                data);
    auto reader = NpyReader::open(file);
    ASSERT_FALSE(bool(reader)) << c.shape;
    std::string error = errorOf(reader.takeError());
    EXPECT_EQ(error.rfind(file + ": ", 0), 0u) << error;
    EXPECT_TRUE(error.find("too large") != std::string::npos ||
                error.find("'shape' is not a tuple") != std::string::npos)
        << error;
  }
  // Large but representable: the data is missing, says so.
  std::string file = writeRaw("huge.npy",
                              "{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (1099511627776, 4), }",
                              data);
  auto reader = NpyReader::open(file);
  ASSERT_FALSE(bool(reader));
  EXPECT_NE(errorOf(reader.takeError())
                .find("needs 17592186044416 bytes of data, the file has 16"),
            std::string::npos);
}

TEST_F(NpyTest, RowRangesNeverOverflow) {
  std::string file = writeRaw("r.npy",
                              "{'descr': '<f8', 'fortran_order': False, "
                              "'shape': (2,), }",
                              bytesOf<double>({1, 2}));
  auto reader = NpyReader::open(file);
  ASSERT_TRUE(bool(reader));
  float values[2];
  int64_t labels[2];
  EXPECT_TRUE(bool((*reader)->readRows(INT64_MAX, INT64_MAX, values)));
  EXPECT_TRUE(bool((*reader)->readRows(1, INT64_MAX, labels)));
  EXPECT_TRUE(bool((*reader)->readRows(-1, 1, values)));
  EXPECT_FALSE((*reader)->readRows(0, 2, labels));
  EXPECT_EQ(labels[1], 2);
}

TEST_F(NpyTest, LabelsOutsideInt64AreErrors) {
  // Converting 1e30 or NaN to int64 is undefined behaviour: an error instead.
  for (double value : {1e30, -1e30, std::nan("")}) {
    std::string file = writeRaw("big.npy",
                                "{'descr': '<f8', 'fortran_order': False, "
                                "'shape': (1,), }",
                                bytesOf<double>({value}));
    auto reader = NpyReader::open(file);
    ASSERT_TRUE(bool(reader));
    int64_t label;
    std::string error = errorOf((*reader)->readRows(0, 1, &label));
    EXPECT_NE(error.find("is not an integer"), std::string::npos) << error;
  }
}

TEST_F(NpyTest, ReadAllReportsAllocationFailure) {
  std::string file = writeRaw("x.npy",
                              "{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (1024, 16), }",
                              std::string(1024 * 16 * 4, '\0'));
  auto reader = NpyReader::open(file);
  ASSERT_TRUE(bool(reader));
  uint64_t previous = Tensor::getAllocationLimit();
  Tensor::setAllocationLimit(4096);
  auto tensor = (*reader)->readAll();
  Tensor::setAllocationLimit(previous);
  ASSERT_FALSE(bool(tensor));
  std::string error = errorOf(tensor.takeError());
  EXPECT_EQ(error.rfind(file + ": ", 0), 0u) << error;
  EXPECT_NE(error.find("cannot allocate 65536 bytes for a tensor of shape "
                       "1024x16: over the allocation limit of 4096 bytes"),
            std::string::npos)
      << error;
}

TEST(TensorTest, CountsElementsWithoutOverflow) {
  EXPECT_EQ(llvm::expectedToOptional(Tensor::countElements({})), 1);
  EXPECT_EQ(llvm::expectedToOptional(Tensor::countElements({3, 0, 5})), 0);
  EXPECT_EQ(llvm::expectedToOptional(Tensor::countElements({1 << 20, 1 << 20})),
            int64_t(1) << 40);
  EXPECT_FALSE(llvm::expectedToOptional(Tensor::countElements({-1, 2})));
  EXPECT_FALSE(
      llvm::expectedToOptional(Tensor::countElements({int64_t(1) << 62, 4})));
  EXPECT_FALSE(llvm::expectedToOptional(
      Tensor::countElements({0, int64_t(1) << 40, int64_t(1) << 40})));
  llvm::Expected<Tensor> huge = Tensor::tryZeros({100000000000, 100000});
  ASSERT_FALSE(bool(huge));
  EXPECT_NE(llvm::toString(huge.takeError())
                .find("cannot allocate 40000000000000000 bytes for a tensor "
                      "of shape 100000000000x100000: out of memory"),
            std::string::npos);
  llvm::Expected<Tensor> small = Tensor::tryZeros({2, 3});
  ASSERT_TRUE(bool(small));
  EXPECT_EQ(small->values(), llvm::ArrayRef<float>({0, 0, 0, 0, 0, 0}));
  Tensor shapeOnly = Tensor::shapeOnly({2, 2});
  EXPECT_FALSE(shapeOnly.tryMakeUnique());
  EXPECT_EQ(shapeOnly.values(), llvm::ArrayRef<float>({0, 0, 0, 0}));
}

} // namespace
