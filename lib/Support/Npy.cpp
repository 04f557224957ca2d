//===- Npy.cpp - NumPy .npy files -----------------------------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Format (numpy/lib/format.py): the magic "\x93NUMPY", a major and a minor
// version byte, the header length (2 bytes little-endian in 1.0, 4 bytes in
// 2.0 and 3.0), then the header: a Python dict literal with 'descr',
// 'fortran_order' and 'shape', padded with spaces and a newline so that the
// data starts at a multiple of 64 bytes (16 in old files). Version 3.0 only
// allows UTF-8 in the header, which changes nothing for the keys read here.
//
//===----------------------------------------------------------------------===//

#include "lin/Support/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>

using namespace lin;
using llvm::StringRef;

static constexpr char kMagic[] = "\x93NUMPY";
static constexpr size_t kMagicSize = 6;

StringRef lin::getNpyDescriptor(NpyDType dtype) {
  switch (dtype) {
  case NpyDType::Float16:
    return "<f2";
  case NpyDType::Float32:
    return "<f4";
  case NpyDType::Float64:
    return "<f8";
  case NpyDType::Bool:
    return "|b1";
  case NpyDType::Int8:
    return "|i1";
  case NpyDType::UInt8:
    return "|u1";
  case NpyDType::Int16:
    return "<i2";
  case NpyDType::UInt16:
    return "<u2";
  case NpyDType::Int32:
    return "<i4";
  case NpyDType::UInt32:
    return "<u4";
  case NpyDType::Int64:
    return "<i8";
  case NpyDType::UInt64:
    return "<u8";
  }
  return "";
}

unsigned lin::getNpyElementSize(NpyDType dtype) {
  switch (dtype) {
  case NpyDType::Bool:
  case NpyDType::Int8:
  case NpyDType::UInt8:
    return 1;
  case NpyDType::Float16:
  case NpyDType::Int16:
  case NpyDType::UInt16:
    return 2;
  case NpyDType::Float32:
  case NpyDType::Int32:
  case NpyDType::UInt32:
    return 4;
  case NpyDType::Float64:
  case NpyDType::Int64:
  case NpyDType::UInt64:
    return 8;
  }
  return 0;
}

/// Parses a descriptor such as '<f4'. '=' (native) is little-endian on every
/// host lin supports; '|' marks single-byte types.
static std::optional<NpyDType> parseDescriptor(StringRef descr,
                                               std::string &whyNot) {
  if (descr.size() < 3) {
    whyNot = ("unsupported dtype '" + descr + "'").str();
    return std::nullopt;
  }
  char order = descr[0];
  StringRef kind = descr.drop_front();
  if (order == '>' && kind.drop_front() != "1") {
    whyNot = ("big-endian dtype '" + descr +
              "' is not supported; convert with "
              "arr.astype(arr.dtype.newbyteorder('<'))")
                 .str();
    return std::nullopt;
  }
  if (order != '<' && order != '=' && order != '|' && order != '>') {
    whyNot = ("unsupported dtype '" + descr + "'").str();
    return std::nullopt;
  }
  std::optional<NpyDType> dtype =
      llvm::StringSwitch<std::optional<NpyDType>>(kind)
          .Case("f2", NpyDType::Float16)
          .Case("f4", NpyDType::Float32)
          .Case("f8", NpyDType::Float64)
          .Case("b1", NpyDType::Bool)
          .Case("i1", NpyDType::Int8)
          .Case("u1", NpyDType::UInt8)
          .Case("i2", NpyDType::Int16)
          .Case("u2", NpyDType::UInt16)
          .Case("i4", NpyDType::Int32)
          .Case("u4", NpyDType::UInt32)
          .Case("i8", NpyDType::Int64)
          .Case("u8", NpyDType::UInt64)
          .Default(std::nullopt);
  if (!dtype)
    whyNot = ("unsupported dtype '" + descr +
              "' (supported: float16/32/64, bool, signed and unsigned "
              "integers)")
                 .str();
  return dtype;
}

namespace {
/// The header dict: a tiny parser of the Python literal subset NumPy writes.
struct NpyHeader {
  std::string descr;
  bool fortranOrder = false;
  llvm::SmallVector<int64_t, 4> shape;
};

class HeaderParser {
public:
  explicit HeaderParser(StringRef text) : text(text) {}

  llvm::Expected<NpyHeader> parse() {
    NpyHeader header;
    bool seenDescr = false, seenOrder = false, seenShape = false;
    if (!consume('{'))
      return fail("expected '{'");
    while (!consume('}')) {
      std::optional<std::string> key = parseString();
      if (!key)
        return fail("expected a quoted key");
      if (!consume(':'))
        return fail("expected ':' after '" + *key + "'");
      if (*key == "descr") {
        std::optional<std::string> value = parseString();
        if (!value)
          return fail("'descr' is not a string (structured dtypes are not "
                      "supported)");
        header.descr = *value;
        seenDescr = true;
      } else if (*key == "fortran_order") {
        if (consumeWord("True"))
          header.fortranOrder = true;
        else if (consumeWord("False"))
          header.fortranOrder = false;
        else
          return fail("'fortran_order' is not True or False");
        seenOrder = true;
      } else if (*key == "shape") {
        if (!parseShape(header.shape))
          return fail("'shape' is not a tuple of non-negative integers");
        seenShape = true;
      } else {
        return fail("unexpected key '" + *key + "'");
      }
      if (!consume(',') && !peek('}'))
        return fail("expected ',' or '}'");
    }
    if (!seenDescr || !seenOrder || !seenShape)
      return fail("'descr', 'fortran_order' or 'shape' is missing");
    return header;
  }

private:
  llvm::Error fail(const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "malformed header: " + message);
  }
  void skipSpace() { text = text.ltrim(" \t\r\n"); }
  bool peek(char c) {
    skipSpace();
    return !text.empty() && text.front() == c;
  }
  bool consume(char c) {
    if (!peek(c))
      return false;
    text = text.drop_front();
    return true;
  }
  bool consumeWord(StringRef word) {
    skipSpace();
    return text.consume_front(word);
  }
  std::optional<std::string> parseString() {
    skipSpace();
    if (text.empty() || (text.front() != '\'' && text.front() != '"'))
      return std::nullopt;
    char quote = text.front();
    size_t end = text.find(quote, 1);
    if (end == StringRef::npos)
      return std::nullopt;
    std::string value = text.slice(1, end).str();
    text = text.drop_front(end + 1);
    return value;
  }
  bool parseShape(llvm::SmallVectorImpl<int64_t> &shape) {
    if (!consume('('))
      return false;
    while (!consume(')')) {
      skipSpace();
      size_t digits = text.find_first_not_of("0123456789");
      if (digits == 0 || digits == StringRef::npos)
        return false;
      int64_t size;
      if (text.take_front(digits).getAsInteger(10, size))
        return false;
      shape.push_back(size);
      text = text.drop_front(digits);
      // NumPy 2 may print sizes as 'np.int64(3)'; not in .npy headers.
      if (!consume(',') && !peek(')'))
        return false;
    }
    return true;
  }

  StringRef text;
};
} // namespace

//===----------------------------------------------------------------------===//
// NpyReader
//===----------------------------------------------------------------------===//

llvm::Error NpyReader::error(const llvm::Twine &message) const {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": " + message);
}

NpyReader::~NpyReader() {
  if (file != llvm::sys::fs::kInvalidFile)
    (void)llvm::sys::fs::closeFile(file);
}

llvm::Expected<std::unique_ptr<NpyReader>> NpyReader::open(StringRef path) {
  std::unique_ptr<NpyReader> reader(new NpyReader());
  reader->path = path.str();
  llvm::Expected<llvm::sys::fs::file_t> file =
      llvm::sys::fs::openNativeFileForRead(path);
  if (!file)
    return reader->error("cannot open: " + llvm::toString(file.takeError()));
  reader->file = *file;
  uint64_t fileSize = 0;
  if (std::error_code ec = llvm::sys::fs::file_size(path, fileSize))
    return reader->error("cannot read its size: " + ec.message());

  // Fixed prefix: magic, version, header length.
  char prefix[12] = {};
  llvm::Expected<size_t> got = llvm::sys::fs::readNativeFileSlice(
      *file, llvm::MutableArrayRef<char>(prefix, sizeof(prefix)), 0);
  if (!got)
    return reader->error("read failed: " + llvm::toString(got.takeError()));
  if (*got < 10 || std::memcmp(prefix, kMagic, kMagicSize) != 0)
    return reader->error("not a .npy file (bad magic; expected "
                         "'\\x93NUMPY')");
  unsigned major = static_cast<unsigned char>(prefix[6]);
  uint64_t headerLength, headerStart;
  if (major == 1) {
    headerLength = static_cast<unsigned char>(prefix[8]) |
                   static_cast<unsigned char>(prefix[9]) << 8;
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (*got < 12)
      return reader->error("truncated header");
    headerLength = 0;
    for (int i = 3; i >= 0; --i)
      headerLength =
          headerLength << 8 | static_cast<unsigned char>(prefix[8 + i]);
    headerStart = 12;
  } else {
    unsigned minor = static_cast<unsigned char>(prefix[7]);
    return reader->error(
        llvm::formatv("unsupported .npy format version {0}.{1}", major, minor));
  }
  if (headerStart + headerLength > fileSize)
    return reader->error("truncated header");
  std::string headerText(headerLength, '\0');
  got = llvm::sys::fs::readNativeFileSlice(
      *file, llvm::MutableArrayRef<char>(headerText.data(), headerLength),
      headerStart);
  if (!got || *got != headerLength)
    return reader->error("truncated header");

  llvm::Expected<NpyHeader> header = HeaderParser(headerText).parse();
  if (!header)
    return reader->error(llvm::toString(header.takeError()));
  if (header->fortranOrder)
    return reader->error("Fortran-order arrays are not supported; save a "
                         "C-order copy (np.save(path, "
                         "np.ascontiguousarray(a)))");
  std::string whyNot;
  std::optional<NpyDType> dtype = parseDescriptor(header->descr, whyNot);
  if (!dtype)
    return reader->error(whyNot);
  reader->dtype = *dtype;
  reader->shape = header->shape;
  reader->dataOffset = headerStart + headerLength;
  std::string shapeText =
      llvm::join(llvm::map_range(reader->shape,
                                 [](int64_t s) { return std::to_string(s); }),
                 ", ");

  // The header may claim any shape: every count derived from it is checked,
  // so that a product that overflows (and would wrap to a small size) is an
  // error here rather than a short buffer later. The bytes must fit in
  // int64 (offsets into the file) and the elements in a Tensor.
  std::optional<int64_t> rowSize = 1, numElements = reader->getNumRows();
  for (int64_t size :
       llvm::ArrayRef(reader->shape).drop_front(reader->shape.empty() ? 0 : 1))
    if (rowSize)
      rowSize = llvm::checkedMul(*rowSize, size);
  if (rowSize)
    numElements = llvm::checkedMul(*numElements, *rowSize);
  std::optional<int64_t> dataBytes;
  if (numElements)
    dataBytes =
        llvm::checkedMul<int64_t>(*numElements, getNpyElementSize(*dtype));
  // Tensors of the rows must be representable too (their strides are
  // products of the sizes, zeros skipped).
  if (!dataBytes ||
      !llvm::expectedToOptional(Tensor::countElements(reader->shape)))
    return reader->error(llvm::formatv(
        "shape ({0}) of {1} is too large: its size in bytes overflows 64 "
        "bits",
        shapeText, header->descr));
  reader->rowSize = *rowSize;
  if (static_cast<uint64_t>(*dataBytes) > fileSize - reader->dataOffset)
    return reader->error(llvm::formatv(
        "truncated: shape ({0}) of {1} needs {2} bytes of data, the file "
        "has {3}",
        shapeText, header->descr, *dataBytes, fileSize - reader->dataOffset));
  return reader;
}

void NpyReader::FreeDeleter::operator()(char *memory) const {
  std::free(memory);
}

llvm::Error NpyReader::readBytes(int64_t firstRow, int64_t numRows,
                                 char *destination) {
  // Written so that no sum overflows: open() checked the whole array's byte
  // count, so the products below are within it once the range is valid.
  if (firstRow < 0 || numRows < 0 || firstRow > getNumRows() ||
      numRows > getNumRows() - firstRow)
    return error(llvm::formatv(
        "rows [{0}, {1}) out of range ({2} rows)", firstRow,
        llvm::checkedAdd(firstRow, numRows).value_or(INT64_MAX), getNumRows()));
  size_t elementSize = getNpyElementSize(dtype);
  size_t bytes = static_cast<size_t>(numRows * rowSize) * elementSize;
  if (!destination) {
    if (bytes > bufferSize) {
      buffer.reset(static_cast<char *>(std::malloc(bytes)));
      bufferSize = buffer ? bytes : 0;
      if (!buffer)
        return error(llvm::formatv("cannot allocate {0} bytes to convert "
                                   "rows [{1}, +{2}): out of memory",
                                   bytes, firstRow, numRows));
    }
    destination = buffer.get();
  }
  uint64_t offset =
      dataOffset + static_cast<uint64_t>(firstRow) * rowSize * elementSize;
  size_t done = 0;
  while (done < bytes) {
    llvm::Expected<size_t> got = llvm::sys::fs::readNativeFileSlice(
        file, llvm::MutableArrayRef<char>(destination + done, bytes - done),
        offset + done);
    if (!got)
      return error("read failed: " + llvm::toString(got.takeError()));
    if (*got == 0)
      return error("truncated (the file shrank while reading)");
    done += *got;
  }
  return llvm::Error::success();
}

namespace {
float halfToFloat(uint16_t bits) {
  uint32_t sign = static_cast<uint32_t>(bits & 0x8000) << 16;
  int exponent = (bits >> 10) & 0x1f;
  uint32_t mantissa = bits & 0x3ff;
  if (exponent == 0x1f)
    return mantissa ? NAN : (sign ? -INFINITY : INFINITY);
  float magnitude = exponent
                        ? std::ldexp(float(mantissa | 0x400), exponent - 25)
                        : std::ldexp(float(mantissa), -24);
  return sign ? -magnitude : magnitude;
}

template <typename Stored, typename Out>
void convert(const char *bytes, size_t count, Out *out) {
  for (size_t i = 0; i < count; ++i) {
    Stored value;
    std::memcpy(&value, bytes + i * sizeof(Stored), sizeof(Stored));
    out[i] = static_cast<Out>(value);
  }
}

/// Converts `count` elements of `dtype` to `Out` (float or int64_t).
template <typename Out>
void convertElements(NpyDType dtype, const char *bytes, size_t count,
                     Out *out) {
  switch (dtype) {
  case NpyDType::Float16:
    for (size_t i = 0; i < count; ++i) {
      uint16_t bits;
      std::memcpy(&bits, bytes + 2 * i, 2);
      out[i] = static_cast<Out>(halfToFloat(bits));
    }
    return;
  case NpyDType::Float32:
    return convert<float>(bytes, count, out);
  case NpyDType::Float64:
    return convert<double>(bytes, count, out);
  case NpyDType::Bool:
    for (size_t i = 0; i < count; ++i)
      out[i] = bytes[i] ? Out(1) : Out(0);
    return;
  case NpyDType::Int8:
    return convert<int8_t>(bytes, count, out);
  case NpyDType::UInt8:
    return convert<uint8_t>(bytes, count, out);
  case NpyDType::Int16:
    return convert<int16_t>(bytes, count, out);
  case NpyDType::UInt16:
    return convert<uint16_t>(bytes, count, out);
  case NpyDType::Int32:
    return convert<int32_t>(bytes, count, out);
  case NpyDType::UInt32:
    return convert<uint32_t>(bytes, count, out);
  case NpyDType::Int64:
    return convert<int64_t>(bytes, count, out);
  case NpyDType::UInt64:
    return convert<uint64_t>(bytes, count, out);
  }
}

bool isFloating(NpyDType dtype) {
  return dtype == NpyDType::Float16 || dtype == NpyDType::Float32 ||
         dtype == NpyDType::Float64;
}
} // namespace

llvm::Error NpyReader::readRows(int64_t firstRow, int64_t numRows, float *out) {
  // float32 data is read straight into place.
  if (dtype == NpyDType::Float32)
    return readBytes(firstRow, numRows, reinterpret_cast<char *>(out));
  if (llvm::Error err = readBytes(firstRow, numRows))
    return err;
  convertElements(dtype, buffer.get(), numRows * rowSize, out);
  return llvm::Error::success();
}

llvm::Error NpyReader::readRows(int64_t firstRow, int64_t numRows,
                                int64_t *out) {
  if (llvm::Error err = readBytes(firstRow, numRows))
    return err;
  size_t count = numRows * rowSize;
  if (!isFloating(dtype)) {
    convertElements(dtype, buffer.get(), count, out);
    return llvm::Error::success();
  }
  // One element at a time: no second buffer of the whole range.
  size_t elementSize = getNpyElementSize(dtype);
  for (size_t i = 0; i < count; ++i) {
    double value;
    convertElements(dtype, buffer.get() + i * elementSize, 1, &value);
    // Labels must be integers that int64 holds: converting anything else
    // (NaN, 1e30) is undefined behaviour.
    if (value != std::trunc(value) || !(value >= -0x1p63 && value < 0x1p63)) {
      std::string message;
      llvm::raw_string_ostream os(message);
      os << "element " << firstRow * rowSize + int64_t(i) << " ("
         << llvm::format("%g", value) << ") is not an integer";
      return error(message);
    }
    out[i] = static_cast<int64_t>(value);
  }
  return llvm::Error::success();
}

llvm::Error NpyReader::readRows(int64_t firstRow, int64_t numRows,
                                double *out) {
  if (dtype == NpyDType::Float64)
    return readBytes(firstRow, numRows, reinterpret_cast<char *>(out));
  if (llvm::Error err = readBytes(firstRow, numRows))
    return err;
  convertElements(dtype, buffer.get(), numRows * rowSize, out);
  return llvm::Error::success();
}

llvm::Expected<Tensor> NpyReader::readAll() {
  llvm::Expected<Tensor> tensor = Tensor::tryUninitialized(shape);
  if (!tensor)
    return error(llvm::toString(tensor.takeError()));
  if (llvm::Error err = readRows(0, getNumRows(), tensor->data()))
    return std::move(err);
  return tensor;
}

//===----------------------------------------------------------------------===//
// NpyWriter
//===----------------------------------------------------------------------===//

llvm::Error NpyWriter::error(const llvm::Twine &message) const {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": " + message);
}

/// The header block: prefix and dict, padded to a multiple of 64 bytes.
static std::string buildHeader(NpyDType dtype, llvm::ArrayRef<int64_t> shape) {
  std::string dict = "{'descr': '" + getNpyDescriptor(dtype).str() +
                     "', 'fortran_order': False, 'shape': (";
  for (int64_t size : shape)
    dict += std::to_string(size) + ", ";
  // '(3, 4)', but '(3,)' for one dimension.
  if (shape.size() > 1)
    dict.erase(dict.size() - 2);
  else if (shape.size() == 1)
    dict.erase(dict.size() - 1);
  dict += "), }";
  bool version1 = dict.size() + 11 < 65536;
  size_t prefixSize = version1 ? 10 : 12;
  size_t total = (prefixSize + dict.size() + 1 + 63) / 64 * 64;
  dict.append(total - prefixSize - dict.size() - 1, ' ');
  dict += '\n';
  std::string header(kMagic, kMagicSize);
  header += char(version1 ? 1 : 2);
  header += char(0);
  uint32_t length = dict.size();
  header += char(length & 0xff);
  header += char((length >> 8) & 0xff);
  if (!version1) {
    header += char((length >> 16) & 0xff);
    header += char((length >> 24) & 0xff);
  }
  return header + dict;
}

/// The name of a dtype NpyWriter writes, as error messages spell it.
static StringRef getWritableTypeName(NpyDType dtype) {
  switch (dtype) {
  case NpyDType::Float64:
    return "float64";
  case NpyDType::Int64:
    return "int64";
  default:
    return "float32";
  }
}

llvm::Expected<std::unique_ptr<NpyWriter>>
NpyWriter::create(StringRef path, NpyDType dtype,
                  llvm::ArrayRef<int64_t> shape) {
  std::unique_ptr<NpyWriter> writer(new NpyWriter());
  writer->path = path.str();
  writer->dtype = dtype;
  if (dtype != NpyDType::Float32 && dtype != NpyDType::Float64 &&
      dtype != NpyDType::Int64)
    return writer->error(
        "only float32, float64 and int64 arrays can be written");
  writer->expectedElements = 1;
  for (int64_t size : shape)
    writer->expectedElements *= size;

  llvm::Expected<std::unique_ptr<AtomicOutputFile>> file =
      AtomicOutputFile::create(path);
  if (!file)
    return file.takeError();
  writer->file = std::move(*file);
  writer->file->os() << buildHeader(dtype, shape);
  return writer;
}

// The AtomicOutputFile discards itself unless committed.
NpyWriter::~NpyWriter() = default;

llvm::Error NpyWriter::appendBytes(llvm::ArrayRef<char> bytes, int64_t count) {
  if (committed)
    return error("append after commit");
  if (writtenElements + count > expectedElements)
    return error(llvm::formatv("more elements than the shape holds ({0})",
                               expectedElements));
  file->os().write(bytes.data(), bytes.size());
  writtenElements += count;
  return file->checkWriteError();
}

template <typename T>
llvm::Error NpyWriter::appendValues(llvm::ArrayRef<T> values,
                                    NpyDType valueType) {
  if (dtype != valueType)
    return error(llvm::formatv("appending {0} elements to a {1} array",
                               getWritableTypeName(valueType),
                               getWritableTypeName(dtype)));
  return appendBytes({reinterpret_cast<const char *>(values.data()),
                      values.size() * sizeof(T)},
                     values.size());
}

llvm::Error NpyWriter::append(llvm::ArrayRef<float> values) {
  return appendValues(values, NpyDType::Float32);
}

llvm::Error NpyWriter::append(llvm::ArrayRef<int64_t> values) {
  return appendValues(values, NpyDType::Int64);
}

llvm::Error NpyWriter::append(llvm::ArrayRef<double> values) {
  return appendValues(values, NpyDType::Float64);
}

llvm::Error NpyWriter::commit() {
  if (writtenElements != expectedElements)
    return error(llvm::formatv("{0} of {1} elements written", writtenElements,
                               expectedElements));
  if (llvm::Error err = file->commit())
    return err;
  committed = true;
  return llvm::Error::success();
}

llvm::Error lin::writeNpy(StringRef path, const Tensor &tensor) {
  llvm::Expected<std::unique_ptr<NpyWriter>> writer =
      NpyWriter::create(path, NpyDType::Float32, tensor.getShape());
  if (!writer)
    return writer.takeError();
  if (llvm::Error err = (*writer)->append(tensor.values()))
    return err;
  return (*writer)->commit();
}
