"""Export PyTorch and ONNX models to linalg-on-tensors MLIR text.

Both paths go through torch-mlir (the PyPI wheel ``torch-mlir``):

* :func:`export_torch` -- ``torch.export`` + torch-mlir's FX importer +
  ``torch-backend-to-linalg-on-tensors-backend-pipeline``
  (``torch_mlir.fx.export_and_import(..., output_type="linalg-on-tensors")``).
* :func:`export_onnx` -- torch-mlir's ONNX importer (``onnx.*`` ops wrapped in
  ``torch.operator``) + ``torch-onnx-to-torch-backend-pipeline`` +
  ``torch-backend-to-linalg-on-tensors-backend-pipeline``.

torch-mlir is built against its own LLVM revision, while lin's C++ tools use
Debian's LLVM 22. Every exported text is therefore re-parsed and verified with
LLVM 22's ``mlir-opt`` (see :func:`check_with_mlir_opt`); if the pretty-printed
form did not parse, the exporter falls back to the generic op form, and fails
loudly if neither parses.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import tempfile
import warnings
from pathlib import Path
from typing import Optional, Sequence, Union

from lin_toolchain import find_tool

__all__ = [
    "MlirVerifyError",
    "check_with_mlir_opt",
    "inline_dense_resources",
    "export_torch",
    "export_onnx",
    "save_onnx",
    "write_text",
]

# Full lowering pipeline used for ONNX models (same passes as the
# ``torch-mlir-import-onnx`` + ``torch-mlir-opt`` command-line route).
ONNX_TO_LINALG_PIPELINE = (
    "builtin.module(torch-onnx-to-torch-backend-pipeline,"
    "torch-backend-to-linalg-on-tensors-backend-pipeline)"
)


class MlirVerifyError(RuntimeError):
    """The emitted MLIR text did not parse/verify with the reference mlir-opt."""


# ---------------------------------------------------------------------------
# mlir-opt (LLVM 22) verification
# ---------------------------------------------------------------------------


def _find_mlir_opt() -> Optional[str]:
    """The mlir-opt that validates emitted IR (``$LIN_MLIR_OPT``, PATH, ...,
    Debian's LLVM 22: see :func:`lin_toolchain.find_tool`), or None."""
    return find_tool("mlir-opt", required=False)


def check_with_mlir_opt(mlir_text: str, mlir_opt: Optional[str] = None) -> None:
    """Parse and verify ``mlir_text`` with mlir-opt; raise MlirVerifyError on failure."""
    tool = mlir_opt or _find_mlir_opt()
    if tool is None:
        raise MlirVerifyError("no mlir-opt found (set LIN_MLIR_OPT)")
    with tempfile.NamedTemporaryFile("w", suffix=".mlir", delete=False) as f:
        f.write(mlir_text)
        path = f.name
    try:
        proc = subprocess.run(
            [tool, path, "-o", os.devnull],
            capture_output=True,
            text=True,
        )
    finally:
        os.unlink(path)
    if proc.returncode != 0:
        raise MlirVerifyError(f"{tool} rejected the IR:\n{proc.stderr.strip()}")


def _finalize(module, verify: bool, constants: str) -> str:
    """Print a torch-mlir module as text that LLVM 22's mlir-opt accepts,
    with its locations (the module paths lin names layers after)."""
    text = module.operation.get_asm(enable_debug_info=True)
    if constants == "dense":
        text = inline_dense_resources(text)
    elif constants != "resource":
        raise ValueError(f"constants must be 'resource' or 'dense', got {constants!r}")
    if not verify or _find_mlir_opt() is None:
        if verify:
            warnings.warn("mlir-opt not found: emitted IR was not checked against LLVM 22")
        return text
    try:
        check_with_mlir_opt(text)
        return text
    except MlirVerifyError as pretty_err:
        # Custom assembly formats drift between LLVM revisions; the generic
        # form is the most stable spelling, so try it before giving up.
        generic = module.operation.get_asm(print_generic_op_form=True, enable_debug_info=True)
        if constants == "dense":
            generic = inline_dense_resources(generic)
        try:
            check_with_mlir_opt(generic)
        except MlirVerifyError as generic_err:
            raise MlirVerifyError(
                f"neither pretty nor generic form parses.\npretty: {pretty_err}\n"
                f"generic: {generic_err}"
            ) from None
        warnings.warn("pretty-printed IR did not parse with mlir-opt; emitting generic op form")
        return generic


# ---------------------------------------------------------------------------
# dense_resource -> dense<"0x..."> rewriting
# ---------------------------------------------------------------------------

_RESOURCE_SECTION = re.compile(r"\n*\{-#\s*dialect_resources:.*?#-\}\s*", re.S)
_BLOB_ENTRY = re.compile(r'^\s*("?)([^\s":]+)\1\s*:\s*"0x([0-9A-Fa-f]*)"', re.M)
_DENSE_RESOURCE = re.compile(r'dense_resource<("?)([^">]+)\1>')


def inline_dense_resources(mlir_text: str) -> str:
    """Replace ``dense_resource<name>`` constants by inline ``dense<"0x...">``.

    A builtin resource blob is printed as ``"0x" + 8 hex digits of alignment +
    raw little-endian data``; the hex form of a DenseElementsAttr is the raw
    data alone, so the rewrite drops the alignment word. The resource section
    is removed afterwards. Text without resources is returned unchanged.
    """
    m = _RESOURCE_SECTION.search(mlir_text)
    if not m:
        return mlir_text
    blobs = {name: hexdata[8:] for _, name, hexdata in _BLOB_ENTRY.findall(m.group(0))}
    body = mlir_text[: m.start()] + "\n" + mlir_text[m.end():]

    def repl(match: "re.Match[str]") -> str:
        name = match.group(2)
        if name not in blobs:
            raise ValueError(f"dense_resource {name!r} has no blob in the resource section")
        return f'dense<"0x{blobs[name]}">'

    return _DENSE_RESOURCE.sub(repl, body).rstrip() + "\n"


# ---------------------------------------------------------------------------
# PyTorch
# ---------------------------------------------------------------------------


def export_torch(
    module,
    example_input,
    dynamic_batch: bool = True,
    *,
    func_name: str = "main",
    constants: str = "resource",
    verify: bool = True,
    backend_legal_ops: Optional[Sequence[str]] = None,
) -> str:
    """Export a PyTorch model to linalg-on-tensors MLIR text.

    Args:
      module: an ``nn.Module`` (exported in eval mode, its training flag is
        restored afterwards) or a ``torch.export.ExportedProgram`` (used as is;
        ``example_input`` and ``dynamic_batch`` are then ignored).
      example_input: one example tensor (or a tuple of tensors) with the
        feature shape of the model input; its values do not matter.
      dynamic_batch: make dimension 0 of every input dynamic (``tensor<?x...>``)
        via ``torch.export.Dim``. With False the example's batch size is baked
        in (``tensor<4x8xf32>``).
      func_name: name of the emitted ``func.func``.
      constants: ``"resource"`` keeps torch-mlir's ``dense_resource<...>``
        blobs (resource section at the end of the file); ``"dense"`` inlines
        them as ``dense<"0x...">`` hex literals.
      verify: re-parse the result with LLVM 22's mlir-opt (recommended).
      backend_legal_ops: torch ops torch-mlir should keep instead of
        decomposing; None = torch-mlir default. Only useful for ops that have a
        direct linalg lowering: with torch-mlir 20261001, keeping
        ``aten.leaky_relu``, ``aten.hardtanh`` or ``aten.relu6`` makes the
        linalg pipeline fail.

    Returns:
      The MLIR module as text.
    """
    import torch
    from torch_mlir import fx

    def import_fx(*args, **kwargs):
        return fx.export_and_import(
            *args,
            output_type="linalg-on-tensors",
            func_name=func_name,
            backend_legal_ops=list(backend_legal_ops) if backend_legal_ops else None,
            fx_importer=_module_path_importer(),
            **kwargs,
        )

    if isinstance(module, torch.export.ExportedProgram):
        return _finalize(import_fx(module), verify, constants)

    inputs = tuple(example_input) if isinstance(example_input, (tuple, list)) else (example_input,)
    dynamic_shapes = None
    if dynamic_batch:
        # torch.export specialises a dimension of size 0 or 1 to a constant,
        # so trace with at least two rows.
        inputs = tuple(
            x.expand(2, *x.shape[1:]).contiguous() if x.shape[0] < 2 else x for x in inputs
        )
        batch = torch.export.Dim("batch")
        dynamic_shapes = tuple({0: batch} for _ in inputs)

    with _eval_mode(module), torch.no_grad():
        mod = import_fx(module, *inputs, dynamic_shapes=dynamic_shapes)
    return _finalize(mod, verify, constants)


def _module_path(node) -> str:
    """The path of the innermost PyTorch module computing an FX node
    (``layers.2``, ``fc1``; empty for the model itself)."""
    stack = node.meta.get("nn_module_stack") or {}
    if not stack:
        return ""
    path, _ = list(stack.values())[-1]
    return path


def _module_path_importer():
    """torch-mlir's FxImporter, with every op located in a name location of
    the module path computing it around torch-mlir's file:line location:
    ``loc("layers.0"(callsite(...)))``. lin names layers after it (reports,
    remarks); the lowering to linalg keeps the locations."""
    from torch_mlir import ir
    from torch_mlir.dialects import torch as torch_d
    from torch_mlir.extras.fx_importer import ContextCache, FxImporter

    class ModulePathCache(ContextCache):
        __slots__ = ()

        def get_node_location(self, node):
            loc = super().get_node_location(node)
            path = _module_path(node)
            if loc is None or not path:
                return loc
            return ir.Location.name(path, childLoc=loc, context=self._c)

    context = ir.Context()
    torch_d.register_dialect(context)
    importer = FxImporter(context=context)
    importer._cc = ModulePathCache(context, py_attr_tracker=importer._py_attr_tracker)
    return importer


@contextlib.contextmanager
def _eval_mode(module):
    """Exports trace inference behaviour: eval mode, the flag restored after."""
    was_training = module.training
    module.eval()
    try:
        yield
    finally:
        module.train(was_training)


# ---------------------------------------------------------------------------
# ONNX
# ---------------------------------------------------------------------------


def save_onnx(module, example_input, path: Union[str, os.PathLike]) -> None:
    """Write a PyTorch module as an ONNX file with a dynamic batch dimension
    (``torch.onnx.export``'s dynamo exporter, the default since torch 2.9;
    input ``x``, output ``y``), in eval mode: what :func:`export_onnx` imports
    on the ONNX route."""
    import torch

    with _eval_mode(module):
        torch.onnx.export(module, (example_input,), str(path), dynamo=True,
                          input_names=["x"], output_names=["y"],
                          dynamic_shapes=({0: torch.export.Dim("batch")},), verbose=False)


def export_onnx(
    onnx_path: Union[str, os.PathLike, "onnx.ModelProto"],  # noqa: F821
    *,
    func_name: Optional[str] = "main",
    constants: str = "resource",
    verify: bool = True,
) -> str:
    """Import an ONNX model and lower it to linalg-on-tensors MLIR text.

    The model is shape-inferred (``onnx.shape_inference``), imported with
    ``torch_mlir.extras.onnx_importer`` and lowered with
    ``torch-onnx-to-torch-backend-pipeline`` followed by
    ``torch-backend-to-linalg-on-tensors-backend-pipeline``. Dynamic
    dimensions of the ONNX graph inputs stay dynamic.

    Args:
      onnx_path: path of an ``.onnx`` file, or an already loaded ModelProto.
      func_name: rename the entry function (ONNX graphs import as
        ``@main_graph`` or the graph's name); None keeps the imported name.
      constants: as in :func:`export_torch`. In practice the ONNX pipeline
        already folds the initializers into inline ``dense<...>`` constants.
      verify: re-parse the result with LLVM 22's mlir-opt.
    """
    import onnx
    from torch_mlir import ir
    from torch_mlir.compiler_utils import run_pipeline_with_repro_report
    from torch_mlir.dialects import torch as torch_d
    from torch_mlir.extras import onnx_importer

    model = onnx_path if isinstance(onnx_path, onnx.ModelProto) else onnx.load(str(onnx_path))
    onnx.checker.check_model(model)
    model = onnx.shape_inference.infer_shapes(model)
    _name_nodes_after_modules(model)

    context = ir.Context()
    torch_d.register_dialect(context)
    model_info = onnx_importer.ModelInfo(model)
    module = model_info.create_module(context=context)
    importer = onnx_importer.NodeImporter.define_function(model_info.main_graph, module.operation)
    importer.import_all()
    module.operation.verify()

    run_pipeline_with_repro_report(module, ONNX_TO_LINALG_PIPELINE, "ONNX -> linalg-on-tensors")

    if func_name is not None:
        with context:
            funcs = [op for op in module.body.operations if op.operation.name == "func.func"]
            if len(funcs) == 1:
                funcs[0].operation.attributes["sym_name"] = ir.StringAttr.get(func_name)
    return _finalize(module, verify, constants)


def _name_nodes_after_modules(model) -> None:
    """Renames the nodes of an ONNX model exported from PyTorch after the
    module computing them (``layers.0``), which torch.onnx records in each
    node's ``pkg.torch.onnx.name_scopes`` (the scopes from the model down to
    the op: ``['', 'layers', 'layers.0', 'linear_1']``). The importer locates
    every op in its node's name, and lin names layers after it. Nodes of
    other exporters keep their names."""
    import ast

    for node in model.graph.node:
        scopes = next((p.value for p in node.metadata_props
                       if p.key == "pkg.torch.onnx.name_scopes"), None)
        if scopes is None:
            continue
        try:
            names = ast.literal_eval(scopes)
        except (ValueError, SyntaxError):
            continue
        if isinstance(names, list) and len(names) >= 2 and names[-2]:
            node.name = str(names[-2])


def write_text(path: Union[str, os.PathLike], text: str) -> Path:
    """Write MLIR text to ``path`` (creating parent directories); returns the Path."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    return p
