# Property test of --linearity-fold's activation-layout on random folded MLPs
# of every activation kind, checked with an independent executor: each model
# is folded with both activation layouts and both weight layouts, compiled
# and run by IREE, and compared with a float64 numpy forward pass of the
# original. Feature-major emission writes one matmul per consumer for its
# feature-major roots and one stacked matmul per batch-major root (the
# argument) that several consumers read: never more matmuls than
# batch-major emission, nor than the model has linear layers.
#
# REQUIRES: iree
# RUN: %python %s 3

import os
import re
import sys
import tempfile

import numpy as np

from lin_testing.random_mlp import annotated_model_files
from lin_testing.tools import run_tool as run
from lin_toolchain.iree import run_iree_batched

MATMUL = re.compile(r"= linalg\.matmul\b(.*)")


def matmuls(text):
    """The linalg.matmul ops of `text` (one function per model)."""
    return MATMUL.findall(text)


def main():
    seeds = int(sys.argv[1])
    tmp = tempfile.mkdtemp()
    concats = fewer = stacked = 0
    for seed, kind, model, x, reference, source in annotated_model_files(tmp, seeds):
        # Folding everything that folds at least once in a while.
        policy = ("cost", "all")[seed % 2]
        counts = {}
        for activations in ("batch-major", "feature-major"):
            for weights in ("in-out", "out-in"):
                name = f"seed {seed} {kind} {policy} {activations} {weights}"
                # run() fails on any diagnostic, warnings included: the
                # fold's predicted weight count must match its output.
                folded = run(["lin-opt", source,
                              f"--linearity-fold=policy={policy} "
                              f"activation-layout={activations} "
                              f"weight-layout={weights}"])
                counts[activations, weights] = len(matmuls(folded))
                if activations == "feature-major":
                    concats += folded.count("tensor.concat dim(0)")
                    stacked += "tensor.extract_slice" in folded
                else:
                    assert "tensor.concat" not in folded, name
                got = run_iree_batched(
                    run(["mlir-opt", "--linalg-generalize-named-ops"],
                        folded),
                    x, model.batch)
                scale = max(1.0, float(np.abs(reference).max()))
                error = float(np.abs(got - reference).max()) / scale
                if error > 1e-4:
                    sys.exit(f"FAILED: {name}: relative error {error} "
                             f"against numpy")
        for weights in ("in-out", "out-in"):
            fm = counts["feature-major", weights]
            bm = counts["batch-major", weights]
            assert fm <= bm, (seed, kind, weights, fm, bm)
            fewer += fm < bm
            # One matmul per layer for all its feature-major roots, one
            # stacked matmul for the argument (read directly by the first
            # layer, through skips by later ones): no more than the
            # model's linear layers.
            assert fm <= len(model.layers), \
                (seed, kind, weights, fm, len(model.layers))
        print(f"seed {seed} {kind} {policy}: {counts}")
    # A run that concatenates nothing tests little.
    assert concats > 0 and fewer > 0 and stacked > 0, \
        (concats, fewer, stacked)
    print(f"ok: {concats} concatenations, fewer matmuls {fewer} times, "
          f"stacked matmuls {stacked} times")


if __name__ == "__main__":
    main()
