#!/usr/bin/env python3
"""Writes the malformed-input corpus of this directory from the good TestBinaries.

Run from anywhere: `python3 TestBinaries/malformed/make.py`. Deterministic: the same good files
give the same bytes. Each file carries one kind of damage; MANIFEST (kept by hand, checked by
Tests/EndToEndTests/MalformedCorpusTests.swift) lists the one error line symscan must print for it.

Also written here, as a good base: good-loader64.so, a minimal XCOFF64 shared object with an
auxiliary header, a .text section and a .loader section (one export, one import from libc.a),
since the TestBinaries objects have no loader section.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
TB = os.path.dirname(HERE)


def read(rel):
    with open(os.path.join(TB, rel), "rb") as f:
        return bytearray(f.read())


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(bytes(data))


def put(b, offset, fmt, *values):
    struct.pack_into(fmt if fmt[0] in "<>" else ">" + fmt, b, offset, *values)


def field(value, width):
    """An AIX archive decimal field: left-aligned, blank-padded."""
    s = str(value).encode()
    assert len(s) <= width
    return s + b" " * (width - len(s))


def good_loader64():
    """A minimal XCOFF64 shared object; returns (bytes, offset of .loader, loader layout dict)."""
    aux_size, text_size = 120, 8
    headers_end = 24 + aux_size + 2 * 72
    text_at = headers_end
    loader_at = text_at + text_size
    # .loader: header (56), 2 symbols (48), import file IDs, string table.
    ids = b"/usr/lib:/lib\0\0\0" + b"\0libc.a\0shr_64.o\0"
    names = [b"PyInit__demo", b"malloc"]
    strtab, name_offsets = bytearray(), []
    for n in names:
        strtab += struct.pack(">H", len(n) + 1)
        name_offsets.append(len(strtab))
        strtab += n + b"\0"
    symoff = 56
    impoff = symoff + 2 * 24
    stoff = impoff + len(ids)
    loader = bytearray(stoff + len(strtab))
    put(loader, 0, "IIIIII", 2, 2, 0, len(ids), 2, len(strtab))
    put(loader, 24, "QQQQ", impoff, stoff, symoff, 0)
    # export PyInit__demo: .text, EXPORT|XTY_SD, XMC_DS; import malloc from ID 1: IMPORT|XTY_ER, XMC_DS
    put(loader, symoff, "QIhBBII", 0x100, name_offsets[0], 1, 0x10 | 1, 10, 0, 0)
    put(loader, symoff + 24, "QIhBBII", 0, name_offsets[1], 0, 0x40, 10, 1, 0)
    loader[impoff:impoff + len(ids)] = ids
    loader[stoff:] = strtab
    b = bytearray(loader_at + len(loader))
    put(b, 0, "HHIQHHI", 0x01F7, 2, 0, 0, aux_size, 0x3002, 0)     # F_SHROBJ|F_DYNLOAD|F_EXEC
    put(b, 24, "HH", 0x010B, 1)
    put(b, 24 + 40, "H", 2)                                          # o_snloader
    s1, s2 = 24 + aux_size, 24 + aux_size + 72
    b[s1:s1 + 8] = b".text\0\0\0"
    put(b, s1 + 24, "QQ", text_size, text_at)
    put(b, s1 + 64, "I", 0x20)
    b[s2:s2 + 8] = b".loader\0"
    put(b, s2 + 24, "QQ", len(loader), loader_at)
    put(b, s2 + 64, "I", 0x1000)
    b[text_at:text_at + text_size] = b"\x4e\x80\x00\x20" * 2  # blr; blr
    b[loader_at:] = loader
    return b, loader_at, {"symoff": symoff, "impoff": impoff, "stoff": stoff, "section_header": s2}


def main():
    for name in os.listdir(HERE):
        if name not in ("make.py", "MANIFEST"):
            os.remove(os.path.join(HERE, name))
    x64 = read("xcoff64/demo.o")
    x32 = read("xcoff32/names.o")
    big = read("xcoff64/libnames.a")
    small = read("xcoff32/libnames-small.a")
    so, lo, lay = good_loader64()
    write("good-loader64.so", so)

    symptr64 = struct.unpack_from(">Q", x64, 8)[0]
    nsyms64 = struct.unpack_from(">I", x64, 20)[0]
    strtab64 = symptr64 + 18 * nsyms64
    nscns64 = struct.unpack_from(">H", x64, 2)[0]
    sec64 = 24  # demo.o has no auxiliary header
    assert struct.unpack_from(">H", x64, 16)[0] == 0

    write("empty.o", b"")

    # Truncation at structure boundaries.
    write("trunc-file-header.o", x64[:12])
    write("trunc-aux-header.so", so[:24 + 60])
    write("trunc-section-headers.o", x64[:sec64 + 72 + 30])
    write("trunc-symbol-table.o", x64[:symptr64 + 18 * 3 + 5])
    write("trunc-string-table.o", x64[:strtab64 + 10])
    write("trunc-loader-header.so", so[:lo + 20])
    b = bytearray(so)  # the .loader section is 20 bytes long: shorter than its own header
    put(b, lay["section_header"] + 24, "Q", 20)
    write("short-loader-section.so", b)
    b = bytearray(so)  # the loader symbol table starts 30 bytes before the end of the section
    loader_size = struct.unpack_from(">Q", so, lay["section_header"] + 24)[0]
    put(b, lo + 40, "Q", loader_size - 30)
    write("trunc-loader-symbols.so", b)
    write("trunc-archive-header.a", big[:100])
    second = int(big[88:108])  # fl_lstmoff: the last (second) member
    write("trunc-member-header.a", big[:second + 50])
    first_small = int(small[8 + 2 * 12:8 + 3 * 12])
    write("trunc-small-member-header.a", small[:first_small + 40])
    # Cut after the last member, in the tables the file header points to (which every writer
    # puts at the end): the members are whole, the archive is not.
    big32 = read("xcoff32/libnames.a")
    memoff, gst64 = int(big[8:28]), int(big[48:68])
    assert int(big[28:48]) == 0 and memoff < gst64
    write("trunc-member-table.a", big[:memoff + 105])  # inside the member table's header
    write("gst64-past-end.a", big[:gst64])  # ends with the member table
    write("trunc-gst64.a", big[:len(big) - 100])  # inside the 64-bit global symbol table
    gst32 = int(big32[28:48])
    write("trunc-gst32.a", big32[:gst32 + 84])  # inside the 32-bit global symbol table's header
    memoff_small = int(small[8:20])
    write("trunc-small-member-table.a", small[:memoff_small + 32])
    write("trunc-small-gst.a", small[:len(small) - 1])

    # Sections past the end, over the headers, over each other.
    b = bytearray(x64)
    put(b, sec64 + 72 + 32, "Q", len(x64) - 4)  # section 2's contents start 4 bytes before the end
    write("section-past-end.o", b)
    b = bytearray(x64)
    put(b, sec64 + 24, "Q", 0x1_0000_0000)  # section 1 claims 4 GiB in a 3 KiB file
    write("section-4gib.o", b)
    b = bytearray(x64)
    put(b, sec64 + 32, "Q", 16)  # section 1's contents start inside the file header
    write("section-in-headers.o", b)
    b = bytearray(x64)
    s1_ptr, s1_size = struct.unpack_from(">QQ", x64, sec64 + 32)[0], struct.unpack_from(">Q", x64, sec64 + 24)[0]
    put(b, sec64 + 72 + 32, "Q", s1_ptr + 4)  # section 2 starts inside section 1
    write("section-overlap.o", b)

    # Counts whose product with the entry size wraps around in 32-bit arithmetic.
    b = bytearray(x64)
    put(b, 20, "I", 0x0E38E38F)  # 238609295 * 18 = 0x1_0000_0006
    write("nsyms-wraps-32bit.o", b)
    b = bytearray(so)
    put(b, lo + 4, "I", 0x0AAAAAAB)  # 178956971 * 24 = 0x1_0000_0008
    write("loader-nsyms-wraps-32bit.so", b)
    b = bytearray(big)
    gst = int(big[48:68])  # fl_gst64off: this archive has only the 64-bit table
    gst_data = gst + 112 + int(big[gst + 108:gst + 112]) + (int(big[gst + 108:gst + 112]) & 1) + 2
    put(b, gst_data, "Q", 0x2000_0000_0000_0001)  # * 8 overflows 64 bits
    write("gst-count-overflow.a", b)

    # String tables.
    b = bytearray(x64)
    put(b, strtab64, "I", 0)
    write("strtab-length-zero.o", b)
    b = bytearray(x64)
    put(b, strtab64, "I", 0xFFFF_FFFF)
    write("strtab-too-long.o", b)
    b = bytearray(x64)
    b[-1] = ord("x")  # the last name loses its NUL at the very end of the file
    write("name-without-nul.o", b)

    # Loader section: import file index out of range, name outside the loader string table.
    b = bytearray(so)
    put(b, lo + lay["symoff"] + 24 + 16, "I", 7)
    write("loader-import-index.so", b)
    b = bytearray(so)
    put(b, lo + lay["symoff"] + 24 + 16, "I", 0xFFFF_FFFF)
    write("loader-import-index-huge.so", b)
    b = bytearray(so)
    put(b, lo + lay["symoff"] + 8, "I", 5000)
    write("loader-name-offset.so", b)
    b = bytearray(so)
    put(b, lo + 16, "I", 9)  # nine import file IDs in a 33-byte table
    write("loader-import-count.so", b)

    # Archive member chains.
    first = int(big[68:88])
    b = bytearray(big)
    b[first + 20:first + 40] = field(first, 20)  # the first member's next is itself
    write("chain-self-loop.a", b)
    b = bytearray(big)
    b[second + 20:second + 40] = field(first, 20)  # the last member points back to the first ...
    b[88:108] = field(len(big) + 1000, 20)         # ... and the last-member offset is elsewhere
    write("chain-backwards.a", b)
    b = bytearray(big)
    b[first + 20:first + 40] = field(len(big) + 112, 20)
    b[88:108] = field(len(big) + 112, 20)
    write("chain-past-end.a", b)
    b = bytearray(big)  # the first member's symbol count is damaged; the second member is fine
    name_length = int(big[first + 108:first + 112])
    member = first + 112 + name_length + (name_length & 1) + 2
    put(b, member + 20, "I", 0x7FFF_FFFF)
    write("bad-member.a", b)
    b = bytearray(big)
    b[first:first + 20] = field(0x1_0000_0000, 20)  # member size 4 GiB
    write("member-4gib.a", b)
    b = bytearray(big)
    b[88:108] = field(first + 872, 20)  # the last member is in the middle of the first one
    write("chain-skips-last.a", b)

    # File header offsets that point at something other than a member header.
    b = bytearray(big)
    b[8:28] = field(60, 20)  # the member table inside the file header
    write("memoff-in-header.a", b)

    # A member header without its "`\n" after the name.
    b = bytearray(big)
    fmag = first + 112 + name_length + (name_length & 1)
    b[fmag:fmag + 2] = b"  "  # the first member's "`\n" after its name
    write("member-no-terminator.a", b)

    # Not XCOFF.
    write("control-byte.exp", b"#! libc.a(shr.o)\nmalloc\nfree\x01\n")
    elf = read("elf64/names.o")
    write("elf-trunc-header.o", elf[:40])
    b = bytearray(elf)
    put(b, 0x28, "<Q", len(elf) + 64)  # e_shoff past the end
    write("elf-shoff-past-end.o", b)
    b = bytearray(elf)
    write("elf-trunc-section-headers.o", b[:len(b) - 10])
    b = bytearray(elf)  # e_shnum 0: the count is section 0's sh_size, and it does not fit
    shoff = struct.unpack_from("<Q", elf, 0x28)[0]
    put(b, 0x3C, "<H", 0)
    put(b, shoff + 32, "<Q", 0x0FFF_FFFF)
    write("elf-extended-shnum.o", b)
    ar = read("elf64/libnames.a")
    write("ar-trunc-member.a", ar[:8 + 60 + 30] if ar[8:9] != b"/" else ar[:len(ar) - 100])


main()
