import Linkage

/// The diagnosis for people: a verdict line, the fix (arguments to drop, missing arguments; for a
/// Rust build also as RUSTFLAGS and build-script lines), unresolved symbols grouped by provider,
/// then the findings.
public enum DiagnosisText {
    public static func render(_ d: Diagnosis, showAll: Bool, style: TerminalStyle, to out: OutputBuffer) {
        // Several modules, each diagnosed on its own: one report each, then the summary.
        if !d.modules.isEmpty {
            for (i, m) in d.modules.enumerated() {
                if i > 0 { out.write("\n") }
                render(m, showAll: showAll, style: style, to: out)
            }
            let failed = d.modules.filter { !$0.verdictOK }.count
            out.write("\n" + style.bold("Summary:") + " \(d.modules.count) modules, each diagnosed on its own: \(d.modules.count - failed) OK, \(failed) FAIL\n")
            return
        }
        let open = d.unresolved.filter { !$0.expected && !$0.weak }.count
        let verdict = d.verdictOK ? style.green("OK") : style.red("FAIL")
        let inputs = d.inputs.map { i in i.member.map { "\(base(i.path))(\($0))" } ?? i.path }
        out.write("\(verdict): \(d.subject ?? subject(inputs)) (\(d.platform.rawValue)\(d.embedded ? ", embedded" : "")): ")
        out.write("\(d.resolvedCount) of \(d.referenceCount) references resolved, \(open) unresolved")
        // Every reference is counted once: resolved, unresolved, weak or left to the interpreter
        // (the groups of "Unresolved symbols" below add up to all but the resolved ones).
        let weak = d.unresolved.filter { !$0.expected && $0.weak }.count
        if weak > 0 { out.write(", \(weak) weak") }
        let expected = d.unresolved.filter(\.expected).count
        if expected > 0 { out.write(", \(expected) left to the interpreter") }
        out.write("\n")

        if !d.removeLinkArguments.isEmpty {
            out.write("\n" + style.bold("Link arguments to drop:") + "\n")
            out.write("  \(d.removeLinkArguments.joined(separator: " "))\n")
        }
        if !d.missingLinkArguments.isEmpty {
            let args = d.missingLinkArguments
            out.write("\n" + style.bold("Missing link arguments:") + "\n")
            out.write("  \(args.joined(separator: " "))\n")
            // Only a Rust build has RUSTFLAGS and a build script to put them in.
            if d.rustBuild {
                out.write(style.dim("  RUSTFLAGS=\"\(args.map { "-C link-arg=\($0)" }.joined(separator: " "))\"") + "\n")
                out.write(style.dim("  or in build.rs: " + args.map { "println!(\"cargo:rustc-link-arg=\($0)\");" }.joined(separator: " ")) + "\n")
            }
        }

        if !d.unresolved.isEmpty {
            out.write("\n" + style.bold("Unresolved symbols (\(d.unresolved.count)):") + "\n")
            var groups: [(String, [UnresolvedSymbol])] = []
            for u in d.unresolved {
                let key = u.expected ? "left to the Python interpreter"
                    : u.weak ? "weak, may stay unresolved"
                    : u.providers.first.map { "exported by \($0)" } ?? (u.pythonAPI ? "Python C API" : "no provider found")
                if let i = groups.firstIndex(where: { $0.0 == key }) { groups[i].1.append(u) } else { groups.append((key, [u])) }
            }
            for (key, symbols) in groups {
                let limit = showAll ? symbols.count : 8
                var line = "  \(symbols.count) \(key): " + symbols.prefix(limit).map { u in u.version.map { "\(u.name)@\($0)" } ?? u.name }.joined(separator: ", ")
                if symbols.count > limit { line += ", … (\(symbols.count - limit) more; --all shows every one)" }
                out.write(line + "\n")
            }
        }

        if !d.findings.isEmpty {
            out.write("\n" + style.bold("Findings:") + "\n")
            for f in d.findings {
                let sev = f.severity == .error ? style.red("error") : f.severity == .warning ? style.yellow("warning") : style.dim("note")
                out.write("  \(sev) [\(f.id.rawValue)]: \(f.message)\n")
            }
        }
        if let p = d.python { out.write(style.dim("\nPython configuration: \(p)") + "\n") }
    }

    static func subject(_ inputs: [String]) -> String {
        inputs.count <= 3 ? inputs.joined(separator: ", ") : "\(inputs.prefix(2).joined(separator: ", ")) and \(inputs.count - 2) more inputs"
    }

    static func base(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
