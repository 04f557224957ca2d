"""Counting the weights of MLIR text independently of lin's own accounting
(WeightCount.h): the tests compare lin's reported sizes with this count."""

import re

import numpy as np

CONSTANT = re.compile(
    r"arith\.constant (dense(?:_resource)?<.*?>) : tensor<([0-9x]+)x?f32>")


def count_weights(mlir_text: str) -> int:
    """Elements of the distinct rank >= 1 tensor constants, zero splats free."""
    seen = {}
    for attribute, shape in CONSTANT.findall(mlir_text):
        dims = [int(d) for d in shape.split("x") if d]
        if not dims or attribute == "dense<0.000000e+00>":
            continue
        seen[(attribute, shape)] = int(np.prod(dims))
    return sum(seen.values())
