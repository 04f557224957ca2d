//===- PassHelp.h - lin's passes in a tool's --help -------------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// A tool registering every upstream pass and LLVM option next to lin's has a
// --help of some 1,300 lines in which lin's passes are a few among hundreds,
// linearity-compress repeats the options of the passes it runs, and no
// default is shown. printLinPassHelp lists lin's passes once: each with its
// options as llvm::cl prints them, followed by their defaults in the syntax
// a pipeline takes.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_PASSHELP_H
#define LIN_TRANSFORMS_PASSHELP_H

#include "mlir/Pass/Pass.h"
#include "llvm/ADT/StringMap.h"

#include <string>

namespace lin {

/// The options of `pass` and their current values (a new pass: the
/// defaults), as its textual pipeline form spells them (numbers shortened:
/// `1.000000e+00` reads `1`; an empty list or string is empty).
llvm::StringMap<std::string> getPassOptionValues(mlir::Pass &pass);

/// Prints lin's passes (registered with registerLinPasses), their options
/// and defaults on llvm::outs(), where llvm::cl prints option help.
void printLinPassHelp();

} // namespace lin

#endif // LIN_TRANSFORMS_PASSHELP_H
