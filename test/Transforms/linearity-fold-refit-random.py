# Property test of linearity-fold's least-squares refit on random MLPs of
# every activation kind, folded below threshold 1 (so that the algebraic
# fold is inexact), checked against a numpy reimplementation of the refit
# (lin_testing.refit_reference) and with IREE as the executor of lin's
# output; profiles and references come from numpy, not lin's interpreter.
#
# For every model and fixed relative ridge:
# * the report: every consumer's error_after <= error_before, equal unless
#   refitted, a reason whenever it is not refitted;
# * the numpy reference (plan from the profiles, folded structure, refit in
#   program order on the compressed model's inputs, targets the original
#   pre-activations, intercept unpenalised): the same consumers, the same
#   decisions and errors (error_before checks the reference's folded
#   structure), and IREE running lin's refitted IR gives the reference's
#   outputs;
# * end to end, the refitted models are closer to the original on the
#   calibration data than the algebraic folds.
#
# REQUIRES: iree
# RUN: %python %s

import os
import tempfile

import numpy as np

from lin_testing.random_mlp import ACTIVATIONS, annotated_model
from lin_testing.refit_reference import classify, fold_with_lin, merged_layers, reference_refit
from lin_toolchain.iree import run_iree_batched

# (seed, merge threshold, remove threshold, relative ridge) per activation
# kind. Random models have always-active and always-inactive neurons and
# mixed ones around a share of 1/2: thresholds well below 1 fold mixed ones
# (these seeds' models have neurons of shares between 0.65 and 1 for every
# kind); ridge 0 is plain least squares.
CASES = ((2, 0.65, 0.7, 0.0), (5, 0.55, 0.6, 1e-2))


def check_report(label, consumers):
    for c in consumers:
        where = f"{label}: consumer {c['name']}"
        assert c["error_after"] <= c["error_before"], (where, c)
        if c["refitted"]:
            assert c["error_after"] < c["error_before"] and c["why_not"] == "", (where, c)
        else:
            assert c["error_after"] == c["error_before"] and c["why_not"], (where, c)


def close(a, b, rtol=1e-4, atol=1e-6):
    return abs(a - b) <= atol + rtol * abs(b)


def compare_consumers(label, ours, theirs):
    names = [c["name"] for c in theirs]
    assert names == [c.name for c in ours], (label, names, [c.name for c in ours])
    for mine, lin in zip(ours, theirs):
        where = f"{label}: consumer {mine.name}"
        assert lin["features"] == mine.features, (where, lin, mine)
        assert close(lin["error_before"], mine.error_before), (where, lin, mine)
        # The decisions are compared unless they are too close to call in
        # float32 (lin) against float64 (numpy).
        borderline_exact = 1e-7 < mine.error_before < 1e-5
        if not borderline_exact:
            assert (lin["why_not"] == "the algebraic fold is exact on the calibration data") \
                == mine.exact, (where, lin, mine)
        if borderline_exact or close(mine.error_after, mine.error_before, 1e-3, 1e-7):
            continue
        assert lin["refitted"] == mine.refitted, (where, lin, mine)
        assert close(lin["error_after"], mine.error_after), (where, lin, mine)


def relative(y, reference):
    return float(np.linalg.norm(y - reference) / np.linalg.norm(reference))


def main():
    tmp = tempfile.mkdtemp()
    totals = {"refit": 0.0, "algebraic": 0.0}
    refitted = cases = 0
    for kind in ACTIVATIONS:
        for seed, merge, remove, ridge in CASES:
            rng = np.random.default_rng(1000 + seed)
            model, x, text = annotated_model(rng, samples=96, activation=kind,
                                             depth=int(rng.integers(2, 4)))
            original = model.forward(x)
            source = os.path.join(tmp, f"{kind}{seed}.mlir")
            data = os.path.join(tmp, f"{kind}{seed}.npy")
            with open(source, "w") as f:
                f.write(text)
            np.save(data, x)
            label = f"{kind} seed {seed} merge {merge} remove {remove} ridge {ridge}"
            thresholds = f"merge-threshold={merge} remove-threshold={remove}"
            report, folded = fold_with_lin(
                source, f"{thresholds} refit=lstsq refit-ridge={ridge} data={data}",
                tmp, "refit")
            consumers = report["functions"][0]["refit"]["consumers"]
            assert report["functions"][0]["refit"]["samples"] == len(x), label
            check_report(label, consumers)

            classes = classify(model, x, merge, remove)
            reference = reference_refit(model, x, classes, merged_layers(classes, report),
                                        ridge)
            compare_consumers(label, reference.consumers, consumers)

            # IREE runs lin's refitted model (the algebraic fold is
            # checked the same way by linearity-fold-random.py).
            got = run_iree_batched(folded, x, model.batch, generalize_on_error=True)
            scale = max(1.0, float(np.abs(original).max()))
            error = float(np.abs(got - reference.output).max()) / scale
            assert error < 1e-4, (label, "refit", error)

            # End to end: not a theorem (each consumer is fitted on its
            # own), but what the refit is for; it holds on these models.
            e_refit = relative(got, original)
            e_algebraic = relative(reference.algebraic_output, original)
            assert e_refit <= e_algebraic * (1 + 1e-6) + 1e-6, (label, e_refit, e_algebraic)
            totals["refit"] += e_refit
            totals["algebraic"] += e_algebraic
            refitted += sum(c["refitted"] for c in consumers)
            cases += 1
            print(f"{label}: {len(consumers)} consumers, "
                  f"{sum(c['refitted'] for c in consumers)} refitted; output error "
                  f"{e_algebraic:.4g} -> {e_refit:.4g}, IREE vs numpy {error:.2g}")
    # The models are made to fold inexactly: a run that refits nothing would
    # test nothing.
    assert refitted >= cases, (refitted, cases)
    assert totals["refit"] < totals["algebraic"], totals
    print(f"ok: {cases} folds, {refitted} consumers refitted, summed output error "
          f"{totals['algebraic']:.4g} -> {totals['refit']:.4g}")


if __name__ == "__main__":
    main()
