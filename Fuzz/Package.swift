// swift-tools-version:6.0
// libFuzzer targets for symscan's readers. A separate package, so that the main build and its
// tests are unaffected: scripts/fuzz builds it with -sanitize=fuzzer,address and runs one target.
import PackageDescription

let kit: Target.Dependency = .product(name: "SymscanKit", package: "symscan")

func fuzzTarget(_ name: String) -> Target {
    .executableTarget(name: name, dependencies: [kit, "CFuzzer", "FuzzSupport"], path: "Sources/\(name)",
                      swiftSettings: [.unsafeFlags(["-parse-as-library"])])
}

let package = Package(
    name: "symscan-fuzz",
    dependencies: [
        // The repository root. The name is given explicitly because a path dependency's
        // identity is otherwise its directory name, which differs between clones and worktrees.
        .package(name: "symscan", path: ".."),
    ],
    targets: [
        // The prototype of libFuzzer's LLVMFuzzerRunDriver.
        .target(name: "CFuzzer"),
        // The driver call, the input as a file, a sink: shared by every target.
        .target(name: "FuzzSupport", dependencies: [kit, "CFuzzer"]),
        fuzzTarget("fuzz-xcoff"),
        fuzzTarget("fuzz-loader-section"),
        fuzzTarget("fuzz-aix-archive"),
        fuzzTarget("fuzz-exp"),
        fuzzTarget("fuzz-elf"),
        fuzzTarget("fuzz-image-loader"),
        fuzzTarget("fuzz-json"),
        fuzzTarget("fuzz-link-line"),
        fuzzTarget("fuzz-zip"),
        fuzzTarget("fuzz-provider-cache"),
        fuzzTarget("fuzz-pyo3-config"),
    ]
)
