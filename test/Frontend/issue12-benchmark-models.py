# The architectures of issue 12's benchmark (lin_models.build_cnn,
# lin_models.CharTransformer), small and untrained, exported through
# torch.export + torch-mlir with a dynamic batch, compiled and run by IREE
# and checked against PyTorch; and the character data set's split
# (lin_frontend.data.license_chars): windows and their targets never cross
# a block (the unit the split deals out), targets follow their windows.
#
# REQUIRES: torch-mlir, iree
# RUN: %python %s | FileCheck %s
# CHECK: cnn: IREE matches PyTorch
# CHECK: transformer: IREE matches PyTorch
# CHECK: license_chars: ok

import sys

import numpy as np
import torch

from lin_frontend import export_torch
from lin_frontend.data import license_chars, license_text, one_hot
from lin_models import MODELS, build_cnn
from lin_models.transformer import CharTransformer
from lin_toolchain.iree import compile_iree


def check_iree(name, model, x):
    """Exports ``model`` with a dynamic batch; IREE's outputs on ``x`` (a
    batch size other than the example's) must match PyTorch's."""
    model.eval()
    text = export_torch(model, torch.from_numpy(x[:2]), dynamic_batch=True)
    with torch.no_grad():
        reference = model(torch.from_numpy(x)).numpy()
    got = compile_iree(text)(x)
    error = float(np.abs(got - reference).max()) / max(1.0, float(np.abs(reference).max()))
    if got.shape != reference.shape or error > 1e-4:
        sys.exit(f"FAILED: {name}: shape {got.shape} vs {reference.shape}, relative error {error}")
    print(f"{name}: IREE matches PyTorch (relative error {error:.1e})")


def check_license_chars():
    """The split of the benchmark's character data: every target is the
    character after its window in the text, and every window and its target
    lie inside one block (blocks are what the split deals out)."""
    window, block = 8, 64
    split = license_chars(window=window, block=block, n_calib=30, n_test=30)
    alphabet = split.feature_names
    index = {c: i for i, c in enumerate(alphabet[:-1])}
    ids = np.array([index.get(c, len(alphabet) - 1) for c in license_text()])
    spans = np.lib.stride_tricks.sliding_window_view(ids, window + 1)
    for name, x, y in (("train", split.x_train[::4999], split.y_train[::4999]),
                       ("calib", split.x_calib, split.y_calib), ("test", split.x_test, split.y_test)):
        for w, target in zip(x, y):
            hits = np.flatnonzero(np.all(spans == np.append(w, target), axis=1))
            assert len(hits), f"{name}: a window and its target are not in the text"
            assert (hits % block + window < block).any(), f"{name}: a window crosses two blocks"
    assert split.x_calib.shape == (30, window) and split.y_test.shape == (30,)
    assert one_hot(split.x_test, len(alphabet)).shape == (30, window, len(alphabet))
    print("license_chars: ok")


def main():
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    cnn = build_cnn((1, 12, 12), (4, 8), (16,), 5)
    check_iree("cnn", cnn, rng.uniform(0, 1, (3, 1, 12, 12)).astype(np.float32))
    transformer = CharTransformer(vocab=11, window=6, d_model=16, heads=2, ffn=32, layers=1)
    x = one_hot(rng.integers(0, 11, (3, 6)), 11)
    check_iree("transformer", transformer, x)
    check_license_chars()
    # The specs added for issue 12 leave the MLPs' cache keys as they were.
    assert "architecture" not in MODELS["digits"].key()
    assert MODELS["fmnist_cnn"].key()["architecture"] == "cnn"


if __name__ == "__main__":
    main()
