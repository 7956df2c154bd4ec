#!/bin/sh
# symscan-collect: gathers, on an AIX machine, what `symscan diagnose` needs to explain a
# module that does not link or load, into ONE .tar.gz. POSIX sh (AIX /bin/sh is ksh): it only
# reads, needs no root and no network, and writes nothing but the output file (its scratch
# directory under TMPDIR is private and removed on exit).
# Usage: symscan-collect [-o OUT.tar.gz] [-p PYTHON] [-l BUILD.LOG] MODULE-OR-OBJECT...
set -u
out=symscan-bundle.tar.gz
py=python3
log=
usage() { echo "usage: symscan-collect [-o OUT.tar.gz] [-p PYTHON] [-l BUILD.LOG] MODULE..." >&2; exit 2; }
while getopts o:p:l:h opt; do
  case $opt in
    o) out=$OPTARG ;;
    p) py=$OPTARG ;;
    l) log=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage
case $out in /*) ;; *) out=$(pwd)/$out ;; esac

umask 077
tmp=${TMPDIR:-/tmp}/symscan-collect.$$
# mkdir is atomic and fails if the name exists, so no other process can own the scratch dir.
mkdir "$tmp" || { echo "symscan-collect: cannot create $tmp" >&2; exit 2; }
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM
b=$tmp/bundle
mkdir "$b" "$b/files"
manifest=$b/MANIFEST
: > "$manifest"

note() { echo "symscan-collect: $*" >&2; }

# take SRC: copies a readable file under files/ at its absolute path, reporting its size first.
take() {
  src=$1
  case $src in /*) ;; *) src=$(pwd)/$src ;; esac
  if [ ! -f "$src" ] || [ ! -r "$src" ]; then
    note "not readable, skipped: $src"
    printf 'missing\t%s\t-\n' "$src" >> "$manifest"
    return 1
  fi
  dest=files$src
  grep -qF "	$src	" "$manifest" && return 0
  size=$(wc -c < "$src" | tr -d ' ')
  note "taking $src ($size bytes)"
  mkdir -p "$b/$(dirname "$dest")"
  cp "$src" "$b/$dest" || return 1
  printf '%s\t%s\t%s\n' "$dest" "$src" "$size" >> "$manifest"
}

# record NAME COMMAND...: saves a command's output as NAME in the bundle.
record() {
  name=$1; shift
  "$@" > "$b/$name" 2>&1 || note "'$*' failed (output kept in $name)"
  printf '%s\t%s\t%s\n' "$name" "$*" "$(wc -c < "$b/$name" | tr -d ' ')" >> "$manifest"
}

var() { "$py" -c 'import sys, sysconfig; print(sysconfig.get_config_var(sys.argv[1]) or "")' "$1"; }

{
  echo "uname -a: $(uname -a 2>/dev/null)"
  echo "oslevel -s: $(oslevel -s 2>/dev/null)"
  echo "OBJECT_MODE=${OBJECT_MODE-}"
  echo "LIBPATH=${LIBPATH-}"
  echo "python: $py"
} > "$b/system.txt"
printf 'system.txt\tuname -a; oslevel -s; OBJECT_MODE; LIBPATH\t%s\n' "$(wc -c < "$b/system.txt" | tr -d ' ')" >> "$manifest"

record sysconfig.json "$py" -c 'import json, sys, sysconfig; v = sysconfig.get_config_vars(); v["sys.executable"] = sys.executable; json.dump(v, sys.stdout, default=str, sort_keys=True)'
libdir=$(var LIBDIR)
ldlibrary=$(var LDLIBRARY)
libpl=$(var LIBPL)
[ -n "$libdir" ] && [ -n "$ldlibrary" ] && take "$libdir/$ldlibrary"
[ -n "$libpl" ] && take "$libpl/python.exp"
[ -n "$log" ] && take "$log"

n=0
for m in "$@"; do
  n=$((n + 1))
  take "$m" || continue
  command -v dump > /dev/null 2>&1 || { note "no dump command: loader imports not collected"; continue; }
  record "dump-H.$n.txt" dump -X32_64 -H "$m"
  # IBM's layout: after "***Import File Strings***" and the INDEX header, index 0 holds the
  # default search path; then "N [PATH] BASE [MEMBER]" for each imported file.
  awk '/Import File Strings/ { s = 1; next }
       s && $1 == "INDEX" { next }
       s && $1 ~ /^[0-9]+$/ {
         if ($1 == 0) { print "P\t" $2; next }
         if ($2 ~ /\//) print "F\t" $2 "/" $3; else print "B\t" $2 }' "$b/dump-H.$n.txt" > "$tmp/imports"
  dirs=$(awk -F '	' '$1 == "P" { print $2 }' "$tmp/imports")
  while IFS='	' read -r kind val; do
    case $kind in
      F) take "$val" ;;
      B) found=
         oldifs=$IFS; IFS=:
         for d in ${LIBPATH-} $dirs; do
           if [ -n "$d" ] && [ -r "$d/$val" ]; then found=$d/$val; break; fi
         done
         IFS=$oldifs
         if [ -n "$found" ]; then take "$found"; else
           note "imported $val not found on LIBPATH or $dirs"
           printf 'missing\t%s\t-\n' "$val" >> "$manifest"
         fi ;;
    esac
  done < "$tmp/imports"
done

(cd "$tmp" && tar -cf - bundle) | gzip -c > "$out" || { rm -f "$out"; note "could not write $out"; exit 2; }
note "wrote $out ($(wc -c < "$out" | tr -d ' ') bytes); copy it to a machine with symscan"
