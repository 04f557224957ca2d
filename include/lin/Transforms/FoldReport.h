//===- FoldReport.h - Report what the fold did ------------------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The per-layer table (for people) and the JSON report (for scripts) of a
// fold: neurons merged, removed and kept, parameters before and after.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_FOLDREPORT_H
#define LIN_TRANSFORMS_FOLDREPORT_H

#include "lin/Transforms/FoldRewrite.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace lin {

/// Prints one table per function, then its total parameters.
void printFoldTable(llvm::raw_ostream &os, llvm::ArrayRef<FoldResult> results);

/// The JSON report: totals over all functions (the weights the IR stores,
/// and the foldable part: the layer graph's forms) and one object per
/// layer (its pre-activation's form).
llvm::json::Value getFoldReportJSON(llvm::ArrayRef<FoldResult> results);

/// A consumer's row of the report's refit section (errors not computed are
/// null: JSON has no NaN).
llvm::json::Object getConsumerRefitJSON(const ConsumerRefit &row);

/// Writes the JSON report to `path` atomically (a temporary file renamed
/// over the target on success).
llvm::Error writeFoldReport(llvm::StringRef path,
                            llvm::ArrayRef<FoldResult> results);

} // namespace lin

#endif // LIN_TRANSFORMS_FOLDREPORT_H
