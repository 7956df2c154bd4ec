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

# Other ELF classes and byte orders (clang and lld, no target C library needed):
# i386 = ELF32 little-endian, powerpc = ELF32 big-endian, powerpc64 = ELF64 big-endian,
# aarch64 = ELF64 little-endian. Each gets two versioned shared objects: libnames.so defines
# NAMES_1.0; libversioned.so defines VERS_1.0 / VERS_2.0 (old_api@VERS_1.0, old_api@@VERS_2.0)
# and needs libnames.so's NAMES_1.0 (DT_NEEDED, .gnu.version_r); RUNPATH on one, RPATH on the other.
LLD=$LLVM/ld.lld
for t in i386-linux-gnu:elf32le powerpc-linux-gnu:elf32be powerpc64-linux-gnu:elf64be aarch64-linux-gnu:elf64le; do
  target=${t%%:*}; dir=elf-cross/${t##*:}
  mkdir -p $dir
  $CLANG --target=$target -O1 -fPIC -fcommon -c src/names.c -o $dir/names.o
  $CLANG --target=$target -O1 -fPIC -c src/elf/versioned.c -o $dir/versioned.o
  $LLD -shared -soname libnames.so.1 --version-script src/elf/names.map --disable-new-dtags -rpath /opt/names/lib \
    -o $dir/libnames.so $dir/names.o
  $LLD -shared -soname libversioned.so.1 --version-script src/elf/versioned.map --enable-new-dtags \
    -rpath '$ORIGIN:$ORIGIN/../lib' -o $dir/libversioned.so $dir/versioned.o $dir/libnames.so
done
