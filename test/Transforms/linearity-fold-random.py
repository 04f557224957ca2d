# Property test of --linearity-fold on random MLPs, checked with independent
# executors: the folded IR is compiled and run by IREE and compared with a
# float64 numpy forward pass of the original model; the profiles come from
# numpy too, so neither side uses lin's interpreter.
#
# REQUIRES: iree
# RUN: %python %s 12

import json
import os
import sys
import tempfile

import numpy as np

from lin_testing.random_mlp import annotated_model
from lin_testing.tools import run_tool as run
from lin_toolchain.iree import run_iree_batched

# (policy, extra options): every policy, and the [out, in] weight layout.
RUNS = (("cost", ""), ("paper", ""), ("all", ""), ("cost", "weight-layout=out-in"))



def main():
    seeds = int(sys.argv[1])
    folded_total = removed_total = 0
    tmp = tempfile.mkdtemp()
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        model, x, text = annotated_model(rng)
        reference = model.forward(x)
        source = os.path.join(tmp, f"model{seed}.mlir")
        with open(source, "w") as f:
            f.write(text)
        params = {}
        for policy, extra in RUNS:
            report = os.path.join(tmp, f"report{seed}{policy}.json")
            folded = run(["lin-opt", source,
                          f"--linearity-fold=policy={policy} report={report} {extra}"])
            assert "lin.profile" not in folded, "profiles left in the output"
            # Plain upstream IR: upstream mlir-opt parses and verifies it.
            generic = run(["mlir-opt", "--linalg-generalize-named-ops"], folded)
            got = run_iree_batched(generic, x, model.batch)
            scale = max(1.0, float(np.abs(reference).max()))
            error = float(np.abs(got - reference).max()) / scale
            if error > 1e-4 or not np.array_equal(got.argmax(1), reference.argmax(1)):
                sys.exit(f"FAILED: seed {seed} policy {policy} {extra}: relative error {error}")
            # Idempotence: folding the folded IR changes nothing.
            again = run(["lin-opt", "--linearity-fold=allow-unprofiled=1"], folded)
            assert again == run(["lin-opt"], folded), f"seed {seed}: not idempotent"
            with open(report) as f:
                data = json.load(f)
            assert data["params_before"] == model.num_parameters(), (
                seed, data["params_before"], model.num_parameters())
            for row in data["layers"]:
                assert row["neurons"] == row["folded"] + row["removed"] + row["kept"]
            params[policy + extra] = data["params_after"]
            if policy == "all":
                folded_total += sum(r["folded"] for r in data["layers"])
                removed_total += sum(r["removed"] for r in data["layers"])
        assert params["cost"] <= params["paper"], (seed, params)
        assert params["cost"] <= params["all"], (seed, params)
        # The layout moves weights around, it does not change their number.
        assert params["costweight-layout=out-in"] == params["cost"], (seed, params)
        print(f"seed {seed}: params {model.num_parameters()} -> {params}")
    # The models are built to have foldable neurons; a run that folds nothing
    # would test nothing.
    assert folded_total > 0 and removed_total > 0, (folded_total, removed_total)
    print(f"ok: {seeds} models, {folded_total} merged, {removed_total} removed")


if __name__ == "__main__":
    main()
