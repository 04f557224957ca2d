#!/usr/bin/env python3
"""Random MLPs in the linalg forms frontends emit, run by lin-run, checked
against NumPy.

Every model draws, per layer, the form of its affine part:

  torch     linalg.transpose of the [out, in] weight, linalg.matmul into a
            zero fill, bias added by a broadcasting linalg.generic
  maps      linalg.matmul with indexing_maps reading the [out, in] weight
            transposed, bias through linalg.broadcast + linalg.add
  generic   a matmul-like linalg.generic accumulating into the broadcast
            bias (beta = 1 in BLAS terms)

and of its activation: ReLU as cmpf ugt + select, as maximumf against a 0-d
constant or as linalg.max against a zero fill; leaky ReLU (cmpf ogt + select
of a multiply); clamp (minimumf of maximumf); none. Weights are inline dense
hex literals or dense_resource blobs; the batch dimension is dynamic or
static (then the data does not fill the last batch, which lin-run pads).
The IR is written by lin_testing.mlp_ir.

The reference is computed in float64 from the same float32 weights; lin-run's
float32 outputs must match to a relative tolerance (of the output's scale).

Usage: random_mlps.py WORKDIR [--models N] [--seed S]
(lin-run found by lin_toolchain.find_tool: $LIN_BUILD_DIR/bin, build/, PATH)
"""

import argparse
import sys
from pathlib import Path

import numpy as np

from lin_testing.mlp_ir import FORMS, Activation, Dense, Mlp
from lin_toolchain import ToolError, run_tool

ACTIVATIONS = ("relu_select", "relu_maximumf", "relu_linalg_max", "leaky", "clamp", "none")


def activation(kind: str, slope: float, lo: float, hi: float) -> Activation | None:
    """The activation called ``kind``; its parameters rounded to f32, as the
    IR holds them, so that the float64 reference computes with them too."""
    f32 = lambda v: float(np.float32(v))
    return {
        "relu_select": Activation.relu("select"),
        "relu_maximumf": Activation.relu("maximumf_0d"),
        "relu_linalg_max": Activation.relu("linalg_max"),
        "leaky": Activation.leaky(f32(slope), predicate="ogt"),
        "clamp": Activation.clamp(f32(lo), f32(hi)),
        "none": None,
    }[kind]


def make_model(rng) -> tuple[Mlp, list[str]]:
    """A random model and the ACTIVATIONS name of each layer's activation."""
    depth = int(rng.integers(1, 5))
    widths = [int(rng.integers(1, 40)) for _ in range(depth + 1)]
    batch = None if rng.random() < 0.6 else int(rng.integers(1, 9))
    layers, kinds = [], []
    for i in range(depth):
        n_in, n_out = widths[i], widths[i + 1]
        weight = rng.normal(0, 1 / np.sqrt(n_in), (n_out, n_in)).astype(np.float32)
        bias = rng.normal(0, 0.5, n_out).astype(np.float32)
        form = FORMS[int(rng.integers(len(FORMS)))]
        kind = ACTIVATIONS[int(rng.integers(len(ACTIVATIONS)))] if i < depth - 1 else "none"
        lo = float(rng.uniform(-2, 0))
        slope = float(rng.uniform(0.01, 0.3))
        hi = lo + float(rng.uniform(0.5, 3))
        bias_encoding = "resource" if rng.random() < 0.5 else "inline"
        weight_encoding = "resource" if rng.random() < 0.5 else "inline"
        layers.append(Dense(weight, bias, activation(kind, slope, lo, hi), form,
                            weight_encoding, bias_encoding))
        kinds.append(kind)
    return Mlp(layers, batch), kinds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--models", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rtol", type=float, default=1e-5)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    failures = 0
    forms_seen, kinds_seen, batches_seen = set(), set(), set()
    for i in range(args.models):
        mlp, kinds = make_model(rng)
        model = args.workdir / f"model{i}.mlir"
        model.write_text(mlp.to_mlir())
        samples = int(rng.integers(1, 50))
        x = rng.normal(0, 1, (samples, mlp.input_width)).astype(np.float32)
        np.save(args.workdir / f"x{i}.npy", x)
        out = args.workdir / f"y{i}.npy"
        run_batch = str(int(rng.integers(1, 17)))
        try:
            run_tool(["lin-run", model, "--input", args.workdir / f"x{i}.npy",
                      "--output", out, "--batch", run_batch, "--quiet"])
        except ToolError as error:
            failures += 1
            print(f"model {i}: FAILED\n{error}")
            continue
        got = np.load(out)
        expected = mlp.forward(x)
        scale = max(float(np.abs(expected).max()), 1.0)
        ok = got.shape == expected.shape and np.allclose(got, expected, rtol=args.rtol, atol=args.rtol * scale)
        if not ok:
            failures += 1
            print(f"model {i}: MISMATCH (max error {np.abs(got - expected).max():.3e}, scale {scale:.3e}) in {model}")
        forms_seen.update(layer.form for layer in mlp.layers)
        kinds_seen.update(kinds)
        batches_seen.add("dynamic" if mlp.batch is None else "static")
    print("forms:", " ".join(sorted(forms_seen)))
    print("activations:", " ".join(sorted(kinds_seen)))
    print("batch dimensions:", " ".join(sorted(batches_seen)))
    print(f"{args.models} models, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
