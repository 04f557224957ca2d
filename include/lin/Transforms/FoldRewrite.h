//===- FoldRewrite.h - The linearity fold as a library ----------*- C++ -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The fold as reusable functions, the way upstream exposes its transforms
// (linalg::fuseElementwiseOps): build the LayerGraph of a function (an
// analysis), plan with FoldPlanner, then applyFoldPlan rewrites the function.
// The linearity-fold pass is a thin driver around these; other tools can
// plan differently, or emit another weight layout, with the same rewrite.
//
//   ConstantEvaluator constants(/*emitErrors=*/false, /*memoise=*/false);
//   LayerGraph graph = LayerGraph::build(func, constants);
//   FoldPlan plan = FoldPlanner(graph).plan(planOptions);
//   IRRewriter rewriter(func.getContext());
//   FailureOr<FoldResult> result =
//       applyFoldPlan(rewriter, func, graph, plan, emissionOptions);
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_FOLDREWRITE_H
#define LIN_TRANSFORMS_FOLDREWRITE_H

#include "lin/Analysis/LayerGraph.h"
#include "lin/Transforms/FoldAlgebra.h"
#include "lin/Transforms/FoldEmission.h"
#include "lin/Transforms/FoldPlanner.h"
#include "lin/Transforms/FoldRefit.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>
#include <string>

namespace lin {

/// What the fold did to one layer.
struct LayerFoldResult {
  std::string name;
  int64_t neurons = 0, merged = 0, removed = 0, kept = 0;
  /// The width the layer is emitted with: `kept` plus the zero neurons the
  /// alignment added.
  int64_t emittedWidth = 0;
  /// Parameters of the layer's pre-activation before and after.
  int64_t paramsBefore = 0, paramsAfter = 0;
  /// Why none of its neurons folded, when the fold says (its remark).
  std::string whyNotFolded;
};

/// How a selection within an accuracy budget went (searchFoldWithinBudget,
/// FoldSearch.h). Metric values are percentages: accuracy, the share of
/// samples whose argmax changed, or the relative squared output error.
struct BudgetOutcome {
  std::string metric;
  double budget = 0.0;
  /// The metric of the original model and of the chosen one on the budget
  /// data (for `agreement` and `mse` the original's is 0).
  double original = 0.0, chosen = 0.0;
  /// The chosen candidate's thresholds (1 / 1 when nothing folds).
  double mergeThreshold = 1.0, removeThreshold = 1.0;
  int64_t budgetSamples = 0;
  /// Distinct candidate plans, and how many of them were evaluated.
  int64_t candidates = 0, evaluated = 0;
  double seconds = 0.0;
};

/// What the fold did to one function.
struct FoldResult {
  std::string function;
  /// Weight elements the function stores (WeightCount.h), counted on the IR
  /// before and after the rewrite.
  int64_t paramsBefore = 0, paramsAfter = 0;
  /// What the fold predicted for paramsAfter from the folded forms before
  /// emitting them; equal to paramsAfter unless something is wrong.
  int64_t predictedParamsAfter = 0;
  /// Parameters of the layer graph's forms (the foldable part) before and
  /// after, as the fold algebra leaves them (before padding).
  int64_t foldableParamsBefore = 0, foldableParamsAfter = 0;
  /// linalg.matmul ops of the function before and after, counted on the IR
  /// (on IREE, one dispatch each).
  int64_t matmulsBefore = 0, matmulsAfter = 0;
  /// Set when the folded function would have stored more weights than the
  /// original: then nothing was rewritten.
  bool declinedGrowth = false;
  llvm::SmallVector<LayerFoldResult> layers;
  /// Set when the consumers were refitted (FoldRefit.h).
  std::optional<RefitResult> refit;
  /// Set when the plan was chosen within an accuracy budget.
  std::optional<BudgetOutcome> budget;

  /// Makes this the result of a function left as it was (declinedGrowth):
  /// every size and count after equal to before, no layer folded.
  void markUnfolded();
};

/// The result of leaving `func` (whose layer graph is `graph`) as it is:
/// its weights and matmuls, no layer folded.
FoldResult getUnfoldedResult(mlir::func::FuncOp func, const LayerGraph &graph);

/// Rewrites `func` as `plan` says: new pre-activations and activations for
/// the changed layers, the changed output sinks re-emitted, then the old
/// layers removed as dead code. `graph` must be the graph `plan` was made on
/// (its forms are consumed). Nothing is rewritten before the fold algebra is
/// complete, so a failure leaves `func` untouched; so does a fold that would
/// store more weights than the function has (FoldResult::declinedGrowth).
mlir::FailureOr<FoldResult> applyFoldPlan(mlir::RewriterBase &rewriter,
                                          mlir::func::FuncOp func,
                                          LayerGraph &graph,
                                          const FoldPlan &plan,
                                          const FoldEmissionOptions &options);

/// The second half of applyFoldPlan, for callers that change the folded
/// forms in between (the refit): emits `folded` (foldAffineForms of `graph`
/// and `plan`, possibly refitted) into `func`. Consumes the forms.
mlir::FailureOr<FoldResult>
applyFoldedForms(mlir::RewriterBase &rewriter, mlir::func::FuncOp func,
                 const LayerGraph &graph, const FoldPlan &plan,
                 FoldedForms &folded, const FoldEmissionOptions &options);

/// Whether emitChangedSinks writes layer `layer`'s new pre-activation and
/// activation feature-major ([features x batch]) under `layout`, the sinks
/// re-emitted being those `changed` says: with `feature-major`, a foldable
/// layer whose pre-activation changed is feature-major iff every sink
/// reading its old activation is re-emitted too (a changed output sink, or
/// the changed pre-activation of a foldable layer), so that no op left
/// alone reads it. Always true when the layer's width changed; a layer of
/// unchanged width with a consumer left alone stays batch-major. Output
/// sinks are always batch-major. (A layer that folds entirely is not
/// emitted; the answer does not matter then.) getNumEmittedMatmuls
/// (EmissionShape.h) says how many matmuls a sink then costs.
bool isEmittedFeatureMajor(const LayerGraph &graph, unsigned layer,
                           llvm::ArrayRef<bool> changed,
                           ActivationLayout layout);

/// The sinks applyFoldedForms re-emits: the changed ones (`changed`, as the
/// fold algebra leaves them) and, with `feature-major`, the unchanged
/// pre-activation of every foldable layer whose activation two or more
/// sinks read with a weight after the fold (`readsWithWeight`: the sink is
/// emitted and has a weighted term of the root), every sink reading it
/// before the fold being changed (a foldable layer or an output sink),
/// provided its form holds no more parameters (`getFormParameters`) than
/// the IR owns for it (Sink::ownedWeights). Such a layer is re-emitted as
/// it is but feature-major, so that its readers take it into the one matmul
/// over their feature-major inputs. Left batch-major, it would cost a
/// stacked matmul (typically when the fold adds skips from a kept first
/// layer into every later one), which ran slower under IREE
/// (benchmarks/iree_skip_forms.py: the re-emitted layer 1.06-1.58x faster),
/// and before lin computed a first reader's rows in place
/// (isMaskedFirstReader, EmissionShape.h) one dispatch more than the
/// original. Layers before it are not re-emitted.
llvm::SmallVector<bool> getReemittedSinks(
    const LayerGraph &graph, llvm::ArrayRef<bool> changed,
    ActivationLayout layout,
    llvm::function_ref<bool(unsigned sink, mlir::Value root)> readsWithWeight,
    llvm::function_ref<int64_t(unsigned sink)> getFormParameters);

/// The FeatureMajorValues (FoldEmission.h) of emitChangedSinks: the old
/// activation and pre-activation of every layer isEmittedFeatureMajor holds
/// for. Empty for `batch-major`.
FeatureMajorValues getFeatureMajorValues(const LayerGraph &graph,
                                         llvm::ArrayRef<bool> changed,
                                         ActivationLayout layout);

/// Emits the changed sinks of `graph` into `func`, each sink's new form
/// taken from `forms` (one per sink, only read where `changed`): for every
/// foldable layer whose pre-activation changed and keeps neurons, the new
/// pre-activation and activation before the old activation; then every
/// changed output sink, replacing the old value. Forms are emitted in
/// program order, each reading the values emitted before it, and released
/// once emitted. A batch-major new activation as wide as the old replaces
/// every use of it; a narrower or wider one, or a feature-major one
/// (options.activationLayout, isEmittedFeatureMajor), is read only by the
/// re-emitted sinks, which must then cover every use (Layer::isFoldable).
/// `onActivation` sees each new activation op. Dead code (the old layers) is
/// removed at the end.
void emitChangedSinks(
    mlir::RewriterBase &rewriter, mlir::func::FuncOp func,
    const LayerGraph &graph, llvm::MutableArrayRef<AffineForm> forms,
    llvm::ArrayRef<bool> changed, const FoldEmissionOptions &options,
    llvm::function_ref<void(unsigned layer, mlir::Operation *activation)>
        onActivation = nullptr);

} // namespace lin

#endif // LIN_TRANSFORMS_FOLDREWRITE_H
