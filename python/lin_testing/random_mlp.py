"""Random MLPs as linalg-on-tensors IR, with a numpy reference and profiles.

Each model is a chain of dense layers with piecewise-linear activations. The
IR varies the way frontends spell things (torch-mlir's transpose + matmul +
broadcast bias generic, matmul with a transposed-operand indexing map +
linalg.broadcast + linalg.add, ReLU as maximumf or cmpf + select or linalg.max
against zeros, leaky ReLU, clamp), static or dynamic batch, inline or
dense_resource constants. Biases are shifted so that some neurons are always
active and some always dead on the sample data: the fold has work to do.

The profiles (`lin.profile` attributes) are computed here with numpy, so
tests of the fold do not depend on lin's own interpreter.
"""

from __future__ import annotations

import dataclasses

import numpy as np

ACTIVATIONS = ("relu", "leaky", "relu6", "hardtanh")


@dataclasses.dataclass
class Layer:
    weight: np.ndarray  # [in, out]: y = x @ weight + bias
    bias: np.ndarray
    activation: str | None  # None for the last layer


@dataclasses.dataclass
class RandomMLP:
    layers: list[Layer]
    dynamic_batch: bool
    batch: int

    @property
    def input_width(self) -> int:
        return self.layers[0].weight.shape[0]

    def forward(self, x: np.ndarray, collect: list | None = None) -> np.ndarray:
        """float64 reference; appends each activation's pre-activation."""
        h = x.astype(np.float64)
        for layer in self.layers:
            z = h @ layer.weight.astype(np.float64) + layer.bias
            if layer.activation is None:
                return z
            if collect is not None:
                collect.append(z)
            h = apply_activation(layer.activation, z)
        return h

    def num_parameters(self) -> int:
        return sum(l.weight.size + l.bias.size for l in self.layers)


def apply_activation(kind: str, z: np.ndarray) -> np.ndarray:
    if kind == "relu":
        return np.maximum(z, 0.0)
    if kind == "leaky":
        return np.where(z > 0, z, 0.1 * z)
    if kind == "relu6":
        return np.clip(z, 0.0, 6.0)
    if kind == "hardtanh":
        return np.clip(z, -1.0, 1.0)
    raise ValueError(kind)


def classify(kind: str, z: np.ndarray) -> np.ndarray:
    """Piece index of every element, with lin.profile's conventions."""
    if kind in ("relu", "leaky"):
        return (z > 0).astype(np.int64)
    lo, hi = (0.0, 6.0) if kind == "relu6" else (-1.0, 1.0)
    return np.where(z < lo, 0, np.where(z > hi, 2, 1))


def profile_attr(kind: str, z: np.ndarray) -> str:
    """The #lin.profile of pre-activations z [samples, neurons]."""
    z32 = z.astype(np.float32)
    pieces = classify(kind, z32)
    num_pieces = 2 if kind in ("relu", "leaky") else 3
    counts = [int((pieces[:, j] == p).sum()) for p in range(num_pieces) for j in range(z.shape[1])]
    family = {"relu": "relu", "leaky": "leaky_relu"}.get(kind, "clamp")
    fmt = lambda v: ", ".join(repr(float(np.float32(x))) for x in v)
    return (f"#lin.profile<{family}, observed, samples = {z.shape[0]}, "
            f"counts = [{', '.join(map(str, counts))}], "
            f"minimum = [{fmt(z32.min(0))}], maximum = [{fmt(z32.max(0))}]>")


def random_mlp(rng: np.random.Generator, *, depth: int | None = None,
               activation: str | None = None) -> RandomMLP:
    depth = depth or int(rng.integers(1, 5))
    widths = [int(rng.integers(3, 9))] + [int(rng.integers(3, 13)) for _ in range(depth)] + [int(rng.integers(2, 6))]
    layers = []
    for i in range(len(widths) - 1):
        w = rng.normal(0, 1 / np.sqrt(widths[i]), size=(widths[i], widths[i + 1])).astype(np.float32)
        b = rng.normal(0, 0.1, size=widths[i + 1]).astype(np.float32)
        act = None
        if i < len(widths) - 2:
            act = activation or str(rng.choice(ACTIVATIONS))
            # Shift some biases far: always-active and always-dead neurons.
            shift = rng.choice([-8.0, 0.0, 0.0, 8.0], size=widths[i + 1])
            b = (b + shift).astype(np.float32)
        layers.append(Layer(w, b, act))
    dynamic = bool(rng.integers(0, 2))
    return RandomMLP(layers, dynamic, batch=int(rng.choice([4, 8])))


def _const(name: str, array: np.ndarray, resources: dict, use_resource: bool) -> str:
    shape = "x".join(map(str, array.shape))
    type_ = f"tensor<{shape}xf32>"
    if use_resource:
        key = f"{name}"
        resources[key] = "0x04000000" + array.astype("<f4").tobytes().hex().upper()
        return f"arith.constant dense_resource<{key}> : {type_}"
    flat = ", ".join(repr(float(x)) for x in array.reshape(-1))
    if array.ndim == 1:
        return f"arith.constant dense<[{flat}]> : {type_}"
    rows = ", ".join("[" + ", ".join(repr(float(x)) for x in r) + "]" for r in array)
    return f"arith.constant dense<[{rows}]> : {type_}"


def to_mlir(model: RandomMLP, rng: np.random.Generator,
            profiles: list[str] | None = None, func_name: str = "main") -> str:
    """Writes the model as linalg IR; `profiles` annotate the activations."""
    b = "?" if model.dynamic_batch else str(model.batch)
    resources: dict[str, str] = {}
    lines = []
    n_in = model.input_width
    n_out = model.layers[-1].weight.shape[1]
    lines.append(f"func.func @{func_name}(%x: tensor<{b}x{n_in}xf32>) -> tensor<{b}x{n_out}xf32> {{")
    lines.append("  %zero = arith.constant 0.0 : f32")
    if model.dynamic_batch:
        lines.append("  %c0 = arith.constant 0 : index")
        lines.append("  %n = tensor.dim %x, %c0 : tensor<?x" + str(n_in) + "xf32>")
    dyn = "(%n)" if model.dynamic_batch else "()"
    h = "%x"
    act_index = 0
    for i, layer in enumerate(model.layers):
        k, m = layer.weight.shape
        t = f"tensor<{b}x{m}xf32>"
        use_resource = bool(rng.integers(0, 2))
        form = int(rng.integers(0, 2))
        lines.append(f"  %e{i} = tensor.empty{dyn} : {t}")
        lines.append(f"  %f{i} = linalg.fill ins(%zero : f32) outs(%e{i} : {t}) -> {t}")
        lines.append(f"  %b{i} = " + _const(f"b{i}", layer.bias, resources, use_resource))
        if form == 0:
            # torch-mlir: the weight as [out, in], transposed, then matmul.
            lines.append(f"  %wt{i} = " + _const(f"w{i}", layer.weight.T.copy(), resources, use_resource))
            lines.append(f"  %te{i} = tensor.empty() : tensor<{k}x{m}xf32>")
            lines.append(f"  %w{i} = linalg.transpose ins(%wt{i} : tensor<{m}x{k}xf32>) outs(%te{i} : tensor<{k}x{m}xf32>) permutation = [1, 0]")
            lines.append(f"  %mm{i} = linalg.matmul ins({h}, %w{i} : tensor<{b}x{k}xf32>, tensor<{k}x{m}xf32>) outs(%f{i} : {t}) -> {t}")
            lines.append(f"  %z{i} = linalg.generic {{indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = [\"parallel\", \"parallel\"]}} ins(%mm{i}, %b{i} : {t}, tensor<{m}xf32>) outs(%e{i} : {t}) {{")
            lines.append("  ^bb0(%in: f32, %bias: f32, %out: f32):")
            lines.append("    %s = arith.addf %in, %bias : f32")
            lines.append("    linalg.yield %s : f32")
            lines.append(f"  }} -> {t}")
        else:
            # Transposed weight through the matmul's indexing maps, bias via
            # linalg.broadcast + linalg.add.
            lines.append(f"  %wt{i} = " + _const(f"w{i}", layer.weight.T.copy(), resources, use_resource))
            lines.append(f"  %mm{i} = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins({h}, %wt{i} : tensor<{b}x{k}xf32>, tensor<{m}x{k}xf32>) outs(%f{i} : {t}) -> {t}")
            lines.append(f"  %bb{i} = linalg.broadcast ins(%b{i} : tensor<{m}xf32>) outs(%e{i} : {t}) dimensions = [0]")
            lines.append(f"  %z{i} = linalg.add ins(%mm{i}, %bb{i} : {t}, {t}) outs(%e{i} : {t}) -> {t}")
        if layer.activation is None:
            h = f"%z{i}"
            break
        attr = ""
        if profiles is not None:
            attr = f" {{lin.profile = {profiles[act_index]}}}"
        act_index += 1
        kind = layer.activation
        if kind == "relu" and rng.integers(0, 2):
            lines.append(f"  %a{i} = linalg.max{attr} ins(%z{i}, %f{i} : {t}, {t}) outs(%e{i} : {t}) -> {t}")
        else:
            body = _activation_body(kind, rng)
            attrs = f" attrs = {{lin.profile = {profiles[act_index - 1]}}}" if profiles is not None else ""
            lines.append(f"  %a{i} = linalg.generic {{indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = [\"parallel\", \"parallel\"]}} ins(%z{i} : {t}) outs(%e{i} : {t}){attrs} {{")
            lines.append("  ^bb0(%in: f32, %out: f32):")
            lines.extend("    " + l for l in body)
            lines.append(f"  }} -> {t}")
        h = f"%a{i}"
    lines.append(f"  return {h} : tensor<{b}x{n_out}xf32>")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    if resources:
        text += "\n{-#\n  dialect_resources: {\n    builtin: {\n"
        text += ",\n".join(f"      {k}: \"{v}\"" for k, v in resources.items())
        text += "\n    }\n  }\n#-}\n"
    return text


def _activation_body(kind: str, rng: np.random.Generator) -> list[str]:
    if kind == "relu":
        if rng.integers(0, 2):
            return ["%r = arith.maximumf %in, %zero : f32", "linalg.yield %r : f32"]
        return ["%c = arith.cmpf ugt, %in, %zero : f32",
                "%r = arith.select %c, %in, %zero : f32", "linalg.yield %r : f32"]
    if kind == "leaky":
        return ["%k = arith.constant 0.1 : f32", "%c = arith.cmpf ugt, %in, %zero : f32",
                "%s = arith.mulf %in, %k : f32", "%r = arith.select %c, %in, %s : f32",
                "linalg.yield %r : f32"]
    lo, hi = ("0.0", "6.0") if kind == "relu6" else ("-1.0", "1.0")
    return [f"%lo = arith.constant {lo} : f32", f"%hi = arith.constant {hi} : f32",
            "%l = arith.maximumf %in, %lo : f32", "%r = arith.minimumf %l, %hi : f32",
            "linalg.yield %r : f32"]


def annotated_model(rng: np.random.Generator, samples: int = 64, **kwargs):
    """A random model, calibration data, and its profiled IR text."""
    model = random_mlp(rng, **kwargs)
    n = samples if model.dynamic_batch else model.batch * (samples // model.batch)
    x = rng.normal(0, 1, size=(n, model.input_width)).astype(np.float32)
    pre: list[np.ndarray] = []
    model.forward(x, pre)
    acts = [l.activation for l in model.layers if l.activation]
    profiles = [profile_attr(kind, z) for kind, z in zip(acts, pre)]
    # The same rng state decides the IR forms for the annotated text.
    return model, x, to_mlir(model, rng, profiles)
