#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ImageLoader
import MappedFile
import ObjectModel

/// A file in a library directory, identified the way the cache keys it: its path, and what
/// `stat` (following symbolic links) says of the file: size, modification and change times,
/// inode. Replacing or rewriting a library changes at least one of them (the change time even
/// when a tool restores the modification time).
struct LibraryFile: Equatable, Sendable {
    var path: String
    var size: Int64
    var mtimeSeconds: Int64
    var mtimeNanoseconds: Int64
    var ctimeSeconds: Int64 = 0
    var ctimeNanoseconds: Int64 = 0
    var inode: UInt64 = 0
}

/// What one library file provides: usually one provider (the file), but an AIX archive can
/// hold shared-object members (`libpython3.9.a(libpython3.9.so)`), each a provider of its own,
/// beside ordinary object members (provided by linking the archive itself).
struct LibraryProviders {
    var providers: [(name: String, symbols: [NameView])] = []
    /// Keeps the name views valid until they are copied.
    var images: [ObjectImage] = []

    /// The providers with their names copied into memory of their own, so that the library's
    /// mapping and parsed images can go, and hashed for the cache's name table.
    func copied() -> (providers: [ProviderExports], storage: MappedFile) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(providers.reduce(0) { $0 + $1.symbols.reduce(0) { $0 + $1.count } })
        for p in providers { for s in p.symbols { bytes += s.bytes } }
        let storage = MappedFile(bytes: bytes, path: "<provider names>")
        let region = storage.region
        var offset = 0
        var out: [ProviderExports] = []
        for p in providers {
            var symbols: [NameView] = []
            symbols.reserveCapacity(p.symbols.count)
            for s in p.symbols {
                // Cannot fail: the bytes were laid out from these very counts.
                symbols.append((try? region.bytes(offset, s.count, "provider name")) ?? .empty)
                offset += s.count
            }
            out.append(ProviderExports(name: p.name, symbols: symbols, hashes: symbols.map(CacheHash.name)))
        }
        return (out, storage)
    }
}

private struct FileID: Hashable {
    var device: UInt64
    var inode: UInt64
}

enum LibraryExports {
    /// Libraries directly in `dir` (the linker and loader do not search subdirectories),
    /// sorted by name (bytewise). Symbolic links are followed (`libfoo.so` is how `-lfoo` finds
    /// a library) and a file reached under several names is taken once, under its first name.
    /// Only regular, non-empty files are libraries.
    static func files(in dir: String) -> [LibraryFile] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        let fd = dirfd(d)
        // Every name, NUL-terminated, in one buffer; then sorted bytewise as (start, length).
        var buffer: [UInt8] = []
        var names: [(start: Int, count: Int)] = []
        while let e = readdir(d) {
            // A directory is never a library; a symbolic link or an unknown type is looked at.
            if DirectoryEntry.type(e) == UInt8(DT_DIR) { continue }
            let name = DirectoryEntry.name(e)
            let n = strlen(name)
            guard n > 0, name[0] != 0x2E else { continue }  // "."
            names.append((buffer.count, n))
            name.withMemoryRebound(to: UInt8.self, capacity: n) { buffer += UnsafeBufferPointer(start: $0, count: n) }
            buffer.append(0)
        }
        guard !names.isEmpty else { return [] }
        let prefix = dir.hasSuffix("/") ? dir : dir + "/"
        var seen = Set<FileID>()
        var out: [LibraryFile] = []
        buffer.withUnsafeBytes { all in
            let base = all.baseAddress!
            names.sort { a, b in
                let c = memcmp(base + a.start, base + b.start, min(a.count, b.count))
                return c != 0 ? c < 0 : a.count < b.count
            }
            for (start, count) in names {
                var st = stat()
                // Relative to the open directory: no walk of the directory's path per file.
                guard fstatat(fd, (base + start).assumingMemoryBound(to: CChar.self), &st, 0) == 0,
                      (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0 else { continue }
                guard seen.insert(FileID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))).inserted else { continue }
                // A name that is not UTF-8 could not be opened again through a `String` path.
                let bytes = UnsafeRawBufferPointer(start: base + start, count: count)
                let text = String(decoding: bytes, as: UTF8.self)
                guard text.utf8.elementsEqual(bytes) else { continue }
                out.append(LibraryFile(path: prefix + text, size: Int64(st.st_size),
                                       mtimeSeconds: Int64(st.st_mtim.tv_sec), mtimeNanoseconds: Int64(st.st_mtim.tv_nsec),
                                       ctimeSeconds: Int64(st.st_ctim.tv_sec), ctimeNanoseconds: Int64(st.st_ctim.tv_nsec),
                                       inode: UInt64(st.st_ino)))
            }
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
                    out.providers.append((image.displayName, unique(linkable(d, image), family)))
                } else if image.kind == .object {
                    archiveSymbols += image.symbols.lazy
                        .filter { $0.defined && $0.isExternal && $0.kind != .section && $0.kind != .file }
                        .map(\.name)
                }
            } else if image.kind == .shared, let d = image.dynamic {
                out.providers.append((file.path, unique(linkable(d, image), family)))
            }
        }
        if isArchive && !archiveSymbols.isEmpty {
            // The archive itself (what `-lfoo` links) goes before its shared members.
            out.providers.insert((file.path, unique(archiveSymbols, family)), at: 0)
        }
        out.images = result.images
        return out
    }

    /// The exports a link can bind to (`Symbol.isLinkExport`): a suggestion must fix the link.
    private static func linkable(_ d: DynamicInfo, _ image: ObjectImage) -> [NameView] {
        guard image.isELF, !d.symbols.isEmpty else { return d.exports }
        return d.symbols.lazy.filter(\.isLinkExport).map(\.name)
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
