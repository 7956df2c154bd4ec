#!/usr/bin/env bash
# Rebuilds TestBinaries/aix-pypi: real C extension modules from PyPI, compiled for AIX.
#
# For each pinned sdist below: download it from PyPI (pip, sdist only, checked against the
# pinned sha256), compile its C sources with clang for powerpc64-ibm-aix (XCOFF64) and, for
# some, powerpc-ibm-aix (XCOFF32), and write MANIFEST.md and libc.exp. The outputs are
# committed, so the tests need neither the network nor the cross headers; run this only to
# change the set of modules. Needs: network access to PyPI, pip, the Swift toolchain's clang
# (/opt/swift), and Debian's libc6-dev-ppc64-cross and libc6-dev-powerpc-cross.
#
# No AIX system headers exist outside AIX, so the big-endian PowerPC glibc headers stand in
# for them (-nostdinc, then clang's own headers, then /usr/powerpc{64,}-linux-gnu/include).
# CPython's headers are this machine's python3 include directory, with its x86_64 pyconfig.h
# corrected for the target by pyconfig-aix.h (byte order and type sizes; see that file).
# Only undefined and defined symbol names matter to the tests, and those come from the
# modules' own sources and CPython's headers, not from the C library's headers.
set -euo pipefail
cd "$(dirname "$0")"
LLVM=/opt/swift/usr/bin
CLANG=$LLVM/clang
NM=$LLVM/llvm-nm
PYTHON=${PYTHON:-python3}
OPT="-O2 -DNDEBUG"

# package version sdist-sha256 widths source...  (sources relative to the sdist's top directory)
MODULES=(
  "markupsafe 2.1.5 d283d37a890ba4c1ae73ffadf8046435c76e7bc2247bbb63c00bd1a709c6544b 64,32 src/markupsafe/_speedups.c"
  "simplejson 3.19.2 9eb442a2442ce417801c912df68e1f6ccfcd41577ae7274953ab3ad24ef7d82c 64 simplejson/_speedups.c"
  "crcmod 1.7 dc7051a0db5f2bd48665a990d3ec1cc305a466a77358ca4492826f41f283601e 64,32 python3/src/_crcfunext.c"
  "bitarray 2.9.2 a8f286a51a32323715d77755ed959f94bef13972e9a2fe71b609e40e6d27957e 64 bitarray/_bitarray.c bitarray/_util.c"
  "multidict 6.0.5 f7e301075edaf50500f0b341543c41194d8df3ae5caf4702f2095f3ca73dd8da 64 multidict/_multidict.c"
  "mmh3 4.1.0 a1cf25348b9acd229dda464a094d6170f47d2850a1fcb762a3b6172d2ce6ca4a 64,32 src/mmh3/mmh3module.c src/mmh3/murmurhash3.c"
)

RESOURCE=$($CLANG -print-resource-dir)
for d in /usr/powerpc64-linux-gnu/include /usr/powerpc-linux-gnu/include; do
  [ -d "$d" ] || { echo "build.sh: $d is missing: apt-get install libc6-dev-ppc64-cross libc6-dev-powerpc-cross" >&2; exit 1; }
done
PYINC_HOST=$($PYTHON -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
PYVERSION=$($PYTHON -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A copy of CPython's headers whose pyconfig.h is the host's followed by pyconfig-aix.h. A copy,
# because Python.h includes "pyconfig.h" from its own directory before any -I directory.
cp -r "$PYINC_HOST" "$work/pyinc"
mv "$work/pyinc/pyconfig.h" "$work/pyinc/pyconfig-host.h"
cp pyconfig-aix.h "$work/pyinc/"
printf '#include "pyconfig-host.h"\n#include "pyconfig-aix.h"\n' > "$work/pyinc/pyconfig.h"

rm -rf xcoff32 xcoff64
mkdir -p xcoff32 xcoff64
rows=()
for m in "${MODULES[@]}"; do
  read -r pkg version sha widths sources <<<"$m"
  mkdir -p "$work/dl/$pkg"
  $PYTHON -m pip download --quiet --no-binary :all: --no-deps "$pkg==$version" -d "$work/dl/$pkg"
  sdist=$(ls "$work/dl/$pkg"/*.tar.gz)
  got=$(sha256sum "$sdist" | cut -d' ' -f1)
  [ "$got" = "$sha" ] || { echo "build.sh: $(basename "$sdist"): sha256 $got, expected $sha" >&2; exit 1; }
  tar xzf "$sdist" -C "$work/dl/$pkg"
  top=$(tar tzf "$sdist" | awk -F/ 'NR == 1 { print $1 }')
  for bits in ${widths//,/ }; do
    if [ "$bits" = 64 ]; then target=powerpc64-ibm-aix; sys=/usr/powerpc64-linux-gnu/include
    else target=powerpc-ibm-aix; sys=/usr/powerpc-linux-gnu/include; fi
    for src in $sources; do
      out=xcoff$bits/$pkg.$(basename "$src" .c).o
      (cd "$work/dl/$pkg/$top" && $CLANG --target=$target $OPT -nostdinc -isystem "$RESOURCE/include" -isystem $sys \
        -I "$work/pyinc" -I "$(dirname "$src")" -w -c "$src" -o "$OLDPWD/$out")
      undefined=$($NM -u "$out" | wc -l)
      cmd="clang --target=$target $OPT -nostdinc -isystem \$(clang -print-resource-dir)/include -isystem $sys -I <pyinc> -I $(dirname "$src") -w -c $src"
      rows+=("| $pkg | $version | \`$(basename "$sdist")\` \`$sha\` | \`$src\` | $target | \`$out\` | $undefined | \`$cmd\` |")
    done
  done
done

# libc.exp: a stand-in for AIX's libc.a(shr_64.o). The names are those the objects leave
# undefined that this machine's glibc (libc.so.6, libm.so.6) exports, plus the AIX-only entry
# points clang calls for memmove/memset/bzero of unknown length (AIX libc.a exports them).
glibc=$(for so in /lib/x86_64-linux-gnu/libc.so.6 /lib/x86_64-linux-gnu/libm.so.6; do
  nm -D --defined-only "$so" | awk '{print $3}' | sed 's/@.*//'
done | sort -u)
aix_only="___bzero ___bzero64 ___memmove ___memmove64 ___memset ___memset64"
undefined=$(for o in xcoff32/*.o xcoff64/*.o; do $NM -u "$o" | awk '{print $NF}'; done | sed 's/^\.//' | sort -u)
{
  echo "#! libc.a(shr_64.o)"
  echo "* A stand-in for AIX's C library, written by build.sh: the C library functions that"
  echo "* the modules in xcoff32/ and xcoff64/ call, as this machine's glibc exports them, and"
  echo "* the AIX-only ___memmove/___memset/___bzero entry points (32 and 64) that clang calls."
  echo "* Not the real export list of libc.a(shr_64.o), which has thousands of names."
  comm -12 <(echo "$undefined") <(echo "$glibc")
  comm -12 <(echo "$undefined") <(echo "$aix_only" | tr ' ' '\n' | sort)
} > libc.exp

{
  cat <<EOF
# Real C extension modules compiled for AIX

Written by \`build.sh\`; do not edit. Each object is one C source of a pinned PyPI sdist,
compiled with the Swift toolchain's clang (\`$($CLANG --version | head -1)\`) for AIX, against
CPython $PYVERSION's headers (this machine's \`python3\`) with \`pyconfig-aix.h\` appended to
the x86_64 \`pyconfig.h\` (\`<pyinc>\` below), and Debian's big-endian PowerPC glibc headers
(\`libc6-dev-ppc64-cross\`, \`libc6-dev-powerpc-cross\`) standing in for AIX's system headers.
\`-w\` silences warnings about the sources. Paths are relative to the sdist's top directory.

\`libc.exp\` is a stand-in for AIX's \`libc.a(shr_64.o)\`: the C library names these objects
call, as this machine's glibc exports them, plus AIX's \`___memmove\`/\`___memset\`/\`___bzero\`
(32- and 64-bit) entry points that clang emits calls to. The tests give it to \`diagnose\` so
that only the Python C API is left for libpython.

The headers are CPython $PYVERSION's while the bundled libpython (\`../aix-example\`) is 3.9: every
C API name these objects use is exported by it, which the tests check through objdump rather
than assume. XCOFF32 objects are built for the smaller modules only, to keep the directory small.
Left out: wrapt 1.16.0 (compiles, dropped to keep six packages); pyyaml (needs libyaml);
Cython modules such as frozenlist 1.4.1 (\`pip download --no-binary :all:\` did not finish in 200 s:
it builds the Cython build backend itself from source); ujson 5 (C++ double-conversion).

| package | version | sdist, sha256 | source | target | object | undefined (llvm-nm -u) | compile command |
|---|---|---|---|---|---|---|---|
EOF
  printf '%s\n' "${rows[@]}"
} > MANIFEST.md
echo "rebuilt TestBinaries/aix-pypi: $(ls xcoff32/*.o xcoff64/*.o | wc -l) objects, $(grep -vc '^[#*]' libc.exp) libc names"
