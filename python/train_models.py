#!/usr/bin/env python3
"""Train and export lin's benchmark models (deterministic, CPU).

Each model (see lin_models/benchmark.py, MODELS) is trained with fixed seeds,
exported to linalg-on-tensors MLIR with a dynamic batch dimension and written
with its calibration / test data to CACHE/<name>/ (default benchmarks/.cache/,
git-ignored). Models already in the cache with the same spec are skipped.

  fmnist_paper    784-1024-1024-512-512-256-256-10, trained as the paper's code
                  (softmax head, SGD 0.005/0.9, batch 32, <= 20 epochs, early
                  stopping patience 3 on the 10,000-image validation split);
                  --paper-max-epochs caps the schedule (~130 s per epoch here)
  fmnist_adam     same architecture, Adam + cross-entropy on logits
  breast_cancer, wine, digits, iris   the paper's tabular MLP 64-128-128-256-256
  titanic         the paper's 11-25-50-100-100-100-100-2 net, the paper's test/prune files
  digits_leaky, digits_relu6          LeakyReLU(0.1) / ReLU6 variants
  digits_onnx     the digits model exported through torch.onnx + the ONNX importer
  fmnist_cnn      issue 12's CNN: conv 32-64-128 (ReLU, max pooling), dense 256, on
                  Fashion-MNIST images [N, 1, 28, 28]
  char_transformer  issue 12's transformer: 2 encoder layers (d_model 64, ReLU FFN 256)
                  predicting the next character of Debian's licence texts

The paper's models are trained on --threads (2) torch threads; pass
--threads 1 on a shared machine.

Usage:
  .venv/bin/python python/train_models.py [--cache DIR] [--models a,b] [--paper-max-epochs N] [--force]
  .venv/bin/python python/train_models.py --list
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lin_models import DEFAULT_CACHE, MODELS, ensure_models  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", default=str(DEFAULT_CACHE))
    ap.add_argument("--models", help="comma-separated subset (default: all)")
    ap.add_argument("--paper-max-epochs", type=int, default=None,
                    help="cap the paper SGD schedule (default: the paper's 20 epochs)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--force", action="store_true", help="retrain even if cached")
    ap.add_argument("--list", action="store_true", help="list the models and exit")
    args = ap.parse_args(argv)
    if args.list:
        for spec in MODELS.values():
            print(f"{spec.name:14s} {spec.description}")
        return 0
    names = args.models.split(",") if args.models else None
    infos = ensure_models(names, args.cache, paper_max_epochs=args.paper_max_epochs,
                          threads=args.threads, force=args.force, log=lambda m: print(m, flush=True))
    print(json.dumps([{k: i[k] for k in ("name", "params", "epochs_run", "torch_test_acc", "train_seconds")}
                      for i in infos], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
