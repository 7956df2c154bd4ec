import ImageLoader
import ObjectModel
@testable import Listing
import Reports
import TestSupport
import XCTest

/// The pipeline renders files, archive members and chunks of large tables on several threads
/// and must write exactly what one thread writes, in argument, archive and table order.
final class ListingPipelineTests: XCTestCase {
    /// Objects, shared objects, ELF and AIX archives, an import list and the large real ELF
    /// archive (many members, chunks on several threads).
    static let inputs: [String] = [
        "elf64/names.o", "elf64/_demo.so", "xcoff64/libnames.a", "xcoff32/demo.o",
        "aix-example/lib64/libpython3.9.a", "real/aix-fixtures/python.exp", "xcoff64/demo.o",
    ].map { Paths.testBinaries.path + "/" + $0 }

    func listing(_ paths: [String], workers: Int, format: OutputFormat, filter: SymbolFilter = SymbolFilter(),
                 readerFilters: Bool = false, dynamic: Bool = false) -> String {
        let saved = Parallel.maxWorkers
        Parallel.maxWorkers = workers
        defer { Parallel.maxWorkers = saved }
        let inputs = InputPaths.expand(paths, onlyObjectLike: true).inputs
        let out = OutputBuffer(collecting: 1 << 20)
        let options = ReadOptions.listing(dynamic: dynamic, filter: readerFilters ? filter : SymbolFilter())
        let pipeline = ListingPipeline(inputs: inputs, options: options, window: 2) { image in
            switch format {
            case .text: SymbolListText(image, filter: filter, dynamic: dynamic, demangle: true)
            case .json: SymbolListJSON.File(image, filter: filter, dynamic: dynamic)
            }
        }
        var headings: Bool?
        var order: [Int] = []
        pipeline.run { f, result, writer in
            order.append(f)
            if headings == nil && !result.images.isEmpty { headings = pipeline.moreThanOneImage(from: f) }
            for i in result.images.indices { writer.writeImage(i, headings: headings ?? false, to: out) }
        }
        XCTAssertEqual(order, order.sorted(), "parts are handed to the writer in file order")
        return String(decoding: out.collected, as: UTF8.self)
    }

    func testSeveralThreadsWriteWhatOneThreadWrites() throws {
        for format in OutputFormat.allCases {
            let one = listing(Self.inputs, workers: 1, format: format)
            XCTAssertFalse(one.isEmpty)
            for workers in [2, 4] {
                XCTAssertEqual(listing(Self.inputs, workers: workers, format: format), one, "\(format), \(workers) threads")
            }
        }
    }

    func testALargeArchiveKeepsMemberOrderOnManyThreads() throws {
        let big = "/usr/lib/llvm-14/lib/libLLVMCodeGen.a"
        guard FileManager.default.fileExists(atPath: big) else {
            throw XCTSkip("SKIPPED: \(big) is absent (scripts/bootstrap installs llvm-14-dev)")
        }
        let text = listing([big], workers: 4, format: .text)
        let members = text.split(separator: "\n").filter { $0.hasSuffix(":") && $0.contains("(") }
            .map { String($0.dropFirst(big.count + 1).dropLast(2)) }
        let ar = try runTool("/usr/bin/ar", ["t", big]).stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(members, ar.filter { members.contains($0) }, "members in archive order")
        XCTAssertGreaterThan(members.count, 100)
        XCTAssertEqual(text, listing([big], workers: 1, format: .text))
    }

    /// Readers skip what a filter refuses before reading names (issue: filtered scans); what
    /// comes out must be what filtering the whole listing gives, for every format, width, byte
    /// order, table size (arrays under 8192 entries, decoders above) and table (`-D`).
    func testFilteringInTheReaderListsWhatFilteringTheListingDoes() throws {
        var files = Self.inputs + ["elf-cross/elf32be/libversioned.so", "elf-cross/elf64be/names.o", "elf64/demo.o"]
            .map { Paths.testBinaries.path + "/" + $0 }
        for big in ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/llvm-14/lib/libLLVM-14.so.1"]
        where FileManager.default.fileExists(atPath: big) { files.append(big) }
        let filters = [SymbolFilter(undefinedOnly: true), SymbolFilter(definedOnly: true), SymbolFilter(externOnly: true),
                       SymbolFilter(undefinedOnly: true, externOnly: true), SymbolFilter(definedOnly: true, externOnly: true)]
        for dynamic in [false, true] {
            for filter in filters {
                let expected = listing(files, workers: 2, format: .json, filter: filter, dynamic: dynamic)
                let got = listing(files, workers: 2, format: .json, filter: filter, readerFilters: true, dynamic: dynamic)
                XCTAssertEqual(got, expected, "\(filter), dynamic \(dynamic)")
                XCTAssertTrue(got.contains("\"name\""), "something is listed")
            }
        }
    }
}
