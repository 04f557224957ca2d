//===- LayerGraph.h - The affine layer graph of a function ------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The affine layer graph of a function: every profiled piecewise-linear
// activation is a layer whose pre-activation is an affine form of earlier
// activations (and other roots), and every place the activations' values
// leave the affine world (another activation's input, a function result, an
// op lin does not look through) is a sink, also an affine form:
//
//     z(l) = sum_k a(k) @ M(l, k) + b(l)
//
// The fold works on this graph: folding neurons of layer l substitutes their
// linear piece into every sink that reads a(l).
//
//===----------------------------------------------------------------------===//

#ifndef LIN_ANALYSIS_LAYERGRAPH_H
#define LIN_ANALYSIS_LAYERGRAPH_H

#include "lin/Analysis/AffineForm.h"
#include "lin/Analysis/PiecewiseLinearActivation.h"
#include "lin/Dialect/Lin/IR/LinAttributes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"

#include <optional>
#include <string>

namespace lin {

/// A profiled activation and what the fold may do with it.
struct Layer {
  PiecewiseLinearActivation activation;
  /// Null for an unprofiled layer (LayerGraph::build without profiledOnly).
  ProfileAttr profile;
  /// Index of the sink computing this layer's pre-activation (only for a
  /// foldable layer: a layer whose pre-activation is not an affine form has
  /// no sink).
  unsigned preActivationSink = 0;
  /// Number of neurons (features).
  int64_t width = 0;
  /// The sinks whose forms read the layer's value (have a term with the
  /// activation's result as root), ascending. Kept when a fold moves the
  /// forms out of the graph.
  llvm::SmallVector<unsigned, 2> readers;
  /// Empty when the layer can be folded; otherwise why not.
  std::string whyNotFoldable;
  bool isFoldable() const { return whyNotFoldable.empty(); }
};

/// A value computed as an affine form of roots that is rewritten as a whole.
struct Sink {
  AffineForm form;
  /// The layer whose pre-activation this is, if any.
  std::optional<unsigned> layer;
  /// Weight elements the IR stores for this sink alone (constants no op
  /// outside its form reads): what rewriting the sink frees. Can be far
  /// fewer than form.getNumParameters(), which expands shared and diagonal
  /// weights into one matrix per root.
  int64_t ownedWeights = 0;
};

/// A weight that only ops of two or more sinks read (a layer applied twice,
/// tied weights): rewriting all of them frees it, rewriting some does not.
struct SharedWeight {
  llvm::SmallVector<unsigned, 2> sinks;
  int64_t elements = 0;
};

/// An op carrying a lin.profile that is not a layer, and why.
struct DeclinedActivation {
  mlir::Operation *op;
  std::string reason;
};

class LayerGraph {
public:
  /// Builds the graph of `func`, reading weights through `constants`: every
  /// op carrying a lin.profile that is a recognised activation becomes a
  /// layer; the others are listed in `declined` with the reason. The graph
  /// only describes: it emits no diagnostics. Without `profiledOnly`,
  /// every recognised activation is a layer, profiled or not (those without
  /// a profile have a null one): for rewrites that need no profile, such as
  /// padding the layers' widths.
  static LayerGraph build(mlir::func::FuncOp func,
                          ConstantTensorEvaluator &constants,
                          bool profiledOnly = true);

  llvm::SmallVector<Layer, 0> layers;
  llvm::SmallVector<Sink, 0> sinks;
  llvm::SmallVector<DeclinedActivation> declined;
  /// Weights read by several sinks and nothing else (Sink::ownedWeights
  /// counts those of one sink).
  llvm::SmallVector<SharedWeight, 0> sharedWeights;
  /// Weight elements of the whole function (WeightCount.h), recognised
  /// layers or not.
  int64_t weightElements = 0;

  /// Weight elements that rewriting (or deleting) the sinks for which
  /// `rewritten` holds frees: their own weights, and the shared weights all
  /// of whose sinks are rewritten.
  int64_t
  getFreedWeights(llvm::function_ref<bool(unsigned sink)> rewritten) const;

  /// Which sinks stay live when the sinks' terms are those `readsRoot`
  /// describes (e.g. after a fold): an output sink always, a foldable
  /// layer's pre-activation only while a live sink reads the layer's value
  /// (a layer nothing reads any more is dead code, and so is its
  /// pre-activation). Non-foldable layers are kept live.
  llvm::SmallVector<bool> getLiveSinks(
      llvm::function_ref<bool(unsigned sink, mlir::Value root)> readsRoot)
      const;

  /// The name reports and remarks give layer `index` (LayerNames.h: the
  /// module path of the op computing its pre-activation, `layers.0`, or
  /// `relu_<index>`).
  std::string getLayerName(unsigned index) const;

  /// Layer index of an activation result, or nullopt.
  std::optional<unsigned> getLayerOf(mlir::Value value) const {
    auto it = layerOfResult.find(value);
    if (it == layerOfResult.end())
      return std::nullopt;
    return it->second;
  }

private:
  /// Sets layerNames (getLayerName) once the layers are known.
  void nameLayers();

  llvm::DenseMap<mlir::Value, unsigned> layerOfResult;
  llvm::SmallVector<std::string, 0> layerNames;
};

} // namespace lin

#endif // LIN_ANALYSIS_LAYERGRAPH_H
