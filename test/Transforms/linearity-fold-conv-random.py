# Property test of the conv fold on random small PyTorch CNNs (Conv2d ->
# BatchNorm2d in half of the models -> ReLU / Hardtanh -> none / max / max
# with padding / avg pooling, then a
# conv or flatten -> Linear head) whose channels are made dead or saturated
# by shifting their biases (the batch norm's when there is one: the channel
# is constant only through it), or (a third of the models) conv -> ReLU -> conv
# with mostly always-active channels, where identity channels merge.
# Exported through torch-mlir, profiled per channel (axis = 1) and folded by
# lin-opt at threshold 1.0. Checks, for every model:
#   * the report removes exactly the channels an independent rule says are
#     removable: in a constant piece on every sample, and constant 0 or no
#     zero padding before the consumer (one channel of a layer stays);
#   * the report's sizes are PyTorch's parameter counts before (with batch
#     norm's running mean and variance, which the IR stores), and the IR's
#     weights after;
#   * the folded IR, compiled and run by IREE, reproduces PyTorch's outputs
#     (dynamic and static batch);
#   * over all models, every case (each pooling and head, constants 0 and
#     +-1, a constant kept for zero padding, a merge, batch norm with a
#     removal and with a merge) occurs;
#   * `align`: on conv 64 -> 32 -> ReLU -> conv models with a random number
#     of dead channels, the fold keeps the dead count rounded down so that
#     the kept channels are a multiple of align (16, 8, 4, 1) when their
#     filter holds >= 8192 elements (FoldAlignment.h), and IREE still
#     reproduces PyTorch.
#
# REQUIRES: torch, iree
# RUN: %python %s

import collections
import json
import os
import tempfile

import numpy as np
import torch

from lin_frontend.export import export_torch
from lin_testing.random_cnn import activation_of, random_cnn
from lin_testing.tools import run_tool as run
from lin_testing.weights import count_weights
from lin_toolchain.iree import run_iree_batched

MODELS = 6
SEED = int(os.environ.get("LIN_CONV_SEED", 7))
POOLS = ["max", "none", "maxpad", "avg"]
SIZE = 8
# The value of each constant piece, per activation (Hardtanh: clamp(-1, 1)).
CONSTANT_PIECES = {"relu": {0: 0.0}, "hardtanh": {0: -1.0, 2: 1.0}}


def consumer_zero_padding(model, index):
    """Whether the op reading block `index`'s value pads it with zeros."""
    if index + 1 < len(model.blocks):
        return model.blocks[index + 1].conv.padding[0] > 0
    return not model.flatten and model.head.padding[0] > 0


def expected_removed(model, pre, seen):
    """Channels removed per block; `seen` counts what the model exercises."""
    removed = []
    for index, (block, z) in enumerate(zip(model.blocks, pre)):
        activation = activation_of(block.activation)
        pieces = activation.pieces(np.moveaxis(z, 1, -1).reshape(-1, z.shape[1]))
        removable = 0
        for channel in range(z.shape[1]):
            column = pieces[:, channel]
            piece = column[0]
            constant = CONSTANT_PIECES[block.activation].get(int(piece))
            if not (column == piece).all() or constant is None:
                continue
            if constant != 0 and consumer_zero_padding(model, index):
                seen["kept: constant meets zero padding"] += 1
                continue
            removable += 1
            seen["removed: constant " + ("0" if constant == 0 else "+-1")] += 1
        removed.append(min(removable, z.shape[1] - 1))
    return removed


def aligned_kept(kept, align, channels=32, filter_inputs=64 * 9):
    """The independent rule: round up to align unless the kept filter has
    under 8192 elements or the rounded count exceeds the layer."""
    rounded = -(-kept // align) * align
    return rounded if kept * filter_inputs >= 8192 and rounded <= channels else kept


def check_alignment(rng, tmp):
    """Conv(64 -> 32, 3x3) -> ReLU -> Conv(32 -> 4, 3x3) with `dead` channels
    shifted into ReLU's constant piece, folded at several aligns."""
    for trial in range(3):
        dead = int(rng.integers(1, 20))
        model = torch.nn.Sequential(torch.nn.Conv2d(64, 32, 3), torch.nn.ReLU(), torch.nn.Conv2d(32, 4, 3))
        with torch.no_grad():
            model[0].bias[32 - dead:] = -1e3
        x = rng.standard_normal((8, 64, 7, 7)).astype(np.float32)
        with torch.no_grad():
            expected = model(torch.from_numpy(x)).numpy()
        path, data = os.path.join(tmp, f"align{trial}.mlir"), os.path.join(tmp, f"align{trial}.npy")
        open(path, "w").write(export_torch(model, torch.from_numpy(x[:2]), dynamic_batch=True))
        np.save(data, x)
        profiled = run(["lin-opt", path, f"--linearity-profile=data={data} quiet=1"])
        open(path, "w").write(profiled)
        for align in (16, 8, 4, 1):
            report_path = os.path.join(tmp, f"align{trial}.json")
            folded = run(["lin-opt", path, f"--linearity-fold=align={align} report={report_path}"])
            report = json.load(open(report_path))
            assert report["params_after"] == count_weights(folded), (dead, align)
            row = report["layers"][0]
            kept = aligned_kept(32 - dead, align)
            assert row["kept"] == row["emitted_width"] == kept, (dead, align, row)
            assert f"tensor<{kept}x64x3x3xf32>" in folded, (dead, align)
            got = run_iree_batched(folded, x, None)
            assert float(np.abs(got - expected).max()) <= 1e-4 * max(1.0, float(np.abs(expected).max()))
        print(f"align: {dead} dead channels of 32 kept as {[aligned_kept(32 - dead, a) for a in (16, 8, 4, 1)]}")


def main():
    rng = np.random.default_rng(SEED)
    tmp = tempfile.mkdtemp()
    seen = collections.Counter()
    for seed in range(MODELS):
        # Each pooling, head and the mergeable form by construction; the
        # rest drawn.
        mergeable = seed % 3 == 2
        # Batch norm with either head and in a mergeable model.
        norm = seed in (1, 4, 5)
        model, channels = random_cnn(rng, SIZE, pool=POOLS[(seed - seed // 3) % len(POOLS)],
                                     flatten=seed % 2 == 0, mergeable=mergeable, norm=norm)
        x = rng.standard_normal((16, channels, SIZE, SIZE)).astype(np.float32)
        with torch.no_grad():
            expected = model(torch.from_numpy(x)).numpy()
        path = os.path.join(tmp, f"cnn{seed}.mlir")
        # Dynamic and static batch (torch-mlir's tensor.empty takes the batch
        # as an operand or not).
        batch = None if seed % 2 else 2
        open(path, "w").write(export_torch(model, torch.from_numpy(x[:2]),
                                           dynamic_batch=batch is None))
        data = os.path.join(tmp, f"cnn{seed}.npy")
        np.save(data, x)
        profiled = os.path.join(tmp, f"cnn{seed}.profiled.mlir")
        run(["lin-opt", path, f"--linearity-profile=data={data} quiet=1", "-o", profiled])
        report_path = os.path.join(tmp, f"cnn{seed}.json")
        folded = run(["lin-opt", profiled, f"--linearity-fold=report={report_path}"])
        report = json.load(open(report_path))
        pre = model.pre_activations(torch.from_numpy(x))
        rows = [row for row in report["layers"] if row["name"].startswith("conv_")]
        want = expected_removed(model, pre, seen)
        assert [row["removed"] for row in rows] == want, (seed, rows, want)
        seen.update("pool " + b.pool for b in model.blocks)
        seen["flatten head" if model.flatten else "conv head"] += 1
        params = sum(p.numel() for p in model.parameters()) + sum(
            b.numel() for name, b in model.named_buffers() if name.endswith(("running_mean", "running_var")))
        assert report["params_before"] == params, (seed, report["params_before"], params)
        assert report["params_after"] == count_weights(folded), seed
        assert report["params_after"] < params or sum(want) == 0, seed
        got = run_iree_batched(folded, x, batch)
        error = float(np.abs(got - expected).max()) / max(1.0, float(np.abs(expected).max()))
        assert error <= 1e-4, (seed, error)
        seen["merged"] += sum(row["folded"] for row in rows)
        if norm:
            seen["batch norm: removed"] += sum(want)
            seen["batch norm: merged"] += sum(row["folded"] for row in rows)
        print(f"cnn{seed}: removed {want}, merged {[row['folded'] for row in rows]}, {params} -> {report['params_after']} "
              f"parameters, max relative error {error:.1e}")
    check_alignment(rng, tmp)
    # The models must exercise every case, not only refusals.
    print(dict(sorted(seen.items())))
    for case in ["removed: constant 0", "removed: constant +-1",
                 "kept: constant meets zero padding", "pool none", "pool max",
                 "pool maxpad", "pool avg", "flatten head", "conv head", "merged",
                 "batch norm: removed", "batch norm: merged"]:
        assert seen[case] > 0, case


if __name__ == "__main__":
    main()
