//===- PassHelp.cpp - lin's passes in a tool's --help ---------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/PassHelp.h"
#include "lin/Transforms/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace mlir;
using namespace lin;

/// `text` without its top-level braces, if it has them (a string value with
/// spaces is printed as `{a b}`).
static StringRef stripBraces(StringRef text) {
  if (text.size() >= 2 && text.front() == '{' && text.back() == '}')
    return text.drop_front().drop_back();
  return text;
}

/// Splits `name{a=1 b={x y} c=}` into its options at the spaces outside
/// braces.
static SmallVector<StringRef> splitPipelineOptions(StringRef text) {
  SmallVector<StringRef> options;
  size_t open = text.find('{');
  if (open == StringRef::npos || !text.ends_with("}"))
    return options;
  StringRef body = text.slice(open + 1, text.size() - 1);
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= body.size(); ++i) {
    if (i < body.size() && body[i] == '{')
      ++depth;
    else if (i < body.size() && body[i] == '}')
      --depth;
    else if (i == body.size() || (body[i] == ' ' && depth == 0)) {
      StringRef option = body.slice(start, i).trim();
      if (!option.empty())
        options.push_back(option);
      start = i + 1;
    }
  }
  return options;
}

/// `value` as a user would type it: a double printed as `2.000000e-01`
/// reads `0.2`.
static std::string shortenNumber(StringRef value) {
  double number = 0.0;
  if (value.contains_insensitive("e") && !value.getAsDouble(number))
    return llvm::formatv("{0}", llvm::format("%g", number)).str();
  return value.str();
}

llvm::StringMap<std::string> lin::getPassOptionValues(Pass &pass) {
  std::string text;
  llvm::raw_string_ostream os(text);
  pass.printAsTextualPipeline(os);
  llvm::StringMap<std::string> values;
  for (StringRef option : splitPipelineOptions(text)) {
    auto [name, value] = option.split('=');
    values[name] = shortenNumber(stripBraces(value));
  }
  return values;
}

/// Prints `values` as `name=value` pairs wrapped at `width` columns, each
/// line indented by `indent`.
static void printDefaults(const llvm::StringMap<std::string> &values,
                          size_t indent, size_t width) {
  SmallVector<std::string> pairs;
  for (const auto &entry : values)
    pairs.push_back((entry.getKey() + "=" + entry.getValue()).str());
  llvm::sort(pairs);
  llvm::raw_ostream &os = llvm::outs();
  StringRef label = "defaults:";
  os.indent(indent) << label;
  size_t column = indent + label.size();
  for (const std::string &pair : pairs) {
    if (column + 1 + pair.size() > width && column > indent + label.size()) {
      os << "\n";
      os.indent(indent + label.size());
      column = indent + label.size();
    }
    os << " " << pair;
    column += 1 + pair.size();
  }
  os << "\n";
}

void lin::printLinPassHelp() {
  // linearity-compress takes exactly the options of the two passes it runs
  // (LinearityCompress.cpp checks that at compile time); listing them
  // again would double the section.
  std::unique_ptr<Pass> passes[] = {
      createLinearityProfile(),  createLinearityFold(),
      createLinearityCompress(), createLinearityMergeProfiles(),
      createLinearityAlign(),    createLinearityProve(),
      createLinearitySummary()};
  size_t descIndent = 0;
  for (const std::unique_ptr<Pass> &pass : passes)
    if (const PassInfo *info = PassInfo::lookup(pass->getArgument()))
      descIndent = std::max(descIndent, info->getOptionWidth());
  descIndent += 4;
  llvm::raw_ostream &os = llvm::outs();
  for (const std::unique_ptr<Pass> &pass : passes) {
    const PassInfo *info = PassInfo::lookup(pass->getArgument());
    if (!info)
      continue;
    if (pass->getArgument() == "linearity-compress") {
      // The layout of PassRegistryEntry::printHelpStr.
      os << "  --" << llvm::left_justify(pass->getArgument(), descIndent - 6)
         << "-   " << pass->getDescription() << "\n";
      os.indent(8) << "takes the options of --linearity-profile and "
                      "--linearity-fold, with the same defaults\n";
      continue;
    }
    info->printHelpStr(/*indent=*/2, descIndent);
    llvm::StringMap<std::string> defaults = getPassOptionValues(*pass);
    if (!defaults.empty())
      printDefaults(defaults, /*indent=*/8, /*width=*/100);
  }
  os.flush();
}
