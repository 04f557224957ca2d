# The refit on a residual MLP written the usual way in PyTorch (through
# torch-mlir): the residual stream is an identity term of the consumers, so
# the refit fits the weighted part to the original value minus the stream
# as the compressed model computes it. Checked with PyTorch's outputs and
# IREE running lin's output: every consumer's calibration error falls or
# stays, the size is that of the algebraic fold, and the refitted model is
# closer to PyTorch's than the algebraic fold, on the calibration data and
# on held-out samples.
#
# REQUIRES: torch-mlir, iree
# RUN: %python %s

import os
import tempfile

import numpy as np
import torch

from lin_frontend import export_torch
from lin_testing.refit_reference import fold_with_lin
from lin_testing.torch_models import ResidualMLP
from lin_toolchain.iree import run_iree_batched


def relative(y, reference):
    return float(np.linalg.norm(y - reference) / np.linalg.norm(reference))


def main():
    tmp = tempfile.mkdtemp()
    torch.manual_seed(0)
    model = ResidualMLP(inputs=8, width=24, outputs=3, blocks=1).eval()
    with torch.no_grad():
        # Mostly active and mostly inactive neurons: a threshold below 1
        # folds them inexactly.
        for linear in (model.inp, model.blocks[0]):
            linear.bias[:8] = 0.4
            linear.bias[8:16] = -0.4
    source = os.path.join(tmp, "residual.mlir")
    with open(source, "w") as f:
        f.write(export_torch(model, torch.zeros(1, 8), dynamic_batch=True))
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype(np.float32)
    held_out = rng.normal(size=(256, 8)).astype(np.float32)
    data = os.path.join(tmp, "x.npy")
    np.save(data, x)
    with torch.no_grad():
        reference = model(torch.from_numpy(x)).numpy()
        reference_held_out = model(torch.from_numpy(held_out)).numpy()

    # Profiled and folded in one run (linearity-compress).
    errors = {}
    for refit in ("none", "lstsq"):
        report, folded = fold_with_lin(
            source, f"data={data} threshold=0.7 refit={refit} refit-ridge=1e-3", tmp, refit,
            pass_name="linearity-compress")
        got = run_iree_batched(folded, x, generalize_on_error=True)
        got_held_out = run_iree_batched(folded, held_out, generalize_on_error=True)
        errors[refit] = (relative(got, reference), relative(got_held_out, reference_held_out),
                         report["params_after"])
        if refit == "lstsq":
            consumers = report["functions"][0]["refit"]["consumers"]
            print(consumers)
            assert any(c["refitted"] for c in consumers), consumers
            for c in consumers:
                assert c["error_after"] <= c["error_before"], c
            # The output consumer's error is the model's (IREE against
            # PyTorch on the calibration data).
            output = next(c for c in consumers if c["name"] == "output_0")
            assert abs(output["error_after"] - errors[refit][0]) < 1e-3, (output, errors)
    print(errors)
    assert errors["lstsq"][2] == errors["none"][2], errors
    assert errors["lstsq"][0] < errors["none"][0], errors
    assert errors["lstsq"][1] < errors["none"][1], errors


if __name__ == "__main__":
    main()
