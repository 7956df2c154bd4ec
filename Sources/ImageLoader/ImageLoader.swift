import MappedFile
import ObjectModel
import XCOFF
import ELF

/// Opens a path, works out its format from its bytes, and hands it to the right reader.
public enum ImageLoader {
    /// Loads every image in `path`. Archive members are parsed in parallel, and come back in
    /// archive order. With `foundInDirectory`, a file is taken for an AIX import/export list
    /// only by its `.exp`/`.imp` suffix (a directory holds many `#!` scripts).
    /// `options` says which symbol tables the readers read, and how (`ReadOptions`).
    public static func load(path: String, foundInDirectory: Bool = false, options: ReadOptions = .all) -> LoadResult {
        var result = LoadResult(path: path)
        if foundInDirectory && !path.hasSuffix(".exp") && !path.hasSuffix(".imp") && !FileKind.startsLikeAnObject(path: path) {
            // Most files in a directory tree are not objects: turn them away after reading 8
            // bytes, without the cost of mapping them (mmap and munmap serialise threads on the
            // process's address-space lock).
            result.errors.append(InputError(path: path, message: "not an object file"))
            result.isNotAnObject = true
            return result
        }
        let file: MappedFile
        do {
            file = try MappedFile(path: path)
        } catch {
            result.errors.append(InputError(path: path, message: error.message))
            return result
        }
        return load(file, path: path, foundInDirectory: foundInDirectory, options: options)
    }

    /// Reads an already opened file (a mapping, or bytes in memory). When the file was truncated
    /// while it was being read, nothing parsed from it is kept: the one error says so.
    public static func load(_ file: MappedFile, path: String, foundInDirectory: Bool = false,
                            options: ReadOptions = .all) -> LoadResult {
        var result = LoadResult(path: path)
        do {
            try load(file.region, path: path, strictImportExport: foundInDirectory, options: options, into: &result)
        } catch {
            result.errors.append(InputError(path: path, message: error.parseMessage, offset: error.offset))
        }
        if file.wasTruncated {
            let now = file.currentSizeOnDisk().map { "\($0) bytes" } ?? "gone"
            var shrunk = LoadResult(path: path)
            shrunk.errors.append(InputError(
                path: path, message: "file shrank while being read (\(file.size) bytes when opened, now \(now)); not used"))
            return shrunk
        }
        return result
    }

    static func load(_ region: ByteRegion, path: String, strictImportExport: Bool = false,
                     options: ReadOptions = .all, into result: inout LoadResult) throws(ParseError) {
        switch try FileKind.sniff(region) {
        case .xcoff:
            result.images.append(try XCOFFFile(region).image(path: path, options: options))
        case .empty:
            result.errors.append(InputError(path: path, message: "empty file"))
            result.isNotAnObject = true
        case .unknown(let looks):
            let byName = path.hasSuffix(".exp") || path.hasSuffix(".imp")
            if strictImportExport ? byName : ImportExportFile.looksLikeOne(region, path: path) {
                result.images.append(try ImportExportFile(region).image(path: path, storage: region.file))
            } else {
                result.errors.append(InputError(path: path, message: "not an object file: \(looks)"))
                result.isNotAnObject = true
            }
        case .aixBigArchive, .aixSmallArchive:
            try loadAIXArchive(region, path: path, options: options, into: &result)
        case .arArchive:
            try loadArArchive(region, path: path, options: options, into: &result)
        case .thinArchive:
            result.errors.append(InputError(path: path, message: Self.thinArchiveMessage, offset: 0))
        case .elf:
            result.images.append(try ELFFile(region).image(path: path, options: options))
        }
    }
}

extension ImageLoader {
    /// Every member of an AIX archive, in archive order. A member that is not an object (an
    /// import list, a text file) is skipped with a note; a member that is broken is reported
    /// as an error and the other members are still read.
    static func loadAIXArchive(_ region: ByteRegion, path: String, options: ReadOptions,
                               into result: inout LoadResult) throws(ParseError) {
        let archive = try AIXArchive(region)
        let members = try archive.members()
        let outcomes = Parallel.map(members.count) { i -> MemberOutcome in
            let m = members[i]
            let name = m.name.string
            let display = "\(path)(\(name))"
            do throws(ParseError) {
                switch try FileKind.sniff(m.contents) {
                case .xcoff:
                    return .image(try XCOFFFile(m.contents).image(path: path, member: name, options: options))
                case .unknown where ImportExportFile.looksLikeOne(m.contents, path: name):
                    return .image(try ImportExportFile(m.contents).image(path: path, member: name, storage: region.file))
                case .empty:
                    return .note("\(display): empty member skipped")
                case .unknown(let looks):
                    return .note("\(display): not an object file (\(looks)); skipped")
                default:
                    return .note("\(display): nested archive skipped")
                }
            } catch {
                return .error(InputError(path: display, message: error.parseMessage, offset: error.offset))
            }
        }
        for o in outcomes { o.add(to: &result) }
    }
}

/// What one archive member gave: parsed on a worker thread, gathered in archive order.
enum MemberOutcome: Sendable {
    case image(ObjectImage)
    case note(String)
    case error(InputError)

    func add(to result: inout LoadResult) {
        switch self {
        case .image(let i): result.images.append(i)
        case .note(let n): result.notes.append(n)
        case .error(let e): result.errors.append(e)
        }
    }
}

extension ParseError {
    /// The message without the offset (the offset is reported separately).
    var parseMessage: String { "\(structure): \(problem)" }
}
