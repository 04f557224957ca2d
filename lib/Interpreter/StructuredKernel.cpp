//===- StructuredKernel.cpp - Loop-nest execution of linalg ops -----------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// Every operand is a "stream" over the loop nest: a base pointer plus one
// memory stride per loop (0 for a broadcast dimension; a dimension used twice
// by a map adds its strides). At run time the kernel drops unit loops, picks
// the innermost loop (a parallel one, contiguous in the output when
// possible), and merges outer loops into it while every stream stays affine
// across them: a bias add over a 512x1024 batch becomes 512 rows of 1024, a
// ReLU a single run of 524288 elements. The innermost loop is processed in
// chunks; a stream contiguous along it is read (or written) in place,
// others are gathered into the register's scratch chunk.
//
//===----------------------------------------------------------------------===//

#include "StructuredKernel.h"
#include "Bytecode.h"

#include "mlir/Analysis/FlatLinearValueConstraints.h"
#include "mlir/IR/AffineExpr.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <algorithm>
#include <cstring>
#include <optional>

using namespace mlir;
using namespace lin;

/// Elements per chunk: a few registers of this size stay in L1.
static constexpr int64_t kChunkSize = 512;

FailureOr<LinearMap> LinearMap::get(AffineMap map) {
  if (map.getNumSymbols() != 0)
    return failure();
  std::vector<SmallVector<int64_t, 8>> flattened;
  if (failed(getFlattenedAffineExprs(map, &flattened)))
    return failure();
  LinearMap linear;
  unsigned numDims = map.getNumDims();
  linear.numLoops = numDims;
  for (SmallVector<int64_t, 8> &expr : flattened) {
    // [dims..., locals (mod, floordiv)..., constant]
    if (expr.size() != numDims + 1)
      return failure();
    linear.constants.push_back(expr.back());
    expr.pop_back();
    linear.coefficients.push_back(std::move(expr));
  }
  return linear;
}

SmallVector<int64_t> LinearMap::getLoopStrides(ArrayRef<int64_t> shape) const {
  SmallVector<int64_t, 4> strides = getStrides(shape);
  SmallVector<int64_t> loopStrides(numLoops, 0);
  for (unsigned position = 0; position < getNumResults(); ++position)
    for (auto [loop, coefficient] : llvm::enumerate(coefficients[position]))
      loopStrides[loop] += coefficient * strides[position];
  return loopStrides;
}

int64_t LinearMap::getOffset(ArrayRef<int64_t> shape) const {
  SmallVector<int64_t, 4> strides = getStrides(shape);
  int64_t offset = 0;
  for (unsigned position = 0; position < getNumResults(); ++position)
    offset += constants[position] * strides[position];
  return offset;
}

std::optional<unsigned> LinearMap::getSelectedLoop(unsigned result) const {
  if (constants[result] != 0)
    return std::nullopt;
  std::optional<unsigned> selected;
  for (auto [loop, coefficient] : llvm::enumerate(coefficients[result])) {
    if (coefficient == 0)
      continue;
    if (coefficient != 1 || selected)
      return std::nullopt;
    selected = loop;
  }
  return selected;
}

FailureOr<SmallVector<LinearMap>> lin::getLinearMaps(ArrayRef<AffineMap> maps) {
  SmallVector<LinearMap> linear;
  for (AffineMap map : maps) {
    FailureOr<LinearMap> form = LinearMap::get(map);
    if (failed(form))
      return failure();
    linear.push_back(std::move(*form));
  }
  return linear;
}

llvm::Expected<SmallVector<int64_t>>
lin::computeLoopRanges(ArrayRef<LinearMap> maps,
                       ArrayRef<const Tensor *> operands) {
  unsigned numLoops = maps.front().numLoops;
  SmallVector<int64_t> ranges(numLoops, -1);
  for (auto [index, map, tensor] : llvm::enumerate(maps, operands)) {
    if (!tensor)
      continue;
    ArrayRef<int64_t> shape = tensor->getShape();
    if (static_cast<int64_t>(shape.size()) != map.getNumResults())
      return kernelError("operand #{0} has rank {1}, its indexing map {2}",
                         index, shape.size(), map.getNumResults());
    for (unsigned position = 0; position < shape.size(); ++position) {
      std::optional<unsigned> loop = map.getSelectedLoop(position);
      if (!loop)
        continue;
      int64_t &range = ranges[*loop];
      if (range < 0)
        range = shape[position];
      else if (range != shape[position])
        return kernelError(
            "operand #{0} has size {1} in dimension {2}, but loop d{3} has "
            "size {4} from another operand",
            index, shape[position], position, *loop, range);
    }
  }
  for (auto [loop, range] : llvm::enumerate(ranges))
    if (range < 0)
      return kernelError("the size of loop d{0} is not determined by any "
                         "operand",
                         loop);
  // Loops bounded by operands that are only shapes (tensor.empty) may span
  // more iterations than int64 counts; the loop nest multiplies ranges.
  std::optional<int64_t> iterations = 1;
  for (int64_t range : ranges)
    if (iterations && range)
      iterations = llvm::checkedMul(*iterations, range);
  if (!iterations)
    return kernelError("the iteration space {0} has more points than fit in "
                       "64 bits",
                       formatShape(ranges));
  if (*iterations == 0 && llvm::is_contained(ranges, 0))
    return ranges;
  // Every other result (a constant, a window `d2 * 2 + d5`) must stay inside
  // its dimension: its extremes over the iteration space are in bounds.
  for (auto [index, map, tensor] : llvm::enumerate(maps, operands)) {
    if (!tensor)
      continue;
    ArrayRef<int64_t> shape = tensor->getShape();
    for (unsigned position = 0; position < shape.size(); ++position) {
      if (map.getSelectedLoop(position))
        continue;
      std::optional<int64_t> lowest = map.constants[position],
                             highest = map.constants[position];
      for (auto [coefficient, range] :
           llvm::zip_equal(map.coefficients[position], ranges)) {
        std::optional<int64_t> span = llvm::checkedMul(coefficient, range - 1);
        if (!span || !lowest || !highest)
          return kernelError("operand #{0}: the index of dimension {1} "
                             "overflows",
                             index, position);
        (*span < 0 ? lowest : highest) =
            llvm::checkedAdd(*(*span < 0 ? lowest : highest), *span);
      }
      if (!lowest || !highest || *lowest < 0 || *highest >= shape[position])
        return kernelError("operand #{0} is indexed from {1} to {2} in "
                           "dimension {3} of size {4}",
                           index, lowest.value_or(INT64_MIN),
                           highest.value_or(INT64_MAX), position,
                           shape[position]);
    }
  }
  return ranges;
}

namespace {

/// An operand as the loop nest sees it.
struct Stream {
  float *base = nullptr;
  SmallVector<int64_t> loopStrides;
  int64_t offset = 0;
};

class StructuredKernel : public Kernel {
public:
  StructuredKernel(linalg::LinalgOp op, SmallVector<LinearMap> linearMaps)
      : Kernel(op), maps(op.getIndexingMapsArray()),
        linearMaps(std::move(linearMaps)), numInputs(op.getNumDpsInputs()),
        numInits(op.getNumDpsInits()) {
    for (utils::IteratorType type : op.getIteratorTypesArray())
      isReduction.push_back(type == utils::IteratorType::reduction);
    hasReduction = llvm::is_contained(isReduction, true);
    for (OpOperand &operand : op->getOpOperands())
      isScalarOperand.push_back(!isa<ShapedType>(operand.get().getType()));
    resultDataUnused.assign(numInits, false);
  }

  /// Compiles the body and decides how each operand is used.
  LogicalResult compile(linalg::LinalgOp op, KernelDiagnoser &diagnoser) {
    FailureOr<BodyProgram> compiled = compileBody(
        op, *op.getBlock(), [&](Value value) { return getInputIndex(value); },
        diagnoser);
    if (failed(compiled))
      return failure();
    program = std::move(*compiled);
    executor.emplace(program, kChunkSize);
    for (unsigned i = 0; i < numInputs; ++i)
      if (getArgumentRegister(i) < 0 && !isScalarOperand[i])
        setInputUse(i, InputUse::ShapeOnly);
    for (unsigned i = 0; i < numInits; ++i) {
      readsInit.push_back(getArgumentRegister(numInputs + i) >= 0 ||
                          !coversEveryElement(maps[numInputs + i]));
      if (!readsInit.back())
        setInputUse(numInputs + i, InputUse::ShapeOnly);
    }
    return success();
  }

  void setResultDataUnused(unsigned index) override {
    resultDataUnused[index] = true;
  }

  llvm::Error run(MutableArrayRef<RuntimeValue> inputs,
                  MutableArrayRef<RuntimeValue> results) override;

private:
  int getArgumentRegister(unsigned operand) const {
    return operand < program.argumentRegisters.size()
               ? program.argumentRegisters[operand]
               : -1;
  }

  /// True when the map reaches every element of its operand (so results need
  /// no initial contents): only distinct dimensions, no constants.
  static bool coversEveryElement(AffineMap map) {
    return map.isProjectedPermutation(/*allowZeroInResults=*/false);
  }

  /// Chooses the output buffer of init `index`; may steal the buffer of a
  /// dying input for an in-place update.
  llvm::Expected<Tensor> allocateResult(unsigned index,
                                        MutableArrayRef<RuntimeValue> inputs,
                                        SmallVectorImpl<bool> &bufferTaken);

  SmallVector<AffineMap> maps;
  SmallVector<LinearMap> linearMaps;
  SmallVector<bool> isReduction;
  SmallVector<bool> isScalarOperand;
  SmallVector<bool> readsInit;
  SmallVector<bool> resultDataUnused;
  bool hasReduction = false;
  unsigned numInputs, numInits;
  BodyProgram program;
  std::optional<BodyExecutor> executor;
};
} // namespace

llvm::Expected<Tensor>
StructuredKernel::allocateResult(unsigned index,
                                 MutableArrayRef<RuntimeValue> inputs,
                                 SmallVectorImpl<bool> &bufferTaken) {
  unsigned initOperand = numInputs + index;
  Tensor &init = inputs[initOperand].getTensor();
  if (readsInit[index]) {
    // Updated in place when nobody else holds the init.
    Tensor result = std::move(init);
    if (llvm::Error error = result.tryMakeUnique())
      return std::move(error);
    return result;
  }
  // An input read at exactly the positions the result is written at can be
  // overwritten element by element once nobody else holds it.
  if (!hasReduction) {
    for (unsigned i = 0; i < numInputs; ++i) {
      if (isScalarOperand[i] || bufferTaken[i] || maps[i] != maps[initOperand])
        continue;
      Tensor &input = inputs[i].getTensor();
      if (input.isUniquelyOwned() && input.getShape() == init.getShape()) {
        bufferTaken[i] = true;
        return input;
      }
    }
  }
  // The init may be a shape-only tensor.empty of any size: a fill of a huge
  // shape ends here, as an error on the op.
  return Tensor::tryUninitialized(init.getShape());
}

llvm::Error StructuredKernel::run(MutableArrayRef<RuntimeValue> inputs,
                                  MutableArrayRef<RuntimeValue> results) {
  unsigned numOperands = numInputs + numInits;
  if (llvm::all_of(resultDataUnused, [](bool unused) { return unused; })) {
    for (unsigned i = 0; i < numInits; ++i)
      results[i] =
          Tensor::shapeOnly(inputs[numInputs + i].getTensor().getShape());
    return llvm::Error::success();
  }

  SmallVector<const Tensor *> shapes;
  for (unsigned i = 0; i < numOperands; ++i)
    shapes.push_back(isScalarOperand[i] ? nullptr : &inputs[i].getTensor());
  llvm::Expected<SmallVector<int64_t>> ranges =
      computeLoopRanges(ArrayRef(linearMaps).take_front(numOperands), shapes);
  if (!ranges)
    return ranges.takeError();
  unsigned numLoops = ranges->size();

  // Streams: inputs first, then results (which also serve init reads).
  SmallVector<Stream> streams(numOperands);
  auto describe = [&](Stream &stream, const Tensor &tensor,
                      const LinearMap &map) {
    stream.loopStrides = map.getLoopStrides(tensor.getShape());
    stream.offset = map.getOffset(tensor.getShape());
  };
  // Read input pointers before results may take over input buffers.
  for (unsigned i = 0; i < numInputs; ++i) {
    if (isScalarOperand[i] || getArgumentRegister(i) < 0)
      continue;
    Tensor &input = inputs[i].getTensor();
    streams[i].base = input.data();
    describe(streams[i], input, linearMaps[i]);
  }
  SmallVector<bool> bufferTaken(numInputs, false);
  SmallVector<Tensor> outputs;
  for (unsigned i = 0; i < numInits; ++i) {
    llvm::Expected<Tensor> output = allocateResult(i, inputs, bufferTaken);
    if (!output)
      return output.takeError();
    outputs.push_back(std::move(*output));
    Stream &stream = streams[numInputs + i];
    stream.base = outputs.back().data();
    describe(stream, outputs.back(), linearMaps[numInputs + i]);
  }

  // Loop order: unit loops vanish; the innermost loop is parallel (chunks
  // must not carry a reduction) and preferably contiguous in the first
  // output; the others run in decreasing output stride, reductions inside.
  const Stream &primary = streams[numInputs];
  SmallVector<unsigned> order;
  for (unsigned loop = 0; loop < numLoops; ++loop)
    if ((*ranges)[loop] != 1)
      order.push_back(loop);
  if (llvm::is_contained(*ranges, 0)) {
    for (unsigned i = 0; i < numInits; ++i)
      results[i] = std::move(outputs[i]);
    return llvm::Error::success();
  }
  auto innerScore = [&](unsigned loop) {
    int64_t stride = primary.loopStrides[loop];
    return std::make_tuple(!isReduction[loop], stride == 1, -stride);
  };
  llvm::stable_sort(order, [&](unsigned a, unsigned b) {
    if (isReduction[a] != isReduction[b])
      return !isReduction[a];
    return primary.loopStrides[a] > primary.loopStrides[b];
  });
  if (!order.empty()) {
    auto inner = llvm::max_element(order, [&](unsigned a, unsigned b) {
      return innerScore(a) < innerScore(b);
    });
    unsigned innerLoop = *inner;
    order.erase(inner);
    order.push_back(innerLoop);
  }

  // Collapsed loops: ranges and per-stream strides, innermost last.
  SmallVector<int64_t> loopRanges;
  SmallVector<unsigned> loopDims;
  SmallVector<SmallVector<int64_t>> loopStrides(numOperands);
  for (unsigned loop : order) {
    loopRanges.push_back((*ranges)[loop]);
    loopDims.push_back(loop);
    for (unsigned s = 0; s < numOperands; ++s)
      loopStrides[s].push_back(
          streams[s].loopStrides.empty() ? 0 : streams[s].loopStrides[loop]);
  }
  if (loopRanges.empty()) {
    loopRanges.push_back(1);
    loopDims.push_back(0);
    for (auto &strides : loopStrides)
      strides.push_back(0);
  }
  bool innerIsReduction = !order.empty() && isReduction[order.back()];
  if (!program.usesLoopIndices()) {
    while (loopRanges.size() >= 2) {
      size_t inner = loopRanges.size() - 1, outer = inner - 1;
      if (hasReduction &&
          isReduction[loopDims[outer]] != isReduction[loopDims[inner]])
        break;
      bool affine = llvm::all_of(loopStrides, [&](ArrayRef<int64_t> strides) {
        return strides[outer] == strides[inner] * loopRanges[inner];
      });
      if (!affine)
        break;
      loopRanges[outer] *= loopRanges[inner];
      loopDims[outer] = loopDims[inner];
      loopRanges.pop_back();
      loopDims.pop_back();
      for (auto &strides : loopStrides) {
        strides[outer] = strides[inner];
        strides.pop_back();
      }
    }
  }

  // Uniform registers and scalar operands.
  executor->loadUniforms(inputs);
  for (unsigned i = 0; i < numInputs; ++i) {
    int reg = getArgumentRegister(i);
    if (isScalarOperand[i] && reg >= 0)
      executor->fill(reg, static_cast<float>(inputs[i].getScalar()),
                     kChunkSize);
  }

  // Which result registers are computed straight into output memory.
  size_t innerIndex = loopRanges.size() - 1;
  int64_t innerRange = loopRanges[innerIndex];
  SmallVector<bool> writesDirectly(numInits, false);
  for (unsigned i = 0; i < numInits; ++i) {
    unsigned reg = program.yieldRegisters[i];
    writesDirectly[i] =
        program.isLastResult(reg) &&
        loopStrides[numInputs + i][innerIndex] == 1 &&
        llvm::count(program.yieldRegisters, reg) == 1 &&
        llvm::none_of(program.argumentRegisters,
                      [&](int argReg) { return argReg == int(reg); });
  }

  // Chunks must not carry a dependence: with no parallel loop left, or an
  // output broadcast along the innermost loop, run element by element.
  bool innerCarries = innerIsReduction;
  for (unsigned i = 0; i < numInits; ++i)
    innerCarries |=
        innerRange > 1 && loopStrides[numInputs + i][innerIndex] == 0;
  int64_t chunkLimit = innerCarries ? 1 : kChunkSize;
  SmallVector<int64_t> position(loopRanges.size(), 0);
  SmallVector<int64_t> offsets(numOperands);
  bool done = false;
  while (!done) {
    for (unsigned s = 0; s < numOperands; ++s) {
      offsets[s] = streams[s].offset;
      for (size_t l = 0; l < innerIndex; ++l)
        offsets[s] += position[l] * loopStrides[s][l];
    }
    for (int64_t start = 0; start < innerRange; start += chunkLimit) {
      int64_t count = std::min(chunkLimit, innerRange - start);
      // Load the operands read by the body.
      for (unsigned s = 0; s < numOperands; ++s) {
        int reg = getArgumentRegister(s);
        if (reg < 0 || !streams[s].base)
          continue;
        int64_t stride = loopStrides[s][innerIndex];
        float *source = streams[s].base + offsets[s] + start * stride;
        if (stride == 1) {
          executor->redirect(reg, source);
        } else if (stride == 0) {
          executor->fill(reg, *source, count);
        } else {
          float *chunk = executor->getScratch(reg);
          for (int64_t k = 0; k < count; ++k)
            chunk[k] = source[k * stride];
          executor->redirect(reg, chunk);
        }
      }
      for (auto [reg, source] : llvm::enumerate(program.registers)) {
        if (source.kind != RegisterSource::LoopIndex)
          continue;
        float *chunk = executor->getScratch(reg);
        auto dimIt = llvm::find(loopDims, source.index);
        if (dimIt == loopDims.end() || source.index >= numLoops ||
            (*ranges)[source.index] == 1) {
          std::fill_n(chunk, count, 0.0f);
        } else if (size_t(dimIt - loopDims.begin()) == innerIndex) {
          for (int64_t k = 0; k < count; ++k)
            chunk[k] = static_cast<float>(start + k);
        } else {
          std::fill_n(chunk, count,
                      static_cast<float>(position[dimIt - loopDims.begin()]));
        }
        executor->redirect(reg, chunk);
      }
      for (unsigned i = 0; i < numInits; ++i) {
        unsigned reg = program.yieldRegisters[i];
        const Stream &out = streams[numInputs + i];
        if (writesDirectly[i])
          executor->redirect(reg, out.base + offsets[numInputs + i] + start);
      }

      executor->execute(count);
      if (llvm::Error error = executor->checkErrors(count))
        return error;

      for (unsigned i = 0; i < numInits; ++i) {
        if (writesDirectly[i])
          continue;
        unsigned s = numInputs + i;
        int64_t stride = loopStrides[s][innerIndex];
        float *target = streams[s].base + offsets[s] + start * stride;
        const float *value = executor->get(program.yieldRegisters[i]);
        if (stride == 1) {
          if (target != value)
            std::memmove(target, value, count * sizeof(float));
        } else if (stride == 0) {
          // A reduction carried along the chunk is excluded above; a chunk
          // writing one element repeatedly keeps the last value.
          *target = value[count - 1];
        } else {
          for (int64_t k = 0; k < count; ++k)
            target[k * stride] = value[k];
        }
      }
    }

    // Next position of the outer loops (odometer).
    done = true;
    for (size_t level = innerIndex; level-- > 0;) {
      if (++position[level] < loopRanges[level]) {
        done = false;
        break;
      }
      position[level] = 0;
    }
  }

  for (unsigned i = 0; i < numInits; ++i)
    results[i] = std::move(outputs[i]);
  return llvm::Error::success();
}

FailureOr<std::unique_ptr<Kernel>>
lin::buildStructuredKernel(linalg::LinalgOp op, KernelDiagnoser &diagnoser) {
  if (!op.hasPureTensorSemantics())
    return diagnoser.fail(op, "only linalg ops on tensors are supported");
  FailureOr<SmallVector<LinearMap>> linearMaps =
      getLinearMaps(op.getIndexingMapsArray());
  if (failed(linearMaps))
    return diagnoser.fail(op, "indexing maps with mod, floordiv or symbols "
                              "are not supported");
  // Every loop must be bounded by some tensor operand indexed by it alone.
  llvm::SmallBitVector bounded(op.getNumLoops());
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<ShapedType>(operand.get().getType()))
      continue;
    const LinearMap &map = (*linearMaps)[operand.getOperandNumber()];
    for (unsigned result = 0; result < map.getNumResults(); ++result)
      if (std::optional<unsigned> loop = map.getSelectedLoop(result))
        bounded.set(*loop);
  }
  if (!bounded.all())
    return diagnoser.fail(op, "a loop is not bounded by any operand");
  if (!op.getBlock())
    return diagnoser.fail(op, "the op has no body");

  auto kernel = std::make_unique<StructuredKernel>(op, std::move(*linearMaps));
  if (failed(kernel->compile(op, diagnoser)))
    return failure();
  return std::unique_ptr<Kernel>(std::move(kernel));
}
