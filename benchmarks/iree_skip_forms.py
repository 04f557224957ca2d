#!/usr/bin/env python3
"""Emission forms for skips from one batch-major root: IREE dispatches and time.

When the fold merges neurons, the layers after them read skips from the
layer before: with feature-major emission (lin's default), a root that is
batch-major (the model's input, or a layer the fold leaves alone) and that
several re-emitted layers read is read by one stacked matmul, of which each
reader adds its rows; the first reader, which reads nothing else, then costs
IREE an elementwise dispatch of its own (bias and activation), one more than
the original model. This script writes, with random weights, the forms that
were tried to remove it, on two shapes of the benchmark models, and counts
the dispatches IREE makes of each (lin_toolchain.iree.count_dispatches,
with IREE's default flags and with fusion flags, only as evidence: lin's
output must be fast with the default ones) and times them interleaved
against the stacked form (lin_toolchain.timing.latency, median of per-round
ratios) at batch 1, 16 and 256:

  stacked           lin's emission for an input root before it took the
                    first reader's rows in place: one stacked matmul, the
                    first reader's bias and activation an elementwise
                    dispatch over its rows
  re-emitted        (layer roots only) the kept layer re-emitted
                    feature-major, read in the readers' concatenations:
                    lin's emission for a kept layer (getReemittedSinks)
  split             the first reader's own matmul (bias and activation
                    fused), the other readers' rows stacked
  masked            one generic over all stacked rows, bias and activation
                    on the first reader's rows only (fused into the stacked
                    matmul's dispatch); its rows sliced for the later
                    concatenations
  in-place          (input roots only) masked, the first reader's rows
                    sliced from the result collapsed to one dimension and
                    expanded again (contiguous, so IREE copies them into
                    the concatenations as a transfer): lin's emission now
                    (isMaskedFirstReader, emitMaskedActivation,
                    emitLeadingRows)
  transposed-input  the root transposed once, then read like a
                    feature-major layer in every concatenation
  two-consumers     two elementwise consumers of the stacked matmul (the
                    first reader's rows with bias and activation, a copy of
                    the others), in the hope of one dispatch with two results

Shapes: `input`, fmnist_paper's refit (784 inputs; readers of 208, 160, 64,
64, 48, 64 neurons and the 10 outputs, each reading the input); `layer`,
digits lossless (64 inputs, a kept first layer of 64; readers of 22, 8, 21,
18 and 10).

Usage: .venv/bin/python benchmarks/iree_skip_forms.py [--budget 3]
Writes results/iree_skip_forms.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "python"))

from lin_toolchain.iree import compile_iree, count_dispatches, run_in_batches  # noqa: E402
from lin_toolchain.timing import latency  # noqa: E402

FORMS = ("stacked", "re-emitted", "split", "masked", "in-place", "transposed-input", "two-consumers")
SHAPES = {"input": (784, "input", 0, (208, 160, 64, 64, 48, 64)),
          "layer": (64, "layer", 64, (22, 8, 21, 18))}
FLAGS = ("--iree-dispatch-creation-fuse-multi-use", "--iree-dispatch-creation-enable-aggressive-fusion",
         "--iree-dispatch-creation-enable-fuse-horizontal-contractions")
BATCHES = (1, 16, 256)

rng = np.random.default_rng(0)
# The resource blobs of the function being written, by name.
RES = {}


def blob(name, arr):
    RES[name] = "0x04000000" + np.ascontiguousarray(arr, dtype="<f4").tobytes().hex()
    return name


class Writer:
    """The body of the function being written: SSA names, lines, constants
    (random, as resource blobs in RES)."""

    def __init__(self):
        self.lines = []
        self.n = 0
        self.consts = 0

    def v(self):
        self.n += 1
        return f"%v{self.n}"

    def emit(self, s):
        self.lines.append("    " + s)

    def const(self, shape):
        self.consts += 1
        name = blob(f"c{self.consts}", rng.standard_normal(shape).astype(np.float32) * 0.1)
        v = self.v()
        t = "x".join(map(str, shape))
        self.emit(f"{v} = arith.constant dense_resource<{name}> : tensor<{t}xf32>")
        return v

    def empty(self, shape):
        v = self.v()
        t = "x".join("?" if s == "?" else str(s) for s in shape)
        self.emit(f"{v} = tensor.empty(%dim) : tensor<{t}xf32>")
        return v

    def zeros(self, shape):
        e = self.empty(shape)
        v = self.v()
        t = ty(shape)
        self.emit(f"{v} = linalg.fill ins(%zero : f32) outs({e} : {t}) -> {t}")
        return v


def ty(shape):
    return "tensor<" + "x".join("?" if s == "?" else str(s) for s in shape) + "xf32>"


MM_FM_FROM_BM = "indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]"
MM_BM_FROM_FM = "indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]"


def matmul_fm(w, weight, wshape, rhs, rhs_shape, bm_rhs=False):
    """[out x B] = weight[out x k] . rhs (fm [k x B] or bm [B x k])."""
    out = wshape[0]
    acc = w.zeros([out, "?"])
    v = w.v()
    maps = MM_FM_FROM_BM + " " if bm_rhs else ""
    w.emit(f"{v} = linalg.matmul {maps}ins({weight}, {rhs} : {ty(wshape)}, {ty(rhs_shape)}) outs({acc} : {ty([out, '?'])}) -> {ty([out, '?'])}")
    return v


def matmul_bm_out(w, lhs_fm, k, weight, out):
    """[B x out] = lhs_fm[k x B]^T . weight[out x k]^T."""
    acc = w.zeros(["?", out])
    v = w.v()
    w.emit(f"{v} = linalg.matmul {MM_BM_FROM_FM} ins({lhs_fm}, {weight} : {ty([k, '?'])}, {ty([out, k])}) outs({acc} : {ty(['?', out])}) -> {ty(['?', out])}")
    return v


def generic(w, ins, shape, body, out_shape=None):
    """ins: list of (value, type, map); body: list of lines using %a0.. -> yields last."""
    out_shape = out_shape or shape
    e = w.empty(out_shape)
    v = w.v()
    idx = "affine_map<(d0, d1) -> (d0, d1)>"
    in_maps = ", ".join(m for _, _, m in ins)
    in_vals = ", ".join(x for x, _, _ in ins)
    in_tys = ", ".join(t for _, t, _ in ins)
    args = ", ".join(f"%a{i}: f32" for i in range(len(ins))) + ", %o: f32"
    w.emit(f"{v} = linalg.generic {{indexing_maps = [{in_maps}, {idx}], iterator_types = [\"parallel\", \"parallel\"]}} ins({in_vals} : {in_tys}) outs({e} : {ty(out_shape)}) {{")
    w.emit(f"^bb0({args}):")
    for line in body[:-1]:
        w.emit("  " + line)
    w.emit(f"  linalg.yield {body[-1]} : f32")
    w.emit(f"}} -> {ty(out_shape)}")
    return v


ID = "affine_map<(d0, d1) -> (d0, d1)>"
T = "affine_map<(d0, d1) -> (d1, d0)>"
ROW = "affine_map<(d0, d1) -> (d0)>"
COL = "affine_map<(d0, d1) -> (d1)>"


def bias_act(w, terms, n, act=True, fm=True):
    """sum of terms (value, type, map) + bias, relu."""
    b = w.const([n])
    ins = terms + [(b, ty([n]), ROW if fm else COL)]
    body = []
    acc = "%a0"
    for i in range(1, len(ins)):
        body.append(f"%s{i} = arith.addf {acc}, %a{i} : f32")
        acc = f"%s{i}"
    if act:
        body.append(f"%r = arith.maximumf {acc}, %zero : f32")
        acc = "%r"
    body.append(acc)
    shape = [n, "?"] if fm else ["?", n]
    return generic(w, ins, shape, body)


def build(form, n0, root_kind, n1, widths, nout=10):
    """The IR text of `form` (FORMS) for a root of `root_kind` (`input`: the
    argument, [batch x n0]; `layer`: a kept first layer n0 -> n1) read by
    sinks of `widths` and an output of `nout`, each reading every earlier
    sink and the root."""
    w = Writer()
    RES.clear()
    w.emit("%c0 = arith.constant 0 : index")
    w.emit("%zero = arith.constant 0.0 : f32")
    w.emit(f"%dim = tensor.dim %arg0, %c0 : {ty(['?', n0])}")
    sinks = list(widths) + [nout]
    hs = []  # (value, width) feature-major folded layer outputs, newest first in concat
    # Root.
    if root_kind == "layer":
        W1 = w.const([n1, n0])
        if form == "re-emitted":
            z = matmul_fm(w, W1, [n1, n0], "%arg0", ["?", n0], bm_rhs=True)
            root = bias_act(w, [(z, ty([n1, "?"]), ID)], n1)
            root_fm, root_w = True, n1
        else:
            # batch-major kept layer as torch-mlir writes it (out-in transposed map).
            acc = w.zeros(["?", n1])
            z = w.v()
            w.emit(f"{z} = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%arg0, {W1} : {ty(['?', n0])}, {ty([n1, n0])}) outs({acc} : {ty(['?', n1])}) -> {ty(['?', n1])}")
            root = bias_act(w, [(z, ty(["?", n1]), ID)], n1, fm=False)
            root_fm, root_w = False, n1
    else:
        root, root_fm, root_w = "%arg0", False, n0  # root_kind == "input"
    if form == "transposed-input":
        # transpose the batch-major root once; then it is a feature-major member.
        e = w.empty([root_w, "?"])
        v = w.v()
        w.emit(f"{v} = linalg.transpose ins({root} : {ty(['?', root_w])}) outs({e} : {ty([root_w, '?'])}) permutation = [1, 0]")
        root, root_fm = v, True
    total = sum(sinks)
    stacked = None
    if not root_fm and form in ("stacked", "masked", "in-place", "two-consumers"):
        S = w.const([total, root_w])
        stacked = matmul_fm(w, S, [total, root_w], root, ["?", root_w], bm_rhs=True)
    if form in ("masked", "in-place"):
        # one generic over all rows: rows < w0 get bias + relu, the rest pass.
        b = w.const([total])
        body = ["%i = linalg.index 0 : index", f"%lim = arith.constant {sinks[0]} : index",
                "%isfirst = arith.cmpi ult, %i, %lim : index",
                "%s = arith.addf %a0, %a1 : f32", "%r = arith.maximumf %s, %zero : f32",
                "%y = arith.select %isfirst, %r, %a0 : f32", "%y"]
        stacked = generic(w, [(stacked, ty([total, "?"]), ID), (b, ty([total]), ROW)], [total, "?"], body)
    if form == "two-consumers":
        # the stacked matmul, then two elementwise consumers of it: the first
        # sink's bias + relu over its rows, and a copy of the other rows.
        rest = total - sinks[0]
        h1s = w.v()
        w.emit(f"{h1s} = tensor.extract_slice {stacked}[0, 0] [{sinks[0]}, %dim] [1, 1] : {ty([total, '?'])} to {ty([sinks[0], '?'])}")
        h1 = bias_act(w, [(h1s, ty([sinks[0], "?"]), ID)], sinks[0])
        rs = w.v()
        w.emit(f"{rs} = tensor.extract_slice {stacked}[{sinks[0]}, 0] [{rest}, %dim] [1, 1] : {ty([total, '?'])} to {ty([rest, '?'])}")
        stacked_rest = generic(w, [(rs, ty([rest, "?"]), ID)], [rest, "?"], ["%a0"])
    if form == "split":
        # first sink: own matmul (fused bias + act); rest stacked.
        rest = total - sinks[0]
        S = w.const([rest, root_w])
        stacked_rest = matmul_fm(w, S, [rest, root_w], root, ["?", root_w], bm_rhs=True)
    offset = 0
    for i, n in enumerate(sinks):
        last = i == len(sinks) - 1
        members = [(v, k) for v, k in hs]
        if root_fm:
            members = members + [(root, root_w)]
        terms = []
        if form == "two-consumers" and i == 0:
            hs.insert(0, (h1, n))
            offset += n
            continue
        if form == "in-place" and i == 0:
            flat, length, lead, v = w.v(), w.v(), w.v(), w.v()
            w.emit(f"{flat} = tensor.collapse_shape {stacked} [[0, 1]] : {ty([total, '?'])} into tensor<?xf32>")
            w.emit(f"%first_rows = arith.constant {n} : index")
            w.emit(f"{length} = arith.muli %dim, %first_rows : index")
            w.emit(f"{lead} = tensor.extract_slice {flat}[0] [{length}] [1] : tensor<?xf32> to tensor<?xf32>")
            w.emit(f"{v} = tensor.expand_shape {lead} [[0, 1]] output_shape [{n}, %dim] : tensor<?xf32> into {ty([n, '?'])}")
            hs.insert(0, (v, n))
            offset += n
            continue
        if form == "masked" and i == 0:
            v = w.v()
            w.emit(f"{v} = tensor.extract_slice {stacked}[0, 0] [{n}, %dim] [1, 1] : {ty([total, '?'])} to {ty([n, '?'])}")
            hs.insert(0, (v, n))
            offset += n
            continue
        if form == "masked" and i >= 1:
            pass
        # matmul over the feature-major members
        if form == "split" and i == 0:
            Wk = w.const([n, root_w])
            z = matmul_fm(w, Wk, [n, root_w], root, ["?", root_w], bm_rhs=True)
            terms.append((z, ty([n, "?"]), ID))
        elif members:
            k = sum(m for _, m in members)
            if len(members) > 1:
                c = w.v()
                w.emit(f"{c} = tensor.concat dim(0) " + ", ".join(v for v, _ in members) + " : (" +
                       ", ".join(ty([m, '?']) for _, m in members) + f") -> {ty([k, '?'])}")
            else:
                c = members[0][0]
            Wk = w.const([n, k])
            if last:
                z = matmul_bm_out(w, c, k, Wk, n)
                terms.append((z, ty(["?", n]), ID))
            else:
                z = matmul_fm(w, Wk, [n, k], c, [k, "?"])
                terms.append((z, ty([n, "?"]), ID))
        two = form in ("split", "two-consumers")
        src = stacked_rest if two else stacked
        soff = offset - sinks[0] if two else offset
        src_rows = total - sinks[0] if two else total
        if src is not None and not (form == "split" and i == 0):
            sl = w.v()
            w.emit(f"{sl} = tensor.extract_slice {src}[{soff}, 0] [{n}, %dim] [1, 1] : {ty([src_rows, '?'])} to {ty([n, '?'])}")
            terms.append((sl, ty([n, "?"]), T if last else ID))
        if last:
            out = bias_act(w, terms, n, act=False, fm=False)
        else:
            out = bias_act(w, terms, n)
            hs.insert(0, (out, n))
        offset += n
    w.emit(f"return {out} : {ty(['?', nout])}")
    text = "module {\n  func.func @main(%arg0: " + ty(["?", n0]) + ") -> " + ty(["?", nout]) + " {\n"
    text += "\n".join(w.lines) + "\n  }\n}\n"
    text += "{-#\n  dialect_resources: {\n    builtin: {\n"
    text += ",\n".join(f"      {k}: \"{v}\"" for k, v in RES.items())
    text += "\n    }\n  }\n#-}\n"
    return text


def count_with_flags(text: str) -> int:
    """Dispatches with IREE's fusion flags FLAGS (evidence only)."""
    from lin_toolchain.iree import _compile, _public_functions
    flow = _compile(text, "host", ("--compile-to=flow", "--mlir-elide-elementsattrs-if-larger=16",
                                   "--mlir-elide-resource-strings-if-larger=16", *FLAGS), False).decode()
    return sum(len(re.findall(r"\bflow\.dispatch @", body)) for body in _public_functions(flow))


def bench_shape(name: str, budget: float) -> dict:
    n0, root_kind, n1, widths = SHAPES[name]
    forms = [f for f in FORMS if (f != "re-emitted" or root_kind == "layer")
             and (f != "in-place" or root_kind == "input")]
    texts = {f: build(f, n0, root_kind, n1, widths) for f in forms}
    x = np.random.default_rng(1).standard_normal((1000, n0)).astype(np.float32)
    calls = {f: compile_iree(t, target_cpu="host") for f, t in texts.items()}
    outputs = {f: run_in_batches(c, x, 250) for f, c in calls.items()}
    out = {"shape": name, "inputs": n0, "root": root_kind, "root_width": n1 or n0, "readers": list(widths) + [10],
           "dispatches": {f: count_dispatches(t) for f, t in texts.items()},
           "dispatches_with_flags": {f: count_with_flags(t) for f, t in texts.items()},
           "median_seconds": {}, "speedup_over_stacked": {}}
    loads = [os.getloadavg()[0]]
    for batch in BATCHES:
        lat = latency(calls, x, batch, budget, reference="stacked")
        out["median_seconds"][f"batch{batch}"] = lat["median"]
        out["speedup_over_stacked"][f"batch{batch}"] = lat["round_ratio"]
        loads.append(os.getloadavg()[0])
    out["loadavg_1min"] = [round(min(loads), 2), round(max(loads), 2)]
    # The forms compute different functions (random weights per form): only
    # their shapes are compared, so only finiteness is checked.
    out["finite"] = {f: bool(np.isfinite(o).all()) for f, o in outputs.items()}
    return out


def table(results: list) -> str:
    lines = ["| root | form | dispatches (with fusion flags) | b1 / b16 / b256 vs stacked |",
             "| --- | --- | ---: | --- |"]
    for r in results:
        for f in r["dispatches"]:
            speed = ("1" if f == "stacked" else " / ".join(
                f"{r['speedup_over_stacked'][f'batch{b}'][f]:.2f}x" for b in BATCHES))
            lines.append(f"| {r['shape']} | {f} | {r['dispatches'][f]} ({r['dispatches_with_flags'][f]}) | {speed} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--budget", type=float, default=3.0, help="seconds of timing per batch size and shape")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "iree_skip_forms.json")
    args = parser.parse_args()
    results = [bench_shape(name, args.budget) for name in SHAPES]
    args.out.write_text(json.dumps({"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "flags": FLAGS,
                                    "results": results}, indent=1) + "\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
