//===- PostOrderTest.cpp - Tests of the iterative post-order walk ---------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Support/PostOrder.h"

#include "llvm/ADT/DenseMap.h"
#include "gtest/gtest.h"

#include <cstdint>
#include <vector>

using namespace lin;

namespace {

/// Node i of a chain reads node i - 1; node 0 is a base case.
TEST(PostOrderTest, ChainDeeperThanAnyStack) {
  // Recursion over this chain would need far more than the usual 8 MiB of
  // stack.
  constexpr int64_t depth = 2'000'000;
  std::vector<int64_t> value(depth, -1);
  value[0] = 0;
  visitPostOrder(
      depth - 1, [&](int64_t node) { return value[node] < 0; },
      [](int64_t node) { return llvm::SmallVector<int64_t>{node - 1}; },
      [&](int64_t node, llvm::ArrayRef<int64_t> inputs) {
        value[node] = value[inputs[0]] + 1;
      });
  EXPECT_EQ(value[depth - 1], depth - 1);
}

/// A diamond: every node finishes once, after all its inputs, in the order
/// a recursive evaluation finishes them.
TEST(PostOrderTest, DiamondInPostOrder) {
  // 3 reads 1 and 2; 1 and 2 read 0.
  std::vector<llvm::SmallVector<int>> inputs = {{}, {0}, {0}, {1, 2}};
  llvm::DenseMap<int, bool> entered;
  std::vector<int> finished;
  visitPostOrder(
      3, [&](int node) { return entered.try_emplace(node, true).second; },
      [&](int node) { return inputs[node]; },
      [&](int node, llvm::ArrayRef<int> nodeInputs) {
        EXPECT_EQ(nodeInputs, llvm::ArrayRef<int>(inputs[node]));
        finished.push_back(node);
      });
  EXPECT_EQ(finished, (std::vector<int>{0, 1, 2, 3}));
}

/// A node reached again through a cycle is not entered twice: it holds what
/// enter recorded (the provisional answer) when its reader finishes.
TEST(PostOrderTest, CycleReadsTheProvisionalAnswer) {
  // 0 reads 1, 1 reads 0.
  llvm::DenseMap<int, int> answer;
  visitPostOrder(
      0,
      [&](int node) {
        return answer.try_emplace(node, /*provisional=*/-1).second;
      },
      [](int node) { return llvm::SmallVector<int>{1 - node}; },
      [&](int node, llvm::ArrayRef<int> inputs) {
        answer[node] = answer.lookup(inputs[0]) + 10;
      });
  EXPECT_EQ(answer.lookup(1), 9);  // Read 0's provisional -1.
  EXPECT_EQ(answer.lookup(0), 19); // Read 1's final 9.
}

/// A root that enter declines (memoised, or a base case) is not visited.
TEST(PostOrderTest, DeclinedRootIsNotVisited) {
  bool visited = false;
  visitPostOrder(
      0, [](int) { return false; },
      [&](int) {
        visited = true;
        return llvm::SmallVector<int>{};
      },
      [&](int, llvm::ArrayRef<int>) { visited = true; });
  EXPECT_FALSE(visited);
}

} // namespace
