# The compressed model written as a .pt2 (torch.export ExportedProgram) and
# as ONNX by lin_cli.to_torch computes what the folded IR computes: on a
# random folded MLP with a dynamic batch (feature-major, lin's default
# emission) and one with a static batch (batch-major), the reloaded .pt2 and
# onnxruntime's run of the .onnx are compared with lin-run on the IR, on
# more samples than the export traced with.
#
# REQUIRES: torch-mlir, onnx
# RUN: %python %s

import contextlib
import io
import logging
import os
import sys
import tempfile

import numpy as np
import onnxruntime
import torch

from lin_cli.to_torch import save_exported, save_onnx
from lin_testing.random_mlp import annotated_model
from lin_testing.tools import run_tool as run


def check(name, got, want):
    error = float(np.abs(got - want).max()) / max(1.0, float(np.abs(want).max()))
    if error > 1e-5:
        sys.exit(f"FAILED: {name}: relative error {error}")
    print(f"{name}: relative error {error:.1e}")


def main():
    logging.getLogger("torch.onnx").setLevel(logging.ERROR)
    tmp = tempfile.mkdtemp()
    dynamic = static = 0
    for seed in range(20):
        model, x, text = annotated_model(np.random.default_rng(seed), samples=96, depth=3)
        kind = "dynamic" if model.batch is None else "static"
        if (dynamic if kind == "dynamic" else static):
            continue
        layout = "feature-major" if kind == "dynamic" else "batch-major"
        source, folded = os.path.join(tmp, "m.mlir"), os.path.join(tmp, "f.mlir")
        with open(source, "w") as f:
            f.write(text)
        run(["lin-opt", source, f"--linearity-fold=policy=all activation-layout={layout}",
             "--canonicalize", "--cse", "-o", folded])
        np.save(os.path.join(tmp, "x.npy"), x)
        run(["lin-run", folded, "--input", os.path.join(tmp, "x.npy"),
             "--output", os.path.join(tmp, "y.npy"), "--quiet"])
        want = np.load(os.path.join(tmp, "y.npy"))
        folded_text = open(folded).read()
        assert "linalg.matmul" in folded_text
        pt2, onnx_file = os.path.join(tmp, "m.pt2"), os.path.join(tmp, "m.onnx")
        save_exported(folded_text, pt2)
        program = torch.export.load(pt2).module()
        batch = len(x) if model.batch is None else model.batch
        with torch.no_grad():
            got = np.concatenate([program(torch.from_numpy(x[i:i + batch])).numpy()
                                  for i in range(0, len(x), batch)])
        check(f"seed {seed} {kind} batch .pt2", got, want)
        with contextlib.redirect_stdout(io.StringIO()):
            save_onnx(folded_text, onnx_file)
        session = onnxruntime.InferenceSession(onnx_file)
        got = np.concatenate([session.run(None, {"x": x[i:i + batch]})[0]
                              for i in range(0, len(x), batch)])
        check(f"seed {seed} {kind} batch .onnx", got, want)
        dynamic += kind == "dynamic"
        static += kind == "static"
        if dynamic and static:
            break
    assert dynamic and static, (dynamic, static)


if __name__ == "__main__":
    main()
