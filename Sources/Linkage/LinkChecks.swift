import MappedFile
import ObjectModel

/// Checks that only make sense for a link line: libraries given but never used, and the AIX
/// TOC size.
extension Resolution {
    mutating func checkLinkOptions() {
        if options.reportUnusedLibraries {
            // One report per argument: `-lm` reaches libm.so.6 and libmvec.so.1 through glibc's
            // script, and is used when either provides something.
            var used = Set(libraries.filter { $0.provides > 0 || $0.misplaced }.map { $0.linkArguments.joined(separator: " ") })
            for lib in libraries where lib.role == .given && lib.provides == 0 && !lib.importsFromMainProgram && !lib.implicit
                && !lib.isEmptyArchive && !lib.misplaced && used.insert(lib.linkArguments.joined(separator: " ")).inserted {
                diagnosis.findings.append(Finding(
                    id: .unusedLibrary, severity: .note,
                    message: "\(lib.linkArguments.joined(separator: " ")) (\(lib.displayName)) provides nothing this link needs"))
            }
        }
        if options.checkTOC && target.family == .xcoff { checkTOC() }
    }

    /// The TOC holds one entry per distinct TOC csect (XMC_TC, XMC_TD; XMC_TC0 is the anchor).
    /// Without -bbigtoc it must fit in 64 KiB: 16-bit signed displacements from the anchor.
    private mutating func checkTOC() {
        var sizes: [NameView: UInt64] = [:]
        for image in linkSet.targets where image.isXCOFF {
            let entry: UInt64 = image.format == .xcoff64 ? 8 : 4
            for s in image.symbols where s.defined {
                guard let x = s.xcoff, x.symbolType == .sectionDefinition, let m = x.mappingClass,
                      m == .toc || m == .tocData || m == .tocAnchor else { continue }
                sizes[s.name] = max(sizes[s.name] ?? 0, m == .toc ? max(s.size, entry) : s.size)
            }
        }
        let total = sizes.values.reduce(0, +)
        guard total > 0x10000 else { return }
        if options.bigTOC {
            diagnosis.findings.append(Finding(
                id: .tocOverflow, severity: .note,
                message: "the TOC needs \(total) bytes (\(sizes.count) entries), more than 64 KiB; -bbigtoc is given, so IBM ld adds TOC overflow code (GNU ld for AIX still fails)"))
        } else {
            diagnosis.findings.append(Finding(
                id: .tocOverflow, severity: .error,
                message: "the TOC needs \(total) bytes (\(sizes.count) entries), more than 64 KiB: the link fails with ld: 0711-781 ERROR: TOC overflow; add -bbigtoc (or compile with -mcmodel=large)"))
            if !diagnosis.missingLinkArguments.contains("-bbigtoc") { extraArguments.append("-bbigtoc") }
        }
    }
}
