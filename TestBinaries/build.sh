#!/usr/bin/env bash
# Rebuilds the small fixtures in TestBinaries/ from the C sources in src/.
# XCOFF: clang targets AIX (powerpc-ibm-aix = XCOFF32, powerpc64-ibm-aix = XCOFF64);
# archives: llvm-ar writes the AIX big archive format. ELF: the host compiler.
# The outputs are committed; run this only after changing a source.
set -euo pipefail
cd "$(dirname "$0")"
LLVM=/opt/swift/usr/bin
CLANG=$LLVM/clang
AR=$LLVM/llvm-ar

for bits in 32 64; do
  if [ $bits = 32 ]; then target=powerpc-ibm-aix; else target=powerpc64-ibm-aix; fi
  mkdir -p xcoff$bits
  for src in src/*.c; do
    name=$(basename "$src" .c)
    $CLANG --target=$target -O1 -fcommon -c "$src" -o xcoff$bits/$name.o
  done
  rm -f xcoff$bits/libnames.a
  $AR --format=bigarchive rc xcoff$bits/libnames.a xcoff$bits/names.o xcoff$bits/demo.o
done
# The pre-AIX-4.3 small archive format: no tool writes it any more, so a script lays it out.
python3 make_small_archive.py xcoff32/libnames-small.a xcoff32/names.o xcoff32/demo.o

mkdir -p elf64
for src in src/*.c; do
  name=$(basename "$src" .c)
  cc -O1 -fPIC -fcommon -c "$src" -o elf64/$name.o
done
cc -shared -o elf64/_demo.so elf64/demo.o
rm -f elf64/libnames.a
ar rcD elf64/libnames.a elf64/names.o elf64/demo.o
echo "rebuilt TestBinaries"
