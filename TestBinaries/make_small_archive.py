#!/usr/bin/env python3
"""Writes an AIX *small* archive (`<aiaff>`, the format before AIX 4.3) from XCOFF32 objects.

No tool here writes this format (llvm-ar and GNU ar write big archives), so this script lays it
out from the AIX <ar.h> description: a 68-byte file header of 12-byte decimal fields, 88-byte
member headers, a member table and a 32-bit global symbol table (4-byte count and offsets).
Tests read the result with symscan and check it against GNU `ar --target=aixcoff-rs6000 t`
and GNU nm, which read this format independently.

usage: make_small_archive.py OUT.a OBJ.o... (global symbols are taken from `nm -g --defined-only`)
"""
import subprocess
import sys


def dec(value, width):
    text = str(value).encode()
    assert len(text) <= width
    return text + b" " * (width - len(text))


def member_header(size, nxt, prv, name, mode=0o644):
    h = dec(size, 12) + dec(nxt, 12) + dec(prv, 12) + dec(0, 12) + dec(0, 12) + dec(0, 12)
    h += dec(oct(mode)[2:], 12) + dec(len(name), 4)
    assert len(h) == 88
    body = h + name + (b"\0" if len(name) % 2 else b"") + b"`\n"
    return body


def main():
    out, objects = sys.argv[1], sys.argv[2:]
    blob = bytearray(b"\0" * 68)
    offsets = []
    for i, path in enumerate(objects):
        data = open(path, "rb").read()
        name = path.rsplit("/", 1)[-1].encode()
        offsets.append(len(blob))
        blob += member_header(len(data), 0, offsets[i - 1] if i else 0, name)
        blob += data + (b"\0" if len(data) % 2 else b"")
    # Member table: count, offsets, names.
    memoff = len(blob)
    names = [p.rsplit("/", 1)[-1].encode() for p in objects]
    table = dec(len(objects), 12) + b"".join(dec(o, 12) for o in offsets) + b"".join(n + b"\0" for n in names)
    blob += member_header(len(table), 0, offsets[-1], b"") + table + (b"\0" if len(table) % 2 else b"")
    # Global symbol table (32-bit): count, member offsets, names.
    gstoff = len(blob)
    syms = []
    for off, path in zip(offsets, objects):
        nm = subprocess.run(["nm", "-g", "--defined-only", "-P", path], capture_output=True, text=True, check=True)
        syms += [(off, line.split()[0].encode()) for line in nm.stdout.splitlines() if line.strip()]
    gst = len(syms).to_bytes(4, "big") + b"".join(o.to_bytes(4, "big") for o, _ in syms)
    gst += b"".join(n + b"\0" for _, n in syms)
    blob += member_header(len(gst), 0, memoff, b"") + gst + (b"\0" if len(gst) % 2 else b"")
    # Chain: each member points to the next; the last points to the member table.
    for i, off in enumerate(offsets):
        nxt = offsets[i + 1] if i + 1 < len(offsets) else memoff
        blob[off + 12:off + 24] = dec(nxt, 12)
    blob[0:68] = b"<aiaff>\n" + dec(memoff, 12) + dec(gstoff, 12) + dec(offsets[0], 12) + dec(offsets[-1], 12) + dec(0, 12)
    open(out, "wb").write(blob)


if __name__ == "__main__":
    main()
