// swift-tools-version:6.0
import PackageDescription

// Start-up of the CLI (docs/performance.md, "Start-up"): on one small file most of a run is loading the
// process: ld.so, page faults on the binary, the Swift runtime's initialisation.
// - libelf, zlib and, when the Swift standard library is static (`--static-swift-stdlib`, the
//   release build), libstdc++ come from their static archives: Link/static holds linker scripts
//   named lib*.so that the linker finds before the system's shared libraries, each naming the
//   `.a`. What is left to load is libc and libm; the demangler is libiberty.a's (CBFD).
// - Release builds only (debug test bundles linked without PIE make ld.so warn about
//   libXCTest's protected functions):
//   - no PIE: ld.so has no 39k RELATIVE relocations to apply, nor pages to copy for them;
//   - libgcc's unwinder linked in instead of loading libgcc_s.so;
//   - the code that `symscan symbols` runs is laid out together (lld's --symbol-ordering-file
//     with Link/startup.order, made by scripts/make-link-order): fewer pages of the 12 MB of
//     code to fault in.
let linkDirectory = Context.packageDirectory + "/Link"
let startUpLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(["-L", linkDirectory + "/static"], .when(platforms: [.linux])),
    .unsafeFlags([
        "-Xclang-linker", "-no-pie", "-Xclang-linker", "-static-libgcc",
        "-use-ld=lld", "-Xlinker", "--symbol-ordering-file=" + linkDirectory + "/startup.order",
        "-Xlinker", "--no-warn-symbol-ordering",
    ], .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "symscan",
    products: [
        .executable(name: "symscan", targets: ["symscan"]),
        .library(name: "SymscanKit", targets: ["MappedFile", "ObjectModel", "XCOFF", "ELF", "Demangle", "ImageLoader", "Linkage", "Reports", "ProviderIndex"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Read-only mmap and the one bounds-checked byte reader every parser uses.
        .target(name: "MappedFile", dependencies: ["CMappingGuard"]),
        // SIGBUS guard for mappings of files that another process truncates while we read them.
        .target(name: "CMappingGuard"),
        // The format-neutral image model that readers produce and renderers consume.
        .target(name: "ObjectModel", dependencies: ["MappedFile"]),
        // Pure-Swift XCOFF: objects, shared objects, loader section, AIX archives, .exp files.
        .target(name: "XCOFF", dependencies: ["MappedFile", "ObjectModel"]),
        // elfutils' libelf (<gelf.h>): section, symbol, version and dynamic-section decoding.
        .systemLibrary(name: "CLibELF", providers: [.apt(["libelf-dev"])]),
        // libiberty's demanglers, linked statically (C++ Itanium, Rust legacy and v0, as `nm -C`).
        .systemLibrary(name: "CBFD", providers: [.apt(["libiberty-dev"])]),
        // ELF objects, shared objects, executables and `ar` archives, read through libelf.
        .target(name: "ELF", dependencies: ["MappedFile", "ObjectModel", "CLibELF"]),
        // Demangled names for display, without a String per symbol on the text path.
        .target(name: "Demangle", dependencies: ["MappedFile", "CBFD"]),
        // Sniffs a file's format from its bytes and dispatches to the reader for it.
        .target(name: "ImageLoader", dependencies: ["MappedFile", "ObjectModel", "XCOFF", "ELF"]),
        // The link set, providers, library search, Python configuration and platform policy.
        .target(name: "Linkage", dependencies: ["MappedFile", "ObjectModel", "ImageLoader", "ProviderIndex"]),
        // Which libraries in a set of directories export each symbol; cached on disk.
        .target(name: "ProviderIndex", dependencies: ["MappedFile", "ObjectModel", "ImageLoader"]),
        // Renderers: nm-like text and versioned JSON.
        .target(name: "Reports", dependencies: ["MappedFile", "ObjectModel", "ImageLoader", "Demangle", "Linkage"]),
        // zlib's raw `inflate` and crc32, for wheel (zip) members read into memory (Debian: zlib1g-dev).
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // The CI gate: finds extension modules (directories, wheels), diagnoses them in parallel,
        // applies allow-lists and baselines.
        .target(name: "Check", dependencies: ["MappedFile", "ObjectModel", "ImageLoader", "Linkage", "Reports", "CZlib"]),
        // `symbols`: its fast argument parser, and the pipeline that lists many files and large
        // tables on all cores in argument order.
        .target(name: "Listing", dependencies: ["MappedFile", "ObjectModel", "ImageLoader", "Demangle", "Reports"]),
        .executableTarget(
            name: "symscan",
            dependencies: [
                "MappedFile", "ObjectModel", "XCOFF", "ELF", "ImageLoader", "Linkage", "Reports", "Check", "Demangle", "ProviderIndex", "Listing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: startUpLinkerSettings
        ),
        // Shared by the test targets: repository paths, the ../shared corpora, running oracles.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "MappedFileTests", dependencies: ["MappedFile", "TestSupport"]),
        .testTarget(name: "XCOFFTests", dependencies: ["XCOFF", "ObjectModel", "MappedFile", "ImageLoader", "TestSupport"]),
        .testTarget(name: "ELFTests", dependencies: ["ELF", "Demangle", "ImageLoader", "ObjectModel", "MappedFile", "TestSupport"]),
        .testTarget(name: "ImageLoaderTests", dependencies: ["ImageLoader", "TestSupport"]),
        .testTarget(name: "ProviderIndexTests", dependencies: ["ProviderIndex", "ImageLoader", "ObjectModel", "MappedFile", "TestSupport"]),
        .testTarget(name: "LinkageTests", dependencies: ["Linkage", "ImageLoader", "ObjectModel", "MappedFile", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["symscan", "Listing", "TestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "ListingTests", dependencies: ["Listing", "ImageLoader", "ObjectModel", "Reports", "TestSupport"]),
        .testTarget(name: "CheckTests", dependencies: ["Check", "Reports", "Linkage", "MappedFile", "TestSupport"]),
    ]
)
