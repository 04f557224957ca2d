//===- WeightCount.cpp - The weights a function really stores -------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Analysis/WeightCount.h"
#include "lin/Support/PostOrder.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace lin;

int64_t lin::getWeightElements(ElementsAttr value) {
  if (auto dense = dyn_cast<DenseElementsAttr>(value);
      dense && dense.isSplat() && isa<FloatType>(dense.getElementType()) &&
      dense.getSplatValue<APFloat>().isZero())
    return 0;
  return value.getNumElements();
}

int64_t WeightInventory::getTotalElements() const {
  int64_t total = 0;
  for (const Weight &weight : weights)
    total += weight.elements;
  return total;
}

/// Whether `op` computes from constants alone (every operand, and every
/// value its regions capture, is): it is then part of computing a weight,
/// not a user of it. Memoised in `known`; evaluated without recursion, as a
/// chain of ops may be as long as the model (PostOrder.h).
static bool computesConstant(Operation *op,
                             llvm::DenseMap<Operation *, bool> &known) {
  // The ops whose results `op` reads; nullptr for a block argument.
  auto getProducers = [](Operation *op) {
    SmallVector<Operation *> producers;
    if (op->hasTrait<OpTrait::ConstantLike>())
      return producers;
    llvm::SetVector<Value> captured;
    getUsedValuesDefinedAbove(op->getRegions(), captured);
    for (Value value : op->getOperands())
      producers.push_back(value.getDefiningOp());
    for (Value value : captured)
      producers.push_back(value.getDefiningOp());
    return producers;
  };
  visitPostOrder(
      op,
      [&](Operation *op) {
        // Provisionally false: a cycle through a graph region is not
        // constant.
        return op && known.try_emplace(op, false).second;
      },
      getProducers,
      [&](Operation *op, ArrayRef<Operation *> producers) {
        known[op] = llvm::all_of(producers, [&](Operation *producer) {
          return producer && known.lookup(producer);
        });
      });
  return known.lookup(op);
}

WeightInventory WeightInventory::build(Operation *root) {
  WeightInventory inventory;
  llvm::DenseMap<Attribute, unsigned> indexOf;
  llvm::DenseMap<Operation *, bool> constantOps;

  root->walk([&](Operation *op) {
    ElementsAttr value;
    if (!op->hasTrait<OpTrait::ConstantLike>() ||
        !matchPattern(op->getResult(0), m_Constant(&value)) ||
        !isa<RankedTensorType>(value.getType()) ||
        cast<RankedTensorType>(value.getType()).getRank() == 0 ||
        op->use_empty())
      return;
    auto [it, inserted] = indexOf.try_emplace(value, inventory.weights.size());
    if (inserted)
      inventory.weights.push_back({value, getWeightElements(value), {}});
    Weight &weight = inventory.weights[it->second];

    // Users: follow values computed from constants alone.
    llvm::SetVector<Operation *> frontier;
    SmallVector<Operation *> worklist{op};
    llvm::DenseSet<Operation *> seen{op};
    while (!worklist.empty()) {
      Operation *current = worklist.pop_back_val();
      for (Operation *user : current->getUsers()) {
        if (!seen.insert(user).second)
          continue;
        if (computesConstant(user, constantOps))
          worklist.push_back(user);
        else
          frontier.insert(user);
      }
    }
    for (Operation *user : frontier)
      if (!llvm::is_contained(weight.users, user))
        weight.users.push_back(user);
  });
  return inventory;
}

int64_t lin::countWeightElements(Operation *root) {
  return WeightInventory::build(root).getTotalElements();
}
