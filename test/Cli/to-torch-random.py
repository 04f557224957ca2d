# Property test of lin_cli.to_torch (the compressed model back as PyTorch)
# on random MLPs of every activation kind, in every IR spelling lin_testing
# draws, unfolded and folded with both activation layouts and both weight
# layouts. The PyTorch module must compute what the IR computes, checked
# against executors that do not share its code: lin-run (lin's interpreter)
# on every model, the float64 numpy forward pass of the original, and IREE
# on one folded model per activation kind (alternating the emission forms;
# an IREE compile takes seconds). to-torch-saved.py checks the .pt2 and
# .onnx files written from such modules.
#
# REQUIRES: iree, torch-mlir
# RUN: %python %s 2

import os
import sys
import tempfile

import numpy as np
import torch

from lin_cli.to_torch import module_from_mlir
from lin_testing.random_mlp import annotated_model_files
from lin_testing.tools import run_tool as run
from lin_toolchain.iree import run_iree_batched

TOLERANCE = 1e-5


def relative_error(got, want):
    return float(np.abs(got - want).max()) / max(1.0, float(np.abs(want).max()))


def check(name, got, want):
    error = relative_error(got, want)
    if error > TOLERANCE:
        sys.exit(f"FAILED: {name}: relative error {error}")


def lin_run(path, x, tmp):
    out = os.path.join(tmp, "out.npy")
    np.save(os.path.join(tmp, "x.npy"), x)
    run(["lin-run", path, "--input", os.path.join(tmp, "x.npy"), "--output", out, "--quiet"])
    return np.load(out)


def main():
    seeds = int(sys.argv[1])
    tmp = tempfile.mkdtemp()
    variants = 0
    for index, (seed, kind, model, x, reference, source) in enumerate(
            annotated_model_files(tmp, seeds)):
        iree_variant = ("feature-major out-in", "batch-major in-out")[index % 2] if seed == 0 else None
        texts = {"unfolded": open(source).read()}
        for activations in ("batch-major", "feature-major"):
            for weights in ("in-out", "out-in"):
                texts[f"{activations} {weights}"] = run(
                    ["lin-opt", source, f"--linearity-fold=policy=all activation-layout="
                     f"{activations} weight-layout={weights}", "--canonicalize", "--cse"])
        for variant, text in texts.items():
            name = f"seed {seed} {kind} {variant}"
            path = os.path.join(tmp, "variant.mlir")
            with open(path, "w") as f:
                f.write(text)
            module, _ = module_from_mlir(text)
            with torch.no_grad():
                got = module(torch.from_numpy(x)).numpy()
            check(name + " vs lin-run", got, lin_run(path, x, tmp))
            check(name + " vs numpy", got, reference)
            if variant == iree_variant:
                check(name + " vs IREE", got, run_iree_batched(
                    run(["lin-opt", "--linalg-generalize-named-ops"], text), x, model.batch))
            variants += 1
        print(f"seed {seed} {kind}: {len(texts)} variants agree")
    print(f"ok: {variants} models")


if __name__ == "__main__":
    main()
