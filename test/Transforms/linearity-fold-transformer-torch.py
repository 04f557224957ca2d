# A whole nn.TransformerEncoderLayer (ReLU feed-forward block, attention,
# LayerNorms, residual adds) through torch-mlir, dynamic and static batch:
# the feed-forward ReLU over [batch, tokens, features] folds like a dense
# layer over batch x tokens samples, everything else (attention, norms)
# stays as it is. 12 of its 64 neurons are made dead and 8 always active
# by their bias; compressed at threshold 1.0 (policy=all), checks that
# exactly those fold, that the model gets smaller, and that IREE running
# the compressed model reproduces PyTorch's outputs.
#
# REQUIRES: torch-mlir, iree
# RUN: %python %s

import json
import os
import tempfile

import numpy as np
import torch

from lin_frontend import export_torch
from lin_testing.tools import run_tool as run
from lin_toolchain.iree import run_iree_batched

DEAD, ACTIVE = 12, 8


def main():
    tmp = tempfile.mkdtemp()
    torch.manual_seed(0)
    model = torch.nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=64,
                                             dropout=0.0, activation="relu",
                                             batch_first=True).eval()
    with torch.no_grad():
        model.linear1.bias[:DEAD] = -10.0
        model.linear1.bias[DEAD:DEAD + ACTIVE] = 10.0
    x = np.random.default_rng(0).normal(size=(8, 5, 16)).astype(np.float32)
    with torch.no_grad():
        expected = model(torch.from_numpy(x)).numpy()
    calib = os.path.join(tmp, "x.npy")
    np.save(calib, x)
    for batch in (None, 4):
        name = "static" if batch else "dynamic"
        source = os.path.join(tmp, name + ".mlir")
        with open(source, "w") as f:
            f.write(export_torch(model, torch.zeros(batch or 2, 5, 16),
                                 dynamic_batch=batch is None))
        report_path = os.path.join(tmp, name + ".json")
        folded = run(["lin-opt", source, f"--linearity-compress=data={calib} policy=all "
                      f"quiet=1 report={report_path}"])
        report = json.load(open(report_path))
        (relu,) = report["layers"]
        assert (relu["removed"], relu["folded"]) == (DEAD, ACTIVE), (name, relu)
        assert report["params_after"] < report["params_before"], (name, report)
        got = run_iree_batched(folded, x, batch)
        error = float(np.abs(got - expected).max())
        assert error < 1e-5, (name, error)
        print(f"{name}: {report['params_before']} -> {report['params_after']} weights, "
              f"max error {error:.1e}")
    print("PASSED")


if __name__ == "__main__":
    main()
