"""Writes a profiled ReLU MLP whose hidden layers have a chosen number of
always-dead and always-active neurons, for tests of the fold on layers wide
enough to be padded (the random models of random_mlp.py are narrower than a
vector).

  wide_mlp.py --widths 8,48,40,4 --dead 20,3 --active 0,2 [--seed 0]

Each hidden layer's first `dead` neurons get a bias of -50 and its next
`active` neurons one of +50 (the inputs are standard normal, the weights
small): they never leave their piece on the profiled samples. The profile
is observed on 64 samples with lin's piece conventions (mlp_ir.py).
"""

import argparse
import sys

import numpy as np

from lin_testing.mlp_ir import Activation, Dense, Mlp


def ints(text):
    return [int(v) for v in text.split(",")] if text else []


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", type=ints, required=True)
    parser.add_argument("--dead", type=ints, default=[])
    parser.add_argument("--active", type=ints, default=[])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    widths = args.widths
    hidden = len(widths) - 2
    dead = args.dead + [0] * (hidden - len(args.dead))
    active = args.active + [0] * (hidden - len(args.active))
    rng = np.random.default_rng(args.seed)
    layers = []
    for i in range(len(widths) - 1):
        weight = rng.normal(0, 0.3 / np.sqrt(widths[i]),
                            size=(widths[i + 1], widths[i])).astype(np.float32)
        bias = rng.normal(0, 0.1, size=widths[i + 1]).astype(np.float32)
        activation = None
        if i < hidden:
            activation = Activation.relu("maximumf")
            bias[:dead[i]] = -50.0
            bias[dead[i]:dead[i] + active[i]] = 50.0
        layers.append(Dense(weight, bias, activation))
    model = Mlp(layers)
    x = rng.normal(0, 1, size=(64, widths[0])).astype(np.float32)
    sys.stdout.write(model.to_mlir(model.observed_profiles(x)))


if __name__ == "__main__":
    main()
