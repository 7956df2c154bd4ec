import Foundation
import Linkage
import TestSupport
import XCTest

/// The AIX side of the ordered replay, against GNU ld built for powerpc-ibm-aix7.2 (built and
/// cached by scripts/build-aix-ld; skipped visibly when it cannot be built). Objects come from
/// clang for AIX: a function defined with hidden visibility in one object (or an archive
/// member) and called, and its address taken, from another.
final class AIXLinkOrderTests: XCTestCase {
    static let clang = "/opt/swift/usr/bin/clang"
    static let ar = "/opt/swift/usr/bin/llvm-ar"

    /// GNU ld for AIX, built once (scripts/build-aix-ld); a skip when it cannot be built.
    static func aixLinker() throws -> String {
        guard FileManager.default.isExecutableFile(atPath: Self.clang), FileManager.default.isExecutableFile(atPath: Self.ar) else {
            throw XCTSkip("SKIPPED: no clang/llvm-ar in /opt/swift/usr/bin")
        }
        let script = Paths.repo.appendingPathComponent("scripts/build-aix-ld").path
        let r = try runTool("/bin/bash", [script])
        let path = r.stdout.split(separator: "\n").last.map(String.init) ?? ""
        guard r.status == 0, FileManager.default.isExecutableFile(atPath: path) else {
            throw XCTSkip("SKIPPED: GNU ld for AIX could not be built (scripts/build-aix-ld): \(r.stderr.suffix(300))")
        }
        return path
    }

    func testHiddenDefinitionsAndArchiveOrderAgainstGNULdForAIX() throws {
        let ld = try Self.aixLinker()
        let dir = try TempDir()
        let d = dir.url.path
        for bits in [64, 32] {
            let target = bits == 64 ? "powerpc64-ibm-aix" : "powerpc-ibm-aix"
            let a = try dir.write("a\(bits).c", Array("long helper(long);\nlong entry(long x) { return helper(x) + 1; }\nlong (*addr)(long) = helper;\n".utf8))
            let b = try dir.write("b\(bits).c", Array("__attribute__((visibility(\"hidden\"))) long helper(long x) { return x * 2; }\n".utf8))
            for src in [a, b] {
                let r = try runTool(Self.clang, ["--target=\(target)", "-c", src, "-o", src.replacingOccurrences(of: ".c", with: ".o")])
                XCTAssertEqual(r.status, 0, r.stderr)
            }
            XCTAssertEqual(try runTool(Self.ar, ["--format=bigarchive", "rcs", "\(d)/libb\(bits).a", "\(d)/b\(bits).o"]).status, 0)
            let base = [ld, "-b\(bits)", "-bM:SRE", "-bnoentry", "-bexpall", "-nostdlib", "-o", "\(d)/out\(bits).so"]
            let cases: [(String, [String])] = [
                ("hidden definition in another object", ["\(d)/a\(bits).o", "\(d)/b\(bits).o"]),
                ("hidden definition in an archive after the object", ["\(d)/a\(bits).o", "\(d)/libb\(bits).a"]),
                ("archive before the object", ["\(d)/libb\(bits).a", "\(d)/a\(bits).o"]),
            ]
            for (name, inputs) in cases {
                let line = base + inputs
                let real = try runTool(line[0], Array(line.dropFirst()))
                let theirs = Set(CommandLineText(parsing: real.stderr).undefinedInErrors)
                var o = DiagnoseOptions(inputs: [])
                o.python = .none
                let replay = try XCTUnwrap(LinkReplay.run(CommandLineText(parsing: line.joined(separator: " ")), base: o))
                let diag = try XCTUnwrap(replay.diagnose.diagnosis)
                let label = "\(bits)-bit: \(name)"
                XCTAssertEqual(diag.verdictOK, real.status == 0, "\(label): ld \(real.status) \(real.stderr); symscan \(diag.findings)")
                XCTAssertEqual(Set(diag.unresolved.filter { !$0.weak }.map(\.name)), theirs, label)
                guard !diag.verdictOK else { continue }
                XCTAssertNotNil(diag.findings.first { $0.id.rawValue == "library-order" }, "\(label): \(diag.findings)")
                let fixed = line + diag.missingLinkArguments
                let relinked = try runTool(fixed[0], Array(fixed.dropFirst()))
                XCTAssertEqual(relinked.status, 0, "\(label): with \(diag.missingLinkArguments): \(relinked.stderr)")
            }
        }
    }
}
