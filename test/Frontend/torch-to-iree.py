# End to end on a tiny PyTorch model: torch-mlir FX export -> lin-opt
# --linearity-profile (calibration .npy) -> --linearity-fold -> IREE, checked
# against PyTorch. The biases put some hidden neurons always in the active
# piece and some always in the dead piece on the input domain, so the fold
# must both merge and remove neurons and shrink the model.
#
# REQUIRES: torch-mlir, iree
# RUN: %python %s

import json
import os
import sys
import tempfile

import numpy as np
import torch

from lin_frontend import export_torch
from lin_models import build_mlp
from lin_testing.tools import run_tool as run
from lin_toolchain.iree import compile_iree


def build_model():
    """8-32-16-4 ReLU MLP. Inputs lie in [-1, 1]^8 and the hidden weights are
    small, so a bias of +2 keeps a neuron active and -2 keeps it dead on every
    input: layer 1 (|w| <= 0.1: |W x| <= 0.8) has 12 active and 8 dead
    neurons; layer 2 (|w| <= 0.02, inputs in [0, 2.85]: |W a| <= 1.83) has 6
    active and 4 dead ones. The other neurons change sign on the data."""
    torch.manual_seed(0)
    model = build_mlp(8, (32, 16), 4)
    with torch.no_grad():
        for layer, scale, active, dead in ((model[0], 0.1, 12, 8), (model[2], 0.02, 6, 4)):
            layer.weight.uniform_(-scale, scale)
            layer.bias.uniform_(-0.05, 0.05)
            layer.bias[:active] = 2.0
            layer.bias[active:active + dead] = -2.0
        model[4].weight.uniform_(-1.0, 1.0)
    return model.eval()


def main():
    tmp = tempfile.mkdtemp()
    model = build_model()
    rng = np.random.default_rng(0)
    calib = rng.uniform(-1, 1, (256, 8)).astype(np.float32)
    test = rng.uniform(-1, 1, (100, 8)).astype(np.float32)
    with torch.no_grad():
        reference = model(torch.from_numpy(test)).numpy()
    params = sum(p.numel() for p in model.parameters())

    source = os.path.join(tmp, "model.mlir")
    with open(source, "w") as f:
        f.write(export_torch(model, torch.zeros(1, 8), dynamic_batch=True))
    calib_path = os.path.join(tmp, "calib.npy")
    np.save(calib_path, calib)

    profiled = os.path.join(tmp, "profiled.mlir")
    run(["lin-opt", source, f"--linearity-profile=data={calib_path} quiet=1", "-o", profiled])
    with open(profiled) as f:
        assert f.read().count("#lin.profile<") == 2, "expected two profiled activations"

    report_path = os.path.join(tmp, "report.json")
    folded = run(["lin-opt", profiled, f"--linearity-fold=threshold=1.0 report={report_path}",
                  "--canonicalize", "--cse"])
    assert "lin." not in folded, "lin attributes left in the folded IR"

    with open(report_path) as f:
        report = json.load(f)
    assert report["params_before"] == params, (report["params_before"], params)
    assert report["params_after"] < params, report
    merged = sum(l["folded"] for l in report["layers"])
    removed = sum(l["removed"] for l in report["layers"])
    assert merged > 0 and removed > 0, (merged, removed)

    # The folded model, compiled and run by IREE (dynamic batch), against PyTorch.
    got = compile_iree(folded)(test)
    scale = max(1.0, float(np.abs(reference).max()))
    error = float(np.abs(got - reference).max()) / scale
    if error > 1e-4 or not np.array_equal(got.argmax(1), reference.argmax(1)):
        sys.exit(f"FAILED: folded model under IREE: relative error {error}")
    print(f"folded model: IREE vs PyTorch relative error {error:.2e}")
    print(f"ok: params {params} -> {report['params_after']}, {merged} merged, {removed} removed")


if __name__ == "__main__":
    main()
