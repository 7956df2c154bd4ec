import MappedFile
import ObjectModel

/// A library's dynamic definitions with their symbol versions, for binding a versioned
/// reference the way glibc's ld.so does (`check_match` in elf/dl-lookup.c).
struct VersionedDefinitions {
    struct Definition {
        /// nil for an unversioned definition (version index 0, or the base version 1).
        var version: String?
        /// A non-default (`foo@V1`) definition.
        var hidden: Bool
    }

    /// Only names with at least one versioned definition are here: everything else in
    /// `Library.exports` is unversioned and binds any reference.
    var byName: [NameView: [Definition]] = [:]
    /// The version of index 2, the first after the base: ld.so binds an old unversioned
    /// reference to it even when it is hidden (the oldest version is the compatible one).
    var oldest: Set<String> = []

    init(_ images: [ObjectImage]) {
        for image in images {
            guard let d = image.dynamic, !d.versionDefinitions.isEmpty else { continue }
            if d.versionDefinitions.count > 1 { oldest.insert(d.versionDefinitions[1]) }
            for s in d.symbols where s.defined && s.isExternal && (s.visibility == .default || s.visibility == .protected) {
                let def = Definition(version: s.version?.string, hidden: s.version != nil && !s.versionDefault)
                if s.version != nil || byName[s.name] != nil { byName[s.name, default: []].append(def) }
            }
        }
    }
}

extension Library {
    /// Whether a reference to `key` (needing `version`, if any) binds to a definition here.
    ///
    /// ld.so (`loader`): a versioned reference binds to a definition of that version or to an
    /// unversioned one that is not hidden; an unversioned reference to an unversioned
    /// definition, to the oldest version, or to a default (`@@`) one. GNU ld (not `loader`)
    /// does not see hidden versions at all for an unversioned reference.
    func binds(_ key: NameView, version: String?, loader: Bool = true) -> Bool {
        guard exports.contains(key) else { return false }
        if versionedDefinitions == nil { versionedDefinitions = VersionedDefinitions(images) }
        guard let defs = versionedDefinitions?.byName[key] else { return true }
        if let version {
            return defs.contains { $0.version == version || ($0.version == nil && !$0.hidden) }
        }
        let oldest = versionedDefinitions?.oldest ?? []
        return defs.contains { $0.version == nil || !$0.hidden || (loader && oldest.contains($0.version!)) }
    }

    /// Every version name the library defines (`.gnu.version_d`, the base version included),
    /// or nil when it has no version definitions (the loader then checks nothing).
    var definedVersions: Set<String>? {
        let names = images.flatMap { $0.dynamic?.versionDefinitions ?? [] }
        return names.isEmpty ? nil : Set(names)
    }
}

extension Resolution {
    /// ld.so's first check, before binding any symbol (`_dl_check_map_versions`): each version
    /// an object needs from a DT_NEEDED library must be defined by the library found. The
    /// loader checks every object it loads, so libraries' own needs count too.
    mutating func checkVersionNeeds(found: [String: Library], loadedImages: [ObjectImage]) {
        for image in linkSet.targets + loadedImages {
            for need in image.dynamic?.versionNeeds ?? [] {
                guard let lib = found[need.file], let defined = lib.definedVersions else { continue }
                let missing = need.versions.filter { !defined.contains($0) }
                for v in missing { reportMissingVersion(v, library: lib, need: need, in: image) }
            }
        }
    }

    private mutating func reportMissingVersion(_ version: String, library: Library, need: VersionNeed, in image: ObjectImage) {
        let requirer = FileSystem.baseName(image.path)
        let needing = (image.dynamic?.symbols ?? []).filter { !$0.defined && $0.version?.string == version }
        let symbols = needing.map { "\($0.name.string)@\(version)" }
        // Their references are not bound either; this finding is the one that explains them.
        if linkSet.targets.contains(where: { $0.path == image.path && $0.member == image.member }) {
            for s in needing { versionFailures.insert(s.name) }
        }
        let by = symbols.isEmpty ? "" : "; needed by \(Self.list(symbols))"
        diagnosis.findings.append(Finding(
            id: .versionNotFound, severity: .error,
            message: "\(requirer) needs version \(version) of \(need.file), but \(library.path) does not define it\(by): loading fails with \"version `\(version)' not found (required by \(requirer))\"",
            symbols: symbols))
    }

    /// `memcpy@GLIBC_2.14` for a versioned reference, the plain name otherwise.
    func displayWithVersion(_ key: NameView) -> String {
        guard let v = open[key]?.version ?? linkSet.references[key]?.version else { return display(key) }
        return "\(display(key))@\(v)"
    }
}
