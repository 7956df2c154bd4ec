import MappedFile
import ObjectModel
import XCOFF
import ELF

/// Opens a path, works out its format from its bytes, and hands it to the right reader.
public enum ImageLoader {
    static let thinArchiveMessage =
        "thin archive: its members are separate files that it only names; not supported (list them instead)"

    /// Loads every image in `path`. Archive members are parsed in parallel, and come back in
    /// archive order. With `foundInDirectory`, a file is taken for an AIX import/export list
    /// only by its `.exp`/`.imp` suffix (a directory holds many `#!` scripts).
    /// `options` says which symbol tables the readers read, and how (`ReadOptions`).
    public static func load(path: String, foundInDirectory: Bool = false, options: ReadOptions = .all) -> LoadResult {
        switch open(path: path, foundInDirectory: foundInDirectory, options: options) {
        case .whole(let result):
            return result
        case .archive(let members):
            var result = LoadResult(path: path)
            members.loadAll(into: &result)
            return members.file.wasTruncated ? shrunk(members.file, path: path) : result
        }
    }

    /// Opens `path`: an archive's member table is read and its members are left to be read one
    /// at a time (`ArchiveMembers.load`); any other file is read whole, as `load` reads it.
    /// `sniffed`: the caller has already turned the file away if its first bytes cannot start
    /// an object (`InputPath.sniffed`).
    public static func open(path: String, foundInDirectory: Bool = false, sniffed: Bool = false,
                            options: ReadOptions = .all) -> OpenedFile {
        var result = LoadResult(path: path)
        if foundInDirectory && !sniffed && !path.hasSuffix(".exp") && !path.hasSuffix(".imp")
            && !FileKind.startsLikeAnObject(path: path) {
            // Most files in a directory tree are not objects: turn them away after reading 8
            // bytes, without the cost of mapping them (mmap and munmap serialise threads on the
            // process's address-space lock).
            result.errors.append(InputError(path: path, message: "not an object file"))
            result.isNotAnObject = true
            return .whole(result)
        }
        let file: MappedFile
        do {
            file = try MappedFile(path: path)
        } catch {
            result.errors.append(InputError(path: path, message: error.message))
            return .whole(result)
        }
        do throws(ParseError) {
            if let members = try ArchiveMembers(file.region, kind: try FileKind.sniff(file.region), path: path, options: options) {
                return .archive(members)
            }
        } catch {
            // Damaged archive headers, read again by `load` for the same error.
        }
        return .whole(load(file, path: path, foundInDirectory: foundInDirectory, options: options))
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
        return file.wasTruncated ? shrunk(file, path: path) : result
    }

    /// What a file that was cut short while it was being read gives: only that error.
    static func shrunk(_ file: MappedFile, path: String) -> LoadResult {
        let now = file.currentSizeOnDisk().map { "\($0) bytes" } ?? "gone"
        var shrunk = LoadResult(path: path)
        shrunk.errors.append(InputError(
            path: path, message: "file shrank while being read (\(file.size) bytes when opened, now \(now)); not used"))
        return shrunk
    }

    static func load(_ region: ByteRegion, path: String, strictImportExport: Bool = false,
                     options: ReadOptions = .all, into result: inout LoadResult) throws(ParseError) {
        let kind = try FileKind.sniff(region)
        switch kind {
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
        case .aixBigArchive, .aixSmallArchive, .arArchive:
            try ArchiveMembers(region, kind: kind, path: path, options: options)?.loadAll(into: &result)
        case .thinArchive:
            result.errors.append(InputError(path: path, message: Self.thinArchiveMessage, offset: 0))
        case .elf:
            result.images.append(try ELFFile(region).image(path: path, options: options))
        }
    }
}

extension ParseError {
    /// The message without the offset (the offset is reported separately).
    var parseMessage: String { "\(structure): \(problem)" }
}

/// A file opened for reading: read whole, or an archive whose members are still to be read.
public enum OpenedFile: Sendable {
    case whole(LoadResult)
    case archive(ArchiveMembers)
}
