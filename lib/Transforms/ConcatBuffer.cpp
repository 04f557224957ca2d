//===- ConcatBuffer.cpp - Feature-major concatenations in one buffer ------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/ConcatBuffer.h"
#include "lin/Transforms/FoldEmission.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/DenseMap.h"

using namespace mlir;
using namespace lin;

/// Whether `concat` joins feature-major values: [rows x ?] f32 along dim 0.
static bool isFeatureMajorConcat(tensor::ConcatOp concat) {
  if (concat.getDim() != 0)
    return false;
  return llvm::all_of(concat.getInputs(), [](Value input) {
    auto type = dyn_cast<RankedTensorType>(input.getType());
    return type && type.getRank() == 2 && type.getElementType().isF32() &&
           !type.isDynamicDim(0) && type.isDynamicDim(1) &&
           input.getDefiningOp();
  });
}

bool lin::placeConcatenationsInOneBuffer(RewriterBase &rewriter,
                                         func::FuncOp func) {
  SmallVector<tensor::ConcatOp> concats;
  func.walk([&](tensor::ConcatOp concat) {
    if (isFeatureMajorConcat(concat))
      concats.push_back(concat);
  });
  if (concats.size() < 2)
    return false;
  tensor::ConcatOp longest =
      *llvm::max_element(concats, [](tensor::ConcatOp a, tensor::ConcatOp b) {
        return a.getInputs().size() < b.getInputs().size();
      });
  OperandRange members = longest.getInputs();
  Block *block = longest->getBlock();
  for (tensor::ConcatOp concat : concats) {
    OperandRange inputs = concat.getInputs();
    if (concat->getBlock() != block ||
        !llvm::equal(inputs,
                     members.drop_front(members.size() - inputs.size())))
      return false;
  }
  // Rows of each member in the buffer, in the longest concatenation's order.
  DenseMap<Value, int64_t> firstRow;
  int64_t totalRows = 0;
  for (Value member : members) {
    if (member.getDefiningOp()->getBlock() != block ||
        !firstRow.try_emplace(member, totalRows).second)
      return false; // Defined elsewhere, or read twice: left as it is.
    totalRows += cast<RankedTensorType>(member.getType()).getDimSize(0);
  }

  // Members in program order: the buffer is created after the first and
  // each is inserted right after its definition.
  SmallVector<Value> byDefinition(members.begin(), members.end());
  llvm::sort(byDefinition, [](Value a, Value b) {
    return a.getDefiningOp()->isBeforeInBlock(b.getDefiningOp());
  });
  Location loc = longest.getLoc();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointAfter(byDefinition.front().getDefiningOp());
  Value batch =
      tensor::DimOp::create(rewriter, loc, byDefinition.front(), 1).getResult();
  auto elementsOf = [&](int64_t rows) -> Value {
    Value count = arith::ConstantIndexOp::create(rewriter, loc, rows);
    return arith::MulIOp::create(rewriter, loc, batch, count).getResult();
  };
  Type f32 = rewriter.getF32Type();
  Value buffer = tensor::EmptyOp::create(
                     rewriter, loc, ArrayRef<int64_t>{ShapedType::kDynamic},
                     f32, ValueRange{elementsOf(totalRows)})
                     .getResult();
  SmallVector<ReassociationIndices> flatten{{0, 1}};
  // The buffer after each insertion, by the op that made it.
  SmallVector<std::pair<Operation *, Value>> versions;
  for (Value member : byDefinition) {
    if (member != byDefinition.front())
      rewriter.setInsertionPointAfter(member.getDefiningOp());
    int64_t rows = cast<RankedTensorType>(member.getType()).getDimSize(0);
    Value flat =
        tensor::CollapseShapeOp::create(rewriter, loc, member, flatten);
    // Offset, then length, in this order (the order in which a call's
    // arguments are evaluated is not fixed, and the IR's would vary with it).
    Value offset = elementsOf(firstRow.lookup(member));
    Value length = elementsOf(rows);
    auto insert = tensor::InsertSliceOp::create(
        rewriter, loc, flat, buffer, ArrayRef<OpFoldResult>{offset},
        ArrayRef<OpFoldResult>{length},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1)});
    buffer = insert.getResult();
    versions.push_back({insert, buffer});
  }

  for (tensor::ConcatOp concat : concats) {
    // The last buffer written before the concatenation holds its members
    // (they are defined before it, and so inserted before it).
    Value latest;
    for (auto [op, version] : versions)
      if (op->isBeforeInBlock(concat))
        latest = version;
    rewriter.setInsertionPoint(concat);
    int64_t rows = cast<RankedTensorType>(concat.getType()).getDimSize(0);
    Value offset = elementsOf(firstRow.lookup(concat.getInputs().front()));
    Value length = elementsOf(rows);
    rewriter.replaceOp(concat, emitFlatRows(rewriter, loc, latest, offset,
                                            length, rows, batch));
  }
  return true;
}
