# Property test of --linearity-align on random folded MLPs of every
# activation kind, checked with an independent executor: the folded and the
# aligned IR are compiled and run by IREE and compared with each other and
# with a float64 numpy forward pass of the original model.
#
# REQUIRES: iree
# RUN: %python %s 3

import os
import re
import sys
import tempfile

import numpy as np

from lin_testing.random_mlp import annotated_model_files
from lin_testing.tools import run_tool as run
from lin_toolchain.iree import run_iree_batched

REMARK = re.compile(r"linearity-align: padded (.*) to multiples of (\d+); "
                    r"weight elements (\d+) -> (\d+)")


def widths(text):
    """Feature widths of every 2-D tensor type in `text`."""
    return {int(w) for w in re.findall(r"tensor<(?:\?|\d+)x(\d+)xf32>", text)}


def main():
    seeds = int(sys.argv[1])
    padded_total = 0
    tmp = tempfile.mkdtemp()
    for seed, kind, model, x, reference, source in annotated_model_files(tmp, seeds):
        layout = ("in-out", "out-in")[seed % 2]
        folded = run(["lin-opt", source,
                      # The alignment reads batch-major IR.
                      f"--linearity-fold=weight-layout={layout} "
                      f"activation-layout=batch-major align=1"])
        folded_out = run_iree_batched(
            run(["mlir-opt", "--linalg-generalize-named-ops"], folded),
            x, model.batch)
        for multiple in (4, 16):
            name = f"seed {seed} {kind} {layout} multiple={multiple}"
            aligned_path = os.path.join(tmp, f"aligned{seed}{kind}{multiple}.mlir")
            remark_path = aligned_path + ".remarks"
            with open(os.path.join(tmp, "folded.mlir"), "w") as f:
                f.write(folded)
            # Remarks go to stderr: run through a shell to keep them.
            cmd = (f"lin-opt {os.path.join(tmp, 'folded.mlir')} "
                   f"--linearity-align='multiple={multiple} "
                   f"weight-layout={layout} activation-layout=batch-major verbose=1' "
                   f"-o {aligned_path} 2> {remark_path}")
            if os.system(cmd) != 0:
                sys.exit(f"FAILED: {name}: lin-opt failed")
            with open(aligned_path) as f:
                aligned = f.read()
            with open(remark_path) as f:
                remarks = f.read()
            # Each padded layer's new width is the next multiple.
            match = REMARK.search(remarks)
            if match:
                for old, new in re.findall(r"(\d+) -> (\d+)", match.group(1)):
                    assert int(new) % multiple == 0 and 0 < int(new) - int(old) < multiple, (name, old, new)
                    assert int(new) in widths(aligned), (name, new)
                padded_total += match.group(1).count("->")
                before, after = int(match.group(3)), int(match.group(4))
                # Zeros are stored: the count grows, never shrinks.
                assert after >= before, (name, before, after)
            else:
                # (No remark at all when no activation is left.)
                assert "no layer padded" in remarks or not remarks.strip(), (name, remarks)
            # The input and output widths are kept.
            assert run(["lin-opt"], aligned).count(
                f"-> tensor<{'?' if model.batch is None else model.batch}x{reference.shape[1]}xf32>") >= 1, name
            # Aligning again pads nothing.
            again = os.popen(f"lin-opt {aligned_path} -o /dev/null "
                             f"--linearity-align='multiple={multiple} verbose=1' 2>&1").read()
            assert "linearity-align: padded" not in again, (name, again)
            got = run_iree_batched(
                run(["mlir-opt", "--linalg-generalize-named-ops"], aligned),
                x, model.batch)
            scale = max(1.0, float(np.abs(reference).max()))
            vs_folded = float(np.abs(got - folded_out).max()) / scale
            vs_reference = float(np.abs(got - reference).max()) / scale
            if vs_folded > 1e-5 or vs_reference > 1e-4:
                sys.exit(f"FAILED: {name}: relative error {vs_folded} "
                         f"against the folded model, {vs_reference} "
                         f"against numpy")
        print(f"seed {seed} {kind}: ok")
    # The models have odd widths: a run that pads nothing tests nothing.
    assert padded_total > 0, padded_total
    print(f"ok: {padded_total} layers padded")


if __name__ == "__main__":
    main()
