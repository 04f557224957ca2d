//===- LayerNames.cpp - Names of activations users know -------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Analysis/LayerNames.h"

#include "mlir/IR/Location.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace lin;

/// The name the frontend gave the source of `loc`: its outermost name
/// location, or empty.
static StringRef getSourceName(Location loc) {
  StringRef name;
  loc->walk([&](Location nested) {
    if (auto nameLoc = dyn_cast<NameLoc>(nested)) {
      name = nameLoc.getName().strref();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return name;
}

SmallVector<std::string>
lin::nameActivations(ArrayRef<ActivationToName> activations) {
  SmallVector<std::string> sourceNames;
  llvm::StringMap<unsigned> uses;
  for (const ActivationToName &activation : activations) {
    std::string name;
    if (activation.preActivation)
      if (Operation *producer = activation.preActivation.getDefiningOp())
        name = getSourceName(producer->getLoc()).str();
    if (name.empty()) {
      StringRef own = getSourceName(activation.activation->getLoc());
      if (!own.empty())
        name = (stringifyActivationKind(activation.kind) + "@" + own).str();
    }
    if (!name.empty())
      ++uses[name];
    sourceNames.push_back(std::move(name));
  }
  SmallVector<std::string> names;
  for (auto [index, activation] : llvm::enumerate(activations)) {
    std::string indexed = llvm::formatv(
        "{0}_{1}", stringifyActivationKind(activation.kind), index);
    const std::string &source = sourceNames[index];
    if (source.empty())
      names.push_back(std::move(indexed));
    else if (uses.lookup(source) == 1)
      names.push_back(source);
    else
      names.push_back(source + ":" + indexed);
  }
  return names;
}
