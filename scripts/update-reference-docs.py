#!/usr/bin/env python3
"""Refreshes or checks docs/reference, the committed ODS references.

The build generates LinDialect.md, LinAttributes.md and Passes.md from the
.td files into <build>/docs/reference and never writes into the source tree.

  update-reference-docs.py --generated BUILD/docs/reference --committed docs/reference
      copies the generated references over the committed ones (and deletes
      committed .md files that are no longer generated); this is what
      `ninja -C BUILD lin-doc-update` runs.
  update-reference-docs.py --check ...
      exits 1 with a diff and the refresh command when they differ
      (test/Docs/reference.test).
"""

import argparse
import difflib
import os
import shutil
import sys


def markdown_files(directory):
    if not os.path.isdir(directory):
        return set()
    return {f for f in os.listdir(directory) if f.endswith(".md")}


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", required=True,
                        help="the build tree's docs/reference")
    parser.add_argument("--committed", required=True,
                        help="the source tree's docs/reference")
    parser.add_argument("--check", action="store_true",
                        help="compare only; exit 1 when they differ")
    args = parser.parse_args()

    generated = markdown_files(args.generated)
    if not generated:
        sys.exit(f"error: no generated references in {args.generated}: "
                 "build the lin-doc-reference target first")
    committed = markdown_files(args.committed)

    stale = []
    for name in sorted(generated | committed):
        new = os.path.join(args.generated, name)
        old = os.path.join(args.committed, name)
        if name not in committed:
            stale.append((name, f"{old} is missing", None))
        elif name not in generated:
            stale.append((name, f"{old} is no longer generated", None))
        elif read(new) != read(old):
            diff = difflib.unified_diff(
                read(old).splitlines(keepends=True),
                read(new).splitlines(keepends=True),
                fromfile=old, tofile=new)
            stale.append((name, f"{old} differs from the generated {new}",
                          "".join(diff)))

    if args.check:
        if not stale:
            return 0
        build = os.path.dirname(os.path.dirname(os.path.abspath(args.generated)))
        print("error: docs/reference is out of date with the ODS definitions "
              "(include/lin/**/*.td):", file=sys.stderr)
        for _, reason, _ in stale:
            print(f"  {reason}", file=sys.stderr)
        for _, _, diff in stale:
            if diff:
                sys.stderr.write(diff)
        print(f"Refresh the committed copies with:\n"
              f"  ninja -C {build} lin-doc-update\n"
              f"and commit docs/reference.", file=sys.stderr)
        return 1

    os.makedirs(args.committed, exist_ok=True)
    for name, reason, _ in stale:
        old = os.path.join(args.committed, name)
        if name in generated:
            shutil.copyfile(os.path.join(args.generated, name), old)
            print(f"updated {old}")
        else:
            os.remove(old)
            print(f"removed {old}")
    if not stale:
        print(f"{args.committed} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
