#!/usr/bin/env python3
"""Train lin's Fashion-MNIST demo MLP and export it to examples/fashion_mnist/.

Model: 784-256-128-10 MLP with ReLU (nn.Sequential of Linear/ReLU only, the
form the paper's reference implementation handles), trained on CPU with Adam.
Everything is seeded and deterministic (reruns reproduce the committed files
bit for bit); training takes 30-100 s on 2 cores depending on machine load.

Data (lin_frontend.data.fashion_mnist, seed 0): the 60,000 training images are
shuffled into 50,000 training and 10,000 validation images; the official
10,000 test images are the test set. Pixels are scaled to [0, 1] and
flattened.

Writes to --out (default examples/fashion_mnist/):
  model.mlir   linalg-on-tensors IR (torch-mlir FX route), dynamic batch
  calib.npy    float32 [n_calib, 784]: the first n_calib validation images
  calib_y.npy  int64   [n_calib]
  test_x.npy   float32 [n_test, 784]: the first n_test official test images
  test_y.npy   int64   [n_test]
and prints the metrics recorded in examples/fashion_mnist/README.md. The
exported IR is run through IREE on test_x and must give the same predictions
as PyTorch.

Usage:  .venv/bin/python python/train_demo.py [--epochs 20] [--out DIR] [--save-pt model.pt]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "python"))

from lin_frontend import export_torch, write_text  # noqa: E402
from lin_frontend.data import fashion_mnist  # noqa: E402
from lin_frontend.iree_run import run_iree  # noqa: E402

SEED = 0
HIDDEN = (256, 128)


def build_model(hidden=HIDDEN, n_in: int = 784, n_out: int = 10) -> nn.Sequential:
    layers, prev = [], n_in
    for h in hidden:
        layers += [nn.Linear(prev, h), nn.ReLU()]
        prev = h
    layers.append(nn.Linear(prev, n_out))
    return nn.Sequential(*layers)


@torch.no_grad()
def predict(model: nn.Module, x: np.ndarray, batch: int = 4096) -> np.ndarray:
    model.eval()
    out = [model(torch.from_numpy(x[i : i + batch])) for i in range(0, len(x), batch)]
    return torch.cat(out).numpy()


def accuracy(logits: np.ndarray, y: np.ndarray) -> float:
    return float((logits.argmax(axis=1) == y).mean())


def train(model, x, y, epochs: int, batch_size: int, lr: float, seed: int, log=print):
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(xt), generator=g)
        total = 0.0
        for i in range(0, len(xt), batch_size):
            idx = perm[i : i + batch_size]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        log(f"epoch {epoch + 1:2d}/{epochs}  train loss {total / len(xt):.4f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(REPO / "examples" / "fashion_mnist"))
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--n-calib", type=int, default=1000)
    ap.add_argument("--n-test", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--save-pt", help="also torch.save the state_dict here (not committed)")
    args = ap.parse_args(argv)

    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)

    t0 = time.time()
    data = fashion_mnist(n_calib=10000, seed=SEED)
    model = build_model()
    train(model, data.x_train, data.y_train, args.epochs, args.batch_size, args.lr, SEED)
    train_time = time.time() - t0
    model.eval()

    calib_x, calib_y = data.x_calib[: args.n_calib], data.y_calib[: args.n_calib]
    test_x, test_y = data.x_test[: args.n_test], data.y_test[: args.n_test]
    logits = predict(model, test_x)
    metrics = {
        "train_seconds": round(train_time, 1),
        "epochs": args.epochs,
        "val_acc_10000": accuracy(predict(model, data.x_calib), data.y_calib),
        "test_acc_full_10000": accuracy(predict(model, data.x_test), data.y_test),
        f"test_acc_test_x_{args.n_test}": accuracy(logits, test_y),
        f"calib_acc_{args.n_calib}": accuracy(predict(model, calib_x), calib_y),
    }

    text = export_torch(model, torch.zeros(1, 784), dynamic_batch=True)
    iree_logits = run_iree(text, test_x)
    metrics["iree_max_abs_diff"] = float(np.abs(iree_logits - logits).max())
    metrics["iree_test_acc"] = accuracy(iree_logits, test_y)
    if metrics["iree_test_acc"] != metrics[f"test_acc_test_x_{args.n_test}"]:
        raise AssertionError("IREE run of the exported IR disagrees with PyTorch")

    out = Path(args.out)
    write_text(out / "model.mlir", text)
    np.save(out / "calib.npy", np.ascontiguousarray(calib_x, dtype=np.float32))
    np.save(out / "calib_y.npy", np.ascontiguousarray(calib_y, dtype=np.int64))
    np.save(out / "test_x.npy", np.ascontiguousarray(test_x, dtype=np.float32))
    np.save(out / "test_y.npy", np.ascontiguousarray(test_y, dtype=np.int64))
    if args.save_pt:
        torch.save(model.state_dict(), args.save_pt)

    print(json.dumps(metrics, indent=1))
    for f in ("model.mlir", "calib.npy", "calib_y.npy", "test_x.npy", "test_y.npy"):
        print(f"  {out / f}  {os.path.getsize(out / f) / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
