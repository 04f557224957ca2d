# Property test of --linearity-prove: folding what interval propagation
# proves is exact on the whole input box. Random MLPs (no profiles), proven
# on [-1, 1]^n, folded with threshold 1.0, then run by IREE on random points
# of the box (including its corners) and compared with a float64 numpy
# forward pass of the original model.
#
# REQUIRES: iree
# RUN: %python %s 12

import json
import os
import sys
import tempfile

import numpy as np

from lin_testing.random_mlp import random_mlp, to_mlir
from lin_testing.tools import run_tool as run
from lin_toolchain.iree import run_iree_batched



def main():
    seeds = int(sys.argv[1])
    tmp = tempfile.mkdtemp()
    proven = 0
    for seed in range(seeds):
        rng = np.random.default_rng(1000 + seed)
        model = random_mlp(rng)
        source = os.path.join(tmp, f"model{seed}.mlir")
        with open(source, "w") as f:
            f.write(to_mlir(model, rng))
        report = os.path.join(tmp, f"report{seed}.json")
        folded = run(["lin-opt", source, "-mlir-print-op-on-diagnostic=false",
                      "--linearity-prove=lower=-1 upper=1",
                      f"--linearity-fold=report={report}"])
        layers = json.load(open(report))["layers"]
        proven += sum(r["folded"] + r["removed"] for r in layers)
        generic = run(["mlir-opt", "--linalg-generalize-named-ops"], folded)
        n = model.input_width
        batch = model.batch
        count = 64 if batch is None else batch * 8
        x = rng.uniform(-1, 1, size=(count, n)).astype(np.float32)
        x[: min(count, 2 ** n)] = np.sign(rng.uniform(-1, 1, size=(min(count, 2 ** n), n)))
        got = run_iree_batched(generic, x, batch)
        reference = model.forward(x)
        error = float(np.abs(got - reference).max()) / max(1.0, float(np.abs(reference).max()))
        assert error <= 1e-4, (seed, error)
    # The generator's shifted biases make some neurons provably fixed.
    assert proven > 0, "nothing was proven: the test would test nothing"
    print(f"ok: {seeds} models, {proven} neurons proven and folded")


if __name__ == "__main__":
    main()
