//===- AffineForm.cpp - Values as affine functions of roots ---------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Analysis/AffineForm.h"
#include "lin/Support/ConstantTensorEvaluator.h"
#include "lin/Support/DenseAlgebra.h"
#include "lin/Support/PostOrder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Debug.h"

#include <optional>

#define DEBUG_TYPE "affine-form"

using namespace mlir;
using namespace lin;

int64_t AffineForm::getNumParameters() const {
  int64_t total = hasBias() ? bias.getNumElements() : 0;
  for (const AffineTerm &term : terms)
    total += term.getNumParameters();
  return total;
}

Tensor AffineTerm::getDenseWeight(int64_t features) const {
  if (!identity)
    return weight;
  Tensor dense = identityMatrix(features);
  if (hasWeight())
    addInPlace(dense, weight);
  return dense;
}

AffineTerm *AffineForm::findTerm(Value root) {
  for (AffineTerm &term : terms)
    if (term.root == root)
      return &term;
  return nullptr;
}

namespace {

/// Static feature count of a [batch x features] f32 tensor, or nullopt.
std::optional<int64_t> getFeatureCount(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getRank() != 2 || !type.getElementType().isF32() ||
      type.isDynamicDim(1))
    return std::nullopt;
  return type.getDimSize(1);
}

/// Multiplies every column f of a form by scale[f] (a diagonal on the right).
void scaleColumns(AffineForm &form, ArrayRef<float> scale) {
  bool allOnes = llvm::all_of(scale, [](float s) { return s == 1.0f; });
  if (allOnes)
    return;
  int64_t m = form.numFeatures;
  for (AffineTerm &term : form.terms) {
    // A scaled identity is no longer a plain add: make it a matrix.
    term.weight = term.getDenseWeight(m);
    term.identity = false;
    term.weight.makeUnique();
    int64_t rows = term.weight.getDimSize(0);
    float *w = term.weight.data();
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < m; ++j)
        w[i * m + j] *= scale[j];
  }
  if (form.hasBias()) {
    form.bias.makeUnique();
    for (int64_t j = 0; j < m; ++j)
      form.bias.data()[j] *= scale[j];
  }
}

/// Adds `other` into `form` (same features); terms of the same root merge.
void accumulate(AffineForm &form, const AffineForm &other) {
  for (const AffineTerm &term : other.terms) {
    AffineTerm *mine = form.findTerm(term.root);
    if (!mine) {
      form.terms.push_back(term);
      continue;
    }
    // Weights add up; one identity part stays an add, two become 2 I.
    if (term.hasWeight()) {
      if (mine->hasWeight()) {
        mine->weight.makeUnique();
        addInPlace(mine->weight, term.weight);
      } else {
        mine->weight = term.weight;
      }
    }
    if (term.identity) {
      if (mine->identity) {
        mine->weight = mine->getDenseWeight(form.numFeatures);
        addInPlace(mine->weight, identityMatrix(form.numFeatures));
        mine->identity = false;
      } else {
        mine->identity = true;
      }
    }
  }
  if (other.hasBias()) {
    if (!form.hasBias())
      form.bias = zeroVector(form.numFeatures);
    addInPlace(form.bias, other.bias);
  }
  form.ops.insert(other.ops.begin(), other.ops.end());
}

/// Adds `other` into `form`, taking its parts when `form` is still empty (the
/// first input of an elementwise op), so that a chain of ops does not copy
/// the ops before it once per op.
void accumulate(AffineForm &form, AffineForm &&other) {
  if (!form.terms.empty() || form.hasBias() || !form.ops.empty()) {
    accumulate(form, static_cast<const AffineForm &>(other));
    return;
  }
  form.terms = std::move(other.terms);
  form.bias = std::move(other.bias);
  form.ops = std::move(other.ops);
}

/// Adds a bias. A zero bias is dropped unless `explicitBias` says the IR
/// has a bias operand (a zero bias vector still counts as parameters; a zero
/// fill of a matmul accumulator does not).
void addBias(AffineForm &form, ArrayRef<float> bias, bool explicitBias) {
  if (!explicitBias && llvm::all_of(bias, [](float b) { return b == 0.0f; }))
    return;
  if (!form.hasBias())
    form.bias = zeroVector(form.numFeatures);
  form.bias.makeUnique();
  for (auto [i, b] : llvm::enumerate(bias))
    form.bias.data()[i] += b;
}

/// A scalar value of an elementwise body, as a linear function of the op's
/// non-constant inputs with coefficients that may vary along the features:
/// value[f] = sum_i coefficients[i][f] * input_i[f] + offset[f].
struct LinearValue {
  SmallVector<std::vector<float>> coefficients; // empty vector: zero
  std::vector<float> offset;

  bool isConstant() const {
    return llvm::all_of(coefficients,
                        [](const std::vector<float> &c) { return c.empty(); });
  }
};

/// An elementwise body as a linear function of its variable inputs.
struct LinearBody {
  SmallVector<Value> variableInputs;
  LinearValue yielded;
  /// Whether some input is a constant (the bias it adds is a weight even
  /// when zero).
  bool hasConstantInput = false;
};

class Decomposer {
public:
  Decomposer(ConstantTensorEvaluator &constants, std::string *whyNot,
             function_ref<bool(Value)> isRoot)
      : constants(constants), whyNot(whyNot), isRoot(isRoot) {}

  /// The form of `value`. The inputs its rules read are decomposed first,
  /// inputs before readers, without recursion (PostOrder.h): a chain of
  /// affine ops may be as long as the model. Each cached form is handed to
  /// its last reader rather than copied, so that a chain of N ops costs
  /// O(N), not N forms of up to N ops each.
  FailureOr<AffineForm> decompose(Value value) {
    visitPostOrder(
        value,
        [&](Value value) {
          return !cache.count(value) && inProgress.insert(value).second;
        },
        [&](Value value) {
          SmallVector<Value> inputs = getDecomposedInputs(value);
          for (Value input : inputs)
            ++pendingReaders[input];
          return inputs;
        },
        [&](Value value, ArrayRef<Value>) {
          FailureOr<AffineForm> form = decomposeUncached(value);
          cache.try_emplace(value, std::move(form));
          inProgress.erase(value);
        });
    auto cached = cache.find(value);
    if (cached == cache.end())
      return fail("the value depends on itself (a cycle through a graph "
                  "region)");
    unsigned &readers = pendingReaders[value];
    if (readers > 1) {
      --readers;
      return cached->second;
    }
    readers = 0;
    FailureOr<AffineForm> form = std::move(cached->second);
    cache.erase(cached);
    return form;
  }

private:
  /// Records the first reason; converts to a failed FailureOr.
  LogicalResult fail(const Twine &reason) {
    if (whyNot && whyNot->empty())
      *whyNot = reason.str();
    return failure();
  }

  /// The values whose forms decomposeUncached(value) reads, in the order it
  /// reads them; the same checks, without recording reasons (it records
  /// them when it runs the checks again).
  SmallVector<Value> getDecomposedInputs(Value value) {
    std::optional<int64_t> features = getFeatureCount(value);
    Operation *op = value.getDefiningOp();
    if (!features || !op || (isRoot && isRoot(value)))
      return {};
    std::string *reasons = std::exchange(whyNot, nullptr);
    llvm::scope_exit restoreReasons([&] { whyNot = reasons; });
    if (getRowUniformConstant(
            value, AffineMap::getMultiDimIdentityMap(2, value.getContext())))
      return {};
    if (auto matmul = dyn_cast<linalg::MatmulOp>(op)) {
      bool rhsTransposed = false;
      if (failed(checkMatmul(matmul, rhsTransposed)) ||
          failed(constants.evaluateTensor(matmul.getInputs()[1])))
        return {};
      return {matmul.getInputs()[0], matmul.getOutputs()[0]};
    }
    SmallVector<Value> inputs;
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
      FailureOr<LinearBody> body = analyseLinearBody(linalgOp, *features);
      if (succeeded(body))
        for (auto [index, input] : llvm::enumerate(body->variableInputs))
          if (!body->yielded.coefficients[index].empty())
            inputs.push_back(input);
    }
    return inputs;
  }

  FailureOr<AffineForm> decomposeUncached(Value value) {
    std::optional<int64_t> features = getFeatureCount(value);
    if (!features)
      return fail("not a 2-D f32 tensor with a static feature dimension");
    AffineForm form;
    form.value = value;
    form.numFeatures = *features;

    Operation *op = value.getDefiningOp();
    if (op && !(isRoot && isRoot(value))) {
      if (std::optional<std::vector<float>> uniform = getRowUniformConstant(
              value,
              AffineMap::getMultiDimIdentityMap(2, value.getContext()))) {
        addBias(form, *uniform, /*explicitBias=*/false);
        form.ops.insert(op);
        return form;
      }
      if (auto matmul = dyn_cast<linalg::MatmulOp>(op))
        return decomposeMatmul(matmul, std::move(form));
      if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
        std::string reason;
        FailureOr<AffineForm> elementwise =
            decomposeElementwise(linalgOp, form, reason);
        if (succeeded(elementwise))
          return elementwise;
        if (!reason.empty())
          return fail(reason);
      }
    }
    // Not looked through: the value is a root of its own.
    form.terms.push_back({value, Tensor(), /*identity=*/true});
    return form;
  }

  /// The per-feature values of a tensor operand read through `map` (from
  /// (batch, feature) loop indices) that are the same for every batch row:
  /// splat constants, fills with constants, constant vectors broadcast along
  /// the batch, constant [B x m] tensors with equal rows.
  std::optional<std::vector<float>> getRowUniformConstant(Value operand,
                                                          AffineMap map) {
    if (!isa<RankedTensorType>(operand.getType()))
      return std::nullopt;
    // Fills and splats are uniform whatever the shape.
    FloatAttr scalar;
    if (auto fill = operand.getDefiningOp<linalg::FillOp>())
      if (matchPattern(fill.getInputs()[0], m_Constant(&scalar)))
        return std::vector<float>{
            static_cast<float>(scalar.getValue().convertToDouble())};
    DenseElementsAttr dense;
    if (matchPattern(operand, m_Constant(&dense)) && dense.isSplat() &&
        isa<FloatType>(dense.getElementType()))
      return std::vector<float>{
          static_cast<float>(dense.getSplatValue<APFloat>().convertToDouble())};
    // A constant vector broadcast along the batch by linalg.broadcast (whose
    // init, sized by the batch, is not itself constant).
    if (auto broadcast = operand.getDefiningOp<linalg::BroadcastOp>()) {
      if (broadcast.getDimensions() == ArrayRef<int64_t>{0} &&
          map == AffineMap::getMultiDimIdentityMap(2, map.getContext()) &&
          constants.isConstantComputable(broadcast.getInput())) {
        FailureOr<Tensor> vector =
            constants.evaluateTensor(broadcast.getInput());
        if (succeeded(vector))
          return std::vector<float>(vector->values().begin(),
                                    vector->values().end());
      }
    }
    if (!constants.isConstantComputable(operand))
      return std::nullopt;
    FailureOr<Tensor> tensor = constants.evaluateTensor(operand);
    if (failed(tensor) || map.getNumDims() != 2 ||
        map.getNumResults() != tensor->getRank())
      return std::nullopt;
    // Walk the loop space (rows x features) through the map.
    // The extent of loop dimension `dim` in the operand (1 if unused).
    auto extentOf = [&](unsigned dim) {
      int64_t extent = 1;
      for (auto [result, size] :
           llvm::zip_equal(map.getResults(), tensor->getShape()))
        if (result.isFunctionOfDim(dim))
          extent = size;
      return extent;
    };
    int64_t numRows = extentOf(0), numFeatures = extentOf(1);
    auto read = [&](int64_t row, int64_t feature) -> float {
      SmallVector<int64_t> indices = map.compose({row, feature});
      int64_t linear = 0;
      for (auto [index, size] : llvm::zip_equal(indices, tensor->getShape()))
        linear = linear * size + index;
      return tensor->data()[linear];
    };
    std::vector<float> values(numFeatures);
    for (int64_t f = 0; f < numFeatures; ++f)
      values[f] = read(0, f);
    for (int64_t row = 1; row < numRows; ++row)
      for (int64_t f = 0; f < numFeatures; ++f)
        if (read(row, f) != values[f])
          return std::nullopt;
    return values;
  }

  /// Whether `matmul` has a form the decomposition reads (a plain or
  /// right-transposed matmul on tensors with a constant weight); sets
  /// `rhsTransposed`.
  LogicalResult checkMatmul(linalg::MatmulOp matmul, bool &rhsTransposed) {
    MLIRContext *ctx = matmul.getContext();
    AffineExpr m, n, k;
    bindDims(ctx, m, n, k);
    auto mapOf = [&](ArrayRef<AffineExpr> exprs) {
      return AffineMap::get(3, 0, exprs, ctx);
    };
    SmallVector<AffineMap> maps = matmul.getIndexingMapsArray();
    if (maps[0] != mapOf({m, k}) || maps[2] != mapOf({m, n}))
      return fail("linalg.matmul with a transposed or broadcast left operand "
                  "or result");
    rhsTransposed = maps[1] == mapOf({n, k});
    if (!rhsTransposed && maps[1] != mapOf({k, n}))
      return fail("linalg.matmul with an unsupported right operand map");
    if (!matmul.hasPureTensorSemantics())
      return fail("linalg.matmul on buffers");
    if (!constants.isConstantComputable(matmul.getInputs()[1]))
      return fail("linalg.matmul whose weight operand is not a constant");
    return success();
  }

  FailureOr<AffineForm> decomposeMatmul(linalg::MatmulOp matmul,
                                        AffineForm form) {
    bool rhsTransposed = false;
    if (failed(checkMatmul(matmul, rhsTransposed)))
      return failure();
    Value lhs = matmul.getInputs()[0], rhs = matmul.getInputs()[1];
    FailureOr<Tensor> weight = constants.evaluateTensor(rhs);
    if (failed(weight))
      return fail("the weight of a linalg.matmul could not be evaluated");
    Tensor w = rhsTransposed ? transpose(*weight) : *weight;

    FailureOr<AffineForm> input = decompose(lhs);
    if (failed(input))
      return failure();
    // (root @ W_t + root) @ w = root @ (W_t w + w).
    for (const AffineTerm &term : input->terms) {
      Tensor weight = term.hasWeight() ? multiply(term.weight, w) : w;
      if (term.hasWeight() && term.identity)
        addInPlace(weight, w);
      form.terms.push_back({term.root, std::move(weight)});
    }
    if (input->hasBias())
      form.bias = multiplyVector(input->bias, w);
    form.ops = std::move(input->ops);
    form.ops.insert(matmul);

    FailureOr<AffineForm> init = decompose(matmul.getOutputs()[0]);
    if (failed(init))
      return failure();
    accumulate(form, *init);
    return form;
  }

  /// The body of an elementwise linalg op over [batch x m] as a linear
  /// function of its non-constant inputs, or failure when it is not one.
  FailureOr<LinearBody> analyseLinearBody(linalg::LinalgOp op, int64_t m) {
    if (!op.hasPureTensorSemantics() || op->getNumResults() != 1 ||
        op.getNumDpsInits() != 1 || op.getNumReductionLoops() != 0 ||
        op.getNumLoops() != 2 || !op.getBlock())
      return failure();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(2, op.getContext());
    OpOperand *init = op.getDpsInitOperand(0);
    if (op.getMatchingIndexingMap(init) != identity)
      return failure();
    Block *body = op.getBlock();
    if (!body->getArgument(init->getOperandNumber()).use_empty())
      return failure();

    // Constant inputs become per-feature offsets; every other input is a
    // variable with coefficient one in its own slot.
    SmallVector<std::pair<BlockArgument, std::optional<std::vector<float>>>>
        inputs;
    SmallVector<Value> variableInputs;
    for (OpOperand *operand : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(operand);
      std::optional<std::vector<float>> uniform =
          getRowUniformConstant(operand->get(), map);
      if (uniform && uniform->size() == 1)
        uniform = std::vector<float>(m, (*uniform)[0]);
      if (uniform && int64_t(uniform->size()) != m)
        return failure();
      if (!uniform) {
        if (map != identity)
          return failure(); // A broadcast of a variable: not affine here.
        variableInputs.push_back(operand->get());
      }
      inputs.push_back({op.getMatchingBlockArgument(operand), uniform});
    }
    if (variableInputs.empty())
      return failure();
    bool hasConstantInput = variableInputs.size() != inputs.size();
    size_t numVars = variableInputs.size();
    DenseMap<Value, LinearValue> values;
    size_t slot = 0;
    for (auto &[arg, uniform] : inputs) {
      LinearValue v;
      v.coefficients.resize(numVars);
      if (uniform) {
        v.offset = std::move(*uniform);
      } else {
        v.offset.assign(m, 0.0f);
        v.coefficients[slot++].assign(m, 1.0f);
      }
      values[arg] = std::move(v);
    }

    auto lookup = [&](Value v) -> const LinearValue * {
      auto it = values.find(v);
      if (it != values.end())
        return &it->second;
      FloatAttr constant;
      if (!matchPattern(v, m_Constant(&constant)))
        return nullptr;
      LinearValue c;
      c.coefficients.resize(numVars);
      c.offset.assign(m, constant.getValue().convertToDouble());
      return &(values[v] = std::move(c));
    };
    auto combine = [&](const LinearValue &a, const LinearValue &b, float sign) {
      LinearValue r;
      r.coefficients.resize(numVars);
      for (size_t i = 0; i < numVars; ++i) {
        if (a.coefficients[i].empty() && b.coefficients[i].empty())
          continue;
        r.coefficients[i].assign(m, 0.0f);
        for (int64_t f = 0; f < m; ++f)
          r.coefficients[i][f] =
              (a.coefficients[i].empty() ? 0.0f : a.coefficients[i][f]) +
              sign * (b.coefficients[i].empty() ? 0.0f : b.coefficients[i][f]);
      }
      r.offset.resize(m);
      for (int64_t f = 0; f < m; ++f)
        r.offset[f] = a.offset[f] + sign * b.offset[f];
      return r;
    };
    auto scale = [&](const LinearValue &a, const std::vector<float> &s,
                     bool divide) {
      LinearValue r = a;
      for (auto &c : r.coefficients)
        for (int64_t f = 0; f < int64_t(c.size()); ++f)
          c[f] = divide ? c[f] / s[f] : c[f] * s[f];
      for (int64_t f = 0; f < m; ++f)
        r.offset[f] = divide ? r.offset[f] / s[f] : r.offset[f] * s[f];
      return r;
    };

    for (Operation &bodyOp : body->without_terminator()) {
      if (isa<arith::ConstantOp>(bodyOp)) {
        if (!lookup(bodyOp.getResult(0)))
          return failure();
        continue;
      }
      SmallVector<const LinearValue *> operands;
      for (Value operand : bodyOp.getOperands()) {
        const LinearValue *v = lookup(operand);
        if (!v)
          return failure();
        operands.push_back(v);
      }
      std::optional<LinearValue> result =
          llvm::TypeSwitch<Operation *, std::optional<LinearValue>>(&bodyOp)
              .Case<arith::AddFOp>([&](auto) {
                return combine(*operands[0], *operands[1], 1.0f);
              })
              .Case<arith::SubFOp>([&](auto) {
                return combine(*operands[0], *operands[1], -1.0f);
              })
              .Case<arith::NegFOp>([&](auto) {
                return scale(*operands[0], std::vector<float>(m, -1.0f), false);
              })
              .Case<arith::MulFOp>([&](auto) -> std::optional<LinearValue> {
                if (operands[1]->isConstant())
                  return scale(*operands[0], operands[1]->offset, false);
                if (operands[0]->isConstant())
                  return scale(*operands[1], operands[0]->offset, false);
                return std::nullopt;
              })
              .Case<arith::DivFOp>([&](auto) -> std::optional<LinearValue> {
                if (!operands[1]->isConstant() ||
                    llvm::is_contained(operands[1]->offset, 0.0f))
                  return std::nullopt;
                return scale(*operands[0], operands[1]->offset, true);
              })
              .Default([](Operation *) { return std::nullopt; });
      if (!result)
        return failure();
      values[bodyOp.getResult(0)] = std::move(*result);
    }
    const LinearValue *yielded = lookup(body->getTerminator()->getOperand(0));
    if (!yielded)
      return failure();
    return LinearBody{std::move(variableInputs), *yielded, hasConstantInput};
  }

  /// Elementwise linalg ops whose body is linear in their inputs. Returns
  /// failure with an empty reason when the op simply is not of that kind.
  FailureOr<AffineForm> decomposeElementwise(linalg::LinalgOp op,
                                             AffineForm form,
                                             std::string &reason) {
    FailureOr<LinearBody> body = analyseLinearBody(op, form.numFeatures);
    if (failed(body))
      return failure();
    // value = sum_i diag(c_i) form(x_i) + offset.
    for (auto [index, input] : llvm::enumerate(body->variableInputs)) {
      if (body->yielded.coefficients[index].empty())
        continue;
      FailureOr<AffineForm> inputForm = decompose(input);
      if (failed(inputForm)) {
        reason = whyNot ? *whyNot : "";
        return failure();
      }
      scaleColumns(*inputForm, body->yielded.coefficients[index]);
      accumulate(form, std::move(*inputForm));
    }
    addBias(form, body->yielded.offset, body->hasConstantInput);
    form.ops.insert(op);
    return form;
  }

public:
  /// See lin::isLookedThrough.
  bool looksThrough(OpOperand &use) {
    Operation *op = use.getOwner();
    if (op->getNumResults() != 1)
      return false;
    std::optional<int64_t> features = getFeatureCount(op->getResult(0));
    if (!features)
      return false;
    if (auto matmul = dyn_cast<linalg::MatmulOp>(op)) {
      bool rhsTransposed = false;
      return use.get() != matmul.getInputs()[1] &&
             succeeded(checkMatmul(matmul, rhsTransposed));
    }
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp)
      return false;
    FailureOr<LinearBody> body = analyseLinearBody(linalgOp, *features);
    if (failed(body))
      return false;
    for (auto [index, input] : llvm::enumerate(body->variableInputs))
      if (input == use.get() && !body->yielded.coefficients[index].empty())
        return true;
    return false;
  }

private:
  /// Forms decomposed and not yet handed to their last reader.
  DenseMap<Value, FailureOr<AffineForm>> cache;
  /// How many readers entered so far have yet to take each cached form.
  DenseMap<Value, unsigned> pendingReaders;
  /// Values whose inputs are being decomposed.
  DenseSet<Value> inProgress;
  ConstantTensorEvaluator &constants;
  std::string *whyNot;
  function_ref<bool(Value)> isRoot;
};

} // namespace

bool lin::isLookedThrough(OpOperand &use, ConstantTensorEvaluator &constants) {
  Decomposer decomposer(constants, /*whyNot=*/nullptr, /*isRoot=*/nullptr);
  return decomposer.looksThrough(use);
}

FailureOr<AffineForm> lin::decomposeAffine(Value value,
                                           ConstantTensorEvaluator &constants,
                                           std::string *whyNot,
                                           function_ref<bool(Value)> isRoot) {
  if (whyNot)
    whyNot->clear();
  Decomposer decomposer(constants, whyNot, isRoot);
  return decomposer.decompose(value);
}

Tensor lin::evaluateAffineForm(const AffineForm &form, int64_t rows,
                               function_ref<const Tensor &(Value)> rootValue) {
  Tensor result(ArrayRef<int64_t>{rows, form.numFeatures});
  for (const AffineTerm &term : form.terms) {
    const Tensor &root = rootValue(term.root);
    if (term.hasWeight())
      multiplyAccumulate(root, term.weight, result);
    if (term.identity)
      addInPlace(result, root);
  }
  if (form.hasBias()) {
    float *out = result.data();
    const float *bias = form.bias.data();
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t j = 0; j < form.numFeatures; ++j)
        out[r * form.numFeatures + j] += bias[j];
  }
  return result;
}
