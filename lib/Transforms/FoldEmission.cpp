//===- FoldEmission.cpp - Emit folded affine forms as linalg IR -----------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/FoldEmission.h"
#include "lin/Support/DenseAlgebra.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace lin;

namespace {

/// Constants of more than this many elements become dense_resource blobs
/// (compact in text and bytecode); smaller ones stay inline and readable.
constexpr int64_t kInlineConstantLimit = 64;

/// Whether emitConstant stores `tensor` inline, as a DenseElementsAttr: the
/// context uniques those by content (and makes uniform ones splats).
bool isInline(const Tensor &tensor) {
  return tensor.getNumElements() <= kInlineConstantLimit;
}

Value emitConstant(OpBuilder &builder, Location loc, const Tensor &tensor) {
  auto type = RankedTensorType::get(tensor.getShape(), builder.getF32Type());
  Attribute value;
  if (!isInline(tensor)) {
    // The blob takes a share of the tensor's storage instead of a copy: on
    // large models the folded weights are hundreds of megabytes.
    ArrayRef<float> data = tensor.values();
    AsmResourceBlob blob(
        ArrayRef<char>(reinterpret_cast<const char *>(data.data()),
                       data.size() * sizeof(float)),
        alignof(float),
        [owner = tensor](void *, size_t, size_t) mutable { owner = Tensor(); },
        /*dataIsMutable=*/false);
    value =
        DenseF32ResourceElementsAttr::get(type, "lin_folded", std::move(blob));
  } else {
    value = DenseElementsAttr::get(type, tensor.values());
  }
  return arith::ConstantOp::create(builder, loc, cast<TypedAttr>(value));
}

/// A [batch x features] tensor.empty whose dynamic batch size is read from
/// `batchSource`.
Value emitEmpty(OpBuilder &builder, Location loc, int64_t batch,
                int64_t features, Value batchSource) {
  SmallVector<Value> dynamicSizes;
  if (ShapedType::isDynamic(batch))
    dynamicSizes.push_back(
        tensor::DimOp::create(builder, loc, batchSource, 0).getResult());
  return tensor::EmptyOp::create(builder, loc,
                                 ArrayRef<int64_t>{batch, features},
                                 builder.getF32Type(), dynamicSizes);
}

/// `lhs + rhs` as a linalg.generic, with `rhs` read through `rhsMap` (the
/// identity, or a broadcast of a bias vector along the batch). A generic
/// rather than linalg.add: every MLIR consumer (IREE included) takes it.
Value emitAdd(OpBuilder &builder, Location loc, Value lhs, Value rhs,
              AffineMap rhsMap, Value init) {
  MLIRContext *ctx = builder.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(2, ctx);
  SmallVector<utils::IteratorType> parallel(2, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             builder, loc, TypeRange{lhs.getType()}, ValueRange{lhs, rhs},
             ValueRange{init}, ArrayRef<AffineMap>{identity, rhsMap, identity},
             parallel,
             [](OpBuilder &b, Location l, ValueRange args) {
               Value sum = arith::AddFOp::create(b, l, args[0], args[1]);
               linalg::YieldOp::create(b, l, sum);
             })
      .getResult(0);
}

/// `acc + lhs @ weight` for a [in x out] weight, with the constant in the
/// chosen layout.
Value emitMatmul(OpBuilder &builder, Location loc, Value lhs,
                 const Tensor &weight, Value acc, WeightLayout layout) {
  Type resultType = acc.getType();
  if (layout == WeightLayout::InOut)
    return linalg::MatmulOp::create(
               builder, loc, TypeRange{resultType},
               ValueRange{lhs, emitConstant(builder, loc, weight)},
               ValueRange{acc})
        .getResult(0);
  // [out x in], read as B[n, k] by the contraction (m, n, k).
  MLIRContext *ctx = builder.getContext();
  AffineExpr m, n, k;
  bindDims(ctx, m, n, k);
  auto map = [&](ArrayRef<AffineExpr> results) {
    return AffineMapAttr::get(AffineMap::get(3, 0, results, ctx));
  };
  Attribute maps =
      builder.getArrayAttr({map({m, k}), map({n, k}), map({m, n})});
  Value transposed = emitConstant(builder, loc, transpose(weight));
  return linalg::MatmulOp::create(builder, loc, TypeRange{resultType},
                                  ValueRange{lhs, transposed}, ValueRange{acc},
                                  {builder.getNamedAttr("indexing_maps", maps)})
      .getResult(0);
}

bool hasNonZeroBias(const AffineForm &form) {
  return form.hasBias() &&
         llvm::any_of(form.bias.values(), [](float b) { return b != 0.0f; });
}

} // namespace

void EmittedWeightCounter::add(const Tensor &tensor) {
  if (!isInline(tensor)) {
    // Every blob is a constant of its own.
    elements += tensor.getNumElements();
    return;
  }
  // Inline constants are uniqued by type and content, as the context does;
  // an all-zero one is a zero splat, which holds no parameters.
  ArrayRef<float> values = tensor.values();
  if (llvm::all_of(values, [](float v) { return v == 0.0f; }))
    return;
  std::vector<float> key(tensor.getShape().begin(), tensor.getShape().end());
  key.push_back(-1.0f); // Separates the shape from the values.
  llvm::append_range(key, values);
  if (inlineConstants.insert(std::move(key)).second)
    elements += tensor.getNumElements();
}

void EmittedWeightCounter::add(const AffineForm &form) {
  if (form.numFeatures == 0)
    return;
  for (const AffineTerm &term : form.terms)
    if (term.hasWeight())
      add(term.weight);
  if (hasNonZeroBias(form))
    add(form.bias);
}

Value lin::emitAffineForm(OpBuilder &builder, Location loc,
                          const AffineForm &form,
                          const DenseMap<Value, Value> &rootMap,
                          Value fallbackBatch,
                          const FoldEmissionOptions &options) {
  auto originalType = cast<RankedTensorType>(form.value.getType());
  int64_t batch = originalType.getDimSize(0);
  int64_t m = form.numFeatures;
  auto mapped = [&](Value root) { return rootMap.lookup_or(root, root); };
  Value batchSource =
      form.terms.empty() ? fallbackBatch : mapped(form.terms.front().root);
  Value empty = emitEmpty(builder, loc, batch, m, batchSource);
  Value zero =
      arith::ConstantOp::create(builder, loc, builder.getF32FloatAttr(0.0f));
  Value acc = linalg::FillOp::create(builder, loc, zero, empty).getResult(0);
  MLIRContext *ctx = builder.getContext();
  for (const AffineTerm &term : form.terms) {
    Value root = mapped(term.root);
    if (term.hasWeight())
      acc = emitMatmul(builder, loc, root, term.weight, acc,
                       options.weightLayout);
    // A residual part is an add, never an identity matrix.
    if (term.identity)
      acc = emitAdd(builder, loc, acc, root,
                    AffineMap::getMultiDimIdentityMap(2, ctx), empty);
  }
  if (hasNonZeroBias(form)) {
    Value bias = emitConstant(builder, loc, form.bias);
    acc = emitAdd(builder, loc, acc, bias,
                  AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx), empty);
  }
  return acc;
}

Value lin::emitActivation(OpBuilder &builder, Location loc,
                          const PiecewiseLinearActivation &act, Value input) {
  auto type = cast<RankedTensorType>(input.getType());
  Value empty =
      emitEmpty(builder, loc, type.getDimSize(0), type.getDimSize(1), input);
  MLIRContext *ctx = builder.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(2, ctx);
  SmallVector<utils::IteratorType> parallel(2, utils::IteratorType::parallel);
  auto body = [&act](OpBuilder &b, Location l, ValueRange args) {
    Value z = args[0];
    auto constant = [&](double v) -> Value {
      return arith::ConstantOp::create(b, l, b.getF32FloatAttr(v));
    };
    Value out;
    switch (act.getKind()) {
    case ActivationKind::ReLU:
      out = arith::MaximumFOp::create(b, l, z, constant(0.0));
      break;
    case ActivationKind::LeakyReLU: {
      Value positive = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UGT, z,
                                             constant(0.0));
      Value scaled =
          arith::MulFOp::create(b, l, z, constant(act.getNegativeSlope()));
      out = arith::SelectOp::create(b, l, positive, z, scaled);
      break;
    }
    case ActivationKind::Clamp: {
      Value low = arith::MaximumFOp::create(b, l, z, constant(act.getLower()));
      out = arith::MinimumFOp::create(b, l, low, constant(act.getUpper()));
      break;
    }
    }
    linalg::YieldOp::create(b, l, out);
  };
  return linalg::GenericOp::create(builder, loc, TypeRange{type},
                                   ValueRange{input}, ValueRange{empty},
                                   ArrayRef<AffineMap>{identity, identity},
                                   parallel, body)
      .getResult(0);
}
