import FuzzSupport
import Linkage

/// The PyO3 configuration reader (`PYO3_CONFIG_FILE` format: `key=value` lines,
/// `extra_build_script_line=cargo:rustc-link-lib=…`), with a relative and an absolute path.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPyO3Config(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: size), as: UTF8.self)
    for path in ["pyo3.cfg", "/opt/py/pyo3.cfg"] {
        let c = PythonConfig.fromPyO3File(text, path: path)
        blackHole((c.libName?.count ?? 0) &+ (c.libDir?.count ?? 0) &+ c.companionLibraries.count)
    }
    return 0
}

@main
enum Main {
    static func main() { runFuzzer(fuzzPyO3Config) }
}
