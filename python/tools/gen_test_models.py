#!/usr/bin/env python3
"""Generate the torch-mlir test IR in test/Inputs/torch/ (deterministic).

For every model this writes

  <name>.mlir           linalg-on-tensors IR emitted by torch-mlir
  <name>.input.npy      float32 input batch ([32, 8]; [4, 8] for the static-batch model)
  <name>.expected.npy   PyTorch's float32 output on that input

Models: mlp_relu_dynamic, mlp_relu_static (same weights, batch 4), mlp_leaky,
mlp_relu6, mlp_hardtanh (torch-mlir FX route), mlp_onnx (the ReLU model via
torch.onnx + torch-mlir's ONNX importer) and mlp_onnx_clip (the ReLU6 model via
ONNX, where ReLU6 becomes onnx.Clip).

All models are 8-16-12-4 MLPs (Linear, act, Linear, act, Linear) with fixed
seeds. Some hidden biases (and, for clamp-like activations, weight rows) are
overwritten so that chosen neurons provably stay in one linear piece on the
inputs -- always active, always dead, saturated, or in the middle piece -- and
fold tests have something to fold. The script checks that plan on the inputs,
re-parses every file with LLVM 22's mlir-opt (done inside the exporter), runs
it through IREE and compares against PyTorch (and onnxruntime for the ONNX
model), and prints a summary.

Usage:  .venv/bin/python python/tools/gen_test_models.py [--out test/Inputs/torch]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python"))

from lin_frontend import export_onnx, export_torch, save_onnx  # noqa: E402
from lin_models import build_mlp  # noqa: E402
from lin_toolchain.iree import run_iree  # noqa: E402

SIZES = (8, 16, 12, 4)
N_INPUTS = 32
STATIC_BATCH = 4
SEED = 1234

# Per hidden layer: neuron index -> (bias, weight-row scale). A scale < 1
# shrinks the neuron's incoming weights so that bias +- |W x| stays inside one
# piece of the activation. Pre-activations without a plan have std ~0.6 on
# layer 1 and ~1-2 on layer 2.
PLANS = {
    # ReLU / LeakyReLU: +5 -> always active (z > 0), -5 -> always inactive.
    "relu": [
        {0: (5.0, 1.0), 1: (5.0, 1.0), 2: (5.0, 1.0), 3: (-5.0, 1.0), 4: (-5.0, 1.0), 5: (-5.0, 1.0)},
        {0: (5.0, 0.5), 1: (5.0, 0.5), 2: (-5.0, 0.5), 3: (-5.0, 0.5)},
    ],
    # ReLU6: middle piece 0 < z < 6 at bias 3, constant 0 at -5, constant 6 at +10.
    "relu6": [
        {0: (3.0, 1.0), 1: (3.0, 1.0), 2: (-5.0, 1.0), 3: (-5.0, 1.0), 4: (10.0, 1.0), 5: (10.0, 1.0)},
        {0: (3.0, 0.5), 1: (3.0, 0.5), 2: (-5.0, 0.5), 3: (10.0, 0.5)},
    ],
    # Hardtanh(-1, 1): middle piece at bias 0 with shrunk weights, saturated at +-5.
    "hardtanh": [
        {0: (0.0, 0.1), 1: (0.0, 0.1), 2: (-5.0, 1.0), 3: (-5.0, 1.0), 4: (5.0, 1.0), 5: (5.0, 1.0)},
        {0: (0.0, 0.05), 1: (0.0, 0.05), 2: (-5.0, 0.5), 3: (5.0, 0.5)},
    ],
}

# Linear pieces of each activation as (lo, hi) intervals of the pre-activation.
PIECES = {
    "relu": [(-np.inf, 0.0), (0.0, np.inf)],
    "leaky": [(-np.inf, 0.0), (0.0, np.inf)],
    "relu6": [(-np.inf, 0.0), (0.0, 6.0), (6.0, np.inf)],
    "hardtanh": [(-np.inf, -1.0), (-1.0, 1.0), (1.0, np.inf)],
}


def make_mlp(activation: str, plan, seed: int = SEED) -> nn.Sequential:
    """8-16-12-4 MLP with default init from ``seed``, then the bias plan applied."""
    torch.manual_seed(seed)
    model = build_mlp(SIZES[0], SIZES[1:-1], SIZES[-1], activation).eval()
    linears = [m for m in model if isinstance(m, nn.Linear)]
    with torch.no_grad():
        for lin, layer_plan in zip(linears, plan):
            for j, (bias, scale) in layer_plan.items():
                lin.bias[j] = bias
                lin.weight[j] *= scale
    return model


def make_inputs(seed: int = SEED + 1) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.randn(N_INPUTS, SIZES[0], generator=g)


def piece_report(model: nn.Sequential, x: torch.Tensor, pieces):
    """Per hidden layer: list of (neuron, piece index) for neurons that stay in
    one piece on every row of ``x``."""
    out = []
    h = x
    with torch.no_grad():
        for m in model:
            if isinstance(m, nn.Linear):
                z = m(h)
                h = z
            else:
                zn = z.numpy()
                const = []
                for j in range(zn.shape[1]):
                    for p, (lo, hi) in enumerate(pieces):
                        if np.all((zn[:, j] > lo) & (zn[:, j] <= hi)):
                            const.append((j, p))
                out.append(const)
                h = m(z)
    return out


def check_plan(name: str, model, x, plan, pieces) -> list:
    """Assert that every planned neuron stays in one piece; return the report."""
    report = piece_report(model, x, pieces)
    for layer, (layer_plan, const) in enumerate(zip(plan, report)):
        constant_neurons = {j for j, _ in const}
        missing = set(layer_plan) - constant_neurons
        if missing:
            raise AssertionError(f"{name}: layer {layer} neurons {sorted(missing)} leave their piece")
    return report


def write_case(out: Path, name: str, text: str, x: np.ndarray, expected: np.ndarray,
               tol: float = 1e-5) -> dict:
    got = run_iree(text, x)
    err = float(np.abs(got - expected).max())
    if err > tol:
        raise AssertionError(f"{name}: IREE output differs from PyTorch by {err}")
    (out / f"{name}.mlir").write_text(text)
    np.save(out / f"{name}.input.npy", x.astype(np.float32))
    np.save(out / f"{name}.expected.npy", expected.astype(np.float32))
    return {"name": name, "bytes": len(text), "iree_err": err}


def onnx_route(model: nn.Module, x: torch.Tensor) -> str:
    """Export ``model`` with torch.onnx (dynamo exporter, dynamic batch), check
    the ONNX file with onnxruntime, and import it with :func:`export_onnx`."""
    import onnxruntime as ort

    with torch.no_grad():
        y = model(x).numpy()
    with tempfile.TemporaryDirectory() as tmp:
        onnx_path = Path(tmp) / "mlp.onnx"
        save_onnx(model, x, onnx_path)
        sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
        y_ort = sess.run(None, {sess.get_inputs()[0].name: x.numpy()})[0]
        if float(np.abs(y_ort - y).max()) > 1e-5:
            raise AssertionError("onnxruntime disagrees with PyTorch")
        return export_onnx(onnx_path)


def write_manifest(out: Path, results: list) -> None:
    """manifest.json: per model its files, activation, linear pieces and the
    hidden neurons that stay in one piece on the model's input batch."""
    act_desc = {
        "relu": "nn.ReLU", "leaky": "nn.LeakyReLU(0.1)",
        "relu6": "nn.ReLU6", "hardtanh": "nn.Hardtanh(-1, 1)",
    }
    manifest = {}
    for r in results:
        name = r["name"]
        pieces = PIECES[r["act"]]
        manifest[name] = {
            "mlir": f"{name}.mlir",
            "input": f"{name}.input.npy",
            "expected": f"{name}.expected.npy",
            "frontend": "torch-mlir FX importer" if r["route"] == "fx" else "torch.onnx -> torch-mlir ONNX importer",
            "layers": list(SIZES),
            "activation": act_desc[r["act"]],
            "batch": r["batch"],
            "pieces": [[None if np.isinf(lo) else lo, None if np.isinf(hi) else hi] for lo, hi in pieces],
            # per hidden layer, per neuron: index into "pieces" of the piece the
            # neuron never leaves on the input batch, or null if it changes piece
            "constant_piece": [
                [dict(layer).get(j) for j in range(SIZES[i + 1])] for i, layer in enumerate(r["report"])
            ],
        }
    lines = [f" {json.dumps(k)}: {json.dumps(v, sort_keys=True)}" for k, v in sorted(manifest.items())]
    (out / "manifest.json").write_text("{\n" + ",\n".join(lines) + "\n}\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(REPO / "test" / "Inputs" / "torch"))
    ap.add_argument("--show-ir", action="store_true", help="print each model's IR (without blobs)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    x = make_inputs()
    xn = x.numpy()
    results = []

    cases = [
        # activation (lin_models.activation_module), plan key
        ("relu", "relu"),
        ("leaky", "relu"),
        ("relu6", "relu6"),
        ("hardtanh", "hardtanh"),
    ]
    models = {}
    for key, plan_key in cases:
        model = make_mlp(key, PLANS[plan_key])
        report = check_plan(key, model, x, PLANS[plan_key], PIECES[key])
        models[key] = (model, report)

    relu_model, relu_report = models["relu"]
    with torch.no_grad():
        y = relu_model(x).numpy()
        y_static = relu_model(x[:STATIC_BATCH]).numpy()

    # 1. ReLU, dynamic batch.
    text = export_torch(relu_model, x, dynamic_batch=True)
    results.append(write_case(out, "mlp_relu_dynamic", text, xn, y)
                   | {"report": relu_report, "act": "relu", "batch": "dynamic", "route": "fx"})

    # 2. Same weights, static batch 4 (input = first 4 rows).
    text = export_torch(relu_model, x[:STATIC_BATCH], dynamic_batch=False)
    results.append(write_case(out, "mlp_relu_static", text, xn[:STATIC_BATCH], y_static)
                   | {"report": piece_report(relu_model, x[:STATIC_BATCH], PIECES["relu"]),
                      "act": "relu", "batch": STATIC_BATCH, "route": "fx"})

    # 3-5. Other piecewise-linear activations, dynamic batch.
    for key, fname in (("leaky", "mlp_leaky"), ("relu6", "mlp_relu6"), ("hardtanh", "mlp_hardtanh")):
        model, report = models[key]
        with torch.no_grad():
            ym = model(x).numpy()
        text = export_torch(model, x, dynamic_batch=True)
        results.append(write_case(out, fname, text, xn, ym)
                       | {"report": report, "act": key, "batch": "dynamic", "route": "fx"})

    # 6. The ReLU model through torch.onnx (dynamo exporter, dynamic batch) and
    #    torch-mlir's ONNX importer; cross-checked with onnxruntime as well.
    text = onnx_route(relu_model, x)
    results.append(write_case(out, "mlp_onnx", text, xn, y)
                   | {"report": relu_report, "act": "relu", "batch": "dynamic", "route": "onnx"})

    # 7. The ReLU6 model through ONNX: nn.ReLU6 exports as onnx.Clip, which
    #    lowers to ONE generic clamping both bounds (unlike the FX route).
    model, report = models["relu6"]
    with torch.no_grad():
        ym = model(x).numpy()
    text = onnx_route(model, x)
    results.append(write_case(out, "mlp_onnx_clip", text, xn, ym)
                   | {"report": report, "act": "relu6", "batch": "dynamic", "route": "onnx"})

    write_manifest(out, results)
    print(f"wrote {len(results)} models (+ manifest.json) to {out}")
    for r in results:
        consts = "; ".join(
            f"L{i + 1}: " + ", ".join(f"{j}:p{p}" for j, p in layer) for i, layer in enumerate(r["report"])
        )
        print(f"  {r['name']:18s} {r['bytes']:5d} B  IREE max|err|={r['iree_err']:.1e}  "
              f"one-piece neurons (neuron:piece) {consts}")
    if args.show_ir:
        for r in results:
            text = (out / f"{r['name']}.mlir").read_text()
            print(f"\n===== {r['name']}.mlir =====")
            print(text.split("{-#")[0].rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
