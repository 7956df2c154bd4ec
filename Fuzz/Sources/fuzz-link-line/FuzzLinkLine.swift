import FuzzSupport
import Linkage

/// The link-line text parser with response files: the input is the pasted text, then NUL, then
/// the response files `r1`, `r2`, … separated by NULs (so `@r1` in the text or in a response
/// file names one: cycles, repeats and nesting are all reachable), then the linker command.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLinkLine(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let parts = UnsafeBufferPointer(start: bytes, count: size).split(separator: 0, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
    guard let text = parts.first else { return 0 }
    var files: [String: String] = [:]
    for (i, p) in parts.dropFirst().enumerated() { files["r\(i + 1)"] = p }
    let parsed = CommandLineText(parsing: text, readFile: { files[$0] })
    let command = LinkCommand(parsed.arguments)
    blackHole(parsed.arguments.count &+ parsed.undefinedInErrors.count &+ parsed.responseFileErrors.count
              &+ command.inputs.count &+ command.libraries.count &+ command.unknownOptions.count)
    return 0
}

@main
enum Main {
    static func main() { runFuzzer(fuzzLinkLine) }
}
