"""Makes swift-argument-parser's generated man page (docs/symscan.1) render cleanly with mdoc.

The generator copies the --help discussion text verbatim: its blank lines become mdoc's
"Empty input line" warnings, and its indented example commands are filled into running text,
which wraps them mid-command. Blank lines become paragraph breaks (.Pp) and each run of
indented lines becomes a literal display (.Bd -literal), which mdoc neither fills nor wraps.
Idempotent: a tidied page comes out unchanged. Usage: python3 scripts/tidy-manual.py FILE
"""
import sys

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    lines = f.read().split("\n")
trailing = lines and lines[-1] == ""
if trailing:
    lines.pop()
out, in_display = [], False
for line in lines:
    indented = line.startswith("  ") and line.strip() != ""
    if indented and not in_display:
        out.append(".Bd -literal -offset 0n")
        in_display = True
    elif not indented and in_display:
        out.append(".Ed")
        in_display = False
    if indented:
        out.append(line[2:])
    elif line.strip() == "":
        if out and out[-1] != ".Pp":
            out.append(".Pp")
    else:
        out.append(line)
if in_display:
    out.append(".Ed")
with open(path, "w", encoding="utf-8") as f:
    f.write("\n".join(out) + ("\n" if trailing else ""))
