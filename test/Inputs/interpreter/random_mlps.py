#!/usr/bin/env python3
"""Random MLPs in the linalg forms frontends emit, run by lin-run, checked
against NumPy.

Every model draws, per layer, the form of its affine part:

  torch     linalg.transpose of the [out, in] weight, linalg.matmul into a
            zero fill, bias added by a broadcasting linalg.generic
  maps      linalg.matmul with indexing_maps reading the [out, in] weight
            transposed, bias through linalg.broadcast + linalg.add
  generic   a matmul-like linalg.generic accumulating into the broadcast
            bias (beta = 1 in BLAS terms)

and of its activation: ReLU as cmpf ugt + select, as maximumf against a 0-d
constant or as linalg.max against a zero fill; leaky ReLU (cmpf + select of
a multiply); clamp (minimumf of maximumf). Weights are inline dense hex
literals or dense_resource blobs; the batch dimension is dynamic or static
(then the data does not fill the last batch, which lin-run pads).

The reference is computed in float64 from the same float32 weights; lin-run's
float32 outputs must match to a relative tolerance (of the output's scale).

Usage: random_mlps.py WORKDIR [--models N] [--seed S]  (lin-run from PATH)
"""

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np

AFFINE_FORMS = ("torch", "maps", "generic")
ACTIVATIONS = ("relu_select", "relu_maximumf", "relu_linalg_max", "leaky", "clamp", "none")


def hex_literal(array: np.ndarray) -> str:
    return '"0x' + array.astype("<f4").tobytes().hex().upper() + '"'


class Writer:
    def __init__(self, batch: str):
        self.batch = batch  # "?" or a static size
        self.lines = []
        self.resources = {}
        self.counter = 0

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"%{prefix}{self.counter}"

    def emit(self, line: str) -> None:
        self.lines.append("  " + line)

    def constant(self, array: np.ndarray, use_resource: bool) -> str:
        name = self.fresh("cst")
        shape = "x".join(str(s) for s in array.shape)
        if use_resource:
            key = f"blob{len(self.resources)}"
            # 4-byte alignment header, then the data.
            self.resources[key] = "0x04000000" + array.astype("<f4").tobytes().hex().upper()
            self.emit(f"{name} = arith.constant dense_resource<{key}> : tensor<{shape}xf32>")
        else:
            self.emit(f"{name} = arith.constant dense<{hex_literal(array)}> : tensor<{shape}xf32>")
        return name

    def tensor(self, width: int) -> str:
        return f"tensor<{self.batch}x{width}xf32>"

    def empty(self, width: int) -> str:
        name = self.fresh("empty")
        dyn = "%n" if self.batch == "?" else ""
        self.emit(f"{name} = tensor.empty({dyn}) : {self.tensor(width)}")
        return name

    def zeros(self, width: int) -> str:
        empty = self.empty(width)
        name = self.fresh("zeros")
        self.emit(f"{name} = linalg.fill ins(%zero : f32) outs({empty} : {self.tensor(width)}) -> {self.tensor(width)}")
        return name


ID2 = "affine_map<(d0, d1) -> (d0, d1)>"
ROW2 = "affine_map<(d0, d1) -> (d1)>"
SCALAR2 = "affine_map<(d0, d1) -> ()>"


def affine(w: Writer, x: str, n_in: int, weight: np.ndarray, bias: np.ndarray, form: str, rng) -> str:
    n_out = weight.shape[0]
    t_in, t_out = w.tensor(n_in), w.tensor(n_out)
    bias_c = w.constant(bias, rng.random() < 0.5)
    if form == "torch":
        wc = w.constant(weight, rng.random() < 0.5)
        et = w.fresh("et")
        w.emit(f"{et} = tensor.empty() : tensor<{n_in}x{n_out}xf32>")
        wt = w.fresh("wt")
        w.emit(f"{wt} = linalg.transpose ins({wc} : tensor<{n_out}x{n_in}xf32>) outs({et} : tensor<{n_in}x{n_out}xf32>) permutation = [1, 0]")
        z = w.zeros(n_out)
        mm = w.fresh("mm")
        w.emit(f"{mm} = linalg.matmul ins({x}, {wt} : {t_in}, tensor<{n_in}x{n_out}xf32>) outs({z} : {t_out}) -> {t_out}")
        out = w.fresh("biased")
        e = w.empty(n_out)
        w.emit(f"{out} = linalg.generic {{indexing_maps = [{ID2}, {ROW2}, {ID2}], iterator_types = [\"parallel\", \"parallel\"]}} "
               f"ins({mm}, {bias_c} : {t_out}, tensor<{n_out}xf32>) outs({e} : {t_out}) {{")
        w.emit("^bb0(%a: f32, %b: f32, %o: f32):")
        w.emit("  %s = arith.addf %a, %b : f32")
        w.emit("  linalg.yield %s : f32")
        w.emit(f"}} -> {t_out}")
        return out
    if form == "maps":
        wc = w.constant(weight, rng.random() < 0.5)
        z = w.zeros(n_out)
        mm = w.fresh("mm")
        w.emit(f"{mm} = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] "
               f"ins({x}, {wc} : {t_in}, tensor<{n_out}x{n_in}xf32>) outs({z} : {t_out}) -> {t_out}")
        e = w.empty(n_out)
        bb = w.fresh("bb")
        w.emit(f"{bb} = linalg.broadcast ins({bias_c} : tensor<{n_out}xf32>) outs({e} : {t_out}) dimensions = [0]")
        out = w.fresh("biased")
        e2 = w.empty(n_out)
        w.emit(f"{out} = linalg.add ins({mm}, {bb} : {t_out}, {t_out}) outs({e2} : {t_out}) -> {t_out}")
        return out
    # generic: weight stored [in, out], accumulate into the broadcast bias.
    wc = w.constant(np.ascontiguousarray(weight.T), rng.random() < 0.5)
    e = w.empty(n_out)
    bb = w.fresh("bb")
    w.emit(f"{bb} = linalg.broadcast ins({bias_c} : tensor<{n_out}xf32>) outs({e} : {t_out}) dimensions = [0]")
    out = w.fresh("acc")
    w.emit(f"{out} = linalg.generic {{indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], "
           f"iterator_types = [\"parallel\", \"parallel\", \"reduction\"]}} ins({x}, {wc} : {t_in}, tensor<{n_in}x{n_out}xf32>) outs({bb} : {t_out}) {{")
    w.emit("^bb0(%a: f32, %b: f32, %acc: f32):")
    w.emit("  %p = arith.mulf %a, %b : f32")
    w.emit("  %s = arith.addf %acc, %p : f32")
    w.emit("  linalg.yield %s : f32")
    w.emit(f"}} -> {t_out}")
    return out


def activation(w: Writer, z: str, width: int, kind: str, params) -> str:
    t = w.tensor(width)
    if kind == "none":
        return z
    out = w.fresh("act")
    if kind == "relu_linalg_max":
        zeros = w.zeros(width)
        e = w.empty(width)
        w.emit(f"{out} = linalg.max ins({z}, {zeros} : {t}, {t}) outs({e} : {t}) -> {t}")
        return out
    e = w.empty(width)
    if kind == "relu_maximumf":
        w.emit(f"{out} = linalg.generic {{indexing_maps = [{ID2}, {SCALAR2}, {ID2}], iterator_types = [\"parallel\", \"parallel\"]}} "
               f"ins({z}, %zero_tensor : {t}, tensor<f32>) outs({e} : {t}) {{")
        w.emit("^bb0(%a: f32, %b: f32, %o: f32):")
        w.emit("  %m = arith.maximumf %a, %b : f32")
        w.emit("  linalg.yield %m : f32")
        w.emit(f"}} -> {t}")
        return out
    w.emit(f"{out} = linalg.generic {{indexing_maps = [{ID2}, {ID2}], iterator_types = [\"parallel\", \"parallel\"]}} "
           f"ins({z} : {t}) outs({e} : {t}) {{")
    w.emit("^bb0(%a: f32, %o: f32):")
    if kind == "relu_select":
        w.emit("  %c = arith.cmpf ugt, %a, %zero : f32")
        w.emit("  %s = arith.select %c, %a, %zero : f32")
    elif kind == "leaky":
        w.emit(f"  %k = arith.constant {params['slope']:.9e} : f32")
        w.emit("  %c = arith.cmpf ogt, %a, %zero : f32")
        w.emit("  %m = arith.mulf %a, %k : f32")
        w.emit("  %s = arith.select %c, %a, %m : f32")
    else:  # clamp
        w.emit(f"  %lo = arith.constant {params['lo']:.9e} : f32")
        w.emit(f"  %hi = arith.constant {params['hi']:.9e} : f32")
        w.emit("  %above = arith.maximumf %a, %lo : f32")
        w.emit("  %s = arith.minimumf %above, %hi : f32")
    w.emit("  linalg.yield %s : f32")
    w.emit(f"}} -> {t}")
    return out


def reference_activation(z: np.ndarray, kind: str, params) -> np.ndarray:
    if kind.startswith("relu"):
        return np.maximum(z, 0.0)
    if kind == "leaky":
        return np.where(z > 0, z, z * np.float64(np.float32(params["slope"])))
    if kind == "clamp":
        return np.clip(z, np.float32(params["lo"]), np.float32(params["hi"]))
    return z


def make_model(rng, index: int):
    depth = int(rng.integers(1, 5))
    widths = [int(rng.integers(1, 40)) for _ in range(depth + 1)]
    batch = "?" if rng.random() < 0.6 else str(int(rng.integers(1, 9)))
    w = Writer(batch)
    layers = []
    x = "%x"
    for i in range(depth):
        n_in, n_out = widths[i], widths[i + 1]
        weight = rng.normal(0, 1 / np.sqrt(n_in), (n_out, n_in)).astype(np.float32)
        bias = rng.normal(0, 0.5, n_out).astype(np.float32)
        form = AFFINE_FORMS[int(rng.integers(len(AFFINE_FORMS)))]
        kind = ACTIVATIONS[int(rng.integers(len(ACTIVATIONS)))] if i < depth - 1 else "none"
        lo = float(rng.uniform(-2, 0))
        params = {"slope": float(rng.uniform(0.01, 0.3)), "lo": lo, "hi": lo + float(rng.uniform(0.5, 3))}
        z = affine(w, x, n_in, weight, bias, form, rng)
        x = activation(w, z, n_out, kind, params)
        layers.append((weight, bias, kind, params, form))
    header = [f"func.func @main(%x: {w.tensor(widths[0])}) -> {w.tensor(widths[-1])} {{",
              "  %c0 = arith.constant 0 : index",
              "  %zero = arith.constant 0.0 : f32",
              "  %zero_tensor = arith.constant dense<0.0> : tensor<f32>"]
    if batch == "?":
        header.append(f"  %n = tensor.dim %x, %c0 : {w.tensor(widths[0])}")
    text = "\n".join(header + w.lines + [f"  return {x} : {w.tensor(widths[-1])}", "}"])
    if w.resources:
        text += "\n{-#\n  dialect_resources: {\n    builtin: {\n"
        text += ",\n".join(f"      {k}: \"{v}\"" for k, v in w.resources.items())
        text += "\n    }\n  }\n#-}\n"
    return text, widths, layers, batch


def reference(x: np.ndarray, layers) -> np.ndarray:
    a = x.astype(np.float64)
    for weight, bias, kind, params, _ in layers:
        a = reference_activation(a @ weight.T.astype(np.float64) + bias, kind, params)
    return a


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--models", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rtol", type=float, default=1e-5)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    failures = 0
    forms_seen, kinds_seen, batches_seen = set(), set(), set()
    for i in range(args.models):
        text, widths, layers, batch = make_model(rng, i)
        model = args.workdir / f"model{i}.mlir"
        model.write_text(text)
        samples = int(rng.integers(1, 50))
        x = rng.normal(0, 1, (samples, widths[0])).astype(np.float32)
        np.save(args.workdir / f"x{i}.npy", x)
        out = args.workdir / f"y{i}.npy"
        run_batch = str(int(rng.integers(1, 17)))
        result = subprocess.run(["lin-run", str(model), "--input", str(args.workdir / f"x{i}.npy"),
                                 "--output", str(out), "--batch", run_batch, "--quiet"],
                                capture_output=True, text=True)
        if result.returncode != 0:
            failures += 1
            print(f"model {i}: FAILED\n{result.stderr}")
            continue
        got = np.load(out)
        expected = reference(x, layers)
        scale = max(float(np.abs(expected).max()), 1.0)
        ok = got.shape == expected.shape and np.allclose(got, expected, rtol=args.rtol, atol=args.rtol * scale)
        if not ok:
            failures += 1
            print(f"model {i}: MISMATCH (max error {np.abs(got - expected).max():.3e}, scale {scale:.3e}) in {model}")
        forms_seen.update(layer[4] for layer in layers)
        kinds_seen.update(layer[2] for layer in layers)
        batches_seen.add("dynamic" if batch == "?" else "static")
    print("forms:", " ".join(sorted(forms_seen)))
    print("activations:", " ".join(sorted(kinds_seen)))
    print("batch dimensions:", " ".join(sorted(batches_seen)))
    print(f"{args.models} models, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
