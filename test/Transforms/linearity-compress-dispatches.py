# Issue 11: a compressed model never has more IREE dispatches than the
# original, and it computes the same numbers under IREE and under the
# upstream-only route (mlir-opt + mlir-translate + clang,
# lin_toolchain.upstream). The model is an nn.Sequential MLP written the
# usual way, exported through torch-mlir, with always-active and dead
# neurons in every hidden layer, compressed with lin's defaults (lossless)
# and folded or refitted at lower thresholds, in both activation layouts
# (batch-major, one matmul per skip, may have more dispatches). Feature-major,
# IREE makes exactly one dispatch per emitted matmul: the first layer's
# merged neurons make every later layer read the input, by one stacked
# matmul, and the first layer takes its rows of it in place. A second
# model keeps its first layer (no always-active or dead neuron there): its
# activation, read by skips into every later layer, is re-emitted
# feature-major rather than read by a stacked matmul (which costs IREE an
# elementwise dispatch more than the original).
#
# REQUIRES: torch-mlir, iree
# RUN: %python %s

import os
import re
import tempfile

import numpy as np
import torch

from lin_frontend import export_torch
from lin_testing.tools import run_tool as run
from lin_toolchain.iree import compile_iree, count_dispatches
from lin_toolchain.upstream import compile_upstream

WIDTHS = (24, 64, 64, 48, 48, 32, 10)
# policy=all merges the active neurons of every layer: every consumer gets
# skips from the input (batch-major) and from the earlier layers.
RUNS = ("", "threshold=0.9 policy=all", "threshold=0.95 refit=lstsq policy=all",
        "threshold=0.7 refit=lstsq", "threshold=0.3 refit=lstsq",
        "threshold=0.95 refit=lstsq policy=all activation-layout=batch-major")


# The runs of the model with a kept first layer: lossless, and refitted
# with every other layer folded at 0.95 (the first layer's neurons are
# active on 30-70 % of the samples).
KEPT_FIRST_RUNS = ("", "threshold=0.95 refit=lstsq policy=all")


def model(keep_first=False):
    torch.manual_seed(0)
    layers = []
    for i in range(len(WIDTHS) - 1):
        linear = torch.nn.Linear(WIDTHS[i], WIDTHS[i + 1])
        if keep_first and i == 0:
            layers += [linear, torch.nn.ReLU()]
            continue
        with torch.no_grad():
            linear.bias[:8] = 4.0      # always active: merged into skips
            linear.bias[8:14] = -4.0   # dead: removed
        layers.append(linear)
        if i < len(WIDTHS) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers).eval()


def check(net, runs, tmp):
    source = os.path.join(tmp, "mlp.mlir")
    text = export_torch(net, torch.zeros(1, WIDTHS[0]), dynamic_batch=True)
    with open(source, "w") as f:
        f.write(text)
    x = np.random.default_rng(0).normal(size=(256, WIDTHS[0])).astype(np.float32)
    calib = os.path.join(tmp, "calib.npy")
    np.save(calib, x)
    with torch.no_grad():
        reference = net(torch.from_numpy(x)).numpy()
    original = count_dispatches(text, generalize_on_error=True)
    for options in runs:
        compressed = run(["lin-opt", source,
                          f"--linearity-compress=data={calib} quiet=1 {options}"])
        dispatches = count_dispatches(compressed, generalize_on_error=True)
        layout = "batch-major" if "batch-major" in options else "feature-major"
        print(f"[{options}] dispatches {original} -> {dispatches}")
        if layout == "feature-major":
            assert dispatches <= original, (options, original, dispatches)
            # One dispatch per matmul and none besides: the first layer,
            # whose merged neurons make every later layer read the input,
            # takes its rows of the input's stacked matmul in place (no
            # elementwise dispatch of its own), and its activation, sliced
            # from them, is copied into the concatenations without one.
            matmuls = compressed.count("linalg.matmul")
            assert dispatches == matmuls, (options, dispatches, matmuls)
        iree = compile_iree(compressed, generalize_on_error=True)(x)
        upstream = compile_upstream(compressed)(x)
        assert np.abs(iree - upstream).max() < 1e-4, (options, np.abs(iree - upstream).max())
        if options == "":
            # Lossless on its calibration data.
            assert np.abs(iree - reference).max() < 1e-4, np.abs(iree - reference).max()
        yield options, compressed, dispatches


def main():
    tmp = tempfile.mkdtemp()
    for _ in check(model(), RUNS, tmp):
        pass
    for options, compressed, dispatches in check(model(keep_first=True), KEPT_FIRST_RUNS, tmp):
        # The kept first layer is read by its own matmul into the
        # feature-major layout, and by the later layers in their
        # concatenations: nothing is stacked (no 2-D slice of rows; the
        # concatenations are 1-D slices of one buffer), and IREE makes one
        # dispatch per matmul (the bias and activation fused in), none more.
        assert not re.search(r"tensor\.extract_slice %\S+\[\d+, 0\]", compressed), options
        assert "tensor.concat" not in compressed, options
        matmuls = compressed.count("linalg.matmul")
        assert dispatches == matmuls, (options, dispatches, matmuls)
    print("PASSED")


if __name__ == "__main__":
    main()
