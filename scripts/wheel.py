"""Packs a built symscan binary into a wheel (called by scripts/build-wheel).

Reproducible: entries sorted, every timestamp 1980-01-01, modes fixed (0755 for the binary,
0644 otherwise), so the same inputs give the same bytes.
"""
import base64, hashlib, json, os, re, subprocess, sys, tomllib, zipfile

# What a manylinux binary may load (PEP 600 / auditwheel's policy: the libraries every glibc
# distribution has). Anything else in DT_NEEDED means the binary is not a manylinux binary.
MANYLINUX_LIBRARIES = {"libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1",
                       "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"}
MACHINES = {"x86-64": "x86_64", "aarch64": "aarch64"}


def platform_tag(binary):
    """The lowest manylinux tag BINARY satisfies, from its own needs as symscan reads them: the
    highest GLIBC_x.y version among its undefined symbols, floored at 2.17 (manylinux2014, the
    oldest tag pip still installs on current systems). Where symscan gains a manylinux policy
    check (`--policy manylinux_X_Y`), this is the one function to replace with it."""
    report = json.loads(subprocess.run([binary, "symbols", "-D", "--format", "json", binary],
                                       check=True, capture_output=True, text=True).stdout)
    image = report["files"][0]
    extra = set(image["needed"]) - MANYLINUX_LIBRARIES
    if extra:
        sys.exit(f"build-wheel: {binary} needs {sorted(extra)}, which manylinux does not allow")
    glibc = (2, 17)
    for s in image["symbols"]:
        m = re.fullmatch(r"GLIBC_(\d+)\.(\d+)(?:\.\d+)?", s.get("version") or "")
        if m and not s["defined"]:
            glibc = max(glibc, (int(m[1]), int(m[2])))
    return f"manylinux_{glibc[0]}_{glibc[1]}_{MACHINES[image['machine']]}"


def metadata(project, version):
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {version}",
             f"Summary: {project['description']}", f"Requires-Python: {project['requires-python']}",
             f"Keywords: {','.join(project['keywords'])}"]
    lines += [f"Classifier: {c}" for c in project["classifiers"]]
    lines += ["Description-Content-Type: text/markdown", ""]
    with open(project["readme"], encoding="utf-8") as f:
        return "\n".join(lines) + "\n" + f.read()


def main(binary, outdir):
    with open("pyproject.toml", "rb") as f:
        project = tomllib.load(f)["project"]
    version = subprocess.run([binary, "--version"], check=True, capture_output=True, text=True).stdout.strip()
    tag = platform_tag(binary)
    data, info = f"symscan-{version}.data", f"symscan-{version}.dist-info"
    def completion(shell):
        return subprocess.run([binary, "--generate-completion-script", shell], check=True,
                              capture_output=True).stdout
    with open(binary, "rb") as f:
        files = {f"{data}/scripts/symscan": (f.read(), 0o755)}
    with open("docs/symscan.1", "rb") as f:
        files[f"{data}/data/share/man/man1/symscan.1"] = (f.read(), 0o644)
    files[f"{data}/data/share/bash-completion/completions/symscan"] = (completion("bash"), 0o644)
    files[f"{data}/data/share/zsh/site-functions/_symscan"] = (completion("zsh"), 0o644)
    files[f"{data}/data/share/fish/vendor_completions.d/symscan.fish"] = (completion("fish"), 0o644)
    files[f"{info}/METADATA"] = (metadata(project, version).encode(), 0o644)
    files[f"{info}/WHEEL"] = (("Wheel-Version: 1.0\nGenerator: symscan scripts/build-wheel\n"
                               f"Root-Is-Purelib: false\nTag: py3-none-{tag}\n").encode(), 0o644)
    record = []
    for name in sorted(files):
        digest = base64.urlsafe_b64encode(hashlib.sha256(files[name][0]).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(files[name][0])}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = (("\n".join(record) + "\n").encode(), 0o644)
    path = os.path.join(outdir, f"symscan-{version}-py3-none-{tag}.whl")
    # dist-info last, RECORD last of all, as wheel tools write them.
    order = sorted(n for n in files if not n.startswith(info)) + sorted(n for n in files if n.startswith(info) and n != f"{info}/RECORD") + [f"{info}/RECORD"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in order:
            zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            zi.external_attr = (0o100000 | files[name][1]) << 16
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.create_system = 3
            z.writestr(zi, files[name][0], compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    print(path)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
