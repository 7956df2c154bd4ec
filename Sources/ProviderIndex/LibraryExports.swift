#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ImageLoader
import MappedFile
import ObjectModel

/// A file in a library directory, identified the way the cache keys it.
struct LibraryFile: Equatable, Sendable {
    var path: String
    var size: Int64
    var mtimeSeconds: Int64
    var mtimeNanoseconds: Int64
}

/// What one library file provides: usually one provider (the file), but an AIX archive can
/// hold shared-object members (`libpython3.9.a(libpython3.9.so)`), each a provider of its own,
/// beside ordinary object members (provided by linking the archive itself).
struct LibraryProviders {
    var providers: [(name: String, symbols: [NameView])] = []
    /// Keeps the name views valid until the record is encoded.
    var images: [ObjectImage] = []
}

enum LibraryExports {
    /// Libraries directly in `dir` (the linker and loader do not search subdirectories),
    /// sorted by name. Symbolic links are followed (`libfoo.so` is how `-lfoo` finds a
    /// library) and a file reached under several names is taken once, under its first name.
    static func files(in dir: String) -> [LibraryFile] {
        guard let d = opendir(dir) else { return [] }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        closedir(d)
        names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let prefix = dir.hasSuffix("/") ? dir : dir + "/"
        var seen = Set<[UInt64]>()
        var out: [LibraryFile] = []
        for name in names {
            let path = prefix + name
            var st = stat()
            guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0 else { continue }
            guard seen.insert([UInt64(st.st_dev), UInt64(st.st_ino)]).inserted else { continue }
            out.append(LibraryFile(path: path, size: Int64(st.st_size), mtimeSeconds: Int64(st.st_mtim.tv_sec),
                                   mtimeNanoseconds: Int64(st.st_mtim.tv_nsec)))
        }
        return out
    }

    /// The exports of one library for `family`: ELF shared objects give their dynamic exports
    /// (defined global/weak `.dynsym` entries of default or protected visibility,
    /// `DynamicInfo.exports`), XCOFF shared objects their loader-section exports, archives the
    /// defined external symbols of their object members. Anything else gives nothing, and so
    /// does a file that cannot be read (the index only suggests; the diagnosis reads what it
    /// relies on itself).
    static func read(_ file: LibraryFile, family: ProviderFamily) -> LibraryProviders {
        var out = LibraryProviders()
        guard FileKind.startsLikeAnObject(path: file.path) else { return out }
        let result = ImageLoader.load(path: file.path, foundInDirectory: true)
        var archiveSymbols: [NameView] = []
        var isArchive = false
        for image in result.images where family.accepts(image) {
            if image.member != nil {
                isArchive = true
                if image.kind == .shared, let d = image.dynamic {
                    out.providers.append((image.displayName, unique(d.exports, family)))
                } else if image.kind == .object {
                    archiveSymbols += image.symbols.lazy
                        .filter { $0.defined && $0.isExternal && $0.kind != .section && $0.kind != .file }
                        .map(\.name)
                }
            } else if image.kind == .shared, let d = image.dynamic {
                out.providers.append((file.path, unique(d.exports, family)))
            }
        }
        if isArchive && !archiveSymbols.isEmpty {
            // The archive itself (what `-lfoo` links) goes before its shared members.
            out.providers.insert((file.path, unique(archiveSymbols, family)), at: 0)
        }
        out.images = result.images
        return out
    }

    /// Names without duplicates (and, for XCOFF, without the entry point's dot), first
    /// occurrence first.
    private static func unique(_ names: [NameView], _ family: ProviderFamily) -> [NameView] {
        var seen = Set<NameView>()
        seen.reserveCapacity(names.count)
        var out: [NameView] = []
        out.reserveCapacity(names.count)
        for var n in names {
            if family.stripsEntryPointDot && n.first == UInt8(ascii: ".") { n = n.dropFirst() }
            if n.isEmpty { continue }
            if seen.insert(n).inserted { out.append(n) }
        }
        return out
    }
}
