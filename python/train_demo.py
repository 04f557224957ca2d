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

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "python"))

from lin_frontend import export_torch, write_text  # noqa: E402
from lin_frontend.data import fashion_mnist  # noqa: E402
from lin_models import accuracy, build_mlp, predict, train  # noqa: E402
from lin_toolchain.iree import run_iree  # noqa: E402

SEED = 0
HIDDEN = (256, 128)


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
    model = build_mlp(784, HIDDEN, 10)
    train(model, data, optimizer="adam", lr=args.lr, epochs=args.epochs,
          batch_size=args.batch_size, seed=SEED)
    train_time = time.time() - t0
    model.eval()

    calib_x, calib_y = data.x_calib[: args.n_calib], data.y_calib[: args.n_calib]
    test_x, test_y = data.x_test[: args.n_test], data.y_test[: args.n_test]
    logits = predict(model, test_x)
    metrics = {
        "train_seconds": round(train_time, 1),
        "epochs": args.epochs,
        "val_acc_10000": accuracy(model, data.x_calib, data.y_calib),
        "test_acc_full_10000": accuracy(model, data.x_test, data.y_test),
        f"test_acc_test_x_{args.n_test}": accuracy(model, test_x, test_y),
        f"calib_acc_{args.n_calib}": accuracy(model, calib_x, calib_y),
    }

    text = export_torch(model, torch.zeros(1, 784), dynamic_batch=True)
    iree_logits = run_iree(text, test_x)
    metrics["iree_max_abs_diff"] = float(np.abs(iree_logits - logits).max())
    metrics["iree_test_acc"] = float((iree_logits.argmax(1) == test_y).mean())
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
