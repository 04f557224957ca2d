# Sizes are the model's real weights, and lin never emits a bigger model:
# residual and LayerNorm MLPs written the usual way in PyTorch, through
# torch-mlir, profiled and folded under every policy and threshold. Checks,
# independently of lin's own accounting:
# * `params_before` equals PyTorch's parameter count;
# * `params_after` equals a count of the weight constants in the output text
#   (distinct tensor constants of rank >= 1, zero splats free) and never
#   exceeds `params_before`;
# * compressing the compressed model starts where the first run ended;
# * at threshold 1.0 IREE reproduces PyTorch on the calibration data (the
#   residual stays an add).
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
from lin_testing.weights import count_weights
from lin_testing.tools import run_tool as run
from lin_testing.torch_models import LayerNormMLP, ResidualMLP
from lin_toolchain.iree import run_iree_batched


def compress(tmp, name, source, calib, options):
    report = os.path.join(tmp, f"{name}.json")
    output = os.path.join(tmp, f"{name}.mlir")
    run(["lin-opt", source, f"--linearity-compress=data={calib} quiet=1 "
         f"report={report} {options}", "-o", output])
    with open(report) as f, open(output) as g:
        return json.load(f), g.read(), output


def main():
    tmp = tempfile.mkdtemp()
    rng = np.random.default_rng(0)
    for model_class in (ResidualMLP, LayerNormMLP):
        torch.manual_seed(0)
        model = model_class().eval()
        # Shift some biases so that neurons are dead or always active.
        with torch.no_grad():
            for linear in model.modules():
                if isinstance(linear, torch.nn.Linear) and linear.out_features == 32:
                    linear.bias[:6] = 3.0
                    linear.bias[6:12] = -3.0
        params = sum(p.numel() for p in model.parameters())
        name = model_class.__name__
        source = os.path.join(tmp, f"{name}.mlir")
        with open(source, "w") as f:
            f.write(export_torch(model, torch.zeros(1, 16), dynamic_batch=True))
        x = rng.normal(size=(128, 16)).astype(np.float32)
        calib = os.path.join(tmp, f"{name}.npy")
        np.save(calib, x)
        with torch.no_grad():
            reference = model(torch.from_numpy(x)).numpy()

        for options in ("", "policy=paper", "policy=all", "threshold=0.9",
                        "threshold=0.5 policy=all", "threshold=0 policy=all",
                        "target-size=0.5", "merge-threshold=0.2 policy=all"):
            label = f"{name} [{options}]"
            report, folded, path = compress(tmp, name + "1", source, calib, options)
            assert report["params_before"] == params, (label, report["params_before"], params)
            after = report["params_after"]
            assert after == count_weights(folded), (label, after, count_weights(folded))
            assert after <= params, (label, "grew", params, after)
            if "arith.maximumf" in folded:  # Some ReLU is left to profile.
                again, _, _ = compress(tmp, name + "2", path, calib, options)
                assert again["params_before"] == after, (label, again["params_before"], after)
                assert again["params_after"] <= after, (label, again["params_after"], after)
            if options == "":
                got = run_iree_batched(folded, x)
                error = float(np.abs(got - reference).max())
                assert error < 1e-4, (label, "differs from PyTorch by", error)
            print(f"{label}: {params} -> {after} weights")
    print("PASSED")


if __name__ == "__main__":
    main()
