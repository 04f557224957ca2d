#!/usr/bin/env python3
"""Writes the seed corpora of lin's fuzzers from the test inputs.

  make-seeds.py --root <lin source> --out <dir>

creates <dir>/<fuzzer>/ with one file per seed (named by content hash):

* lin-npy-fuzzer: the small .npy files of test/ and examples/, plus one file
  per dtype, format version and shape kind (0-d, empty, 3-d) made here;
* lin-profile-attr-fuzzer: every #lin.profile<...> in test/**/*.mlir;
* lin-fold-fuzzer: every split (`// -----`) of test/**/*.mlir and the
  torch-mlir test models, without comment lines;

and each gets the reproducers of past crashes, test/Fuzz/Inputs/<kind>/.
Needs no NumPy.
"""

import argparse
import hashlib
import pathlib
import re
import shutil
import struct

MAX_SEED = 64 * 1024


def write(directory: pathlib.Path, data: bytes) -> None:
    if len(data) > MAX_SEED:
        return
    name = hashlib.sha1(data).hexdigest()
    (directory / name).write_bytes(data)


def npy(shape, descr="<f4", version=1, values=None, fortran=False) -> bytes:
    dims = ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "")
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': (%s), }" % (
        descr, "True" if fortran else "False", dims)
    prefix = 10 if version == 1 else 12
    total = (prefix + len(header) + 1 + 63) // 64 * 64
    header += " " * (total - prefix - len(header) - 1) + "\n"
    length = struct.pack("<H" if version == 1 else "<I", len(header))
    count = 1
    for s in shape:
        count *= s
    formats = {"<f2": "e", "<f4": "f", "<f8": "d", "|b1": "?", "|i1": "b",
               "|u1": "B", "<i2": "h", "<u2": "H", "<i4": "i", "<u4": "I",
               "<i8": "q", "<u8": "Q"}
    fmt = formats[descr]
    values = values or [1, 0, 2, 3, 0, 5, 7, 1]
    convert = float if fmt in "efd" else bool if fmt == "?" else int
    body = b"".join(struct.pack("<" + fmt, convert(values[i % len(values)]))
                    for i in range(count))
    return b"\x93NUMPY" + bytes([version, 0]) + length + header.encode() + body


def npy_seeds(root: pathlib.Path, out: pathlib.Path) -> None:
    for path in list(root.glob("test/**/*.npy")) + list(root.glob("examples/**/*.npy")):
        if path.stat().st_size <= MAX_SEED:
            write(out, path.read_bytes())
    for descr in ["<f2", "<f4", "<f8", "|b1", "|i1", "|u1", "<i2", "<u2",
                  "<i4", "<u4", "<i8", "<u8"]:
        write(out, npy((3, 2), descr))
    for version in (2, 3):
        write(out, npy((2, 3), version=version))
    for shape in [(), (0,), (0, 4), (4,), (2, 2, 2), (1, 1, 1, 1)]:
        write(out, npy(shape))
    write(out, npy((2, 3), fortran=True))


def profile_seeds(root: pathlib.Path, out: pathlib.Path) -> None:
    pattern = re.compile(r"#lin\.profile<[^>]*>")
    for path in root.glob("test/**/*.mlir"):
        for match in pattern.finditer(path.read_text(errors="replace")):
            write(out, match.group(0).encode())


def fold_seeds(root: pathlib.Path, out: pathlib.Path) -> None:
    paths = list(root.glob("test/**/*.mlir"))
    for path in paths:
        text = path.read_text(errors="replace")
        for chunk in re.split(r"^// -----\s*$", text, flags=re.M):
            lines = [line for line in chunk.splitlines()
                     if not line.lstrip().startswith("//")]
            body = "\n".join(lines).strip()
            if "func.func" in body:
                write(out, (body + "\n").encode())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True, type=pathlib.Path)
    parser.add_argument("--out", required=True, type=pathlib.Path)
    args = parser.parse_args()
    kinds = {"lin-npy-fuzzer": ("npy", npy_seeds),
             "lin-profile-attr-fuzzer": ("profile-attr", profile_seeds),
             "lin-fold-fuzzer": ("fold", fold_seeds)}
    counts = []
    for fuzzer, (kind, make) in kinds.items():
        out = args.out / fuzzer
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        make(args.root, out)
        reproducers = args.root / "test" / "Fuzz" / "Inputs" / kind
        if reproducers.is_dir():
            for path in reproducers.iterdir():
                if path.is_file():
                    write(out, path.read_bytes())
        counts.append("%s %d" % (fuzzer, len(list(out.iterdir()))))
    print("seeds: " + ", ".join(counts))


if __name__ == "__main__":
    main()
