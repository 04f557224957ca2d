# Runs every command of docs/use-on-your-model.md verbatim, in order, in an
# empty directory outside the repository, as a user would after
# scripts/setup.sh: `lin` is the console script of the installed package
# (pip install ./python), `python` the venv's, lin-opt / lin-run the build's
# under test, all found on PATH. The commands are the ```sh blocks of the
# document, except those marked `<!-- not run by the docs test: why -->`
# (the setup, which builds the repository itself). Then the files the
# document says the commands write must exist, and each compression the
# document shows must print its table.
#
# REQUIRES: torch-mlir, iree, onnx
# RUN: %python %s %lin_src_root/docs/use-on-your-model.md

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from lin_testing.cli import install_package

SKIP = re.compile(r"<!-- not run by the docs test\b[^>]*-->\s*$")


def shell_blocks(markdown: str) -> list:
    """The ```sh blocks not marked as skipped, in document order."""
    blocks, lines = [], markdown.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```sh":
            previous = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
            end = lines.index("```", i + 1)
            if not SKIP.match(previous.strip()):
                blocks.append("\n".join(lines[i + 1:end]))
            i = end
        i += 1
    return blocks


def main():
    doc = Path(sys.argv[1])
    blocks = shell_blocks(doc.read_text())
    assert len(blocks) >= 6, f"expected the document's commands, found {len(blocks)} blocks"
    repo = doc.resolve().parents[1]
    tmp = Path(tempfile.mkdtemp())
    assert repo not in tmp.resolve().parents, "the scratch directory is inside the repository"
    bin_dir = install_package(tmp / "install")
    work = tmp / "work"
    work.mkdir()
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(bin_dir), os.path.dirname(sys.executable), env["PATH"]])
    env["PYTHONPATH"] = str(bin_dir.parent)   # the installed packages, not the repository's
    script = "set -euo pipefail\n" + "\n".join(blocks) + "\n"
    result = subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True,
                            text=True)
    print(result.stdout)
    if result.returncode != 0:
        sys.exit(f"FAILED: the commands of {doc.name} exited {result.returncode}\n"
                 f"{result.stderr[-3000:]}")
    for name in ("model.pt2", "model.onnx", "compressed.vmfb", "small.pt2", "small.onnx",
                 "profiled.mlirbc", "folded_0.7.mlir"):
        assert (work / name).is_file(), f"{name} was not written"
    tables = re.findall(r"^parameters: \d+ -> \d+ \(", result.stdout, re.M)
    # compress to .vmfb, .pt2 and .onnx, then sharded (--workers 2) and
    # single, the same with --refit.
    assert len(tables) == 7, result.stdout
    for what in ("IREE test accuracy", "PyTorch test accuracy", "ONNX Runtime test accuracy",
                 "\n2      ", "sharded = single", "sharded refit = single refit",
                 "merge-threshold 0.7: accuracy"):
        assert what in result.stdout, f"{what!r} not printed"
    # The reasons the document shows for layers that stay whole.
    for why in re.findall(r"^\S+ not folded: .*$", doc.read_text(), re.M):
        assert why in result.stdout, f"{why!r} not printed"
    print(f"ok: {len(blocks)} blocks of {doc.name}")


if __name__ == "__main__":
    main()
