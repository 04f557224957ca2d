"""The ``lin`` command: ``lin compress`` and ``lin inspect``.

    lin compress model.pt2 --calib calib.npy -o small.vmfb
    lin compress model.onnx --calib calib.npy --refit --budget 1 \\
        --val val_x.npy --val-labels val_y.npy -o small.onnx
    lin inspect model.pt2 --calib calib.npy

Progress goes to stderr, the result table to stdout. A mistake in the input
(missing file, unknown suffix, data of the wrong shape, a pickled class that
cannot be imported, tools not found) ends with one line ``lin: error: ...``
and exit status 1 (2 for usage errors), never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Optional, Sequence

from .errors import CliError

__all__ = ["main"]


class Progress:
    """``[i/n] step ... 1.2 s`` lines on stderr (nothing with ``quiet``)."""

    def __init__(self, steps: int, quiet: bool):
        self.steps, self.quiet, self.done = steps, quiet, 0

    def run(self, what: str, fn, *args, **kwargs):
        self.done += 1
        if not self.quiet:
            print(f"[{self.done}/{self.steps}] {what} ...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        if not self.quiet:
            print(f"      done in {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
        return result


def _npy_shape(path: Path, what: str) -> tuple:
    import numpy as np

    from .model import require_file

    require_file(path, what)
    try:
        return tuple(np.load(path, mmap_mode="r").shape)
    except ValueError as e:
        raise CliError(f"{path}: not a .npy file ({e})") from None


def _feature_shape(args, calib_shape: tuple) -> list:
    """One sample's shape: --input-shape, else the calibration data's."""
    if not args.input_shape:
        return list(calib_shape[1:])
    try:
        return [int(d) for d in args.input_shape.replace("x", ",").split(",") if d]
    except ValueError:
        raise CliError(f"--input-shape {args.input_shape!r}: expected integers such as 784 or "
                       f"3,32,32", status=2) from None


def _export(args, work: Path, progress: Progress) -> tuple[Path, Optional[list]]:
    """The model as MLIR in ``work``, checked against the calibration data's
    shape, and its input shape (None for bytecode, which lin-opt checks)."""
    from .model import check_input_shape, input_shape_of, load_as_mlir, model_kind

    model = Path(args.model)
    model_kind(model)
    calib = Path(args.calib)
    calib_shape = _npy_shape(calib, "calibration data")
    text = progress.run(f"export {model.name} to MLIR", load_as_mlir, model,
                        _feature_shape(args, calib_shape),
                        source=Path(args.model_source) if args.model_source else None)
    if isinstance(text, bytes):
        path = work / "model.mlirbc"
        path.write_bytes(text)
        return path, None
    path = work / "model.mlir"
    path.write_text(text)
    model_shape = input_shape_of(text)
    check_input_shape(model_shape, calib_shape, calib)
    return path, model_shape


def _verify(folded: Path) -> None:
    """The compressed model is plain upstream MLIR: LLVM 22's mlir-opt
    parses and verifies it without lin's dialect."""
    from lin_frontend import MlirVerifyError, check_with_mlir_opt

    try:
        check_with_mlir_opt(folded.read_text())
    except MlirVerifyError as e:
        raise CliError(f"the compressed model does not verify: {str(e).splitlines()[-1]}") from None


def _evaluate(model: Path, val: Path, out: Path) -> "np.ndarray":  # noqa: F821
    import numpy as np

    from .tools import run_lin_tool

    run_lin_tool(["lin-run", model, "--input", val, "--output", out, "--quiet"])
    return np.load(out)


def _quality(args, model: Path, folded: Path, work: Path) -> Optional[str]:
    """On --val: ``accuracy ... before -> after`` (with labels) or the share
    of predictions the compression kept (without)."""
    import numpy as np

    before = _evaluate(model, Path(args.val), work / "before.npy")
    after = _evaluate(folded, Path(args.val), work / "after.npy")
    if args.val_labels:
        labels = np.load(args.val_labels)
        if len(labels) != len(before):
            raise CliError(f"{args.val_labels}: {len(labels)} labels for {len(before)} samples")
        acc = lambda y: 100.0 * float((y.argmax(1) == labels).mean())  # noqa: E731
        return (f"accuracy on {Path(args.val).name} ({len(labels)} samples): "
                f"{acc(before):.2f} % -> {acc(after):.2f} %")
    agree = 100.0 * float((before.argmax(1) == after.argmax(1)).mean())
    return f"agreement with the original on {Path(args.val).name} ({len(before)} samples): {agree:.2f} %"


def format_table(report: dict) -> str:
    """Per layer: neurons, merged, removed, kept; then the parameter totals
    and why the layers of which nothing folded stayed whole."""
    rows = [f"{'layer':<24}{'neurons':>9}{'merged':>9}{'removed':>9}{'kept':>9}"]
    layers = report.get("layers", [])
    for layer in layers:
        rows.append(f"{layer['name']:<24}{layer['neurons']:>9}{layer['folded']:>9}"
                    f"{layer['removed']:>9}{layer['kept']:>9}")
    before, after = report["params_before"], report["params_after"]
    ratio = 100.0 * after / before if before else 100.0
    rows.append(f"parameters: {before} -> {after} ({ratio:.1f} %)")
    rows += [f"{layer['name']} not folded: {layer['not_folded']}"
             for layer in layers if layer.get("not_folded")]
    return "\n".join(rows)


def _compress(args) -> int:
    from .calibrate import profile_model
    from .fold import FoldOptions, fold_model
    from .model import check_input_shape
    from .write import check_output_path, write_model

    out = Path(args.output)
    check_output_path(out)
    if args.budget is not None and not args.val:
        raise CliError("--budget needs --val (and --val-labels for an accuracy budget)", status=2)
    if args.val_labels and not args.val:
        raise CliError("--val-labels needs --val", status=2)
    if args.refit_block and not args.refit:
        raise CliError("--refit-block needs --refit", status=2)
    for path, what in ((args.val, "validation data"), (args.val_labels, "validation labels")):
        if path:
            _npy_shape(Path(path), what)
    progress = Progress(6 if args.val else 5, args.quiet)
    with tempfile.TemporaryDirectory(prefix="lin-") as tmp:
        work = Path(tmp)
        model, model_shape = _export(args, work, progress)
        if args.val:
            check_input_shape(model_shape, _npy_shape(Path(args.val), "validation data"),
                              Path(args.val))
        calib = [Path(args.calib)]
        if args.workers or args.scheduler:
            from .scaleout import profile_on_cluster

            where = args.scheduler or f"{args.workers} local Dask workers"
            profiled = progress.run(f"profile on {calib[0].name} ({where})", profile_on_cluster,
                                    model, calib[0], work / "profiled.mlirbc",
                                    workers=args.workers, scheduler=args.scheduler)
        else:
            profiled = progress.run(f"profile on {calib[0].name}", profile_model, model, calib,
                                    work / "profiled.mlirbc", quiet=args.quiet)
        options = FoldOptions(threshold=args.threshold, merge_threshold=args.merge_threshold,
                              remove_threshold=args.remove_threshold, target_size=args.target_size,
                              refit=args.refit, refit_block=args.refit_block,
                              budget=args.budget,
                              val=Path(args.val) if args.val else None,
                              val_labels=Path(args.val_labels) if args.val_labels else None)
        folded = work / "folded.mlir"
        if (args.workers or args.scheduler) and args.refit and args.budget is None:
            from .scaleout import BATCH, refit_on_cluster

            # A static batch size is the one lin-opt runs, and blocks are
            # whole batches of it.
            batch = model_shape[0] if model_shape and model_shape[0] else BATCH
            report = progress.run(f"fold and refit ({where})", refit_on_cluster, profiled,
                                  calib[0], folded, work / "report.json", options,
                                  workers=args.workers, scheduler=args.scheduler, batch=batch)
        else:
            report = progress.run("fold", fold_model, profiled, calib, folded,
                                  work / "report.json", options)
        progress.run("verify with mlir-opt", _verify, folded)
        quality = (progress.run(f"evaluate on {Path(args.val).name}", _quality, args, model,
                                folded, work) if args.val else None)
        progress.run(f"write {out}", write_model, folded, out, target_cpu=args.target_cpu)
    print(format_table(report))
    if quality:
        print(quality)
    print(f"wrote {out}")
    return 0


def _inspect(args) -> int:
    from .calibrate import profile_model
    from .tools import run_lin_tool

    progress = Progress(2, args.quiet)
    with tempfile.TemporaryDirectory(prefix="lin-") as tmp:
        work = Path(tmp)
        model, _ = _export(args, work, progress)
        profiled = progress.run(f"profile on {Path(args.calib).name}", profile_model, model,
                                [Path(args.calib)], work / "profiled.mlirbc", quiet=args.quiet)
        table = work / "summary.txt"
        run_lin_tool(["lin-opt", profiled, f"--linearity-summary=output={table}",
                      "-o", work / "summary.mlir"])
        print(table.read_text(), end="")
    return 0


def _share(text: str) -> float:
    """An argparse type: a number in [0, 1]."""
    value = _non_negative(text)
    if value > 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not in [0, 1]")
    return value


def _non_negative(text: str) -> float:
    """An argparse type: a finite number >= 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text} is not a finite number >= 0")
    return value


def _positive_int(text: str) -> int:
    """An argparse type: a whole number >= 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def _model_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", help="the model: .pt2 (torch.export.save), .pt/.pth (torch.save of "
                                 "an nn.Module), .onnx, or .mlir/.mlirbc (linalg on tensors)")
    p.add_argument("--calib", required=True, metavar="X.npy",
                   help="calibration inputs, float32 [samples, features...]")
    p.add_argument("--input-shape", metavar="SHAPE",
                   help="one sample's shape for a .pt module, e.g. 784 or 3,32,32 "
                        "(default: the calibration data's)")
    p.add_argument("--model-source", metavar="FILE.py",
                   help="the script that defines the class of a .pt model saved from a script")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="lin", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("compress", help="compress a model: export, profile, fold, write",
                       description="Export MODEL, profile it on --calib, fold the neurons that "
                                   "stay linear and write the compressed model to -o.")
    _model_arguments(c)
    c.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="the compressed model: .mlir, .mlirbc, .vmfb (IREE, llvm-cpu), "
                        ".pt2 (torch.export ExportedProgram) or .onnx")
    c.add_argument("--threshold", type=_share, default=1.0,
                   help="fold neurons in one linear piece on at least this share of the "
                        "calibration samples (default: 1.0, exact on them)")
    c.add_argument("--merge-threshold", type=_share, help="threshold for merging (identity piece)")
    c.add_argument("--remove-threshold", type=_share,
                   help="threshold for removing (constant piece, e.g. dead ReLUs)")
    c.add_argument("--target-size", type=_share,
                   help="lower the merge threshold until at most this share of the parameters stays")
    c.add_argument("--refit", action="store_true",
                   help="refit the folded layers' consumers by least squares on the calibration data")
    c.add_argument("--refit-block", type=_positive_int, metavar="SAMPLES",
                   help="the refit sums its statistics per block of this many samples, then "
                        "the blocks in order (default: 8192): the unit --workers shards the "
                        "refit by; each worker returns 2 (features + 1)^2 float64 per block and "
                        "consumer, so larger blocks mean less to ship, fewer mean less "
                        "parallelism. The model depends on it (last bits), not on --workers")
    c.add_argument("--budget", type=_non_negative, metavar="PP",
                   help="smallest model within PP points of the original's accuracy on --val "
                        "(agreement without --val-labels)")
    c.add_argument("--val", metavar="X.npy",
                   help="validation inputs: for --budget, and accuracy before/after")
    c.add_argument("--val-labels", metavar="Y.npy", help="integer labels of --val")
    c.add_argument("--workers", type=_positive_int, metavar="N",
                   help="profile (and, with --refit, compute the refit's statistics of) N "
                        "shards of --calib in parallel on a local Dask cluster of N workers "
                        "(bit-identical to one run; the refit's shards are whole "
                        "--refit-block blocks; with --budget the candidates' refits stay on "
                        "the client)")
    c.add_argument("--scheduler", metavar="ADDRESS",
                   help="the same on the Dask cluster at ADDRESS (tcp://host:8786): "
                        "one shard per worker, or --workers shards")
    c.add_argument("--target-cpu", default="host",
                   help="--iree-llvmcpu-target-cpu for a .vmfb (default: host)")
    c.set_defaults(run=_compress)

    i = sub.add_parser("inspect", help="how linear each layer of a model is on calibration data")
    _model_arguments(i)
    i.set_defaults(run=_inspect)
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    # torch and torch-mlir warn about their own internals (deprecations):
    # nothing a user of the command can act on.
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    try:
        return args.run(args)
    except CliError as e:
        print(f"lin: error: {e}", file=sys.stderr)
        return e.status
    except KeyboardInterrupt:
        print("lin: interrupted", file=sys.stderr)
        return 130
