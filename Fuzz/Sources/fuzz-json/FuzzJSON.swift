import Check
import FuzzSupport

/// The JSON reader of baselines (and what `check --baseline` makes of a document): any bytes,
/// decoded as UTF-8 as `TextFile` does, parsed, walked, and decoded as a baseline.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: size), as: UTF8.self)
    if let v = try? JSONValue.parse(text) { blackHole(walk(v)) }
    if let b = try? Baseline.decode(text, path: "fuzz.json") { blackHole(b.modules.count) }
    if let b = try? Baseline.decode(text, path: "fuzz.json", severalRoots: true) { blackHole(b.modules.count) }
    return 0
}

func walk(_ v: JSONValue) -> Int {
    switch v {
    case .null, .bool, .number: return 1
    case .string(let s): return s.utf8.count
    case .array(let a): return a.reduce(1) { $0 &+ walk($1) }
    case .object(let o): return o.reduce(1) { $0 &+ $1.0.utf8.count &+ walk($1.1) }
    }
}

@main
enum Main {
    static func main() { runFuzzer(fuzzJSON) }
}
