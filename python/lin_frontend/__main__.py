"""Command line for lin_frontend.

  python -m lin_frontend torch MODEL.pt2|MODEL.pt [--input-shape 784] [--static-batch N] -o out.mlir
  python -m lin_frontend onnx MODEL.onnx -o out.mlir
  python -m lin_frontend data NAME --out DIR [--seed S]
  python -m lin_frontend check FILE.mlir

Run with ``PYTHONPATH=python`` (or from inside python/) and the project venv.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _load_torch_model(path: Path, source=None):
    """:func:`lin_frontend.load.load_torch_model`, its error as the exit message."""
    from .load import ModelLoadError, load_torch_model

    try:
        return load_torch_model(path, source)
    except ModelLoadError as e:
        raise SystemExit(str(e)) from None


def _cmd_torch(args) -> int:
    import torch

    from .export import export_torch

    model = _load_torch_model(Path(args.model), args.model_source)
    if isinstance(model, torch.export.ExportedProgram):
        text = export_torch(model, None, constants=args.constants)
    else:
        if not args.input_shape:
            raise SystemExit("--input-shape is required for nn.Module files (e.g. --input-shape 784)")
        feat = [int(d) for d in args.input_shape.split(",") if d]
        batch = args.static_batch or 2
        example = torch.zeros(batch, *feat)
        text = export_torch(
            model, example, dynamic_batch=args.static_batch is None, constants=args.constants
        )
    return _write_output(args.output, text)


def _cmd_onnx(args) -> int:
    from .export import export_onnx

    return _write_output(args.output, export_onnx(args.model, constants=args.constants))


def _write_output(path: str, text: str) -> int:
    from .export import write_text

    write_text(path, text)
    print(f"wrote {path} ({len(text)} bytes)")
    return 0


def _cmd_data(args) -> int:
    from .data import load_dataset, save_split

    split = load_dataset(args.name, seed=args.seed)
    for key, path in save_split(split, args.out, prefix=args.prefix).items():
        print(f"{path}")
    return 0


def _cmd_check(args) -> int:
    from .export import MlirVerifyError, check_with_mlir_opt

    try:
        check_with_mlir_opt(Path(args.file).read_text())
    except MlirVerifyError as e:
        print(e, file=sys.stderr)
        return 1
    print(f"{args.file}: OK")
    return 0


def main(argv=None) -> int:
    from .data import DATASETS

    p = argparse.ArgumentParser(prog="python -m lin_frontend", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    t = sub.add_parser("torch", help="export a saved PyTorch model to linalg MLIR")
    t.add_argument("model", help=".pt2 (torch.export.save) or .pt/.pth (torch.save of an nn.Module)")
    t.add_argument("--input-shape", help="feature shape without batch, comma separated (e.g. 784)")
    t.add_argument("--model-source", metavar="FILE.py",
                   help="the script defining the class of a .pt saved from that script")
    t.add_argument("--static-batch", type=int, default=None,
                   help="bake this batch size in (default: dynamic batch)")
    t.add_argument("--constants", choices=["resource", "dense"], default="resource")
    t.add_argument("-o", "--output", required=True)
    t.set_defaults(fn=_cmd_torch)

    o = sub.add_parser("onnx", help="import an ONNX model and lower it to linalg MLIR")
    o.add_argument("model")
    o.add_argument("--constants", choices=["resource", "dense"], default="resource")
    o.add_argument("-o", "--output", required=True)
    o.set_defaults(fn=_cmd_onnx)

    d = sub.add_parser("data", help="write a data set split as .npy files")
    d.add_argument("name", choices=sorted(DATASETS))
    d.add_argument("--out", required=True)
    d.add_argument("--seed", type=int, default=0)
    d.add_argument("--prefix", default="")
    d.set_defaults(fn=_cmd_data)

    c = sub.add_parser("check", help="parse+verify an .mlir file with LLVM 22 mlir-opt")
    c.add_argument("file")
    c.set_defaults(fn=_cmd_check)

    args = p.parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
