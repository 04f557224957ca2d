//===- PostOrder.h - Graph evaluation without recursion ---------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// lin's analyses evaluate facts over the use-def graph memoised per value
// ("is this computed from constants", "what feeds this", "the affine form of
// this"), each node from the facts of its inputs. Written as recursion, the
// depth of the call stack is the length of the longest chain of inputs, which
// the input controls: a function with 100,000 chained elementwise ops (a
// transformer's residual stream is such a chain, block after block)
// overflows the stack. visitPostOrder runs the same evaluation with an
// explicit stack, so the depth of the IR is bounded by memory only.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_SUPPORT_POSTORDER_H
#define LIN_SUPPORT_POSTORDER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <utility>

namespace lin {

/// Visits the nodes reachable from `root` inputs first (post-order): the
/// order in which a memoised recursive evaluation finishes them.
///
///   enter(node) -> bool: whether `node` is still to be evaluated; false for
///     one evaluated before (memoised) or a base case. It runs when a node is
///     reached and must record that it has been (a recursive evaluation's
///     provisional answer, which a cycle through a graph region reads, goes
///     there), so that every node is entered at most once.
///   getInputs(node) -> SmallVector<NodeT>: the nodes its value is computed
///     from, in the order a recursive evaluation would visit them.
///   finish(node, ArrayRef<NodeT> inputs): evaluates `node`. Each input has
///     finished then, unless it was not entered or lies on a cycle back to
///     `node` (it then holds what enter recorded).
template <typename NodeT, typename EnterFn, typename GetInputsFn,
          typename FinishFn>
void visitPostOrder(NodeT root, EnterFn &&enter, GetInputsFn &&getInputs,
                    FinishFn &&finish) {
  struct Frame {
    NodeT node;
    llvm::SmallVector<NodeT> inputs;
    size_t next = 0;
  };
  if (!enter(root))
    return;
  llvm::SmallVector<Frame> stack;
  stack.push_back({root, getInputs(root)});
  while (!stack.empty()) {
    Frame &top = stack.back();
    if (top.next == top.inputs.size()) {
      Frame done = std::move(top);
      stack.pop_back();
      finish(done.node, llvm::ArrayRef<NodeT>(done.inputs));
      continue;
    }
    NodeT input = top.inputs[top.next++];
    if (!enter(input))
      continue;
    // `top` dangles once the stack grows: take the inputs first.
    llvm::SmallVector<NodeT> inputs = getInputs(input);
    stack.push_back({input, std::move(inputs)});
  }
}

} // namespace lin

#endif // LIN_SUPPORT_POSTORDER_H
