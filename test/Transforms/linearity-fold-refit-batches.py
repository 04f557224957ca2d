# The refit's statistics are sums over samples, so how the calibration data
# is cut into batches does not matter: with batch=7 (the held-out slice of
# refit-ridge=auto starting inside a batch, a short last batch) the report
# and the refitted model equal those of one batch of all samples, for a
# fixed ridge and for the held-out choice. And lin is deterministic: two
# identical refit runs, and two identical budget searches, write
# byte-identical models and reports (but for the search's timing).
#
# REQUIRES: iree
# RUN: %python %s

import dataclasses
import json
import os
import tempfile

import numpy as np

from lin_testing.random_mlp import random_mlp, to_mlir
from lin_testing.refit_reference import fold_with_lin
from lin_toolchain.iree import run_iree_batched

SAMPLES = 100


def model_case(tmp, seed, kind):
    rng = np.random.default_rng(seed)
    model = dataclasses.replace(random_mlp(rng, depth=2, activation=kind), batch=None)
    x = rng.normal(0, 1, size=(SAMPLES, model.input_width)).astype(np.float32)
    source = os.path.join(tmp, f"model{seed}.mlir")
    data = os.path.join(tmp, f"x{seed}.npy")
    with open(source, "w") as f:
        f.write(to_mlir(model, rng, model.observed_profiles(x)))
    np.save(data, x)
    return model, x, source, data


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    tmp = tempfile.mkdtemp()
    refitted = 0
    for seed, kind in ((3, "relu"), (4, "hardtanh"), (8, "leaky")):
        model, x, source, data = model_case(tmp, seed, kind)
        for ridge in ("1e-3", "auto"):
            label = f"seed {seed} {kind} ridge {ridge}"
            options = (f"merge-threshold=0.55 remove-threshold=0.6 refit=lstsq "
                       f"refit-ridge={ridge} data={data}")
            whole, whole_ir = fold_with_lin(source, f"{options} batch={SAMPLES}", tmp, "whole")
            cut, cut_ir = fold_with_lin(source, f"{options} batch=7", tmp, "cut")
            a = whole["functions"][0]["refit"]
            b = cut["functions"][0]["refit"]
            assert a["samples"] == b["samples"] == SAMPLES, (label, a, b)
            assert len(a["consumers"]) == len(b["consumers"]) > 0, (label, a, b)
            for p, q in zip(a["consumers"], b["consumers"]):
                where = (label, p, q)
                for key in ("name", "refitted", "why_not", "features", "ridge"):
                    assert p[key] == q[key], where
                # The errors are residuals of the normal equations
                # (q - 2 l + t, each ~ ||y||^2): other batch sums change
                # them by rounding, about 1e-8 absolute (an exact
                # consumer's noise is ~1e-7; exact means <= 1e-6).
                for key in ("error_before", "error_after"):
                    assert abs(p[key] - q[key]) <= 1e-6 * max(p[key], 0.1), where
            refitted += sum(c["refitted"] for c in a["consumers"])
            y_whole = run_iree_batched(whole_ir, x, generalize_on_error=True)
            y_cut = run_iree_batched(cut_ir, x, generalize_on_error=True)
            scale = max(1.0, float(np.abs(y_whole).max()))
            error = float(np.abs(y_whole - y_cut).max()) / scale
            assert error < 1e-5, (label, error)
            print(f"{label}: {len(a['consumers'])} consumers, ridges "
                  f"{[c['ridge'] for c in a['consumers'] if c['refitted']]} refitted; "
                  f"batch 7 vs {SAMPLES}: output difference {error:.3g}")
    assert refitted > 0, "nothing was refitted: the test would test nothing"

    # Determinism: the same command twice, byte for byte.
    model, x, source, data = model_case(tmp, 6, "relu")
    budget_data = os.path.join(tmp, "budget.npy")
    np.save(budget_data, np.random.default_rng(7).normal(0, 1, size=(80, model.input_width))
            .astype(np.float32))
    for name, options in (
            ("refit", f"threshold=0.6 refit=lstsq data={data} batch=9"),
            ("budget", f"budget=5 budget-metric=agreement budget-data={budget_data} "
                       f"refit=lstsq data={data}")):
        runs = []
        for run in range(2):
            fold_with_lin(source, options, tmp, f"{name}-{run}")
            runs.append((read(os.path.join(tmp, f"{name}-{run}.mlir")),
                         json.loads(read(os.path.join(tmp, f"{name}-{run}.json")))))
        (ir0, report0), (ir1, report1) = runs
        assert ir0 == ir1, f"{name}: two runs wrote different models"
        for report in (report0, report1):
            budget = report["functions"][0].get("budget")
            assert (budget is not None) == (name == "budget"), report
            if budget:
                del budget["seconds"]
        assert report0 == report1, (name, report0, report1)
        print(f"{name}: deterministic ({len(ir0)} bytes)")


if __name__ == "__main__":
    main()
