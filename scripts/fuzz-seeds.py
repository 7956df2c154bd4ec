#!/usr/bin/env python3
"""Writes the seed corpus of one fuzz target into a directory, from our good inputs.

Usage: fuzz-seeds.py TARGET OUTDIR INPUT_DIR...

Inputs are only read. Files are classified by their bytes (like symscan); AIX archives are
opened so that their members become XCOFF seeds, and the loader-section target gets each XCOFF
file's `.loader` contents behind the width byte its harness expects (0: 32-bit, 1: 64-bit).
Seeds larger than 256 KiB are left out (they slow every execution down); their members are not.
"""
import hashlib
import os
import struct
import sys

LIMIT = 256 * 1024


def kind(b):
    if b[:2] in (b"\x01\xdf", b"\x01\xf7"):
        return "xcoff"
    if b[:8] in (b"<bigaf>\n", b"<aiaff>\n"):
        return "aix-archive"
    if b[:8] == b"!<arch>\n":
        return "ar"
    if b[:4] == b"\x7fELF":
        return "elf"
    if b and all(c in (9, 10, 13) or 32 <= c < 127 for c in b[:4096]):
        return "text"
    return None


def aix_members(b):
    """(name, bytes) of each member, following the ar_nxtmem chain; stops at anything odd."""
    big = b[:8] == b"<bigaf>\n"
    w, fh, mh = (20, 128, 112) if big else (12, 68, 88)

    def num(o, n):
        try:
            return int(b[o:o + n].split(b"\0")[0].strip() or b"0")
        except ValueError:
            return -1
    first = num(8 + (3 if big else 2) * w, w)
    last = num(8 + (4 if big else 3) * w, w)
    o, out = first, []
    while 0 < o < len(b) and len(out) < 10000:
        size, nxt, namlen = num(o, w), num(o + w, w), num(o + mh - 4, 4)
        if size < 0 or namlen < 0:
            break
        start = o + mh + namlen + (namlen & 1) + 2
        out.append((b[o + mh:o + mh + namlen], b[start:start + size]))
        if o == last or nxt <= o:
            break
        o = nxt
    return out


def loader_section(b):
    """The contents of the STYP_LOADER section of an XCOFF file, or None."""
    is64 = b[:2] == b"\x01\xf7"
    try:
        nscns = struct.unpack_from(">H", b, 2)[0]
        opthdr = struct.unpack_from(">H", b, 16 if is64 else 16)[0]
        first = (24 if is64 else 20) + opthdr
        for i in range(nscns):
            o = first + i * (72 if is64 else 40)
            if is64:
                size, ptr = struct.unpack_from(">QQ", b, o + 24)
                flags = struct.unpack_from(">I", b, o + 64)[0]
            else:
                size, ptr = struct.unpack_from(">II", b, o + 16)
                flags = struct.unpack_from(">I", b, o + 36)[0]
            if flags & 0x1000:
                return bytes([1 if is64 else 0]) + b[ptr:ptr + size]
    except struct.error:
        pass
    return None


def seeds(target, path, b):
    k = kind(b)
    members = aix_members(b) if k == "aix-archive" else []
    xcoffs = ([b] if k == "xcoff" else []) + [m for _, m in members if kind(m) == "xcoff"]
    texts = ([b] if k == "text" else []) + [m for _, m in members if kind(m) == "text"]
    if target == "xcoff":
        return xcoffs
    if target == "loader-section":
        return [s for s in map(loader_section, xcoffs) if s]
    if target == "aix-archive":
        return [b] if k == "aix-archive" else []
    if target == "exp":
        return texts
    if target == "elf":
        return [b] if k in ("elf", "ar") else []
    if target == "image-loader":
        return [b] + [m for _, m in members]
    if target == "json":
        return [b] if path.endswith(".json") else []
    if target == "pyo3-config":
        return [b] if path.endswith(".cfg") else []
    if target == "provider-cache":
        return [b] if b[:8] == b"SYMSCANP" else []
    if target == "zip":
        return [b] if b[:4] == b"PK\x03\x04" else []
    if target == "link-line":
        return [b] if path.endswith((".log", ".rsp")) else []
    sys.exit(f"fuzz-seeds: unknown target {target}")


def made_seeds(target, out):
    """Seeds made here from real tools: a wheel of real shared objects (Python's zipfile), and
    the compiler driver's own link lines and error messages (cc -### and a failing link)."""
    import subprocess, tempfile, zipfile, glob
    made = []
    if target == "zip":
        sos = sorted(glob.glob("TestBinaries/elf64/*.so"))[:3]
        for method in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
            path = os.path.join(out, f"seed-{method}.whl")
            with zipfile.ZipFile(path, "w", compression=method) as z:
                for so in sos:
                    z.write(so, "pkg/" + os.path.basename(so))
                z.writestr("pkg-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\n")
            made.append(path)
    if target == "link-line":
        with tempfile.TemporaryDirectory() as d:
            c = os.path.join(d, "m.c")
            with open(c, "w") as f:
                f.write("extern int missing(void);\nint PyInit_m(void) { return missing(); }\n")
            for args in (["-###", "-shared", "-o", "m.so", c, "-lm"],
                         ["-shared", "-fPIC", "-Wl,-z,defs", "-o", os.path.join(d, "m.so"), c]):
                try:
                    r = subprocess.run(["cc"] + args, capture_output=True, text=True, timeout=60)
                except (OSError, subprocess.TimeoutExpired):
                    continue
                text = "cc " + " ".join(args) + "\n" + r.stderr
                # A response file after a NUL, named @r1 in the text (the harness's layout).
                path = os.path.join(out, f"seed-{len(made)}.log")
                with open(path, "w") as f:
                    f.write(text + " @r1\0-lm -L/usr/lib @r1\n")
                made.append(path)
    return made


def main():
    target, out, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(out, exist_ok=True)
    written = 0
    for top in inputs:
        for root, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d not in ("src", "malformed"))
            for name in sorted(files):
                if name.endswith((".c", ".sh", ".py", ".md", ".txt")) or name == "MANIFEST":
                    continue
                with open(os.path.join(root, name), "rb") as f:
                    b = f.read()
                for s in seeds(target, name, b):
                    if 0 < len(s) <= LIMIT:
                        with open(os.path.join(out, hashlib.sha1(s).hexdigest()), "wb") as f:
                            f.write(s)
                        written += 1
    written += len(made_seeds(target, out))
    print(f"fuzz-seeds: {written} seeds for {target} in {out}")


main()
