//===- InterpreterTest.cpp - Tests of the interpreter ---------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Interpreter/Interpreter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "gtest/gtest.h"

using namespace mlir;
using namespace lin;

namespace {

std::vector<float> toVector(ArrayRef<float> values) {
  return std::vector<float>(values.begin(), values.end());
}

Tensor makeTensor(ArrayRef<int64_t> shape, ArrayRef<float> values) {
  Tensor tensor(shape);
  llvm::copy(values, tensor.data());
  return tensor;
}

/// A one-hidden-layer MLP in torch-mlir's form: transpose of the constant
/// weight, matmul into a zero fill, broadcasting bias add, ReLU.
constexpr const char *kTorchLayer = R"mlir(
  #id = affine_map<(d0, d1) -> (d0, d1)>
  #row = affine_map<(d0, d1) -> (d1)>
  func.func @main(%x: tensor<?x2xf32>) -> tensor<?x3xf32> {
    %c0 = arith.constant 0 : index
    %zero = arith.constant 0.0 : f32
    %w = arith.constant dense<[[1.0, 0.0], [-1.0, 1.0], [0.0, 1.0]]> : tensor<3x2xf32>
    %b = arith.constant dense<[0.0, 0.5, -1.0]> : tensor<3xf32>
    %et = tensor.empty() : tensor<2x3xf32>
    %wt = linalg.transpose ins(%w : tensor<3x2xf32>) outs(%et : tensor<2x3xf32>) permutation = [1, 0]
    %n = tensor.dim %x, %c0 : tensor<?x2xf32>
    %e = tensor.empty(%n) : tensor<?x3xf32>
    %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
    %m = linalg.matmul ins(%x, %wt : tensor<?x2xf32>, tensor<2x3xf32>) outs(%f : tensor<?x3xf32>) -> tensor<?x3xf32>
    %z = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
        ins(%m, %b : tensor<?x3xf32>, tensor<3xf32>) outs(%e : tensor<?x3xf32>) {
    ^bb0(%in: f32, %bias: f32, %out: f32):
      %s = arith.addf %in, %bias : f32
      linalg.yield %s : f32
    } -> tensor<?x3xf32>
    %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%z : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) {
    ^bb0(%in: f32, %out: f32):
      %c = arith.cmpf ugt, %in, %zero : f32
      %s = arith.select %c, %in, %zero : f32
      linalg.yield %s : f32
    } -> tensor<?x3xf32>
    return %r : tensor<?x3xf32>
  })mlir";

class InterpreterTest : public ::testing::Test {
protected:
  InterpreterTest() {
    context.loadDialect<arith::ArithDialect, func::FuncDialect,
                        linalg::LinalgDialect, math::MathDialect,
                        scf::SCFDialect, tensor::TensorDialect>();
    context.getDiagEngine().registerHandler([this](Diagnostic &diag) {
      errors.push_back(diag.str());
      return success();
    });
  }

  func::FuncOp parse(StringRef source) {
    module = parseSourceString<ModuleOp>(source, &context);
    EXPECT_TRUE(module);
    errors.clear();
    if (!module)
      return {};
    return *module->getOps<func::FuncOp>().begin();
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  std::vector<std::string> errors;
};

/// Records every op it sees, with copies of operands and results.
struct RecordingObserver : InterpreterObserver {
  bool isObserved(Operation *) override { return true; }
  LogicalResult afterOp(Operation *op, ArrayRef<RuntimeValue> operands,
                        ArrayRef<RuntimeValue> results) override {
    names.push_back(op->getName().getStringRef().str());
    this->operands.emplace_back(operands.begin(), operands.end());
    this->results.emplace_back(results.begin(), results.end());
    return success();
  }
  std::vector<std::string> names;
  std::vector<std::vector<RuntimeValue>> operands, results;
};

TEST_F(InterpreterTest, RunsTorchLayerOnBatches) {
  func::FuncOp function = parse(kTorchLayer);
  FailureOr<std::unique_ptr<Interpreter>> interpreter =
      Interpreter::create(function);
  ASSERT_TRUE(succeeded(interpreter));
  // z = (x0, x1 - x0 + 0.5, x1 - 1).
  Tensor x = makeTensor({2, 2}, {1.0f, 1.0f, -2.0f, 0.0f});
  FailureOr<SmallVector<Tensor>> first = (*interpreter)->run({x});
  ASSERT_TRUE(succeeded(first));
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].getShape(), ArrayRef<int64_t>({2, 3}));
  EXPECT_EQ(toVector((*first)[0].values()),
            (std::vector<float>{1.0f, 0.5f, 0.0f, 0.0f, 2.5f, 0.0f}));
  // Another batch size through the same interpreter.
  Tensor y = makeTensor({1, 2}, {0.0f, 3.0f});
  FailureOr<SmallVector<Tensor>> second = (*interpreter)->run({y});
  ASSERT_TRUE(succeeded(second));
  EXPECT_EQ(toVector((*second)[0].values()),
            (std::vector<float>{0.0f, 3.5f, 2.0f}));
  EXPECT_TRUE(errors.empty());
}

TEST_F(InterpreterTest, ArgumentsAreNotOverwritten) {
  func::FuncOp function = parse(R"mlir(
    func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
      %e = tensor.empty() : tensor<2xf32>
      %r = linalg.abs ins(%x : tensor<2xf32>) outs(%e : tensor<2xf32>) -> tensor<2xf32>
      return %r : tensor<2xf32>
    })mlir");
  auto interpreter = Interpreter::create(function);
  ASSERT_TRUE(succeeded(interpreter));
  Tensor x = makeTensor({2}, {-1.0f, 2.0f});
  auto results = (*interpreter)->run({x});
  ASSERT_TRUE(succeeded(results));
  EXPECT_EQ(toVector((*results)[0].values()), (std::vector<float>{1.0f, 2.0f}));
  EXPECT_EQ(toVector(x.values()), (std::vector<float>{-1.0f, 2.0f}));
}

TEST_F(InterpreterTest, ObserverSeesIntactOperandsAndOnlyExecutedOps) {
  func::FuncOp function = parse(kTorchLayer);
  auto interpreter = Interpreter::create(function);
  ASSERT_TRUE(succeeded(interpreter));
  RecordingObserver observer;
  Tensor x = makeTensor({2, 2}, {1.0f, 1.0f, -2.0f, 0.0f});
  ASSERT_TRUE(succeeded((*interpreter)->run({x}, &observer)));
  // The weight transpose is a constant (evaluated once, at creation); the
  // zero fill only feeds a matmul run with beta = 0: neither runs per batch.
  EXPECT_EQ(observer.names, (std::vector<std::string>{
                                "tensor.dim", "tensor.empty", "linalg.matmul",
                                "linalg.generic", "linalg.generic"}));
  // The ReLU's operand is the pre-activation, not overwritten in place.
  const Tensor &pre = observer.operands.back()[0].getTensor();
  EXPECT_EQ(toVector(pre.values()),
            (std::vector<float>{1.0f, 0.5f, 0.0f, -2.0f, 2.5f, -1.0f}));
  EXPECT_EQ(toVector(observer.results.back()[0].getTensor().values()),
            (std::vector<float>{1.0f, 0.5f, 0.0f, 0.0f, 2.5f, 0.0f}));
}

/// Reads operands before the op runs only, letting the op work in place.
struct BeforeObserver : InterpreterObserver {
  bool isObserved(Operation *op) override {
    return op->getName().getStringRef() == "linalg.generic";
  }
  bool readsOperandsAfter(Operation *) override { return false; }
  LogicalResult beforeOp(Operation *op,
                         ArrayRef<RuntimeValue> operands) override {
    const Tensor &input = operands[0].getTensor();
    inputs.push_back(toVector(input.values()));
    inputData.push_back(input.data());
    return success();
  }
  LogicalResult afterOp(Operation *, ArrayRef<RuntimeValue>,
                        ArrayRef<RuntimeValue> results) override {
    resultData.push_back(results[0].getTensor().data());
    return success();
  }
  std::vector<std::vector<float>> inputs;
  std::vector<const float *> inputData, resultData;
};

TEST_F(InterpreterTest, ObserverBeforeOpLetsOpsWorkInPlace) {
  func::FuncOp function = parse(kTorchLayer);
  auto interpreter = Interpreter::create(function);
  ASSERT_TRUE(succeeded(interpreter));
  BeforeObserver observer;
  Tensor x = makeTensor({2, 2}, {1.0f, 1.0f, -2.0f, 0.0f});
  ASSERT_TRUE(succeeded((*interpreter)->run({x}, &observer)));
  ASSERT_EQ(observer.inputs.size(), 2u);
  // The ReLU saw the pre-activation, then overwrote it: the bias add and the
  // ReLU both reuse the matmul's buffer.
  EXPECT_EQ(observer.inputs[1],
            (std::vector<float>{1.0f, 0.5f, 0.0f, -2.0f, 2.5f, -1.0f}));
  EXPECT_EQ(observer.resultData[0], observer.inputData[0]);
  EXPECT_EQ(observer.resultData[1], observer.inputData[1]);
}

TEST_F(InterpreterTest, RejectsArgumentsOfTheWrongShape) {
  func::FuncOp function = parse(kTorchLayer);
  auto interpreter = Interpreter::create(function);
  ASSERT_TRUE(succeeded(interpreter));
  Tensor x = makeTensor({2, 3}, {1, 2, 3, 4, 5, 6});
  EXPECT_TRUE(failed((*interpreter)->run({x})));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("argument #0 has shape 2x3"), std::string::npos)
      << errors[0];
  errors.clear();
  EXPECT_TRUE(failed((*interpreter)->run({})));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("expected 1 arguments, got 0"), std::string::npos);
}

TEST_F(InterpreterTest, ReportsEveryUnsupportedOpBeforeRunning) {
  func::FuncOp function = parse(R"mlir(
    func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %a = scf.for %i = %c0 to %c1 step %c1 iter_args(%acc = %x) -> (tensor<2xf32>) {
        scf.yield %acc : tensor<2xf32>
      }
      %b = scf.execute_region -> tensor<2xf32> {
        scf.yield %a : tensor<2xf32>
      }
      return %b : tensor<2xf32>
    })mlir");
  EXPECT_TRUE(failed(Interpreter::create(function)));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].find("unsupported operation 'scf.for'"),
            std::string::npos);
  EXPECT_NE(errors[1].find("unsupported operation 'scf.execute_region'"),
            std::string::npos);
}

TEST_F(InterpreterTest, RuntimeShapeErrorsAreLocated) {
  func::FuncOp function = parse(R"mlir(
    func.func @main(%x: tensor<?xf32>) -> tensor<3xf32> {
      %c = tensor.cast %x : tensor<?xf32> to tensor<3xf32>
      return %c : tensor<3xf32>
    })mlir");
  auto interpreter = Interpreter::create(function);
  ASSERT_TRUE(succeeded(interpreter));
  EXPECT_TRUE(succeeded((*interpreter)->run({makeTensor({3}, {1, 2, 3})})));
  EXPECT_TRUE(failed((*interpreter)->run({makeTensor({2}, {1, 2})})));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("the source has shape 2, incompatible with"),
            std::string::npos)
      << errors[0];
}

TEST_F(InterpreterTest, ScalarResultsBecomeZeroDimensionalTensors) {
  func::FuncOp function = parse(R"mlir(
    func.func @main(%x: tensor<?x4xf32>) -> index {
      %c0 = arith.constant 0 : index
      %c4 = arith.constant 4 : index
      %n = tensor.dim %x, %c0 : tensor<?x4xf32>
      %m = arith.muli %n, %c4 : index
      return %m : index
    })mlir");
  auto interpreter = Interpreter::create(function);
  ASSERT_TRUE(succeeded(interpreter));
  auto results = (*interpreter)->run({Tensor({3, 4})});
  ASSERT_TRUE(succeeded(results));
  EXPECT_EQ((*results)[0].getRank(), 0);
  EXPECT_EQ((*results)[0].values()[0], 12.0f);
}

TEST_F(InterpreterTest, EmptyTensorsReadByABodyAreZeros) {
  // The body reads its (tensor.empty) init: contents are undefined in MLIR,
  // the interpreter gives zeros.
  func::FuncOp function = parse(R"mlir(
    func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
      %e = tensor.empty() : tensor<2xf32>
      %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
          ins(%x : tensor<2xf32>) outs(%e : tensor<2xf32>) {
      ^bb0(%in: f32, %out: f32):
        %s = arith.addf %in, %out : f32
        linalg.yield %s : f32
      } -> tensor<2xf32>
      return %r : tensor<2xf32>
    })mlir");
  auto interpreter = Interpreter::create(function);
  ASSERT_TRUE(succeeded(interpreter));
  auto results = (*interpreter)->run({makeTensor({2}, {1.5f, -2.0f})});
  ASSERT_TRUE(succeeded(results));
  EXPECT_EQ(toVector((*results)[0].values()),
            (std::vector<float>{1.5f, -2.0f}));
}

TEST_F(InterpreterTest, FindsTheEntryFunction) {
  parse(R"mlir(
    func.func private @helper(%x: tensor<2xf32>) -> tensor<2xf32> {
      return %x : tensor<2xf32>
    }
    func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
      return %x : tensor<2xf32>
    })mlir");
  FailureOr<func::FuncOp> found = findEntryFunction(*module, "");
  ASSERT_TRUE(succeeded(found));
  EXPECT_EQ(found->getSymName(), "main");
  found = findEntryFunction(*module, "helper");
  ASSERT_TRUE(succeeded(found));
  EXPECT_EQ(found->getSymName(), "helper");
  EXPECT_TRUE(failed(findEntryFunction(*module, "missing")));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("no function @missing"), std::string::npos);
}

TEST_F(InterpreterTest, ResultsOfEarlierRunsStayIntact) {
  // Found by lin-fold-fuzzer (heap-use-after-free): the bias add of a 4-row
  // batch computed straight into its output; on the next, 1-row batch the
  // output is not contiguous along a loop any more, and the body still wrote
  // through the pointer into the previous batch's (freed) result.
  func::FuncOp function = parse(R"mlir(
    func.func @main(%x: tensor<?x1xf32>) -> tensor<?x1xf32> {
      %c0 = arith.constant 0 : index
      %b = arith.constant dense<[0.25]> : tensor<1xf32>
      %n = tensor.dim %x, %c0 : tensor<?x1xf32>
      %e = tensor.empty(%n) : tensor<?x1xf32>
      %z = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
          ins(%x, %b : tensor<?x1xf32>, tensor<1xf32>) outs(%e : tensor<?x1xf32>) {
      ^bb0(%a: f32, %c: f32, %o: f32):
        %s = arith.addf %a, %c : f32
        linalg.yield %s : f32
      } -> tensor<?x1xf32>
      return %z : tensor<?x1xf32>
    })mlir");
  auto interpreter = Interpreter::create(function);
  ASSERT_TRUE(succeeded(interpreter));
  auto first = (*interpreter)->run({makeTensor({4, 1}, {1, 2, 3, 4})});
  ASSERT_TRUE(succeeded(first));
  auto second = (*interpreter)->run({makeTensor({1, 1}, {10})});
  ASSERT_TRUE(succeeded(second));
  EXPECT_EQ(toVector((*first)[0].values()),
            (std::vector<float>{1.25f, 2.25f, 3.25f, 4.25f}));
  EXPECT_EQ(toVector((*second)[0].values()), (std::vector<float>{10.25f}));
}

TEST_F(InterpreterTest, HugeTensorsAreLocatedErrors) {
  // Issue 9: a fill of tensor<100000000000x100000xf32> (4e16 bytes) ended in
  // `LLVM ERROR: out of memory`.
  func::FuncOp function = parse(R"mlir(
    func.func @main(%x: tensor<?xf32>) -> tensor<100000000000x100000xf32> {
      %c0 = arith.constant 0 : index
      %v = tensor.extract %x[%c0] : tensor<?xf32>
      %e = tensor.empty() : tensor<100000000000x100000xf32>
      %f = linalg.fill ins(%v : f32) outs(%e : tensor<100000000000x100000xf32>) -> tensor<100000000000x100000xf32>
      return %f : tensor<100000000000x100000xf32>
    })mlir");
  auto interpreter = Interpreter::create(function);
  ASSERT_TRUE(succeeded(interpreter));
  EXPECT_TRUE(failed((*interpreter)->run({makeTensor({1}, {1})})));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("lin interpreter: cannot allocate 40000000000000000 "
                           "bytes for a tensor of shape 100000000000x100000"),
            std::string::npos)
      << errors[0];
}

TEST_F(InterpreterTest, ShapesThatOverflowAreLocatedErrors) {
  // The element count of the tensor.empty overflows int64: before, it
  // wrapped around and kernels ran on a short buffer.
  func::FuncOp function = parse(R"mlir(
    func.func @main(%x: tensor<?xf32>) -> tensor<?x4611686018427387904xf32> {
      %c0 = arith.constant 0 : index
      %n = tensor.dim %x, %c0 : tensor<?xf32>
      %e = tensor.empty(%n) : tensor<?x4611686018427387904xf32>
      return %e : tensor<?x4611686018427387904xf32>
    })mlir");
  auto interpreter = Interpreter::create(function);
  ASSERT_TRUE(succeeded(interpreter));
  EXPECT_TRUE(failed((*interpreter)->run({makeTensor({4}, {1, 2, 3, 4})})));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("a tensor of shape 4x4611686018427387904 has too "
                           "many elements"),
            std::string::npos)
      << errors[0];
}

TEST_F(InterpreterTest, AllocationLimitIsALocatedError) {
  func::FuncOp function = parse(kTorchLayer);
  auto interpreter = Interpreter::create(function);
  ASSERT_TRUE(succeeded(interpreter));
  Tensor argument({1000, 2});
  uint64_t previous = Tensor::getAllocationLimit();
  Tensor::setAllocationLimit(1024);
  auto results = (*interpreter)->run({argument});
  Tensor::setAllocationLimit(previous);
  EXPECT_TRUE(failed(results));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("over the allocation limit of 1024 bytes"),
            std::string::npos)
      << errors[0];
}

TEST_F(InterpreterTest, EmptyBatchOfBatchMatmulWritesNothing) {
  // The batch loop was entered once even when empty: sgemm then wrote an
  // M x N block into the output's zero elements (heap overflow).
  func::FuncOp function = parse(R"mlir(
    func.func @main(%a: tensor<?x30x40xf32>, %b: tensor<?x40x50xf32>) -> tensor<?x30x50xf32> {
      %c0 = arith.constant 0 : index
      %zero = arith.constant 0.0 : f32
      %n = tensor.dim %a, %c0 : tensor<?x30x40xf32>
      %e = tensor.empty(%n) : tensor<?x30x50xf32>
      %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x30x50xf32>) -> tensor<?x30x50xf32>
      %m = linalg.batch_matmul ins(%a, %b : tensor<?x30x40xf32>, tensor<?x40x50xf32>) outs(%f : tensor<?x30x50xf32>) -> tensor<?x30x50xf32>
      return %m : tensor<?x30x50xf32>
    })mlir");
  auto interpreter = Interpreter::create(function);
  ASSERT_TRUE(succeeded(interpreter));
  auto results =
      (*interpreter)->run({Tensor({0, 30, 40}), Tensor({0, 40, 50})});
  ASSERT_TRUE(succeeded(results));
  EXPECT_EQ((*results)[0].getShape(), ArrayRef<int64_t>({0, 30, 50}));
  EXPECT_EQ((*results)[0].getNumElements(), 0);
}

TEST_F(InterpreterTest, IndicesOutsideInt64AreRangeErrors) {
  // An index computed from a float that int64 cannot hold: converting it was
  // undefined behaviour; now it saturates and fails the range check.
  func::FuncOp function = parse(R"mlir(
    func.func @main(%x: tensor<?xf32>) -> index {
      %f = arith.constant 1.0e30 : f32
      %j = arith.fptosi %f : f32 to i64
      %i = arith.index_cast %j : i64 to index
      %d = tensor.dim %x, %i : tensor<?xf32>
      return %d : index
    })mlir");
  auto interpreter = Interpreter::create(function);
  ASSERT_TRUE(succeeded(interpreter));
  EXPECT_TRUE(failed((*interpreter)->run({makeTensor({1}, {1})})));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("dimension 9223372036854775807 out of range"),
            std::string::npos)
      << errors[0];
}

} // namespace
