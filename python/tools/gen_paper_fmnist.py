#!/usr/bin/env python3
"""Write the paper's Fashion-MNIST MLP to MLIR, plus 10,000 inputs (benchmark input).

Architecture (Dobler & Lemmerich, arXiv 2506.21146):
784-1024-1024-512-512-256-256-10 with ReLU, 2,840,586 parameters.

Weights are either PyTorch's default initialisation (``--epochs 0``, the
default: instant, for throughput benchmarks) or quickly trained with the
paper's optimiser settings (SGD lr 0.005, momentum 0.9, batch 32) for
``--epochs`` epochs on the paper's 50,000-image training split
(``random_split(..., generator=manual_seed(1))``). Fixed seeds.

Writes to OUT_DIR (not committed: the text IR is ~23 MB):
  paper_fmnist.mlir   linalg-on-tensors IR, dynamic batch (torch-mlir FX route)
  inputs.npy          float32 [10000, 784] in [0, 1]: the paper's validation
                      ("prune") split, i.e. its calibration data
  labels.npy          int64 [10000]
  test_x.npy/test_y.npy  the official 10,000 test images (with --with-test)
  info.json           parameter count, accuracy, seconds

Usage:  .venv/bin/python python/tools/gen_paper_fmnist.py OUT_DIR [--epochs N] [--with-test]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python"))

from lin_frontend import export_torch, write_text  # noqa: E402
from lin_frontend.data import fashion_mnist_paper_split  # noqa: E402
from lin_models import FMNIST_PAPER_SEED, FMNIST_PAPER_SIZES, accuracy, fmnist_paper_mlp, train  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--epochs", type=int, default=0, help="SGD epochs (0 = untrained default init)")
    ap.add_argument("--with-test", action="store_true", help="also write the 10,000 test images")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)

    torch.set_num_threads(args.threads)
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)

    data = fashion_mnist_paper_split()
    model = fmnist_paper_mlp()
    info = {"sizes": list(FMNIST_PAPER_SIZES), "params": sum(p.numel() for p in model.parameters()),
            "epochs": args.epochs}

    t0 = time.time()
    # The paper's optimiser settings, on logits (no softmax head), no early stopping.
    train(model, data, optimizer="sgd", lr=0.005, epochs=args.epochs, batch_size=32,
          seed=FMNIST_PAPER_SEED)
    info["train_seconds"] = round(time.time() - t0, 1)
    model.eval()
    info["val_acc"] = accuracy(model, data.x_calib, data.y_calib)
    info["test_acc"] = accuracy(model, data.x_test, data.y_test)

    t0 = time.time()
    text = export_torch(model, torch.zeros(1, 784), dynamic_batch=True)
    info["export_seconds"] = round(time.time() - t0, 1)
    write_text(out / "paper_fmnist.mlir", text)
    np.save(out / "inputs.npy", data.x_calib)
    np.save(out / "labels.npy", data.y_calib)
    if args.with_test:
        np.save(out / "test_x.npy", data.x_test)
        np.save(out / "test_y.npy", data.y_test)
    (out / "info.json").write_text(json.dumps(info, indent=1) + "\n")
    print(json.dumps(info, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
