# Profile + fold on IR emitted by torch-mlir (FX importer and ONNX importer):
# ReLU as cmpf + select, leaky ReLU split over four generics, ReLU6 /
# hardtanh as two generics with broadcast 0-d bounds, ONNX Clip in one
# generic; dynamic and static batch. Checks, for every committed model:
#   * the profile finds exactly the neurons the generator built to stay in
#     one piece (test/Inputs/torch/manifest.json), and the fold takes them
#     all out (policy=all) with removals exactly for the constant pieces;
#   * the folded IR, run by IREE, reproduces PyTorch's outputs (the
#     .expected.npy files) on the calibration inputs;
#   * the output is plain upstream IR and folding is idempotent.
#
# REQUIRES: iree
# RUN: %python %s %inputs/torch

import json
import os
import sys
import tempfile

import numpy as np

from lin_testing.tools import run_tool as run
from lin_toolchain.iree import run_iree_batched

# Pieces with slope zero, per activation family (lin.profile conventions).
CONSTANT_PIECES = {"relu": {0}, "leaky": set(), "clamp": {0, 2}}



def family(activation):
    if "Leaky" in activation:
        return "leaky"
    if "ReLU6" in activation or "Hardtanh" in activation:
        return "clamp"
    return "relu"


def main():
    inputs = sys.argv[1]
    manifest = json.load(open(os.path.join(inputs, "manifest.json")))
    tmp = tempfile.mkdtemp()
    for name, info in sorted(manifest.items()):
        model = os.path.join(inputs, info["mlir"])
        data = os.path.join(inputs, info["input"])
        x = np.load(data)
        expected = np.load(os.path.join(inputs, info["expected"]))
        profiled = os.path.join(tmp, name + ".profiled.mlir")
        run(["lin-opt", model, f"--linearity-profile=data={data} quiet=1", "-o", profiled])
        report = os.path.join(tmp, name + ".json")
        folded = run(["lin-opt", profiled, f"--linearity-fold=policy=all report={report}"])
        layers = json.load(open(report))["layers"]
        assert len(layers) == len(info["constant_piece"]), (name, layers)
        constant = CONSTANT_PIECES[family(info["activation"])]
        for row, pieces in zip(layers, info["constant_piece"]):
            fixed = [p for p in pieces if p is not None]
            removed = sum(p in constant for p in fixed)
            assert row["removed"] == removed, (name, row, pieces)
            assert row["folded"] == len(fixed) - removed, (name, row, pieces)
        assert "lin." not in folded, name
        generic = run(["mlir-opt", "--linalg-generalize-named-ops"], folded)
        batch = None if info["batch"] == "dynamic" else info["batch"]
        got = run_iree_batched(generic, x, batch)
        error = float(np.abs(got - expected).max()) / max(1.0, float(np.abs(expected).max()))
        assert error <= 1e-4, (name, error)
        assert np.array_equal(got.argmax(1), expected.argmax(1)), name
        again = run(["lin-opt", "--linearity-fold=allow-unprofiled=1"], folded)
        assert again == run(["lin-opt"], folded), f"{name}: not idempotent"
        before = json.load(open(report))
        print(f"{name}: {before['params_before']} -> {before['params_after']} parameters, "
              f"max relative error {error:.2e}")


if __name__ == "__main__":
    main()
