import CFuzzer
#if canImport(Glibc)
import Glibc
#endif
import MappedFile
import ObjectModel

/// What every fuzz target shares: the libFuzzer driver, the input as an in-memory file, and a
/// sink that keeps the optimiser from dropping the reads a target makes.

/// libFuzzer's entry point: `LLVMFuzzerTestOneInput`.
public typealias FuzzOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

/// Runs libFuzzer's driver over `body` with the process's arguments, then exits with its status.
/// SwiftPM renames an executable's `main`, so each target calls this from its own `@main`.
public func runFuzzer(_ body: FuzzOneInput) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, body))
}

/// The fuzzer's bytes as a file the readers can take (a private copy, read through `ByteRegion`).
public func fuzzInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int, path: String = "fuzz") -> MappedFile {
    MappedFile(bytes: UnsafeRawBufferPointer(start: UnsafeRawPointer(bytes), count: size), path: path)
}

/// Touches every name of an image (symbol table and run-time view), as the renderers do.
public func touchNames(_ image: ObjectImage) -> Int {
    var total = 0
    for s in image.symbols { total &+= s.name.count &+ Int(s.name.first ?? 0) }
    if let d = image.dynamic { for s in d.symbols { total &+= s.name.count } }
    return total
}

/// Consumes a value so the work that produced it is not optimised away.
@inline(never) public func blackHole(_ x: Int) { if x == -1 { print("") } }
