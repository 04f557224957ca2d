//===- Passes.td - lin transformation passes ---------------*- tablegen -*-===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#ifndef LIN_TRANSFORMS_PASSES_TD
#define LIN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

// Option lists are shared: linearity-compress takes the options of the passes
// it runs, declared once here.
//
// Numbers and flags have the type ::lin::CheckedOption<T>
// (lin/Transforms/PassOptionChecks.h), used as a T: its parser rejects the
// empty values that plain llvm::cl reads as 0 or true (`threshold=`) and NaN.
// Ranges are checked by each pass when it runs.
// The calibration data and how to run over it: profiling reads it, and so do
// the fold's refit and budget search.
defvar LinearityDataOptions = [
    ListOption<"dataFiles", "data", "std::string",
               "Calibration .npy files, one per function argument">,
    Option<"functionName", "function", "std::string", /*default=*/"\"\"",
           "Function to profile (default: the only public function)">,
    Option<"batchSize", "batch", "::lin::CheckedOption<int64_t>",
           /*default=*/"512",
           "Samples per batch for a dynamic batch dimension (at least 1)">,
    Option<"maxSamples", "max-samples", "::lin::CheckedOption<int64_t>",
           /*default=*/"-1",
           "Profile at most this many samples (at least 1; -1: all)">,
    Option<"allowNonFinite", "allow-non-finite", "::lin::CheckedOption<bool>",
           /*default=*/"false",
           "Count NaN and infinite pre-activations instead of failing: NaN "
           "in the lowest piece (ReLU: inactive), ignored by the minimum and "
           "maximum (the fold keeps a neuron that saw no finite value); "
           "infinities in the piece they fall in. A warning on the "
           "activation says how many">,
    Option<"quiet", "quiet", "::lin::CheckedOption<bool>", /*default=*/"false",
           "Do not print progress on stderr">
];

// How emitted weight constants are laid out: the fold's and the alignment's.
defvar WeightLayoutOption =
    Option<"weightLayout", "weight-layout", "::lin::WeightLayout",
           /*default=*/"::lin::WeightLayout::OutIn",
           "Layout of the emitted weight constants",
           [{::llvm::cl::values(
             clEnumValN(::lin::WeightLayout::InOut, "in-out",
                        "[in, out] constants, plain linalg.matmul"),
             clEnumValN(::lin::WeightLayout::OutIn, "out-in",
                        "[out, in] constants (nn.Linear's layout) read "
                        "through a transposed indexing map"))}]>;

// How emitted layers hold their activations: the fold's and the alignment's.
defvar ActivationLayoutOption =
    Option<"activationLayout", "activation-layout", "::lin::ActivationLayout",
           /*default=*/"::lin::ActivationLayout::FeatureMajor",
           "Layout of the activations of re-emitted layers",
           [{::llvm::cl::values(
             clEnumValN(::lin::ActivationLayout::BatchMajor, "batch-major",
                        "[batch, features], one matmul per weighted root"),
             clEnumValN(::lin::ActivationLayout::FeatureMajor,
                        "feature-major",
                        "[features, batch] where every reader is "
                        "re-emitted: one matmul per consumer over the "
                        "concatenated roots, one stacked matmul per "
                        "batch-major root several consumers read"))}]>;

// Whether feature-major values that consumers concatenate share one buffer:
// the fold's and the alignment's.
defvar ConcatBufferOption =
    Option<"concatBuffer", "concat-buffer", "::lin::CheckedOption<bool>",
           /*default=*/"true",
           "With activation-layout=feature-major, hold the values that "
           "consumers concatenate in one flat buffer, each written once, when "
           "every concatenation is a suffix of the longest (false: one "
           "tensor.concat per consumer, which IREE builds by copying every "
           "member)">;

// The fold's own options (it also takes LinearityDataOptions).
defvar LinearityFoldOptions = [
    Option<"threshold", "threshold", "::lin::CheckedOption<double>",
           /*default=*/"1.0",
           "Minimum share of samples in one piece for a neuron to fold, in "
           "[0, 1]">,
    Option<"mergeThreshold", "merge-threshold", "::lin::CheckedOption<double>",
           /*default=*/"-1.0",
           "Threshold for identity pieces, in [0, 1] (-1: threshold)">,
    Option<"removeThreshold", "remove-threshold",
           "::lin::CheckedOption<double>", /*default=*/"-1.0",
           "Threshold for constant and sloped pieces, in [0, 1] "
           "(-1: threshold)">,
    Option<"policy", "policy", "::lin::FoldPolicy",
           /*default=*/"::lin::FoldPolicy::Cost",
           "Which layers with mergeable neurons merge them",
           [{::llvm::cl::values(
             clEnumValN(::lin::FoldPolicy::Cost, "cost",
                        "minimise the parameters exactly over the layers"),
             clEnumValN(::lin::FoldPolicy::Paper, "paper",
                        "the reference rule (n + m + 1) k > n m per layer"),
             clEnumValN(::lin::FoldPolicy::All, "all",
                        "merge every qualifying neuron"))}]>,
    Option<"targetSize", "target-size", "::lin::CheckedOption<double>",
           /*default=*/"-1.0",
           "Lower the thresholds along the neurons' rates until parameters "
           "are at most this fraction of the original, in (0, 1] (-1: off)">,
    Option<"reportFile", "report", "std::string", /*default=*/"\"\"",
           "Write a JSON report of the fold to this file">,
    WeightLayoutOption,
    ActivationLayoutOption,
    ConcatBufferOption,
    Option<"align", "align", "::lin::CheckedOption<int64_t>",
           /*default=*/"16",
           "Pad the layers the fold narrows to a multiple of this many "
           "neurons with zero neurons, never beyond their original width "
           "and only when their folded weights hold >= 8192 elements, and "
           "the rows of stacked matmuls by the same rule (a "
           "convolution keeps removable channels instead; at least 1; 1: "
           "no padding)">,
    Option<"objective", "objective", "::lin::FoldObjective",
           /*default=*/"::lin::FoldObjective::Params",
           "What policy=cost minimises",
           [{::llvm::cl::values(
             clEnumValN(::lin::FoldObjective::Params, "params",
                        "the weight elements the function stores"),
             clEnumValN(::lin::FoldObjective::Latency, "latency",
                        "modelled batch-1 latency: the weight elements plus "
                        "dispatch-cost per emitted matmul"))}]>,
    Option<"dispatchCost", "dispatch-cost", "::lin::CheckedOption<double>",
           /*default=*/"6000.0",
           "With objective=latency, the cost of one matmul dispatch in "
           "weight elements read (>= 0; benchmarks/iree_latency_model.py "
           "calibrates it)">,
    Option<"keepProfiles", "keep-profiles", "::lin::CheckedOption<bool>",
           /*default=*/"false",
           "Keep lin.profile attributes on the remaining activations">,
    Option<"verbose", "verbose", "::lin::CheckedOption<bool>",
           /*default=*/"false",
           "Print the per-layer report table on stderr">,
    Option<"refit", "refit", "::lin::RefitMethod",
           /*default=*/"::lin::RefitMethod::None",
           "How the weights of the folded consumers are chosen",
           [{::llvm::cl::values(
             clEnumValN(::lin::RefitMethod::None, "none",
                        "the exact algebra of the fold"),
             clEnumValN(::lin::RefitMethod::LeastSquares, "lstsq",
                        "ridge least squares on the calibration data, "
                        "reproducing the original pre-activations"))}]>,
    Option<"refitRidge", "refit-ridge", "std::string", /*default=*/"\"auto\"",
           "Relative ridge of the refit, a number >= 0, or auto: chosen per "
           "consumer on the held-out slice">,
    Option<"refitHoldout", "refit-holdout", "::lin::CheckedOption<double>",
           /*default=*/"0.2",
           "Share of the calibration samples held out to choose the ridge, "
           "in (0, 1)">,
    Option<"budget", "budget", "::lin::CheckedOption<double>",
           /*default=*/"-1.0",
           "Choose the smallest model within this budget, in percentage "
           "points of the budget metric (>= 0; -1: off)">,
    Option<"budgetMetric", "budget-metric", "::lin::BudgetMetric",
           /*default=*/"::lin::BudgetMetric::Auto",
           "What the budget bounds",
           [{::llvm::cl::values(
             clEnumValN(::lin::BudgetMetric::Auto, "auto",
                        "accuracy with budget-labels, agreement without"),
             clEnumValN(::lin::BudgetMetric::Accuracy, "accuracy",
                        "the drop in accuracy on budget-labels"),
             clEnumValN(::lin::BudgetMetric::Agreement, "agreement",
                        "the share of samples whose argmax changes"),
             clEnumValN(::lin::BudgetMetric::MSE, "mse",
                        "the relative squared error of the outputs"))}]>,
    ListOption<"budgetDataFiles", "budget-data", "std::string",
               "Budget .npy files, one per function argument (never the "
               "data accuracy is reported on)">,
    Option<"budgetLabels", "budget-labels", "std::string", /*default=*/"\"\"",
           "Integer class labels of the budget samples (.npy)">,
    Option<"budgetEvaluations", "budget-evaluations",
           "::lin::CheckedOption<int64_t>", /*default=*/"16",
           "Evaluate at most this many candidate plans (at least 1)">
];

def LinearityProfile : Pass<"linearity-profile", "::mlir::ModuleOp"> {
  let summary = "Profile piecewise-linear activations on calibration data";
  let description = [{
    Runs one function of the module on calibration data with lin's
    interpreter (matmuls on OpenBLAS) and attaches a `#lin.profile` to every
    piecewise-linear activation it recognises: ReLU (linalg.generic with
    arith.maximumf / arith.maxnumf against zero, or cmpf + select; linalg.max
    with a zero tensor), leaky ReLU (cmpf + select with a multiply, or
    maximumf(x, k * x)) and clamp / ReLU6 / hardtanh (minimumf of maximumf).
    For every neuron the profile records how many samples fell in each linear
    piece and the smallest and largest pre-activation.

    Data come as NumPy `.npy` files, one per function argument (float32,
    float64, uint8 or int64, C order); the leading dimension is the sample
    dimension. A dynamic batch dimension takes `batch` samples at a time; a
    static one is fed in chunks of its size.

    A run over an already profiled function merges its counts into the
    existing profiles, so shards of calibration data can be profiled
    separately.

    Example:

    ```
    lin-opt model.mlir --linearity-profile="data=calib.npy batch=512"
    ```
  }];
  let options = LinearityDataOptions;
  let statistics = [
    Statistic<"numActivations", "activations",
              "Number of activations profiled">,
    Statistic<"numNeurons", "neurons", "Number of neurons profiled">,
    Statistic<"numSamples", "samples", "Number of samples run">
  ];
  let dependentDialects = ["::lin::LinDialect"];
}

def LinearityFold : Pass<"linearity-fold", "::mlir::ModuleOp"> {
  let summary = "Merge linear neurons into skip matmuls and drop constant ones";
  let description = [{
    Uses the `#lin.profile` of every activation to rewrite
    `affine layer -> activation -> affine layer` chains. A neuron whose
    pre-activation stays in one linear piece on a share of samples of at least
    the threshold is taken out of the non-linear path:

    * in a piece with non-zero slope (ReLU / leaky active, clamp middle, leaky
      negative): merged into a skip matmul from the layer's inputs to each
      consumer; its bias contribution goes into the consumer's bias;
    * in a constant piece (ReLU inactive, clamp saturated): removed, its
      constant contribution added to the consumer's bias.

    The remaining neurons keep their matmul -> activation -> matmul path with
    shrunk matrices. Chains compose: a skip out of a folded layer reaches back
    to that layer's inputs. Merged matrices are computed at compile time with
    BLAS and emitted as constants. `policy` decides which layers fold:
    `cost` minimises total parameters exactly over the chain of layers,
    `paper` applies the reference implementation's per-layer rule
    `(n + m + 1) k > n m`, `all` folds every qualifying neuron.

    Convolutions fold per channel first, on profiles of NCHW activations
    (`axis = 1`) of `linalg.conv_2d_nchw_fchw -> activation` chains: a channel
    in a constant piece (at `remove-threshold`) that every consumer (a
    convolution, or a flatten read by a matmul) reads as that constant at
    every position, through padding with the same value or -inf padding of
    max pooling, max or sum pooling and scaling, leaves the producer and the
    consumers, its constant moved into the consumers' biases; channels in the
    identity piece (at `merge-threshold`) of `conv -> act -> conv` with
    nothing between merge into one skip convolution with the composed kernel
    when that stores fewer weights. Remarks say why a channel or layer stays;
    the report has a row per conv layer (`conv_<activation>_<index>`).
    `target-size`, `budget` and `refit` apply to dense layers only.

    The output is plain upstream IR (no lin attributes unless
    `keep-profiles`), in the form IREE's CPU backend was measured to run
    fastest (benchmarks/README.md): `weight-layout` chooses how weight
    constants are laid out (`[out, in]` read through a transposed indexing
    map, as torch-mlir emits nn.Linear, the default; or `[in, out]` for a
    plain linalg.matmul).
    `activation-layout=feature-major` (the default) emits the values of
    re-emitted layers whose every reader is re-emitted as
    `[features, batch]`: each consumer
    then reads all its feature-major inputs with one matmul of an
    `[out, sum in]` constant over their `tensor.concat` along dimension 0
    (one IREE dispatch per consumer, however many skips). IREE builds a
    concatenation by copying each member into it, so a layer every later
    layer reads is copied once per reader; with `concat-buffer` (the
    default), when every concatenation is a suffix of the longest (lin puts
    the newest input first, so a chain with skips into every later layer
    qualifies), the members live in one flat buffer instead, each written
    once right after it is computed (`tensor.collapse_shape`,
    `tensor.insert_slice`), and each concatenation is a slice of it
    (breast cancer's lossless fold: 13 buffer copies and 15 barriers per
    call down to 4 and 10, 0.93x -> 0.99x the original's speed at batch 1
    and 1.11x -> 1.20x at batch 16, benchmarks/iree_concat_buffer.py). A batch-major
    input (an argument, a layer left alone) that two or more re-emitted
    consumers read is read by one stacked matmul through transposed
    indexing maps, `[sum of their widths, batch]`, emitted before the first
    of them: each consumer adds its rows (`tensor.extract_slice`) in the
    generic that adds its bias, which IREE fuses into the consumer's matmul
    dispatch. The first reader, when it reads nothing else (a first layer
    whose neurons merged into skips from the input), has no matmul of its
    own: its bias and activation are applied in place to its rows of the
    stacked result, by one generic over all the rows that passes the other
    readers' rows through (IREE fuses it into the stacked matmul's
    dispatch), and its activation is those rows, sliced from the result
    collapsed to one dimension (`tensor.collapse_shape`,
    `tensor.extract_slice`, `tensor.expand_shape`: contiguous, so IREE
    copies them into a concatenation without a dispatch); such a layer has
    no op of its own to keep a profile on. A batch-major input with one such
    reader has a matmul of its own. A layer the fold leaves alone that two
    or more re-emitted consumers read with weights after the fold (skips
    from a kept first layer), and nothing else reads, is re-emitted
    unchanged but feature-major instead, so that its consumers read it in
    their concatenations: the same dispatches as the original. A chain of L
    linear layers whose skips all come from the input thus has L matmuls,
    and L dispatches, as many as the original. Function
    results stay `[batch, out]`.
    `weight-layout` applies to the matmuls between batch-major values only;
    feature-major ones always hold `[out, in]` constants.
    `activation-layout=batch-major` keeps every value `[batch, features]`:
    the form lin's passes read again (profile, fold, align leave
    feature-major layers alone). Activations that cannot be folded
    (non-constant weights, unsupported producers or consumers) stay
    untouched, with a remark saying why.

    **Speed** (`align`, `objective`): a fold leaves layers of arbitrary
    widths, and IREE's llvm-cpu backend vectorises a matmul along its output
    dimension only when that is a multiple of the vector width (16 f32
    lanes with AVX-512); otherwise folded models ran at 0.2-0.8x the
    original's speed. So every layer the fold narrows is emitted padded with
    zero neurons to a multiple of `align` (default 16; the zeros are stored
    and counted), unless that would make it wider than the original layer
    or its folded weights hold fewer than 8192 elements (smaller matrices
    ran at most 7 % faster padded): a layer of 512 inputs folded from 48 to
    28 neurons is emitted with 32, one folded from 20 to 17 stays at 17, and
    so does one of 28 neurons on 64 inputs. The rows of a stacked matmul
    (the model's input read by several folded layers, feature-major) are
    padded by the same rule: fmnist_paper's refit model stacked 113 rows on
    784 inputs, which IREE ran at a quarter of the FLOP rate of 128 rows
    (7.2x -> 27.9x the original at batch 256 once padded;
    benchmarks/iree_stacked_rows.py). `align=1` emits the smallest
    model. The planner
    counts the padding, so a fold whose padding eats its savings is not
    taken. `objective=latency` makes `policy=cost` minimise a model of
    batch-1 latency instead of the weights: the weight elements plus
    `dispatch-cost` per IREE dispatch (one per emitted matmul, plus an
    elementwise one for a consumer that reads only stacked rows and does
    not take them in place), so a
    skip that saves fewer weights than a dispatch costs is not taken. The
    default dispatch cost was calibrated on IREE's CPU runtime by
    benchmarks/iree_latency_model.py. The report and `verbose` give each
    layer's emitted width and the matmuls before and after, counted on the
    IR.

    **Refit** (`refit=lstsq data=calib.npy`): the algebraic skip is exact
    only for neurons linear on every sample. Once the plan fixes which
    neurons leave the non-linear path, the shapes are fixed, and every
    consumer of the folded graph (each pre-activation and output the fold
    changed, and those downstream whose inputs changed) is refitted in
    program order by ridge least squares: its weights (the shrunk matrix, the
    skips, the bias) are chosen so that it reproduces the original model's
    value on the calibration data, its inputs taken from the already
    compressed model, so upstream errors are compensated downstream. The
    parameter count does not change. The normal equations are accumulated
    batch by batch in float64 and solved with LAPACK (Cholesky; an
    eigendecomposition when singular); `refit-ridge=auto` chooses the ridge
    per consumer on the last `refit-holdout` share of the samples. A refit
    that does not lower a consumer's calibration error keeps the algebraic
    weights. The data feed the function `function` names (or the only public
    one); other functions fold without refit.

    Every refit decision comes from the statistics alone: a consumer's
    errors before and after are residuals of the merged normal equations
    (of the algebraic weights and of the refitted ones, relative to the
    original values' sum of squares), consumers that are not refitted
    (shared weights, more than the refit's features) from the summed
    squared residuals of their algebraic fold. The statistics are summed per
    block of `refit-block` samples (rounded up to whole batches; the
    held-out slice is the last `refit-holdout` share of all samples, so a
    block may hold both), then block by block in order.

    **Sharded refit** (`lin compress --refit --workers N`): since blocks are
    summed in a fixed order, shards of whole blocks give bit-identical
    results. A consumer's inputs depend on the refits before it, so it
    takes one round per refit candidate, each two stateless runs:
    a worker run per shard (`data=shard.npy refit-sample-offset=K
    refit-total-samples=N refit-decisions=D refit-statistics-out=S`)
    replays the decided consumers and writes the statistics of its blocks
    for the undecided ones up to the next refit candidate; the client run
    (`refit-decisions=D refit-statistics-in=S1,S2,... refit-decisions-out=D2`,
    no data) merges the shards' blocks in order, decides those consumers
    exactly as a single run does and writes `D2`. When a worker's
    statistics say no consumer is left, `D2` is complete, and a run with
    `refit-decisions=D2` and no data emits the compressed model and the
    report, identical to the single run's. Worker and client runs fold
    nothing useful: their output IR is not the compressed model, and they
    take no `report`. Files of
    another model or other refit options, shards that do not cover the
    blocks exactly once, and decisions that do not match the consumers are
    located errors. The sharded refit does not combine with a budget.

    **Budget** (`budget=<points> budget-data=val.npy budget-labels=val_y.npy`):
    instead of thresholds, the smallest model whose accuracy on the budget
    data is at most `budget` points below the original's (without labels,
    `budget-metric=agreement` bounds the percentage of samples whose argmax
    changes; `mse` the relative squared output error, in percent). Candidate
    plans come from a grid of merge and remove thresholds; each is folded
    (and refitted, with `refit=lstsq`) in a clone of the function and run by
    the interpreter on the budget data. A search from the lossless corner
    (bisection along the diagonal of equal thresholds, then along the
    remove and the merge threshold alternately until neither moves)
    evaluates at most
    `budget-evaluations` distinct plans; the smallest within the budget wins.
    Deterministic. The budget data must not be the data accuracy is reported
    on.

    `report=file.json` writes the per-layer counts and parameters (and,
    for a layer of which nothing folded, `not_folded`: the reason its remark
    gives), the refit's per-consumer calibration errors before and after,
    and the budget outcome; `verbose` prints the same tables on stderr. (The pass statistics say the same in
    short, but release builds of LLVM, such as Debian's, compile pass
    statistics out, so `-mlir-pass-statistics` shows them only with an LLVM
    built with statistics enabled.)

    A module in which no activation carries a `#lin.profile` is an error
    (profile it first, or run `linearity-compress`, which profiles and
    folds), unless `allow-unprofiled`: without profiles nothing folds, and a
    forgotten profiling step would otherwise pass silently.
  }];
  // allow-unprofiled is the fold's alone: linearity-compress profiles first.
  let options = !listconcat(LinearityDataOptions, LinearityFoldOptions, [
    Option<"allowUnprofiled", "allow-unprofiled", "::lin::CheckedOption<bool>",
           /*default=*/"false",
           "Fold a module in which no activation is profiled (folding "
           "nothing) instead of failing">,
    Option<"refitBlock", "refit-block", "::lin::CheckedOption<int64_t>",
           /*default=*/"8192",
           "Samples per block of the refit's statistics, rounded up to whole "
           "batches: the statistics are summed per block, then the blocks in "
           "order, so shards of whole blocks give the same doubles as one "
           "run (at least 1)">,
    Option<"refitDecisions", "refit-decisions", "std::string",
           /*default=*/"\"\"",
           "Sharded refit: the decisions of the rounds so far (a directory "
           "refit-decisions-out wrote). With data, a worker replays them; "
           "without, the final run applies them (they must be complete)">,
    Option<"refitStatisticsOut", "refit-statistics-out", "std::string",
           /*default=*/"\"\"",
           "Sharded refit, worker run (with data, a shard): write the "
           "per-block statistics of the undecided consumers up to the next "
           "refit candidate to this directory; the output IR is not the "
           "compressed model">,
    Option<"refitSampleOffset", "refit-sample-offset",
           "::lin::CheckedOption<int64_t>", /*default=*/"0",
           "Worker run: index of the shard's first sample among all "
           "calibration samples (a multiple of the block size, >= 0)">,
    Option<"refitTotalSamples", "refit-total-samples",
           "::lin::CheckedOption<int64_t>", /*default=*/"-1",
           "Worker run: the calibration samples of all shards (-1: the "
           "shard's own)">,
    ListOption<"refitStatisticsIn", "refit-statistics-in", "std::string",
               "Sharded refit, client run (no data): the workers' statistics "
               "directories, merged in block order to decide the consumers "
               "they describe">,
    Option<"refitDecisionsOut", "refit-decisions-out", "std::string",
           /*default=*/"\"\"",
           "Client run: write refit-decisions plus this round's decisions "
           "into this directory; the output IR is not the compressed model">
  ]);
  let statistics = [
    Statistic<"numLayersFolded", "layers-folded",
              "Number of activations with neurons folded">,
    Statistic<"numNeuronsMerged", "neurons-merged",
              "Number of neurons merged into skip matmuls">,
    Statistic<"numNeuronsRemoved", "neurons-removed",
              "Number of neurons replaced by constants">,
    Statistic<"numParamsBefore", "params-before",
              "Parameters of the affine layers before folding">,
    Statistic<"numParamsAfter", "params-after",
              "Parameters of the affine layers after folding">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def LinearityAlign : Pass<"linearity-align", "::mlir::ModuleOp"> {
  let summary = "Zero-pad layer widths to a multiple of a vector width";
  let description = [{
    Pads every hidden layer whose width is not a multiple of `multiple` to
    the next multiple with zero neurons: zero weight columns and a zero bias
    in the layer's pre-activation, and zero weight rows in every affine
    layer that reads the activation. The padded neurons' activation is
    `f(0)`, which every consumer multiplies by zero, so the outputs are
    unchanged (up to float rounding) for every activation kind, a clamp with
    `f(0) != 0` included.

    **Why:** a fold leaves layers of arbitrary widths (1013, 469, ...).
    IREE's llvm-cpu backend then picks a vector tile of 1 instead of 16
    along the output dimension of such a matmul, and lin's folded models
    ran at 0.2-0.8x the original's speed at batch 1; padded to multiples of
    16 they ran 1.0-1.6x (docs/use-on-your-model.md has the figures). The
    fold now pads the layers it narrows itself (`align=16`); this pass is for
    models folded with `align=1` or by other tools, and pads every layer.

    **Cost:** the padding stores zeros, so the function stores a few more
    weight elements (2-5 % on the Fashion-MNIST folds measured);
    `verbose` reports the widths and the weight elements before and after,
    counted on the IR.

    Every recognised activation (ReLU, leaky ReLU, clamp; profiled or not)
    whose pre-activation is an affine layer with constant weights and whose
    value is read only by such layers is padded. The function's results and
    values read by ops outside the affine layers (a softmax) keep their
    widths: only the layers between them are padded. Layers joined by a
    residual connection (a value added without a weight) are not padded.
    Changed layers are re-emitted as `linearity-fold` emits them, with
    `weight-layout` and `activation-layout` (the input must be batch-major,
    such as the output of `linearity-fold="activation-layout=batch-major"`;
    the fold pads the layers it narrows itself, `align`); the others are
    left untouched. Profiles of padded layers are dropped.

    ```
    lin-opt folded.mlir --linearity-align="weight-layout=out-in" \
      -o aligned.mlir
    ```
  }];
  let options = [
    Option<"multiple", "multiple", "::lin::CheckedOption<int64_t>",
           /*default=*/"16",
           "Pad layer widths to a multiple of this (at least 1)">,
    WeightLayoutOption,
    ActivationLayoutOption,
    ConcatBufferOption,
    Option<"verbose", "verbose", "::lin::CheckedOption<bool>",
           /*default=*/"false",
           "Remark the widths padded and the weight elements before and "
           "after">
  ];
  let statistics = [
    Statistic<"numLayersPadded", "layers-padded", "Number of layers padded">,
    Statistic<"numNeuronsAdded", "neurons-added",
              "Number of zero neurons added">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def LinearityCompress : Pass<"linearity-compress", "::mlir::ModuleOp"> {
  let summary = "Profile, fold and clean up: the whole compression";
  let description = [{
    Runs the pipeline built by `lin::buildLinearityCompressPipeline`:
    `linearity-profile`, `linearity-fold`, `canonicalize`, `cse`. It takes
    every option of `linearity-profile` and `linearity-fold` (the option
    lists are shared in ODS, so they cannot drift apart) and hands each to
    its pass.

    ```
    lin-opt model.mlir --linearity-compress="data=calib.npy threshold=1.0" \
      -o compressed.mlir
    lin-opt model.mlir --linearity-compress="data=calib.npy refit=lstsq \
      budget=1 budget-data=val.npy budget-labels=val_y.npy" -o small.mlir
    ```
  }];
  let options = !listconcat(LinearityDataOptions, LinearityFoldOptions);
  let dependentDialects = [
    "::lin::LinDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def LinearityProve : Pass<"linearity-prove", "::mlir::ModuleOp"> {
  let summary = "Prove which neurons never leave a linear piece on a domain";
  let description = [{
    Interval bound propagation from the input box `[lower, upper]` (for every
    feature of every 2-D function argument) through the affine layers and
    activations: affine layers map a box exactly per output neuron, and the
    activations' image of an interval is taken at its ends and breakpoints.
    Every activation reached gets a `#lin.profile` with source `proven`, no
    samples, and the sound pre-activation bounds as minimum and maximum.
    `--linearity-fold` folds a neuron of a proven profile when its bounds lie
    in one piece: exactly, for every input in the box.

    This is the naive test of the paper made sound and automatic (e.g. ReLU
    neurons with non-negative incoming weights and bias on non-negative
    inputs are proven active); bounds loosen with depth, so deep layers are
    rarely proven.

    Activations that already carry a profile keep it unless `replace`.

    ```
    lin-opt model.mlir --linearity-prove="lower=0 upper=1" --linearity-fold
    ```
  }];
  let options = [
    Option<"lower", "lower", "::lin::CheckedOption<double>", /*default=*/"0.0",
           "Lower bound of every input feature (finite, at most upper)">,
    Option<"upper", "upper", "::lin::CheckedOption<double>", /*default=*/"1.0",
           "Upper bound of every input feature (finite)">,
    Option<"replace", "replace", "::lin::CheckedOption<bool>",
           /*default=*/"false",
           "Replace existing profiles with the proven ones">
  ];
  let dependentDialects = ["::lin::LinDialect"];
}

def LinearityMergeProfiles
    : Pass<"linearity-merge-profiles", "::mlir::ModuleOp"> {
  let summary = "Merge the profiles of copies of the module profiled on "
                "shards of the data";
  let description = [{
    Profiles are sums over samples (piece counts, sample numbers) and
    extrema, so shards of the calibration data can be profiled separately,
    on as many machines, and merged: the result is bit-identical to one
    profiling run over all the data (the same samples in the same batches
    give the same pre-activations). Each file of `shards` is a copy of this
    module profiled by `linearity-profile` on one shard; their profiles are
    merged (`ActivationProfile::merge`) into this module's activations, in
    the order given (the merge is exact, so any order gives the same
    result), together with any profile this module already carries.

    A shard whose IR differs from this module in anything other than
    `lin.profile` attributes and locations (another model, another export,
    a folded copy) is a located error naming the file; nothing is merged
    unless every shard reads and merges.

    ```
    lin-opt model.mlir --linearity-profile="data=shard0.npy" -emit-bytecode -o p0.mlirbc
    lin-opt model.mlir --linearity-profile="data=shard1.npy" -emit-bytecode -o p1.mlirbc
    lin-opt model.mlir --linearity-merge-profiles="shards=p0.mlirbc,p1.mlirbc" -o profiled.mlir
    ```

    `lin compress --workers N` (the Python package) does this with Dask.
  }];
  let options = [
    ListOption<"shardFiles", "shards", "std::string",
               "Profiled copies of this module (.mlir or .mlirbc), one per "
               "data shard">
  ];
  let statistics = [
    Statistic<"numProfilesMerged", "profiles-merged",
              "Number of shard profiles merged">
  ];
  let dependentDialects = ["::lin::LinDialect"];
}

def LinearitySummary : Pass<"linearity-summary", "::mlir::ModuleOp"> {
  let summary = "Print how linear the profiled activations are";
  let description = [{
    Prints a table on stderr (or to `output`) with one row per activation
    carrying a `#lin.profile`, in program order: the number of neurons and
    the percentage of neurons always in the identity piece ("active"),
    always in a constant piece ("inactive"), and in one piece on at least
    `share` of the samples. The IR is not changed.

    ```
    lin-opt profiled.mlir --linearity-summary -o /dev/null
    ```
  }];
  let options = [
    Option<"share", "share", "::lin::CheckedOption<double>",
           /*default=*/"0.99",
           "Share of samples for the last column, in [0, 1]">,
    Option<"outputFile", "output", "std::string", /*default=*/"\"-\"",
           "Where to print the table (- for stderr; not empty)">
  ];
}

#endif // LIN_TRANSFORMS_PASSES_TD
