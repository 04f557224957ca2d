# Op by op, the PyTorch translation (lin_cli.to_torch, lin_cli.torch_ops)
# computes what lin-run computes, NaN and infinity included: every math op
# a linalg.generic body may hold, the binary float ops, and reductions with
# each combiner (sum, product, max / min propagating NaN, maxnumf / minnumf
# ignoring it, and / or over i1), into an identity and a non-identity initial
# value, over the last loop, over two loops (keepdim, as an average pool)
# and with the combiner's operands in either order; linalg.map,
# linalg.reduce and linalg.softmax (hand-written IR). The data has NaN in
# some rows, a row of NaN only, infinities, signed zeros and halves (for
# math.round, which rounds them away from zero, and roundeven).
#
# REQUIRES: torch-mlir
# RUN: %python %s | FileCheck %s

import os
import sys
import tempfile

import numpy as np
import torch

from lin_cli.to_torch import module_from_mlir
from lin_testing.tools import run_tool

UNARY = ["exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "tanh", "sqrt", "rsqrt",
         "erf", "sin", "cos", "tan", "atan", "absf", "floor", "ceil", "round", "roundeven",
         "trunc"]
BINARY = ["arith.remf", "math.powf", "math.atan2", "math.copysign", "arith.maximumf",
          "arith.minimumf", "arith.maxnumf", "arith.minnumf"]
# (combiner, initial value, f(x) before it, the output read first).
REDUCTIONS = [("addf", "0.0", None, False), ("addf", "1.5", "mulf", True),
              ("mulf", "1.0", None, False), ("maximumf", "0xFF800000", None, False),
              ("maximumf", "0.5", None, True), ("minimumf", "0x7F800000", None, False),
              ("maxnumf", "0xFF800000", None, False), ("maxnumf", "0.25", None, True),
              ("minnumf", "0x7F800000", "mulf", False)]

HEADER = """func.func @main(%x: tensor<?x8xf32>) -> tensor<{result}xf32> {{
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x8xf32>
"""
IDENTITY2 = "affine_map<(d0, d1) -> (d0, d1)>"


def elementwise(op: str, binary: bool) -> str:
    """``op`` on every element (and, binary, on the constant row ``w``)."""
    name = op if "." in op else f"math.{op}"
    if binary:
        operands, ins = "%a, %w", "ins(%x, %cw : tensor<?x8xf32>, tensor<8xf32>)"
        maps = f"[{IDENTITY2}, affine_map<(d0, d1) -> (d1)>, {IDENTITY2}]"
        block = "^bb0(%a: f32, %w: f32, %o: f32):"
        constant = ("  %cw = arith.constant dense<[2.0, -0.5, 0.0, -0.0, 3.0, 0x7FC00000, "
                    "0x7F800000, 1.5]> : tensor<8xf32>\n")
    else:
        operands, ins = "%a", "ins(%x : tensor<?x8xf32>)"
        maps = f"[{IDENTITY2}, {IDENTITY2}]"
        block = "^bb0(%a: f32, %o: f32):"
        constant = ""
    return (HEADER.format(result="?x8") + constant + f"""  %e = tensor.empty(%n) : tensor<?x8xf32>
  %r = linalg.generic {{indexing_maps = {maps}, iterator_types = ["parallel", "parallel"]}}
      {ins} outs(%e : tensor<?x8xf32>) {{
  {block}
    %y = {name} {operands} : f32
    linalg.yield %y : f32
  }} -> tensor<?x8xf32>
  return %r : tensor<?x8xf32>
}}
""")


def reduction(combiner: str, init: str, before, out_first: bool, two_loops: bool) -> str:
    """A reduction of x (each row; or, two_loops, each row as 2 x 4 into a
    [n, 1, 1] output) into a fill of ``init``."""
    x = "%a" if before is None else "%s"
    prepare = "" if before is None else f"    %s = arith.{before} %a, %a : f32\n"
    operands = f"%o, {x}" if out_first else f"{x}, %o"
    body = f"""  ^bb0(%a: f32, %o: f32):
{prepare}    %y = arith.{combiner} {operands} : f32
    linalg.yield %y : f32"""
    if two_loops:
        return (HEADER.format(result="?x1x1") + f"""  %x3 = tensor.expand_shape %x [[0], [1, 2]] output_shape [%n, 2, 4]
      : tensor<?x8xf32> into tensor<?x2x4xf32>
  %init = arith.constant {init} : f32
  %e = tensor.empty(%n) : tensor<?x1x1xf32>
  %f = linalg.fill ins(%init : f32) outs(%e : tensor<?x1x1xf32>) -> tensor<?x1x1xf32>
  %r = linalg.generic {{indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>,
      affine_map<(d0, d1, d2) -> (d0, 0, 0)>],
      iterator_types = ["parallel", "reduction", "reduction"]}}
      ins(%x3 : tensor<?x2x4xf32>) outs(%f : tensor<?x1x1xf32>) {{
{body}
  }} -> tensor<?x1x1xf32>
  return %r : tensor<?x1x1xf32>
}}
""")
    return (HEADER.format(result="?") + f"""  %init = arith.constant {init} : f32
  %e = tensor.empty(%n) : tensor<?xf32>
  %f = linalg.fill ins(%init : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  %r = linalg.generic {{indexing_maps = [{IDENTITY2}, affine_map<(d0, d1) -> (d0)>],
      iterator_types = ["parallel", "reduction"]}}
      ins(%x : tensor<?x8xf32>) outs(%f : tensor<?xf32>) {{
{body}
  }} -> tensor<?xf32>
  return %r : tensor<?xf32>
}}
""")


def boolean_reduction(combiner: str, init: str) -> str:
    """``andi`` / ``ori`` of x > 0 over each row, as 1.0 / 0.0."""
    return HEADER.format(result="?") + f"""  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %init = arith.constant {init}
  %e8 = tensor.empty(%n) : tensor<?x8xi1>
  %positive = linalg.generic {{indexing_maps = [{IDENTITY2}, {IDENTITY2}],
      iterator_types = ["parallel", "parallel"]}}
      ins(%x : tensor<?x8xf32>) outs(%e8 : tensor<?x8xi1>) {{
  ^bb0(%a: f32, %o: i1):
    %p = arith.cmpf ogt, %a, %zero : f32
    linalg.yield %p : i1
  }} -> tensor<?x8xi1>
  %eb = tensor.empty(%n) : tensor<?xi1>
  %f = linalg.fill ins(%init : i1) outs(%eb : tensor<?xi1>) -> tensor<?xi1>
  %all = linalg.generic {{indexing_maps = [{IDENTITY2}, affine_map<(d0, d1) -> (d0)>],
      iterator_types = ["parallel", "reduction"]}}
      ins(%positive : tensor<?x8xi1>) outs(%f : tensor<?xi1>) {{
  ^bb0(%a: i1, %o: i1):
    %y = arith.{combiner} %a, %o : i1
    linalg.yield %y : i1
  }} -> tensor<?xi1>
  %e = tensor.empty(%n) : tensor<?xf32>
  %r = linalg.generic {{indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
      iterator_types = ["parallel"]}} ins(%all : tensor<?xi1>) outs(%e : tensor<?xf32>) {{
  ^bb0(%a: i1, %o: f32):
    %y = arith.select %a, %one, %zero : f32
    linalg.yield %y : f32
  }} -> tensor<?xf32>
  return %r : tensor<?xf32>
}}
"""


NAMED = {
    "linalg.map": """  %e = tensor.empty(%n) : tensor<?x8xf32>
  %r = linalg.map ins(%x, %x : tensor<?x8xf32>, tensor<?x8xf32>) outs(%e : tensor<?x8xf32>)
      (%a: f32, %b: f32, %o: f32) {
    %m = arith.mulf %a, %b : f32
    %y = math.tanh %m : f32
    linalg.yield %y : f32
  }
  return %r : tensor<?x8xf32>
}
""",
    "linalg.reduce": """  %init = arith.constant 0xFF800000 : f32
  %e = tensor.empty(%n) : tensor<?xf32>
  %f = linalg.fill ins(%init : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  %r = linalg.reduce ins(%x : tensor<?x8xf32>) outs(%f : tensor<?xf32>) dimensions = [1]
      (%a: f32, %o: f32) {
    %y = arith.maxnumf %a, %o : f32
    linalg.yield %y : f32
  }
  return %r : tensor<?xf32>
}
""",
    "linalg.softmax": """  %e = tensor.empty(%n) : tensor<?x8xf32>
  %r = linalg.softmax dimension(1) ins(%x : tensor<?x8xf32>) outs(%e : tensor<?x8xf32>)
      -> tensor<?x8xf32>
  return %r : tensor<?x8xf32>
}
""",
}
RESULTS = {"linalg.map": "?x8", "linalg.reduce": "?", "linalg.softmax": "?x8"}


def data() -> np.ndarray:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, 8)).astype(np.float32) * 3
    x[0] = [0.5, 1.5, 2.5, -0.5, -2.5, 0.49999997, -0.0, 0.0]
    x[1] = [np.nan, 1.0, -2.0, 3.0, np.inf, -1.0, 0.25, 4.0]
    x[2] = np.nan
    x[3] = [np.inf, -np.inf, 1.0, 2.0, -3.0, 0.5, np.nan, 0.0]
    x[4] = np.abs(x[4]) + 0.1  # all positive (andi true)
    x[5] = -np.abs(x[5])  # none positive (ori false)
    return x


def main():
    tmp = tempfile.mkdtemp()
    x = data()
    inputs, outputs = os.path.join(tmp, "x.npy"), os.path.join(tmp, "y.npy")
    np.save(inputs, x)
    cases = [(f"math.{op}" if "." not in op else op, elementwise(op, False)) for op in UNARY]
    cases += [(op, elementwise(op, True)) for op in BINARY]
    for combiner, init, before, out_first in REDUCTIONS:
        for two_loops in (False, True):
            name = (f"reduce {combiner} init {init}" + (f" of {before}" if before else "")
                    + (" (output first)" if out_first else "") + (" over 2 loops" if two_loops
                                                                 else ""))
            cases.append((name, reduction(combiner, init, before, out_first, two_loops)))
    cases += [("reduce andi init true", boolean_reduction("andi", "true")),
              ("reduce ori init false", boolean_reduction("ori", "false"))]
    cases += [(op, HEADER.format(result=RESULTS[op]) + body) for op, body in NAMED.items()]
    failures = []
    for name, text in cases:
        path = os.path.join(tmp, "op.mlir")
        with open(path, "w") as f:
            f.write(text)
        run_tool(["lin-run", path, "--input", inputs, "--output", outputs, "--quiet"])
        want = np.load(outputs)
        module, _ = module_from_mlir(text)
        with torch.no_grad():
            got = module(torch.from_numpy(x)).numpy()
        same = got.shape == want.shape and np.allclose(got, want, rtol=1e-5, atol=1e-6,
                                                       equal_nan=True)
        if not same:
            failures.append(f"{name}:\n  torch   {got.tolist()}\n  lin-run {want.tolist()}")
    if failures:
        sys.exit("FAILED:\n" + "\n".join(failures))
    print(f"ok: {len(cases)} ops agree with lin-run")


if __name__ == "__main__":
    main()
# CHECK: ok: 52 ops agree with lin-run
