# A chain of 20,000 elementwise ops is valid IR, and lin's passes and lin-run
# handle it: no recursion over the use-def graph (a chain as long as the
# model) uses the call stack. The tools run with a 1 MiB stack, where a
# recursion once per op of this chain overflows as one over 100,000 ops does
# with the usual 8 MiB (before lin walked the graph iteratively, profile,
# fold, align and prove crashed here with SIGSEGV).
#
# The model: x -> |.| 20,000 times (not affine: kept, a root of the folded
# forms) -> matmul W1 -> ReLU -> (* 2, * 0.5) 10,000 times (affine, exactly
# the identity: folded into the next matmul) -> matmul W2. Numbers are
# checked against numpy; the fold's output with FileCheck.
#
# REQUIRES: numpy
# RUN: %python %s %t | FileCheck %s

import os
import re
import resource
import subprocess
import sys

import numpy as np

from lin_testing.tools import run_tool as run

DEPTH = 20000
W1 = np.array([[1.0, -2.0], [3.0, -4.0]], np.float32)
W2 = np.array([[1.0, 2.0], [-1.0, 0.5]], np.float32)


def generic(result, operand, body):
    return (f'  {result} = linalg.generic {{indexing_maps = [#id, #id], '
            f'iterator_types = ["parallel", "parallel"]}} '
            f'ins({operand} : tensor<?x2xf32>) outs(%e : tensor<?x2xf32>) {{\n'
            f'  ^bb0(%in: f32, %out: f32):\n{body}'
            f'    linalg.yield %r : f32\n  }} -> tensor<?x2xf32>')


def scale_body(index):
    factor = 2.0 if index % 2 == 0 else 0.5
    return (f'    %c = arith.constant {factor} : f32\n'
            f'    %r = arith.mulf %in, %c : f32\n')


def model(first_chain):
    """The model's IR; `first_chain` is the body of the ops before W1."""
    def matrix(w):
        return "[" + ", ".join("[" + ", ".join(str(v) for v in row) + "]"
                               for row in w) + "]"
    lines = [
        "#id = affine_map<(d0, d1) -> (d0, d1)>",
        "func.func @deep(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {",
        "  %zero = arith.constant 0.0 : f32",
        "  %c0 = arith.constant 0 : index",
        "  %n = tensor.dim %x, %c0 : tensor<?x2xf32>",
        "  %e = tensor.empty(%n) : tensor<?x2xf32>",
        "  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x2xf32>) -> tensor<?x2xf32>",
        f"  %w1 = arith.constant dense<{matrix(W1)}> : tensor<2x2xf32>",
        f"  %w2 = arith.constant dense<{matrix(W2)}> : tensor<2x2xf32>",
    ]

    def chain_then_matmul(name, start, body, weight):
        """DEPTH ops of `body` from `start`, then a matmul with `weight`."""
        previous = start
        for i in range(DEPTH):
            lines.append(generic(f"%{name}{i}", previous, body(i)))
            previous = f"%{name}{i}"
        lines.append(f"  %m{weight} = linalg.matmul ins({previous}, %w{weight} : "
                     "tensor<?x2xf32>, tensor<2x2xf32>) outs(%f : tensor<?x2xf32>) "
                     "-> tensor<?x2xf32>")

    chain_then_matmul("b", "%x", first_chain, 1)
    lines.append(generic("%a", "%m1", "    %r = arith.maximumf %in, %zero : f32\n"))
    chain_then_matmul("g", "%a", scale_body, 2)
    lines.append("  return %m2 : tensor<?x2xf32>\n}")
    return "\n".join(lines) + "\n"


def lin_run(path, x_path):
    out_path = path + ".out.npy"
    run(["lin-run", path, f"--input={x_path}", f"--output={out_path}", "--quiet"])
    return np.load(out_path)


def check_close(name, got, want):
    if got.shape != want.shape or not np.allclose(got, want, rtol=1e-6, atol=1e-6):
        sys.exit(f"FAILED: {name}: lin-run gives\n{got}\nnumpy\n{want}")


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def main():
    tmp = sys.argv[1]
    os.makedirs(tmp, exist_ok=True)
    # The tools inherit the small stack.
    resource.setrlimit(resource.RLIMIT_STACK, (1 << 20, resource.RLIM_INFINITY))

    rng = np.random.default_rng(7)
    x = rng.standard_normal((8, 2)).astype(np.float32)
    x_path = os.path.join(tmp, "x.npy")
    np.save(x_path, x)
    z = np.abs(x) @ W1
    reference = np.maximum(z, 0) @ W2

    source = write(os.path.join(tmp, "abs.mlir"),
                   model(lambda i: "    %r = math.absf %in : f32\n"))
    check_close("the model", lin_run(source, x_path), reference)

    # Profile: z0 = |x0| + 3 |x1| > 0, z1 = -2 |x0| - 4 |x1| < 0.
    profiled = write(os.path.join(tmp, "profiled.mlir"),
                     run(["lin-opt", source,
                          f"--linearity-profile=data={x_path} quiet=true"]))
    with open(profiled) as f:
        profile = re.search(r"#lin.profile<relu, observed, samples = (\d+), "
                            r"counts = \[([^\]]*)\], minimum = \[([^\]]*)\], "
                            r"maximum = \[([^\]]*)\]>", f.read())
    counts = [int(v) for v in profile.group(2).split(",")]
    minimum = np.array([float(v) for v in profile.group(3).split(",")])
    maximum = np.array([float(v) for v in profile.group(4).split(",")])
    if (int(profile.group(1)) != 8 or counts != [0, 8, 8, 0] or
            not np.allclose(minimum, z.min(axis=0), rtol=1e-6) or
            not np.allclose(maximum, z.max(axis=0), rtol=1e-6)):
        sys.exit(f"FAILED: profile {profile.group(0)}, numpy min {z.min(axis=0)} "
                 f"max {z.max(axis=0)}")

    # Fold: the |.| chain stays, the scaling chain goes into the matmul after
    # the one live neuron (neuron 1 is never active).
    folded_text = run(["lin-opt", profiled, "--linearity-fold"])
    folded = write(os.path.join(tmp, "folded.mlir"), folded_text)
    check_close("the folded model", lin_run(folded, x_path), reference)
    print("absf kept:", folded_text.count("math.absf"))
    print("mulf left:", folded_text.count("arith.mulf"))
    for line in folded_text.splitlines():
        if "linalg.matmul" in line or "dense<" in line or "maximumf" in line:
            print(line.strip())
# CHECK: absf kept: 20000
# CHECK-NEXT: mulf left: 0
# CHECK: %cst{{.*}} = arith.constant dense<{{\[\[}}1.000000e+00, 3.000000e+00]]> : tensor<1x2xf32>
# CHECK-NEXT: linalg.matmul {{.*}}ins(%cst{{.*}}, %[[CHAIN:[0-9]+]] : tensor<1x2xf32>, tensor<?x2xf32>) outs({{.*}}) -> tensor<1x?xf32>
# CHECK: arith.maximumf
# CHECK: arith.constant dense<{{\[\[}}1.000000e+00], [2.000000e+00]]> : tensor<2x1xf32>
# CHECK-NEXT: linalg.matmul {{.*}} -> tensor<?x2xf32>

    # Align on a batch-major fold (the layout it reads), and the summary.
    batch_major = write(os.path.join(tmp, "batch-major.mlir"),
                        run(["lin-opt", profiled, "--linearity-fold="
                             "activation-layout=batch-major weight-layout=in-out"]))
    aligned = write(os.path.join(tmp, "aligned.mlir"),
                    run(["lin-opt", batch_major, "--linearity-align="
                         "activation-layout=batch-major weight-layout=in-out multiple=4"]))
    check_close("the aligned model", lin_run(aligned, x_path), reference)
    table = os.path.join(tmp, "summary.txt")
    run(["lin-opt", profiled, f"--linearity-summary=output={table}", "-o", os.devnull])
    with open(table) as f:
        print(f.read().strip())
# CHECK: relu_0 2 8 50.0 50.0 100.0

    # Prove on x in [-1, 1]^2 through an affine chain (* 2, * 0.5): the
    # bounds of z are exact, |W1| summed per column.
    scaled = write(os.path.join(tmp, "scaled.mlir"), model(scale_body))
    proven = run(["lin-opt", scaled, "--linearity-prove=lower=-1 upper=1"])
    print(re.search(r"#lin.profile<[^>]*>", proven).group(0))
# CHECK: #lin.profile<relu, proven, samples = 0, counts = [0, 0, 0, 0], minimum = [-4.000000e+00, -6.000000e+00], maximum = [4.000000e+00, 6.000000e+00]>


if __name__ == "__main__":
    main()
