import MappedFile
import ObjectModel
import XCOFF
import ELF

/// Opens a path, works out its format from its bytes, and hands it to the right reader.
public enum ImageLoader {
    public static func load(path: String) -> LoadResult {
        var result = LoadResult(path: path)
        let file: MappedFile
        do {
            file = try MappedFile(path: path)
        } catch {
            result.errors.append(InputError(path: path, message: error.message))
            return result
        }
        return load(file, path: path)
    }

    /// Reads an already opened file (a mapping, or bytes in memory). When the file was truncated
    /// while it was being read, nothing parsed from it is kept: the one error says so.
    public static func load(_ file: MappedFile, path: String) -> LoadResult {
        var result = LoadResult(path: path)
        do {
            try load(file.region, path: path, into: &result)
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

    static func load(_ region: ByteRegion, path: String, into result: inout LoadResult) throws(ParseError) {
        switch try FileKind.sniff(region) {
        case .xcoff:
            result.images.append(try XCOFFFile(region).image(path: path))
        case .empty:
            result.errors.append(InputError(path: path, message: "empty file"))
        case .unknown(let looks):
            if ImportExportFile.looksLikeOne(region, path: path) {
                result.images.append(try ImportExportFile(region).image(path: path, storage: region.file))
            } else {
                result.errors.append(InputError(path: path, message: "not an object file: \(looks)"))
            }
        case .aixBigArchive, .aixSmallArchive:
            try loadAIXArchive(region, path: path, into: &result)
        case .arArchive:
            try loadArArchive(region, path: path, into: &result)
        case .thinArchive:
            result.errors.append(InputError(path: path, message: Self.thinArchiveMessage, offset: 0))
        case .elf:
            result.images.append(try ELFFile(region).image(path: path))
        }
    }
}

extension ImageLoader {
    /// Every member of an AIX archive, in archive order. A member that is not an object (an
    /// import list, a text file) is skipped with a note; a member that is broken is reported
    /// as an error and the other members are still read.
    static func loadAIXArchive(_ region: ByteRegion, path: String, into result: inout LoadResult) throws(ParseError) {
        let archive = try AIXArchive(region)
        for m in try archive.members() {
            let name = m.name.string
            let display = "\(path)(\(name))"
            do {
                switch try FileKind.sniff(m.contents) {
                case .xcoff:
                    result.images.append(try XCOFFFile(m.contents).image(path: path, member: name))
                case .unknown where ImportExportFile.looksLikeOne(m.contents, path: name):
                    result.images.append(try ImportExportFile(m.contents).image(path: path, member: name, storage: region.file))
                case .empty:
                    result.notes.append("\(display): empty member skipped")
                case .unknown(let looks):
                    result.notes.append("\(display): not an object file (\(looks)); skipped")
                default:
                    result.notes.append("\(display): nested archive skipped")
                }
            } catch {
                result.errors.append(InputError(path: display, message: error.parseMessage, offset: error.offset))
            }
        }
    }
}

extension ParseError {
    /// The message without the offset (the offset is reported separately).
    var parseMessage: String { "\(structure): \(problem)" }
}
