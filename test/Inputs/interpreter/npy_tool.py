#!/usr/bin/env python3
"""Writes small .npy files for lin's tests without numpy, including broken ones.

  npy_tool.py OUT --shape 3,4 --values 1,2,3,... [--dtype <f4]
              [--fortran] [--version 2] [--magic BYTES] [--truncate N]
              [--header TEXT]

Values are repeated cyclically to fill the shape (``--values 0`` gives
zeros). ``--truncate N`` drops the last N bytes; ``--magic`` replaces the
6-byte magic; ``--header`` replaces the header dict text verbatim.
Also: ``npy_tool.py --dump FILE`` prints shape, dtype and values (for
checking lin's writer without numpy).
"""

import argparse
import struct
import sys

FORMATS = {  # descr -> struct format (little-endian)
    "<f2": "<e", "<f4": "<f", "<f8": "<d", "|u1": "<B", "|i1": "<b",
    "|b1": "<?", "<i2": "<h", "<u2": "<H", "<i4": "<i", "<u4": "<I",
    "<i8": "<q", "<u8": "<Q", ">f4": ">f", "<c8": "<ff",
}


def header_bytes(dict_text: str, version: int) -> bytes:
    prefix = 10 if version == 1 else 12
    total = (prefix + len(dict_text) + 1 + 63) // 64 * 64
    text = dict_text + " " * (total - prefix - len(dict_text) - 1) + "\n"
    length = struct.pack("<H" if version == 1 else "<I", len(text))
    return b"\x93NUMPY" + bytes([version, 0]) + length + text.encode("latin1")


def write(args) -> None:
    shape = tuple(int(s) for s in args.shape.split(",") if s != "")
    count = 1
    for s in shape:
        count *= s
    values = [float(v) for v in args.values.split(",")] if args.values else [0.0]
    fmt = FORMATS[args.dtype]
    if args.fortran and len(shape) == 2:
        # Fortran order: column-major data.
        rows, cols = shape
        order = [r * cols + c for c in range(cols) for r in range(rows)]
    else:
        order = range(count)
    data = b""
    for i in order:
        v = values[i % len(values)]
        if fmt[-1] in "bBhHiIqQ":
            v = int(v)
        elif fmt[-1] == "?":
            v = bool(v)
        data += struct.pack(fmt, *([v, 0.0] if args.dtype == "<c8" else [v]))
    shape_text = "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
    dict_text = args.header or (
        "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }"
        % (args.dtype, "True" if args.fortran else "False", shape_text))
    blob = header_bytes(dict_text, args.version) + data
    if args.magic is not None:
        blob = args.magic.encode("latin1")[:6].ljust(6, b"\0") + blob[6:]
    if args.truncate:
        blob = blob[: -args.truncate]
    with open(args.out, "wb") as f:
        f.write(blob)


def dump(path: str) -> None:
    blob = open(path, "rb").read()
    assert blob[:6] == b"\x93NUMPY", "bad magic"
    version = blob[6]
    if version == 1:
        (length,) = struct.unpack("<H", blob[8:10])
        start = 10
    else:
        (length,) = struct.unpack("<I", blob[8:12])
        start = 12
    header = eval(blob[start : start + length].decode("latin1"))  # noqa: S307 (test data)
    fmt = FORMATS[header["descr"]]
    size = struct.calcsize(fmt)
    data = blob[start + length :]
    values = [struct.unpack(fmt, data[i : i + size])[0] for i in range(0, len(data), size)]
    print("version:", version, "(data at %d)" % (start + length))
    print("descr:", header["descr"])
    print("shape:", header["shape"])
    print("values:", " ".join("%g" % v for v in values))


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--dump":
        dump(sys.argv[2])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--shape", required=True)
    parser.add_argument("--values", default="")
    parser.add_argument("--dtype", default="<f4", choices=sorted(FORMATS))
    parser.add_argument("--fortran", action="store_true")
    parser.add_argument("--version", type=int, default=1)
    parser.add_argument("--magic")
    parser.add_argument("--truncate", type=int, default=0)
    parser.add_argument("--header")
    write(parser.parse_args())


if __name__ == "__main__":
    main()
