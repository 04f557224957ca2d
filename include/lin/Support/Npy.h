//===- Npy.h - NumPy .npy files ---------------------------------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Reading and writing NumPy's .npy format (format versions 1.0, 2.0 and 3.0;
// little-endian, C order). The reader streams rows: a data set of 60,000
// images is read one batch at a time with positioned reads, so it never
// needs more memory than the batch. The writer streams rows too, through an
// AtomicOutputFile: a regular file is only replaced by commit(), so an
// interrupted or failed run never leaves a partial file behind (symbolic
// links are written through, FIFOs and devices written directly).
//
// Every error names the file.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_SUPPORT_NPY_H
#define LIN_SUPPORT_NPY_H

#include "lin/Support/AtomicOutput.h"
#include "lin/Support/Tensor.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <memory>
#include <string>

namespace lin {

/// Element types lin reads (all converted to f32 or int64 on reading).
enum class NpyDType {
  Float16,
  Float32,
  Float64,
  Bool,
  Int8,
  UInt8,
  Int16,
  UInt16,
  Int32,
  UInt32,
  Int64,
  UInt64,
};

/// The NumPy spelling of a dtype ('<f4', '|u1', ...).
llvm::StringRef getNpyDescriptor(NpyDType dtype);
/// Bytes per element.
unsigned getNpyElementSize(NpyDType dtype);

class NpyReader {
public:
  /// Opens `path` and checks its header and size: the shape's element and
  /// byte counts must fit in 64 bits and the data must be in the file, so
  /// that every later size computed from the shape is exact.
  static llvm::Expected<std::unique_ptr<NpyReader>> open(llvm::StringRef path);
  ~NpyReader();

  llvm::StringRef getPath() const { return path; }
  NpyDType getDType() const { return dtype; }
  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  /// Rows along the leading dimension (1 for a 0-d array).
  int64_t getNumRows() const { return shape.empty() ? 1 : shape[0]; }
  /// Elements per row (the product of the trailing dimensions).
  int64_t getRowSize() const { return rowSize; }

  /// Reads rows [firstRow, firstRow + numRows) converted to f32 into `out`
  /// (numRows * getRowSize() floats).
  llvm::Error readRows(int64_t firstRow, int64_t numRows, float *out);
  /// Same, converted to int64 (labels). Floating-point values must be
  /// integral.
  llvm::Error readRows(int64_t firstRow, int64_t numRows, int64_t *out);
  /// Same, converted to f64 (statistics lin wrote in float64 read back
  /// exactly).
  llvm::Error readRows(int64_t firstRow, int64_t numRows, double *out);

  /// Reads the whole array as an f32 tensor (an error, not an abort, when
  /// it does not fit in memory).
  llvm::Expected<Tensor> readAll();

private:
  NpyReader() = default;
  /// Reads the raw bytes of rows into `destination`, or into `buffer` when
  /// it is null.
  llvm::Error readBytes(int64_t firstRow, int64_t numRows,
                        char *destination = nullptr);
  llvm::Error error(const llvm::Twine &message) const;

  std::string path;
  llvm::sys::fs::file_t file = llvm::sys::fs::kInvalidFile;
  NpyDType dtype = NpyDType::Float32;
  llvm::SmallVector<int64_t, 4> shape;
  int64_t rowSize = 1;
  uint64_t dataOffset = 0;
  /// Scratch for converted dtypes, grown on demand with malloc, so that a
  /// failed allocation is an error rather than std::bad_alloc (an abort).
  struct FreeDeleter {
    void operator()(char *memory) const;
  };
  std::unique_ptr<char[], FreeDeleter> buffer;
  size_t bufferSize = 0;
};

class NpyWriter {
public:
  /// Starts writing an array of `shape` and `dtype` (Float32, Float64 or
  /// Int64) to
  /// `path`. Nothing appears at `path` until commit() (unless it is a FIFO
  /// or a device, written as the rows come).
  static llvm::Expected<std::unique_ptr<NpyWriter>>
  create(llvm::StringRef path, NpyDType dtype, llvm::ArrayRef<int64_t> shape);
  /// Removes the temporary file unless committed.
  ~NpyWriter();

  /// Appends elements in C order (the dtype must match).
  llvm::Error append(llvm::ArrayRef<float> values);
  llvm::Error append(llvm::ArrayRef<int64_t> values);
  llvm::Error append(llvm::ArrayRef<double> values);

  /// Checks that every element was written, then moves the file into place.
  llvm::Error commit();

private:
  NpyWriter() = default;
  llvm::Error error(const llvm::Twine &message) const;
  llvm::Error appendBytes(llvm::ArrayRef<char> bytes, int64_t count);
  /// Appends `values` if the array's dtype is `valueType`.
  template <typename T>
  llvm::Error appendValues(llvm::ArrayRef<T> values, NpyDType valueType);

  std::string path;
  std::unique_ptr<AtomicOutputFile> file;
  NpyDType dtype = NpyDType::Float32;
  int64_t expectedElements = 0, writtenElements = 0;
  bool committed = false;
};

/// Writes a whole tensor as a float32 .npy file.
llvm::Error writeNpy(llvm::StringRef path, const Tensor &tensor);

} // namespace lin

#endif // LIN_SUPPORT_NPY_H
