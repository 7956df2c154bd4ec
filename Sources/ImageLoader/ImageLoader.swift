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
        do {
            try load(file.region, path: path, into: &result)
        } catch {
            result.errors.append(InputError(path: path, message: error.parseMessage, offset: error.offset))
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
            result.errors.append(InputError(path: path, message: "not an object file: \(looks)"))
        case .aixBigArchive, .aixSmallArchive:
            result.errors.append(InputError(path: path, message: "archives are not read yet"))
        case .arArchive:
            try loadArArchive(region, path: path, into: &result)
        case .thinArchive:
            result.errors.append(InputError(path: path, message: Self.thinArchiveMessage, offset: 0))
        case .elf:
            result.images.append(try ELFFile(region).image(path: path))
        }
    }
}

extension ParseError {
    /// The message without the offset (the offset is reported separately).
    var parseMessage: String { "\(structure): \(problem)" }
}
