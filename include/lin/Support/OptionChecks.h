//===- OptionChecks.h - Checked option values and rules ---------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// What the options of lin's passes and tools may hold, checked at two levels:
//
// * Parsing. llvm::cl reads an empty number (`threshold=`) as 0, since
//   strtod("") consumes nothing and leaves nothing behind; it accepts `nan`;
//   and it reads an empty flag (`verbose=`) as true, like a flag given
//   without a value. Number and flag options therefore hold a
//   CheckedOption<T>, whose llvm::cl::parser rejects these where every other
//   malformed value is rejected, before anything runs, naming the option.
//   (Pass options get it from their ODS type; lin-run's from cl::opt.)
// * Ranges. The check* functions say what is wrong with a parsed value, in
//   one form, `<option> must be <rule>, got <value>`; passes emit it located
//   on the module (lin/Transforms/PassOptionChecks.h), tools print it.
//
// Header-only, so that every layer above Support can use it.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_SUPPORT_OPTIONCHECKS_H
#define LIN_SUPPORT_OPTIONCHECKS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

namespace lin {

/// The value of a number or flag option. It converts to and from T, so that
/// code using the option (passes, option structs, forwarding) sees a T; it
/// exists only to select the checked llvm::cl parser below.
template <typename T> class CheckedOption {
  static_assert(std::is_arithmetic_v<T>, "a number or a flag");

public:
  CheckedOption(T value = T()) : value(value) {}
  operator T() const { return value; }
  T get() const { return value; }

  // No comparison operators of its own: they would make `option == 1.0`
  // ambiguous with the built-in comparison through `operator T`.
  friend llvm::raw_ostream &operator<<(llvm::raw_ostream &os,
                                       CheckedOption option) {
    // As the parser reads it back (pass pipelines print their options).
    if constexpr (std::is_same_v<T, bool>)
      return os << (option.value ? "true" : "false");
    else
      return os << option.value;
  }

private:
  T value;
};

/// An option value for messages: `0.5`, `-1`, `1e-06`, `nan`, `inf`, where
/// a diagnostic's own double printing says `-5.000000e-01`.
inline std::string formatOptionValue(double value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%g", value);
  return text;
}

/// What is wrong with `value` unless it is in [min, max] (in (min, max] if
/// `minExclusive`) or equal to `sentinel`, whose meaning the message names
/// (e.g. -1 for "off"). NaN is never in range.
inline std::optional<std::string>
checkInRange(llvm::StringRef option, double value, double min, double max,
             bool minExclusive = false,
             std::optional<double> sentinel = std::nullopt,
             llvm::StringRef sentinelMeaning = "") {
  if (sentinel && value == *sentinel)
    return std::nullopt;
  // Written so that NaN, for which every comparison is false, fails.
  bool aboveMin = minExclusive ? value > min : value >= min;
  if (aboveMin && value <= max)
    return std::nullopt;
  std::string rule = (minExclusive ? "(" : "[") + formatOptionValue(min) +
                     ", " + formatOptionValue(max) + "]";
  if (sentinel)
    rule += " or " + formatOptionValue(*sentinel) + " (" +
            sentinelMeaning.str() + ")";
  return (option + " must be in " + rule + ", got " + formatOptionValue(value))
      .str();
}

/// What is wrong with `value` unless it is in the open interval (min, max).
inline std::optional<std::string>
checkInOpenRange(llvm::StringRef option, double value, double min, double max) {
  if (value > min && value < max) // NaN fails
    return std::nullopt;
  return (option + " must be in (" + formatOptionValue(min) + ", " +
          formatOptionValue(max) + "), got " + formatOptionValue(value))
      .str();
}

/// What is wrong with `value` unless it is in [0, 1] or `sentinel`.
inline std::optional<std::string>
checkFraction(llvm::StringRef option, double value,
              std::optional<double> sentinel = std::nullopt,
              llvm::StringRef sentinelMeaning = "") {
  return checkInRange(option, value, 0.0, 1.0, /*minExclusive=*/false, sentinel,
                      sentinelMeaning);
}

/// What is wrong with `value` unless it is at least 1 or `sentinel`.
inline std::optional<std::string>
checkPositive(llvm::StringRef option, int64_t value,
              std::optional<int64_t> sentinel = std::nullopt,
              llvm::StringRef sentinelMeaning = "") {
  if (value >= 1 || (sentinel && value == *sentinel))
    return std::nullopt;
  std::string rule = "positive";
  if (sentinel)
    rule +=
        " or " + std::to_string(*sentinel) + " (" + sentinelMeaning.str() + ")";
  return (option + " must be " + rule + ", got " + llvm::Twine(value)).str();
}

/// What is wrong with `value` unless it is a finite number >= 0.
inline std::optional<std::string> checkNonNegative(llvm::StringRef option,
                                                   double value) {
  if (value >= 0.0 && std::isfinite(value)) // NaN fails
    return std::nullopt;
  return (option + " must be a finite number >= 0, got " +
          formatOptionValue(value))
      .str();
}

/// What is wrong with `value` if it is NaN or infinite.
inline std::optional<std::string> checkFinite(llvm::StringRef option,
                                              double value) {
  if (std::isfinite(value))
    return std::nullopt;
  return (option + " must be a finite number, got " + formatOptionValue(value))
      .str();
}

/// What is wrong with `value` if it is empty (a file name without default).
inline std::optional<std::string> checkNonEmpty(llvm::StringRef option,
                                                llvm::StringRef value) {
  if (!value.empty())
    return std::nullopt;
  return (option + " must not be empty").str();
}

} // namespace lin

namespace llvm::cl {

/// The value of a CheckedOption, kept like a plain number's so that defaults
/// print and reset (llvm::cl keeps no value for class types).
template <typename T>
struct OptionValue<lin::CheckedOption<T>> final
    : OptionValueCopy<lin::CheckedOption<T>> {
  using WrapperType = lin::CheckedOption<T>;

  OptionValue() = default;
  OptionValue(const lin::CheckedOption<T> &value) { this->setValue(value); }
  OptionValue &operator=(const lin::CheckedOption<T> &value) {
    this->setValue(value);
    return *this;
  }
};

/// Parses like llvm::cl::parser<T>, but rejects an empty value (which the
/// plain parser reads as 0, or as true for a flag) and NaN (for which every
/// comparison is false, so that a range check written as
/// `x < min || x > max` lets it through). A flag without any value (`quiet`,
/// not `quiet=`) is still true: llvm::cl passes it as a null string.
template <typename T>
class parser<lin::CheckedOption<T>>
    : public basic_parser<lin::CheckedOption<T>> {
  static constexpr bool isFlag = std::is_same_v<T, bool>;

public:
  explicit parser(Option &option)
      : basic_parser<lin::CheckedOption<T>>(option) {}

  bool parse(Option &option, StringRef argName, StringRef arg,
             lin::CheckedOption<T> &value) {
    if (isFlag ? arg.data() && arg.empty() : arg.empty())
      return option.error(isFlag                  ? "empty value; expected "
                                                    "true or false"
                          : std::is_integral_v<T> ? "empty value; expected "
                                                    "an integer"
                                                  : "empty value; expected "
                                                    "a number",
                          argName);
    T plain;
    if (parser<T>(option).parse(option, argName, arg, plain))
      return true;
    if constexpr (std::is_floating_point_v<T>)
      if (std::isnan(plain))
        return option.error("'" + arg + "' is not a number", argName);
    value = plain;
    return false;
  }

  // As the plain parser: a flag may stand alone.
  enum ValueExpected getValueExpectedFlagDefault() const {
    return isFlag ? ValueOptional : ValueRequired;
  }

  StringRef getValueName() const override {
    return isFlag ? StringRef() : std::is_integral_v<T> ? "int" : "number";
  }

  void printOptionDiff(const Option &option, const lin::CheckedOption<T> &value,
                       const OptionValue<lin::CheckedOption<T>> &defaultValue,
                       size_t globalWidth) const {
    // As the plain parsers print it (--print-options).
    this->printOptionName(option, globalWidth);
    llvm::outs() << "= " << value << " (default: ";
    if (defaultValue.hasValue())
      llvm::outs() << defaultValue.getValue();
    else
      llvm::outs() << "*no default*";
    llvm::outs() << ")\n";
  }
};

} // namespace llvm::cl

#endif // LIN_SUPPORT_OPTIONCHECKS_H
