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
import torch.nn as nn

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python"))

from lin_frontend import export_torch, write_text  # noqa: E402
from lin_frontend.data import fashion_mnist_paper_split  # noqa: E402

PAPER_SIZES = (784, 1024, 1024, 512, 512, 256, 256, 10)
SEED = 1


def build_paper_model(sizes=PAPER_SIZES) -> nn.Sequential:
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


@torch.no_grad()
def accuracy(model, x: np.ndarray, y: np.ndarray, batch: int = 2000) -> float:
    model.eval()
    correct = 0
    for i in range(0, len(x), batch):
        correct += int((model(torch.from_numpy(x[i : i + batch])).argmax(1).numpy() == y[i : i + batch]).sum())
    return correct / len(x)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--epochs", type=int, default=0, help="SGD epochs (0 = untrained default init)")
    ap.add_argument("--with-test", action="store_true", help="also write the 10,000 test images")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)

    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)

    data = fashion_mnist_paper_split()
    model = build_paper_model()
    info = {"sizes": list(PAPER_SIZES), "params": sum(p.numel() for p in model.parameters()),
            "epochs": args.epochs}

    t0 = time.time()
    if args.epochs > 0:
        g = torch.Generator().manual_seed(SEED)
        opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        xt, yt = torch.from_numpy(data.x_train), torch.from_numpy(data.y_train)
        for epoch in range(args.epochs):
            model.train()
            perm = torch.randperm(len(xt), generator=g)
            for i in range(0, len(xt), 32):
                idx = perm[i : i + 32]
                opt.zero_grad(set_to_none=True)
                loss_fn(model(xt[idx]), yt[idx]).backward()
                opt.step()
            print(f"epoch {epoch + 1}/{args.epochs}: val acc {accuracy(model, data.x_calib, data.y_calib):.4f}")
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
