//===- EmissionShape.cpp - The matmuls emission writes, on shapes ---------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/EmissionShape.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace lin;

bool lin::isFeatureMajorPath(const SinkMatmulShape &sink) {
  return sink.featureMajorResult ||
         llvm::is_contained(sink.featureMajorRoots, true);
}

SmallVector<StackedRoot> lin::getStackedRoots(ArrayRef<SinkMatmulShape> sinks) {
  SmallVector<StackedRoot> stacked;
  DenseMap<Value, unsigned> indexOf;
  for (auto [index, sink] : llvm::enumerate(sinks)) {
    if (!isFeatureMajorPath(sink))
      continue;
    for (auto [root, featureMajor] :
         llvm::zip_equal(sink.roots, sink.featureMajorRoots)) {
      if (featureMajor)
        continue;
      auto [it, inserted] = indexOf.try_emplace(root, stacked.size());
      if (inserted)
        stacked.push_back({root, {}});
      stacked[it->second].sinks.push_back(index);
    }
  }
  llvm::erase_if(stacked,
                 [](const StackedRoot &root) { return root.sinks.size() < 2; });
  return stacked;
}

bool lin::isMaskedFirstReader(ArrayRef<SinkMatmulShape> sinks,
                              const StackedRoot &stacked) {
  const SinkMatmulShape &first = sinks[stacked.sinks.front()];
  return first.featureMajorResult && !first.residual &&
         first.roots.size() == 1 && first.roots.front() == stacked.root;
}

namespace {
/// The matmuls and the matmul-less sinks of getNumEmittedDispatches.
struct EmittedCounts {
  int64_t matmuls = 0;
  int64_t sinksWithoutMatmul = 0;
};
} // namespace

static EmittedCounts countEmitted(ArrayRef<SinkMatmulShape> sinks,
                                  bool firstReadersInPlace) {
  SmallVector<StackedRoot> stacked = getStackedRoots(sinks);
  DenseSet<Value> stackedRoots;
  for (const StackedRoot &root : stacked)
    stackedRoots.insert(root.root);
  DenseSet<unsigned> masked;
  for (const StackedRoot &root : stacked)
    if (firstReadersInPlace && isMaskedFirstReader(sinks, root))
      masked.insert(root.sinks.front());
  EmittedCounts counts;
  counts.matmuls = stacked.size();
  for (auto [index, sink] : llvm::enumerate(sinks)) {
    bool onPath = isFeatureMajorPath(sink), readsFeatureMajor = false;
    int64_t own = 0;
    for (auto [root, featureMajor] :
         llvm::zip_equal(sink.roots, sink.featureMajorRoots)) {
      if (featureMajor)
        readsFeatureMajor = true;
      else if (!onPath || !stackedRoots.contains(root))
        ++own;
    }
    own += readsFeatureMajor;
    counts.matmuls += own;
    if (own == 0 && !sink.roots.empty() && !masked.contains(index))
      ++counts.sinksWithoutMatmul;
  }
  return counts;
}

int64_t lin::getNumEmittedMatmuls(ArrayRef<SinkMatmulShape> sinks) {
  return countEmitted(sinks, /*firstReadersInPlace=*/true).matmuls;
}

int64_t lin::getNumEmittedDispatches(ArrayRef<SinkMatmulShape> sinks,
                                     bool firstReadersInPlace) {
  EmittedCounts counts = countEmitted(sinks, firstReadersInPlace);
  return counts.matmuls + counts.sinksWithoutMatmul;
}
