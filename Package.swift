// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "symscan",
    products: [
        .executable(name: "symscan", targets: ["symscan"]),
        .library(name: "SymscanKit", targets: ["MappedFile", "ObjectModel", "XCOFF", "ImageLoader", "Reports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Read-only mmap and the one bounds-checked byte reader every parser uses.
        .target(name: "MappedFile"),
        // The format-neutral image model that readers produce and renderers consume.
        .target(name: "ObjectModel", dependencies: ["MappedFile"]),
        // Pure-Swift XCOFF: objects, shared objects, loader section, AIX archives, .exp files.
        .target(name: "XCOFF", dependencies: ["MappedFile", "ObjectModel"]),
        // Sniffs a file's format from its bytes and dispatches to the reader for it.
        .target(name: "ImageLoader", dependencies: ["MappedFile", "ObjectModel", "XCOFF"]),
        // Renderers: nm-like text and versioned JSON.
        .target(name: "Reports", dependencies: ["MappedFile", "ObjectModel"]),
        .executableTarget(
            name: "symscan",
            dependencies: [
                "MappedFile", "ObjectModel", "XCOFF", "ImageLoader", "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Shared by the test targets: repository paths, the ../shared corpora, running oracles.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "MappedFileTests", dependencies: ["MappedFile", "TestSupport"]),
        .testTarget(name: "XCOFFTests", dependencies: ["XCOFF", "ObjectModel", "MappedFile", "ImageLoader", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["symscan", "TestSupport"]),
    ]
)
