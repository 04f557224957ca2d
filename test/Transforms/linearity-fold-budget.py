# The budget search of linearity-fold (budget=<points>), checked from the
# outside: for every metric (accuracy with labels, agreement, mse), with and
# without the refit, the model lin writes is run by IREE on the budget data
# and its metric computed with numpy from the documented definitions; it
# must be within the budget, and the report's `budget.chosen` (and, for
# accuracy, `budget.original`) must be what numpy measures. The chosen
# thresholds reproduce the model: folding at them gives the same IR.
#
# The models are random MLPs; the labels are the original model's argmax
# with a tenth of them replaced at random (an imperfect, "trained" model).
#
# REQUIRES: iree
# RUN: %python %s

import os
import tempfile

import numpy as np

from lin_testing.random_mlp import annotated_model
from lin_testing.refit_reference import budget_metric, fold_with_lin
from lin_toolchain.iree import run_iree_batched

# (metric, budget in points)
BUDGETS = (("agreement", 5.0), ("mse", 1.0), ("accuracy", 2.0))
BUDGET_SAMPLES = 200


def main():
    tmp = tempfile.mkdtemp()
    smaller = runs = 0
    for seed, kind in ((11, "relu"), (12, "hardtanh")):
        rng = np.random.default_rng(seed)
        model, x, text = annotated_model(rng, samples=96, activation=kind, depth=2)
        batch = model.batch or 1
        n = BUDGET_SAMPLES // batch * batch
        x_budget = rng.normal(0, 1, size=(n, model.input_width)).astype(np.float32)
        original = model.forward(x_budget)
        labels = original.argmax(1)
        noisy = rng.random(n) < 0.1
        labels[noisy] = rng.integers(0, original.shape[1], size=int(noisy.sum()))
        paths = {name: os.path.join(tmp, f"{name}{seed}.npy") for name in ("x", "val", "labels")}
        np.save(paths["x"], x)
        np.save(paths["val"], x_budget)
        np.save(paths["labels"], labels.astype(np.int64))
        source = os.path.join(tmp, f"model{seed}.mlir")
        with open(source, "w") as f:
            f.write(text)

        for metric, budget in BUDGETS:
            for refit in ("none", "lstsq"):
                label = f"seed {seed} {kind} {metric} {budget} refit={refit}"
                options = (f"budget={budget} budget-metric={metric} "
                           f"budget-data={paths['val']} budget-evaluations=10")
                if metric == "accuracy":
                    options += f" budget-labels={paths['labels']}"
                if refit == "lstsq":
                    options += f" refit=lstsq refit-ridge=1e-3 data={paths['x']}"
                report, folded = fold_with_lin(source, options, tmp, "budget")
                function = report["functions"][0]
                outcome = function["budget"]
                assert outcome["metric"] == metric and outcome["budget"] == budget, (label, outcome)
                assert outcome["samples"] == n, (label, outcome)
                assert 1 <= outcome["evaluated"] <= 10, (label, outcome)
                assert outcome["evaluated"] <= outcome["candidates"], (label, outcome)
                assert ("refit" in function) == (refit == "lstsq"), (label, function)

                got = run_iree_batched(folded, x_budget, model.batch, generalize_on_error=True)
                measured = budget_metric(metric, got, original, labels)
                if metric == "accuracy":
                    accuracy = budget_metric("accuracy", original, original, labels)
                    assert abs(outcome["original"] - accuracy) < 1e-9, (label, outcome, accuracy)
                    assert accuracy - measured <= budget + 1e-9, (label, accuracy, measured)
                    assert abs(outcome["chosen"] - measured) < 1e-9, (label, outcome, measured)
                elif metric == "agreement":
                    assert outcome["original"] == 0, (label, outcome)
                    assert measured <= budget + 1e-9, (label, measured)
                    assert abs(outcome["chosen"] - measured) < 1e-9, (label, outcome, measured)
                else:
                    # lin measures against its own float32 run of the
                    # original, numpy against float64: equal to ~1e-6 points.
                    assert measured <= budget * (1 + 1e-3) + 1e-5, (label, measured)
                    assert abs(outcome["chosen"] - measured) <= 1e-3 * measured + 1e-5, (
                        label, outcome, measured)

                # The chosen thresholds give the chosen model.
                thresholds = (f"merge-threshold={outcome['merge_threshold']} "
                              f"remove-threshold={outcome['remove_threshold']}")
                if refit == "lstsq":
                    thresholds += f" refit=lstsq refit-ridge=1e-3 data={paths['x']}"
                again, again_ir = fold_with_lin(source, thresholds, tmp, "again")
                assert again_ir == folded, (label, "the chosen thresholds fold differently")
                assert again["params_after"] == function["params_after"], (label, again)

                runs += 1
                smaller += function["params_after"] < function["params_before"]
                print(f"{label}: {function['params_before']} -> {function['params_after']} "
                      f"weights (merge {outcome['merge_threshold']}, remove "
                      f"{outcome['remove_threshold']}), {metric} {measured:.4g} "
                      f"(lin {outcome['chosen']:.4g}), {outcome['evaluated']} of "
                      f"{outcome['candidates']} candidates")
    # The budgets leave room to fold: a search that never shrinks the model
    # would test little.
    assert smaller >= runs // 2, (smaller, runs)


if __name__ == "__main__":
    main()
