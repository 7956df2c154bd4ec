import Foundation
import TestSupport
import XCTest

/// `symbols` reads an archive's members a few at a time as it writes them (`ArchiveMembers`,
/// `ListingPipeline`), more than `8 × cores` of them ahead of the writer never. These archives
/// have more members than that, of every kind: objects, members that are not objects (notes),
/// damaged ones (errors). Each member's listing must be GNU nm's for that member, in archive
/// order; the notes and errors must come in archive order; and every number of threads must
/// give the same bytes.
final class ArchiveStreamingTests: XCTestCase {
    /// More members than the pipeline loads ahead of the writer on this machine.
    let memberCount = 8 * ProcessInfo.processInfo.activeProcessorCount + 12
    let elf64 = Paths.testBinaries.appendingPathComponent("elf64")

    /// A GNU ar archive of `memberCount` members: ELF objects, every 5th a text file, every
    /// 7th (from 3) the first 100 bytes of an object. Returns the archive and its members' names.
    func mixedArchive(_ dir: TempDir) throws -> (path: String, members: [String]) {
        let objects = try ["names.o", "demo.o", "uses_names.o"].map {
            try [UInt8](Data(contentsOf: elf64.appendingPathComponent($0)))
        }
        var names: [String] = []
        for i in 0..<memberCount {
            let name: String
            if i % 5 == 4 {
                name = "text\(i).txt"
                try dir.write(name, Array("not an object \(i)\n".utf8))
            } else if i % 7 == 3 {
                name = "cut\(i).o"
                try dir.write(name, Array(objects[1].prefix(100)))
            } else {
                name = "m\(i).o"
                try dir.write(name, objects[i % 3])
            }
            names.append(name)
        }
        let archive = dir.url.appendingPathComponent("libmixed.a").path
        let r = try runTool("/usr/bin/ar", ["rc", archive] + names.map { dir.url.appendingPathComponent($0).path })
        XCTAssertEqual(r.status, 0, r.stderr)
        return (archive, names)
    }

    /// Our text listing split at the archive headings: member name → its lines.
    func sections(_ text: String, archive: String) -> [(member: String, lines: [Substring])] {
        var out: [(String, [Substring])] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix(archive + "("), line.hasSuffix("):") {
                out.append((String(line.dropFirst(archive.count + 1).dropLast(2)), []))
            } else if !out.isEmpty {
                out[out.count - 1].1.append(line)
            }
        }
        return out
    }

    func testEveryMemberOfALargeMixedArchiveIsListedAsNMListsIt() throws {
        let dir = try TempDir()
        let (archive, names) = try mixedArchive(dir)
        let ours = try runSymscan(["symbols", "--no-demangle", archive])
        XCTAssertEqual(ours.status, 2, "damaged members are errors")

        let objects = names.filter { $0.hasPrefix("m") }
        let listed = sections(ours.stdout, archive: archive)
        XCTAssertEqual(listed.map(\.member), objects, "every object member, in archive order")
        for (member, lines) in listed {
            let theirs = try runTool("/usr/bin/nm", ["-p", dir.url.appendingPathComponent(member).path])
            XCTAssertEqual(lines, theirs.stdout.split(separator: "\n"), member)
        }

        // A note per text member and an error per damaged one, each kind in archive order.
        let messages = ours.stderr.split(separator: "\n").filter { $0.contains("\(archive)(") }
        let notes = messages.filter { $0.hasPrefix("symscan: note: ") }
        let errors = messages.filter { !$0.hasPrefix("symscan: note: ") }
        let texts = names.filter { $0.hasSuffix(".txt") }, cuts = names.filter { $0.hasPrefix("cut") }
        let expectedNotes: [String] = texts.map { "symscan: note: \(archive)(\($0)): skipped: not an ELF object" }
        XCTAssertEqual(notes.map(String.init), expectedNotes)
        XCTAssertEqual(errors.count, cuts.count, ours.stderr)
        for (message, member) in zip(errors, cuts) {
            XCTAssertTrue(message.hasPrefix("symscan: \(archive)(\(member)): ELF header: section header table offset"), String(message))
            XCTAssertTrue(message.hasSuffix(")") && message.contains("(at byte offset "), String(message))
        }
    }

    func testEveryNumberOfThreadsGivesTheSameBytes() throws {
        let dir = try TempDir()
        let (archive, _) = try mixedArchive(dir)
        let other = elf64.appendingPathComponent("demo.o").path
        for format in ["text", "json"] {
            let args = ["symbols", "--format", format, other, archive, other]
            let one = try runSymscan(args + ["--jobs", "1"])
            for jobs in ["2", "3", "8"] {
                let many = try runSymscan(args + ["--jobs", jobs])
                XCTAssertEqual(many.stdout, one.stdout, "\(format), --jobs \(jobs)")
                XCTAssertEqual(many.stderr, one.stderr, "\(format), --jobs \(jobs)")
                XCTAssertEqual(many.status, one.status)
            }
        }
    }

    /// An archive followed by more files than are opened ahead: those files must not keep
    /// the archive's members from being read (the archive is written first: it would never be).
    func testAnArchiveBeforeManyFiles() throws {
        let dir = try TempDir()
        let (archive, _) = try mixedArchive(dir)
        let after = Array(repeating: elf64.appendingPathComponent("demo.o").path, count: memberCount)
        for jobs in ["1", "2", "3"] {
            // A hang is the failure this test is for: bounded by timeout(1).
            let ours = try runTool("/usr/bin/timeout", ["60", Paths.symscan.path, "symbols", "--jobs", jobs, archive] + after)
            XCTAssertEqual(ours.status, 2, "--jobs \(jobs): \(ours.stderr)")
            XCTAssertEqual(ours.stdout.components(separatedBy: "demo.o:\n").count - 1, memberCount, "--jobs \(jobs)")
        }
    }

    /// Archives one after another, the first slow to open (3000 members): a later one is
    /// often opened first, and its members must not fill what may be in flight while the
    /// first waits to be read. Checked against the listing of each archive alone.
    func testAnArchiveSlowToOpenBeforeOthers() throws {
        let dir = try TempDir()
        var texts: [String] = []
        for i in 0..<3000 { texts.append(try dir.write("t\(i).txt", Array("text \(i)\n".utf8))) }
        let slow = dir.url.appendingPathComponent("libslow.a").path
        XCTAssertEqual(try runTool("/usr/bin/ar", ["rc", slow] + texts).status, 0)
        let object = try [UInt8](Data(contentsOf: elf64.appendingPathComponent("names.o")))
        var objects: [String] = []
        for i in 0..<memberCount { objects.append(try dir.write("n\(i).o", object)) }
        let quick = dir.url.appendingPathComponent("libquick.a").path
        XCTAssertEqual(try runTool("/usr/bin/ar", ["rc", quick] + objects).status, 0)
        let alone = try runSymscan(["symbols", "--jobs", "1", quick]).stdout
        for jobs in ["2", "3"] {
            for _ in 0..<4 {
                // A hang is the failure this test is for: bounded by timeout(1).
                let ours = try runTool("/usr/bin/timeout", ["60", Paths.symscan.path, "symbols", "--jobs", jobs, slow, quick, quick, quick])
                XCTAssertEqual(ours.status, 0, "--jobs \(jobs): \(ours.stderr.prefix(300))")
                XCTAssertEqual(ours.stdout, String(repeating: alone, count: 3), "--jobs \(jobs)")
            }
        }
    }

    /// An archive of nothing but text members between two objects: the headings rule (nm's:
    /// a heading per file when two files have symbols) looks past the archive to the next
    /// file while the archive's members are being read. With more members than are read
    /// ahead, that must not wait on itself.
    func testAnArchiveWithoutObjectsBetweenTwoObjects() throws {
        let dir = try TempDir()
        var names: [String] = []
        for i in 0..<memberCount {
            names.append("t\(i).txt")
            try dir.write(names[i], Array("text \(i)\n".utf8))
        }
        let archive = dir.url.appendingPathComponent("libtext.a").path
        XCTAssertEqual(try runTool("/usr/bin/ar", ["rc", archive] + names.map { dir.url.appendingPathComponent($0).path }).status, 0)
        let a = elf64.appendingPathComponent("names.o").path, b = elf64.appendingPathComponent("demo.o").path
        for jobs in ["1", "2"] {
            // A hang is the failure this test is for: bounded by timeout(1).
            let ours = try runTool("/usr/bin/timeout", ["60", Paths.symscan.path, "symbols", "--jobs", jobs, a, archive, b])
            XCTAssertEqual(ours.status, 0, "--jobs \(jobs): \(ours.stderr)")
            XCTAssertEqual(ours.stdout, try runTool("/usr/bin/nm", ["-p", a, b]).stdout, "--jobs \(jobs)")
            XCTAssertEqual(ours.stderr.split(separator: "\n").count, memberCount, "a note per member")
        }
    }

    /// An AIX big archive of many XCOFF members, against llvm-nm.
    func testALargeAIXBigArchiveMatchesLLVMNM() throws {
        let dir = try TempDir()
        let object = try [UInt8](Data(contentsOf: Paths.testBinaries.appendingPathComponent("xcoff64/names.o")))
        var paths: [String] = []
        for i in 0..<memberCount { paths.append(try dir.write("x\(i).o", object)) }
        let archive = dir.url.appendingPathComponent("libbig.a").path
        let r = try runTool("/opt/swift/usr/bin/llvm-ar", ["--format=bigarchive", "rc", archive] + paths)
        XCTAssertEqual(r.status, 0, r.stderr)
        let ours = try runSymscan(["symbols", "--no-demangle", archive])
        XCTAssertEqual(ours.status, 0, ours.stderr)
        let listed = sections(ours.stdout, archive: archive)
        XCTAssertEqual(listed.map(\.member), (0..<memberCount).map { "x\($0).o" })
        let theirs = try runTool(llvmNM, ["--no-sort", paths[0]]).stdout.split(separator: "\n")
        for (member, lines) in listed { XCTAssertEqual(lines, theirs, member) }
    }
}
