import MappedFile

extension ImageLoader {
    /// Reads images from bytes that are not a file of their own (a wheel member, inflated into
    /// memory or stored in the zip), naming them `path` in images and errors.
    public static func load(region: ByteRegion, path: String) -> LoadResult {
        var result = LoadResult(path: path)
        do {
            try load(region, path: path, into: &result)
        } catch {
            result.errors.append(InputError(path: path, message: error.parseMessage, offset: error.offset))
        }
        return result
    }
}
