//===- LayerGraph.cpp - The affine layer graph of a function --------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Analysis/LayerGraph.h"
#include "lin/Analysis/ConvChain.h"
#include "lin/Analysis/LayerNames.h"
#include "lin/Analysis/WeightCount.h"
#include "lin/Dialect/Lin/IR/LinDialect.h"
#include "lin/Support/PostOrder.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace lin;

LayerGraph LayerGraph::build(func::FuncOp func,
                             ConstantTensorEvaluator &constants,
                             bool profiledOnly) {
  LayerGraph graph;
  StringRef profileName = LinDialect::getProfileAttrName();

  // Layers, in program order: recognised activations carrying a profile
  // (any recognised activation without profiledOnly).
  DenseSet<Operation *> recognised, activationOps;
  for (PiecewiseLinearActivation &activation :
       findPiecewiseLinearActivations(func)) {
    Operation *op = activation.getOperation();
    recognised.insert(op);
    activationOps.insert(activation.getOperations().begin(),
                         activation.getOperations().end());
    auto profile = op->getAttrOfType<ProfileAttr>(profileName);
    // Channels of a convolution are the conv fold's (ConvChain.h).
    if (profile && hasChannelProfile(op))
      continue;
    int64_t width = 0;
    if (profile) {
      width = profile.getNumNeurons();
    } else {
      if (profiledOnly)
        continue;
      auto type = dyn_cast<RankedTensorType>(activation.getResult().getType());
      if (!type || type.getRank() != 2 || type.isDynamicDim(1)) {
        graph.declined.push_back(
            {op, "its value is not a [batch x features] tensor with static "
                 "features"});
        continue;
      }
      width = type.getDimSize(1);
    }
    if (profile && activation.getKind() != profile.getKind()) {
      graph.declined.push_back(
          {op, ("the profile is for '" +
                stringifyActivationKind(profile.getKind()) +
                "' but the op computes '" +
                stringifyActivationKind(activation.getKind()) + "'")
                   .str()});
      continue;
    }
    Layer layer;
    layer.activation = std::move(activation);
    layer.profile = profile;
    layer.width = width;
    graph.layerOfResult[layer.activation.getResult()] = graph.layers.size();
    graph.layers.push_back(std::move(layer));
  }
  func.walk([&](Operation *op) {
    if (!op->hasAttr(profileName) || recognised.contains(op))
      return;
    std::string why;
    (void)PiecewiseLinearActivation::match(op, &why);
    graph.declined.push_back(
        {op, "the profiled op is not a recognised piecewise-linear "
             "activation" +
                 (why.empty() ? std::string() : ": " + why)});
  });

  // Sinks: pre-activations first, then the values where each activation's
  // result leaves the affine ops that read it.
  llvm::SetVector<Value> sinkValues;
  for (Layer &layer : graph.layers)
    sinkValues.insert(layer.activation.getInput());
  DenseMap<Value, unsigned> preActivationOf;
  for (auto [index, layer] : llvm::enumerate(graph.layers))
    preActivationOf[layer.activation.getInput()] = index;
  for (Layer &layer : graph.layers) {
    SmallVector<Value> worklist{layer.activation.getResult()};
    DenseSet<Value> seen;
    while (!worklist.empty()) {
      Value value = worklist.pop_back_val();
      if (!seen.insert(value).second)
        continue;
      bool leaves = value.use_empty() || preActivationOf.count(value);
      // The walk stops where the decomposition would: at an activation (a
      // root of its own) and at any op that is not affine in this value (a
      // GELU, a LayerNorm), whose input is then a sink. A sink's other
      // readers read it as it is rewritten: walking on through them would
      // make sinks that compute it again (a residual sum that a LayerNorm
      // reads for its mean and its centring would be rewritten twice, with
      // its weights).
      SmallVector<Value> next;
      for (OpOperand &use : value.getUses()) {
        Operation *user = use.getOwner();
        if (!activationOps.contains(user) && !user->hasAttr(profileName) &&
            isLookedThrough(use, constants))
          next.push_back(user->getResult(0));
        else
          leaves = true;
      }
      if (!leaves)
        llvm::append_range(worklist, next);
      if (leaves && value != layer.activation.getResult())
        sinkValues.insert(value);
    }
  }

  // Every recognised activation's result is a root, profiled or not.
  DenseSet<Value> activationResults;
  for (Operation *op : recognised)
    activationResults.insert(op->getResult(0));
  // What feeds a value through tensor operands (sizes do not count): the
  // model's input, an activation's result (memoised).
  struct Feeds {
    bool input = false, activation = false;
  };
  DenseMap<Value, Feeds> feedsOf;
  auto getKnownFeeds = [&](Value value) -> Feeds {
    if (activationResults.contains(value))
      return {true, true};
    if (isa<BlockArgument>(value))
      return {true, false};
    return feedsOf.lookup(value);
  };
  // Without recursion: the chain of ops may be as long as the model.
  auto getFeeds = [&](Value value) {
    visitPostOrder(
        value,
        [&](Value value) {
          return !activationResults.contains(value) &&
                 !isa<BlockArgument>(value) &&
                 feedsOf.try_emplace(value).second;
        },
        [](Value value) {
          SmallVector<Value> operands;
          for (Value operand : value.getDefiningOp()->getOperands())
            if (isa<RankedTensorType>(operand.getType()))
              operands.push_back(operand);
          return operands;
        },
        [&](Value value, ArrayRef<Value> operands) {
          Feeds feeds;
          for (Value operand : operands) {
            Feeds fed = getKnownFeeds(operand);
            feeds.input |= fed.input;
            feeds.activation |= fed.activation;
          }
          feedsOf[value] = feeds;
        });
    return getKnownFeeds(value);
  };
  // Roots of the forms: the activations, and values computed from the input
  // that several ops read and no activation feeds (a per-feature scale and
  // shift after a norm, read by a layer and by a residual connection).
  // Looked through, such a value's computation would be copied into every
  // reader's form, a per-feature scale as a dense diagonal matrix, and
  // stored again by each rewritten reader. (One fed by an activation stays
  // looked through: as a root, the op computing it would read the
  // activation outside the sinks, and the layer could not fold. Constants,
  // such as a zero-filled init that several matmuls share, are weights and
  // biases, not roots.)
  auto isRoot = [&](Value value) {
    if (activationResults.contains(value))
      return true;
    if (sinkValues.contains(value) || !isa<RankedTensorType>(value.getType()))
      return false;
    unsigned readers = 0;
    for (Operation *user : value.getUsers())
      readers += !isa<tensor::DimOp>(user);
    if (readers < 2)
      return false;
    Feeds feeds = getFeeds(value);
    return feeds.input && !feeds.activation;
  };
  DenseMap<Value, std::string> failedSinks;
  for (Value value : sinkValues) {
    std::string why;
    FailureOr<AffineForm> form =
        decomposeAffine(value, constants, &why, isRoot);
    if (failed(form)) {
      failedSinks[value] = why;
      continue;
    }
    Sink sink;
    sink.form = std::move(*form);
    auto pre = preActivationOf.find(value);
    if (pre != preActivationOf.end()) {
      sink.layer = pre->second;
      graph.layers[pre->second].preActivationSink = graph.sinks.size();
    }
    graph.sinks.push_back(std::move(sink));
  }

  // What the IR stores, and which sinks read each weight: a weight belongs
  // to the sinks whose forms contain every op reading it, or whose forms
  // contain all that such an op feeds (a bias broadcast to the batch), so
  // that rewriting those sinks frees it. One sink owns it alone; several
  // share it (SharedWeight).
  WeightInventory inventory = WeightInventory::build(func);
  graph.weightElements = inventory.getTotalElements();
  DenseSet<Value> roots;
  for (const Sink &sink : graph.sinks)
    for (const AffineTerm &term : sink.form.terms)
      roots.insert(term.root);
  DenseMap<Operation *, SmallVector<unsigned, 1>> sinksOfOp;
  for (auto [index, sink] : llvm::enumerate(graph.sinks))
    for (Operation *op : sink.form.ops) {
      SmallVector<unsigned, 1> &sinks = sinksOfOp[op];
      if (!llvm::is_contained(sinks, index))
        sinks.push_back(index);
    }
  for (const WeightInventory::Weight &weight : inventory.weights) {
    llvm::SetVector<unsigned> owners;
    bool confined = true;
    SmallVector<Operation *> worklist(weight.users.begin(), weight.users.end());
    DenseSet<Operation *> visited;
    while (confined && !worklist.empty()) {
      Operation *op = worklist.pop_back_val();
      if (!visited.insert(op).second)
        continue;
      auto it = sinksOfOp.find(op);
      if (it != sinksOfOp.end()) {
        owners.insert(it->second.begin(), it->second.end());
        continue;
      }
      // Outside every sink: it stays unless all it feeds goes. An op
      // computing a root of a form (an activation, a convolution's output
      // read through a flatten) stays whatever the fold does: the rewritten
      // sinks still read it.
      if (op->use_empty() || llvm::any_of(op->getResults(), [&](Value v) {
            return roots.contains(v);
          })) {
        confined = false;
        continue;
      }
      llvm::append_range(worklist, op->getUsers());
    }
    if (!confined || owners.empty())
      continue;
    if (owners.size() == 1) {
      graph.sinks[owners.front()].ownedWeights += weight.elements;
      continue;
    }
    SharedWeight shared;
    shared.sinks.assign(owners.begin(), owners.end());
    llvm::sort(shared.sinks);
    shared.elements = weight.elements;
    graph.sharedWeights.push_back(std::move(shared));
  }

  for (auto [index, sink] : llvm::enumerate(graph.sinks))
    for (const AffineTerm &term : sink.form.terms)
      if (std::optional<unsigned> layer = graph.getLayerOf(term.root))
        graph.layers[*layer].readers.push_back(index);

  // A layer folds only when its pre-activation is affine in its roots and
  // every use of its value lies inside the sinks that the fold rewrites.
  for (auto [index, layer] : llvm::enumerate(graph.layers)) {
    Value input = layer.activation.getInput();
    // Token batches with the neurons last were made 2-D before (see
    // collapseTokenDimensions); what is still of another rank is not a
    // dense layer over samples.
    auto type =
        dyn_cast<RankedTensorType>(layer.activation.getResult().getType());
    if (type && type.getRank() != 2) {
      int64_t neuronDim = layer.profile
                              ? layer.profile.getNeuronDim(type.getRank())
                              : type.getRank() - 1;
      layer.whyNotFoldable =
          llvm::formatv("its value has rank {0} (neurons in dimension {1}) "
                        "and is not a [samples x features] layer; token "
                        "batches fold where the neurons are the last "
                        "dimension and the layers matmuls over it",
                        type.getRank(), neuronDim)
              .str();
      continue;
    }
    if (failedSinks.count(input)) {
      layer.whyNotFoldable =
          "its pre-activation is not an affine layer: " + failedSinks[input];
      continue;
    }
    // The fold replaces the pre-activation; if anything besides the
    // activation reads it (ELU is max(0, z) + exp(min(0, z)) - 1 in
    // torch-mlir: only its first part is piecewise linear), the old layer
    // stays for that reader and the fold would add weights, not save them.
    ArrayRef<Operation *> activationOps = layer.activation.getOperations();
    auto outsideReader = llvm::find_if(input.getUsers(), [&](Operation *user) {
      return !llvm::is_contained(activationOps, user);
    });
    if (outsideReader != input.getUsers().end()) {
      layer.whyNotFoldable =
          "its pre-activation is also read by '" +
          (*outsideReader)->getName().getStringRef().str() +
          "', which is not part of the activation (an activation that is "
          "piecewise linear only in part, such as ELU)";
      continue;
    }
    Value result = layer.activation.getResult();
    DenseSet<Operation *> covered;
    for (const Sink &sink : graph.sinks)
      for (const AffineTerm &term : sink.form.terms)
        if (term.root == result)
          covered.insert(sink.form.ops.begin(), sink.form.ops.end());
    for (Operation *user : result.getUsers()) {
      if (covered.contains(user))
        continue;
      std::string name = user->getName().getStringRef().str();
      layer.whyNotFoldable =
          "its value is used by '" + name +
          "', which is not part of an affine layer with constant weights";
      for (auto &[value, why] : failedSinks)
        if (value.getDefiningOp() == user || value == user->getResult(0))
          layer.whyNotFoldable += " (" + why + ")";
      break;
    }
  }
  graph.nameLayers();
  return graph;
}

int64_t LayerGraph::getFreedWeights(
    llvm::function_ref<bool(unsigned sink)> rewritten) const {
  int64_t freed = 0;
  for (auto [index, sink] : llvm::enumerate(sinks))
    if (rewritten(index))
      freed += sink.ownedWeights;
  for (const SharedWeight &shared : sharedWeights)
    if (llvm::all_of(shared.sinks, rewritten))
      freed += shared.elements;
  return freed;
}

SmallVector<bool> LayerGraph::getLiveSinks(
    function_ref<bool(unsigned sink, Value root)> readsRoot) const {
  SmallVector<bool> live(sinks.size(), true);
  // Readers come after the layer they read: one pass backwards settles it.
  for (const Layer &layer : llvm::reverse(layers)) {
    if (!layer.isFoldable())
      continue;
    Value result = layer.activation.getResult();
    bool read = false;
    for (unsigned s = 0; s < sinks.size() && !read; ++s)
      read = s != layer.preActivationSink && live[s] && readsRoot(s, result);
    live[layer.preActivationSink] = read;
  }
  return live;
}

void LayerGraph::nameLayers() {
  SmallVector<ActivationToName> activations;
  for (const Layer &layer : layers)
    activations.push_back({layer.activation.getOperation(),
                           layer.activation.getInput(),
                           layer.activation.getKind()});
  layerNames = nameActivations(activations);
}

std::string LayerGraph::getLayerName(unsigned index) const {
  return layerNames[index];
}
