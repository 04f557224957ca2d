//===- FoldEmission.cpp - Emit folded affine forms as linalg IR -----------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/FoldEmission.h"
#include "lin/Support/DenseAlgebra.h"
#include "lin/Transforms/FoldAlignment.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace lin;

namespace {

/// A 2-D tensor.empty of `shape` whose dynamic dimension (the batch; at
/// most one) is read from dimension `sourceDim` of `batchSource`.
Value emitEmpty(OpBuilder &builder, Location loc, ArrayRef<int64_t> shape,
                Value batchSource, int64_t sourceDim) {
  SmallVector<Value> dynamicSizes;
  for (int64_t size : shape)
    if (ShapedType::isDynamic(size))
      dynamicSizes.push_back(
          tensor::DimOp::create(builder, loc, batchSource, sourceDim)
              .getResult());
  return tensor::EmptyOp::create(builder, loc, shape, builder.getF32Type(),
                                 dynamicSizes);
}

/// The type of a value of `features` on `batch` samples in a layout.
SmallVector<int64_t, 2> getShape(int64_t batch, int64_t features,
                                 bool featureMajor) {
  if (featureMajor)
    return {features, batch};
  return {batch, features};
}

/// The affine map of a (d0, d1, d2) contraction with the given results.
AffineMapAttr getMatmulMap(MLIRContext *ctx, ArrayRef<unsigned> dims) {
  SmallVector<AffineExpr> results;
  for (unsigned dim : dims)
    results.push_back(getAffineDimExpr(dim, ctx));
  return AffineMapAttr::get(AffineMap::get(3, 0, results, ctx));
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

/// The matmuls emitAffineForm writes for a form: each reads the terms
/// `terms` (indices into form.terms, all with a weight), one batch-major
/// root or every feature-major one, in the order of their first term. The
/// terms of roots `isStackedRoot` holds for are read from stacked matmuls.
struct PlannedMatmul {
  SmallVector<unsigned, 1> terms;
  bool featureMajorRoots = false;
};

SmallVector<PlannedMatmul>
planMatmuls(const AffineForm &form,
            function_ref<bool(Value root)> isFeatureMajorRoot,
            function_ref<bool(Value root)> isStackedRoot = nullptr) {
  SmallVector<PlannedMatmul> matmuls;
  std::optional<unsigned> featureMajorMatmul;
  for (auto [index, term] : llvm::enumerate(form.terms)) {
    if (!term.hasWeight() || (isStackedRoot && isStackedRoot(term.root)))
      continue;
    if (!isFeatureMajorRoot || !isFeatureMajorRoot(term.root)) {
      matmuls.push_back({{static_cast<unsigned>(index)}, false});
      continue;
    }
    if (!featureMajorMatmul) {
      featureMajorMatmul = matmuls.size();
      matmuls.push_back({{}, true});
    }
    matmuls[*featureMajorMatmul].terms.push_back(index);
  }
  return matmuls;
}

/// Whether a planned matmul holds its constant [out x in] (the weights of
/// its terms side by side along the reduction dimension) rather than
/// [in x out]: always but from a batch-major root to a batch-major result.
bool isOutIn(const PlannedMatmul &matmul, bool featureMajorResult,
             WeightLayout layout) {
  return matmul.featureMajorRoots || featureMajorResult ||
         layout == WeightLayout::OutIn;
}

int64_t getNumConstantElements(const AffineForm &form,
                               const PlannedMatmul &matmul) {
  int64_t elements = 0;
  for (unsigned index : matmul.terms)
    elements += form.terms[index].weight.getNumElements();
  return elements;
}

/// The constant of a planned matmul (see isOutIn).
Tensor getConstant(const AffineForm &form, const PlannedMatmul &matmul,
                   bool outIn) {
  if (matmul.terms.size() == 1) {
    const Tensor &weight = form.terms[matmul.terms.front()].weight;
    return outIn ? transpose(weight) : weight;
  }
  // Only feature-major roots share a matmul, which is always [out x in].
  assert(outIn && "several roots in an [in x out] matmul");
  int64_t out = form.numFeatures, in = 0;
  for (unsigned index : matmul.terms)
    in += form.terms[index].weight.getDimSize(0);
  Tensor constant = Tensor::uninitialized({out, in});
  int64_t offset = 0;
  for (unsigned index : matmul.terms) {
    const Tensor &weight = form.terms[index].weight; // [k x out]
    int64_t k = weight.getDimSize(0);
    for (int64_t r = 0; r < k; ++r)
      for (int64_t n = 0; n < out; ++n)
        constant.data()[n * in + offset + r] = weight.data()[r * out + n];
    offset += k;
  }
  return constant;
}

/// The terms of `root` in `forms` (each has one, with a weight).
SmallVector<const AffineTerm *>
getStackedTerms(ArrayRef<const AffineForm *> forms, Value root) {
  SmallVector<const AffineTerm *> terms;
  for (const AffineForm *form : forms) {
    const AffineTerm *term = form->findTerm(root);
    assert(term && term->hasWeight() && "a stacked root without a weight");
    terms.push_back(term);
  }
  return terms;
}

/// The rows of the stacked matmul of `root` over `forms`: the sum of their
/// widths, rounded up to a multiple of `alignment` (getAlignedRows). A
/// stacked matmul of an odd number of rows ran 3.5-4x slower under IREE
/// than one of a multiple of 16 (113 and 97 rows against 112 and 128 on
/// 784 inputs at batch 256, benchmarks/iree_stacked_rows.py): the padded
/// rows are zero and no reader's slice covers them.
int64_t getNumStackedRows(ArrayRef<const AffineForm *> forms, Value root,
                          int64_t alignment) {
  SmallVector<const AffineTerm *> terms = getStackedTerms(forms, root);
  int64_t rows = 0;
  for (const AffineTerm *term : terms)
    rows += term->weight.getDimSize(1);
  return getAlignedRows(rows, terms.front()->weight.getDimSize(0), alignment);
}

int64_t getNumStackedElements(ArrayRef<const AffineForm *> forms, Value root,
                              int64_t alignment) {
  return getNumStackedRows(forms, root, alignment) *
         getStackedTerms(forms, root).front()->weight.getDimSize(0);
}

/// The [rows x in] constant of a stacked matmul (getNumStackedRows): each
/// term's [in x out] weight transposed, one below the other, then zero rows.
Tensor getStackedConstant(ArrayRef<const AffineForm *> forms, Value root,
                          int64_t alignment) {
  SmallVector<const AffineTerm *> terms = getStackedTerms(forms, root);
  int64_t in = terms.front()->weight.getDimSize(0);
  Tensor constant({getNumStackedRows(forms, root, alignment), in});
  int64_t offset = 0;
  for (const AffineTerm *term : terms) {
    const Tensor &weight = term->weight; // [in x out]
    int64_t out = weight.getDimSize(1);
    assert(weight.getDimSize(0) == in && "stacked terms of different widths");
    for (int64_t k = 0; k < in; ++k)
      for (int64_t n = 0; n < out; ++n)
        constant.data()[(offset + n) * in + k] = weight.data()[k * out + n];
    offset += out;
  }
  return constant;
}

/// `acc + lhs . constant` for every combination of layouts: `lhs` is
/// [batch x in] or, with `featureMajorLhs`, [in x batch]; `acc` is
/// [batch x out] or, with `featureMajorResult`, [out x batch]; `constant`
/// is [out x in] when `outIn`, else [in x out] (only batch-major to
/// batch-major).
Value emitMatmul(OpBuilder &builder, Location loc, Value lhs,
                 bool featureMajorLhs, Value constant, bool outIn, Value acc,
                 bool featureMajorResult) {
  Type resultType = acc.getType();
  // Plain matmuls: A[m, k] B[k, n] -> C[m, n].
  if (!featureMajorLhs && !featureMajorResult && !outIn)
    return linalg::MatmulOp::create(builder, loc, TypeRange{resultType},
                                    ValueRange{lhs, constant}, ValueRange{acc})
        .getResult(0);
  if (featureMajorLhs && featureMajorResult)
    return linalg::MatmulOp::create(builder, loc, TypeRange{resultType},
                                    ValueRange{constant, lhs}, ValueRange{acc})
        .getResult(0);
  // The others through indexing maps over the contraction (d0, d1, d2) =
  // (m, n, k), the constant being [out x in].
  MLIRContext *ctx = builder.getContext();
  SmallVector<Value, 2> inputs;
  SmallVector<Attribute, 3> maps;
  if (featureMajorResult) {
    // out[n, b] = sum_k W[n, k] x[b, k].
    inputs = {constant, lhs};
    maps = {getMatmulMap(ctx, {0, 2}), getMatmulMap(ctx, {1, 2})};
  } else if (featureMajorLhs) {
    // out[b, n] = sum_k C[k, b] W[n, k].
    inputs = {lhs, constant};
    maps = {getMatmulMap(ctx, {2, 0}), getMatmulMap(ctx, {1, 2})};
  } else {
    // out[b, n] = sum_k x[b, k] W[n, k].
    inputs = {lhs, constant};
    maps = {getMatmulMap(ctx, {0, 2}), getMatmulMap(ctx, {1, 2})};
  }
  maps.push_back(getMatmulMap(ctx, {0, 1}));
  return linalg::MatmulOp::create(
             builder, loc, TypeRange{resultType}, inputs, ValueRange{acc},
             {builder.getNamedAttr("indexing_maps",
                                   builder.getArrayAttr(maps))})
      .getResult(0);
}

bool hasNonZeroBias(const AffineForm &form) {
  return form.hasBias() &&
         llvm::any_of(form.bias.values(), [](float b) { return b != 0.0f; });
}

} // namespace

/// Constants of more than this many elements become dense_resource blobs
/// (compact in text and bytecode); smaller ones stay inline and readable.
static constexpr int64_t kInlineConstantLimit = 64;

/// Whether emitConstant stores `tensor` inline, as a DenseElementsAttr: the
/// context uniques those by content (and makes uniform ones splats).
static bool isInline(const Tensor &tensor) {
  return tensor.getNumElements() <= kInlineConstantLimit;
}

Value lin::emitConstant(OpBuilder &builder, Location loc,
                        const Tensor &tensor) {
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

void EmittedWeightCounter::add(const AffineForm &form,
                               ArrayRef<Value> stackedRoots, bool biasInStack) {
  if (form.numFeatures == 0)
    return;
  auto isFeatureMajor = [&](Value value) {
    return featureMajor && featureMajor->contains(value);
  };
  auto isStacked = [&](Value root) {
    return llvm::is_contained(stackedRoots, root);
  };
  bool featureMajorResult = isFeatureMajor(form.value);
  for (const PlannedMatmul &matmul :
       planMatmuls(form, isFeatureMajor, isStacked)) {
    int64_t constantElements = getNumConstantElements(form, matmul);
    if (constantElements > kInlineConstantLimit) {
      // A blob, whatever its content: no need to build it.
      elements += constantElements;
      continue;
    }
    add(getConstant(form, matmul,
                    isOutIn(matmul, featureMajorResult, options.weightLayout)));
  }
  if (!biasInStack && hasNonZeroBias(form))
    add(form.bias);
}

void EmittedWeightCounter::addStacked(ArrayRef<const AffineForm *> forms,
                                      Value root) {
  int64_t constantElements =
      getNumStackedElements(forms, root, options.alignment);
  if (constantElements > kInlineConstantLimit)
    elements += constantElements;
  else
    add(getStackedConstant(forms, root, options.alignment));
}

void EmittedWeightCounter::addStackedBias(ArrayRef<const AffineForm *> forms,
                                          ArrayRef<bool> withBias, Value root) {
  Tensor bias = getStackedBias(forms, withBias, root, options.alignment);
  if (bias.getRank() != 0)
    add(bias);
}

Value lin::emitStackedMatmul(OpBuilder &builder, Location loc,
                             ArrayRef<const AffineForm *> forms, Value root,
                             Value input, int64_t alignment) {
  Tensor weights = getStackedConstant(forms, root, alignment);
  int64_t rows = weights.getDimSize(0);
  int64_t batch = cast<RankedTensorType>(input.getType()).getDimSize(0);
  Value constant = emitConstant(builder, loc, weights);
  Value empty = emitEmpty(builder, loc, {rows, batch}, input, 0);
  Value zero =
      arith::ConstantOp::create(builder, loc, builder.getF32FloatAttr(0.0f));
  Value acc = linalg::FillOp::create(builder, loc, zero, empty).getResult(0);
  return emitMatmul(builder, loc, input, /*featureMajorLhs=*/false, constant,
                    /*outIn=*/true, acc, /*featureMajorResult=*/true);
}

Value lin::emitAffineForm(OpBuilder &builder, Location loc,
                          const AffineForm &form,
                          const DenseMap<Value, Value> &rootMap,
                          Value fallbackBatch,
                          const FoldEmissionOptions &options,
                          const FeatureMajorValues *featureMajor,
                          ArrayRef<StackedSlice> slices) {
  auto isFeatureMajor = [&](Value value) {
    return featureMajor && featureMajor->contains(value);
  };
  bool featureMajorResult = isFeatureMajor(form.value);
  auto originalType = cast<RankedTensorType>(form.value.getType());
  int64_t batch = originalType.getDimSize(0);
  int64_t m = form.numFeatures;
  auto mapped = [&](Value root) { return rootMap.lookup_or(root, root); };
  // The batch size of a feature-major root is its dimension 1.
  Value batchSource = fallbackBatch;
  int64_t batchDim = 0;
  if (!form.terms.empty()) {
    Value root = form.terms.front().root;
    batchSource = mapped(root);
    batchDim = isFeatureMajor(root) ? 1 : 0;
  }
  Value empty = emitEmpty(builder, loc, getShape(batch, m, featureMajorResult),
                          batchSource, batchDim);
  Value zero =
      arith::ConstantOp::create(builder, loc, builder.getF32FloatAttr(0.0f));
  Value acc = linalg::FillOp::create(builder, loc, zero, empty).getResult(0);
  MLIRContext *ctx = builder.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(2, ctx);
  AffineMap transposed =
      AffineMap::getPermutationMap(ArrayRef<unsigned>{1, 0}, ctx);

  // Matmuls in the order of their first term, each residual part added after
  // its term's matmul (batch-major: as the terms come).
  auto findSlice = [&](Value root) -> const StackedSlice * {
    for (const StackedSlice &slice : slices)
      if (slice.root == root)
        return &slice;
    return nullptr;
  };
  SmallVector<PlannedMatmul> matmuls = planMatmuls(
      form, isFeatureMajor, [&](Value root) { return findSlice(root); });
  DenseMap<unsigned, const PlannedMatmul *> matmulOfFirstTerm;
  for (const PlannedMatmul &matmul : matmuls)
    matmulOfFirstTerm[matmul.terms.front()] = &matmul;
  // Whether `acc` holds more than the zero fill.
  bool accumulated = false;
  for (auto [index, term] : llvm::enumerate(form.terms)) {
    if (const PlannedMatmul *matmul = matmulOfFirstTerm.lookup(index)) {
      Value lhs;
      if (matmul->terms.size() == 1) {
        lhs = mapped(term.root);
      } else {
        SmallVector<Value> roots;
        for (unsigned t : matmul->terms)
          roots.push_back(mapped(form.terms[t].root));
        lhs = tensor::ConcatOp::create(builder, loc, /*dim=*/int64_t(0), roots);
      }
      bool outIn = isOutIn(*matmul, featureMajorResult, options.weightLayout);
      Value constant =
          emitConstant(builder, loc, getConstant(form, *matmul, outIn));
      acc = emitMatmul(builder, loc, lhs, matmul->featureMajorRoots, constant,
                       outIn, acc, featureMajorResult);
      accumulated = true;
    }
    // A residual part is an add, never an identity matrix.
    if (term.identity) {
      acc =
          emitAdd(builder, loc, acc, mapped(term.root),
                  isFeatureMajor(term.root) == featureMajorResult ? identity
                                                                  : transposed,
                  empty);
      accumulated = true;
    }
  }

  // One elementwise sum of the accumulator, the rows of stacked matmuls
  // (feature-major, read transposed into a batch-major result) and the
  // bias: IREE fuses it into the dispatch of the matmul before it.
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (const AffineTerm &term : form.terms) {
    const StackedSlice *slice =
        term.hasWeight() ? findSlice(term.root) : nullptr;
    if (!slice)
      continue;
    auto matrixType = cast<RankedTensorType>(slice->matrix.getType());
    SmallVector<OpFoldResult> offsets = {builder.getIndexAttr(slice->offset),
                                         builder.getIndexAttr(0)};
    SmallVector<OpFoldResult> sizes = {builder.getIndexAttr(m)};
    if (matrixType.isDynamicDim(1))
      sizes.push_back(
          tensor::DimOp::create(builder, loc, slice->matrix, 1).getResult());
    else
      sizes.push_back(builder.getIndexAttr(matrixType.getDimSize(1)));
    SmallVector<OpFoldResult> strides(2, builder.getIndexAttr(1));
    inputs.push_back(tensor::ExtractSliceOp::create(builder, loc, slice->matrix,
                                                    offsets, sizes, strides)
                         .getResult());
    maps.push_back(featureMajorResult ? identity : transposed);
  }
  // Without slices, the accumulator always comes first (a form without
  // terms is its bias added to zeros); with them, only if it holds terms.
  if (accumulated || inputs.empty()) {
    inputs.insert(inputs.begin(), acc);
    maps.insert(maps.begin(), identity);
  }
  bool biasInSlice = llvm::any_of(
      slices, [](const StackedSlice &slice) { return slice.includesBias; });
  if (!biasInSlice && hasNonZeroBias(form)) {
    inputs.push_back(emitConstant(builder, loc, form.bias));
    maps.push_back(AffineMap::get(
        2, 0, {getAffineDimExpr(featureMajorResult ? 0 : 1, ctx)}, ctx));
  }
  if (inputs.size() == 1 && inputs.front() == acc)
    return acc;
  maps.push_back(identity);
  SmallVector<utils::IteratorType> parallel(2, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             builder, loc, TypeRange{empty.getType()}, inputs,
             ValueRange{empty}, maps, parallel,
             [&](OpBuilder &b, Location l, ValueRange args) {
               Value sum = args[0];
               for (Value arg : args.drop_front().drop_back())
                 sum = arith::AddFOp::create(b, l, sum, arg);
               linalg::YieldOp::create(b, l, sum);
             })
      .getResult(0);
}

/// `activation` of the scalar `z`, in the body of a linalg.generic.
static Value emitActivationOf(OpBuilder &b, Location l,
                              const PiecewiseLinearActivation &act, Value z) {
  auto constant = [&](double v) -> Value {
    return arith::ConstantOp::create(b, l, b.getF32FloatAttr(v));
  };
  switch (act.getKind()) {
  case ActivationKind::ReLU:
    return arith::MaximumFOp::create(b, l, z, constant(0.0));
  case ActivationKind::LeakyReLU: {
    Value positive = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UGT, z,
                                           constant(0.0));
    Value scaled =
        arith::MulFOp::create(b, l, z, constant(act.getNegativeSlope()));
    return arith::SelectOp::create(b, l, positive, z, scaled);
  }
  case ActivationKind::Clamp: {
    Value low = arith::MaximumFOp::create(b, l, z, constant(act.getLower()));
    return arith::MinimumFOp::create(b, l, low, constant(act.getUpper()));
  }
  }
  llvm_unreachable("unknown activation kind");
}

Value lin::emitActivation(OpBuilder &builder, Location loc,
                          const PiecewiseLinearActivation &act, Value input) {
  auto type = cast<RankedTensorType>(input.getType());
  // The batch is the dynamic dimension, if any, in either layout.
  int64_t batchDim = ShapedType::isDynamic(type.getDimSize(1)) ? 1 : 0;
  Value empty = emitEmpty(builder, loc, type.getShape(), input, batchDim);
  AffineMap identity =
      AffineMap::getMultiDimIdentityMap(2, builder.getContext());
  SmallVector<utils::IteratorType> parallel(2, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             builder, loc, TypeRange{type}, ValueRange{input},
             ValueRange{empty}, ArrayRef<AffineMap>{identity, identity},
             parallel,
             [&act](OpBuilder &b, Location l, ValueRange args) {
               linalg::YieldOp::create(b, l,
                                       emitActivationOf(b, l, act, args[0]));
             })
      .getResult(0);
}

Tensor lin::getStackedBias(ArrayRef<const AffineForm *> forms,
                           ArrayRef<bool> withBias, Value root,
                           int64_t alignment) {
  Tensor bias(ArrayRef<int64_t>{getNumStackedRows(forms, root, alignment)});
  bool any = false;
  int64_t offset = 0;
  for (auto [form, included] : llvm::zip_equal(forms, withBias)) {
    if (included && hasNonZeroBias(*form)) {
      llvm::copy(form->bias.values(), bias.data() + offset);
      any = true;
    }
    offset += form->numFeatures;
  }
  return any ? bias : Tensor();
}

Value lin::emitMaskedActivation(OpBuilder &builder, Location loc,
                                const PiecewiseLinearActivation &act,
                                Value stacked, int64_t rows,
                                const Tensor &bias) {
  auto type = cast<RankedTensorType>(stacked.getType());
  Value empty = emitEmpty(builder, loc, type.getShape(), stacked, 1);
  MLIRContext *ctx = builder.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(2, ctx);
  SmallVector<Value> inputs{stacked};
  SmallVector<AffineMap> maps{identity};
  bool hasBias = bias.getRank() != 0;
  if (hasBias) {
    inputs.push_back(emitConstant(builder, loc, bias));
    maps.push_back(AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx));
  }
  maps.push_back(identity);
  SmallVector<utils::IteratorType> parallel(2, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             builder, loc, TypeRange{type}, inputs, ValueRange{empty}, maps,
             parallel,
             [&](OpBuilder &b, Location l, ValueRange args) {
               Value z = args[0];
               if (hasBias)
                 z = arith::AddFOp::create(b, l, z, args[1]);
               Value row = linalg::IndexOp::create(b, l, 0);
               Value limit = arith::ConstantIndexOp::create(b, l, rows);
               Value isFirstReaders = arith::CmpIOp::create(
                   b, l, arith::CmpIPredicate::ult, row, limit);
               Value activated = emitActivationOf(b, l, act, z);
               linalg::YieldOp::create(
                   b, l,
                   arith::SelectOp::create(b, l, isFirstReaders, activated, z)
                       .getResult());
             })
      .getResult(0);
}

Value lin::emitLeadingRows(OpBuilder &builder, Location loc, Value matrix,
                           int64_t rows) {
  auto type = cast<RankedTensorType>(matrix.getType());
  int64_t batch = type.getDimSize(1);
  bool dynamic = ShapedType::isDynamic(batch);
  SmallVector<ReassociationIndices> all{{0, 1}};
  Value flat =
      tensor::CollapseShapeOp::create(builder, loc, matrix, all).getResult();
  OpFoldResult batchSize = builder.getIndexAttr(batch);
  OpFoldResult length = builder.getIndexAttr(dynamic ? 0 : rows * batch);
  if (dynamic) {
    Value size = tensor::DimOp::create(builder, loc, matrix, 1).getResult();
    batchSize = size;
    length = arith::MulIOp::create(
                 builder, loc, size,
                 arith::ConstantIndexOp::create(builder, loc, rows))
                 .getResult();
  }
  return emitFlatRows(builder, loc, flat, builder.getIndexAttr(0), length, rows,
                      batchSize);
}

Value lin::emitFlatRows(OpBuilder &builder, Location loc, Value flat,
                        OpFoldResult offset, OpFoldResult length, int64_t rows,
                        OpFoldResult batch) {
  Value slice = tensor::ExtractSliceOp::create(
                    builder, loc, flat, ArrayRef<OpFoldResult>{offset},
                    ArrayRef<OpFoldResult>{length},
                    ArrayRef<OpFoldResult>{builder.getIndexAttr(1)})
                    .getResult();
  // A batch given as a value is dynamic in the result's type.
  int64_t batchSize = ShapedType::kDynamic;
  if (auto attr = dyn_cast<Attribute>(batch))
    batchSize = cast<IntegerAttr>(attr).getInt();
  auto type = RankedTensorType::get(
      {rows, batchSize},
      cast<RankedTensorType>(flat.getType()).getElementType());
  SmallVector<ReassociationIndices> all{{0, 1}};
  return tensor::ExpandShapeOp::create(
             builder, loc, type, slice, all,
             ArrayRef<OpFoldResult>{builder.getIndexAttr(rows), batch})
      .getResult();
}
