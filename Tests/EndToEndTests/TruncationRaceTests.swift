import Foundation
import TestSupport
import XCTest

/// A file rewritten while symscan reads it (`cp new.so build/_x.so` truncates in place, as does
/// a CI step that rebuilds): a background shell truncates and rewrites the input in a loop while
/// `diagnose`, `check` (a stored wheel member) and `providers` (its cache) run. (`cp` truncates
/// to 0 and writes again; the pause between copies lets some rounds read a whole file.) Every round must
/// end with the whole file's answer (the one a quiet run gives: the oracle) or exit 2 with an
/// error naming the input, never a crash and never a name made of NUL bytes.
final class TruncationRaceTests: XCTestCase {
    let rounds = 30

    /// A library large enough that reading it overlaps the rewrites: the largest of a few system
    /// libraries with many symbols.
    func bigLibrary() throws -> String {
        let candidates = ["libz3.so.4", "libicuuc.so.72", "libstdc++.so.6", "libcrypto.so.3", "libxml2.so.2"]
            .map { "/usr/lib/x86_64-linux-gnu/" + $0 }
            .filter { FileManager.default.fileExists(atPath: $0) }
        guard let lib = candidates.max(by: { size($0) < size($1) }) else { throw XCTSkip("SKIPPED: no large system library") }
        return lib
    }

    func size(_ p: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? 0 }

    /// Starts `script` in the background; the returned process is stopped by the caller.
    func background(_ script: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    struct Tally: CustomStringConvertible {
        var whole = 0, reported = 0, crashes = 0, nulNames = 0, wrong = 0
        var description: String { "whole \(whole), exit 2 \(reported), crashes \(crashes), NUL names \(nulNames), wrong \(wrong)" }
    }

    /// Runs `args` `rounds` times while `churn` runs; `expected` is the quiet run's stdout.
    func race(_ args: [String], churn: String, expected: String, environment: [String: String] = [:], naming input: String) throws -> Tally {
        let churner = try background(churn)
        defer {
            churner.terminate()
            churner.waitUntilExit()
        }
        var t = Tally()
        for _ in 0..<rounds {
            let r = try ChildRun.symscan(args, environment: environment)
            if r.signal != 0 {
                t.crashes += 1
                XCTFail("\(args): signal \(r.signal): \(r.stderr.prefix(1500))")
            } else if r.stdout.contains("\\u0000") || r.stdout.contains("\\x00") || r.stdout.contains("\u{0}") {
                t.nulNames += 1
            } else if r.status == 2 {
                t.reported += 1
                XCTAssertTrue(r.stderr.contains(input) || r.stderr.contains("shrank"), "\(args): \(r.stderr)")
            } else if r.stdout == expected {
                t.whole += 1
            } else {
                t.wrong += 1
                XCTFail("\(args): exit \(r.status), not the whole file's answer: \(r.stdout.prefix(300)) \(r.stderr.prefix(300))")
            }
        }
        print("\(args.first!): \(t)")
        XCTAssertEqual(t.crashes, 0)
        XCTAssertEqual(t.nulNames, 0)
        return t
    }

    func testDiagnoseWhileTheInputIsRewritten() throws {
        let dir = try TempDir()
        let good = dir.url.appendingPathComponent("good.so").path
        let target = dir.url.appendingPathComponent("_x.so").path
        try FileManager.default.copyItem(atPath: try bigLibrary(), toPath: good)
        try FileManager.default.copyItem(atPath: good, toPath: target)
        let args = ["diagnose", "--format", "json", "--no-python", target]
        let quiet = try ChildRun.symscan(args)
        XCTAssertLessThanOrEqual(quiet.status, 1, quiet.stderr)
        _ = try race(args, churn: "while :; do cp '\(good)' '\(target)'; sleep 0.1; done",
                     expected: quiet.stdout, naming: target)
    }

    func testCheckOfAStoredWheelMemberWhileTheWheelIsRewritten() throws {
        let dir = try TempDir()
        let module = try CheckFixtures.compileModule("_race", undefined: ["missing_function"], in: dir.url)
        let big = try bigLibrary()
        // The module and a large library stored (not deflated): both are regions of the wheel's mapping.
        let libName = "pkg.libs/" + URL(fileURLWithPath: big).lastPathComponent
        let good = dir.url.appendingPathComponent("good.whl").path
        try CheckFixtures.makeWheel(good, members: [("pkg/_race.so", module), (libName, big)], stored: ["pkg/_race.so", libName])
        let wheel = dir.url.appendingPathComponent("race-1.0-cp311-cp311-linux_x86_64.whl").path
        try FileManager.default.copyItem(atPath: good, toPath: wheel)
        let args = ["check", "--format", "json", "--no-python", wheel]
        let quiet = try ChildRun.symscan(args)
        XCTAssertEqual(quiet.status, 1, quiet.stderr)
        _ = try race(args, churn: "while :; do cp '\(good)' '\(wheel)'; sleep 0.1; done",
                     expected: quiet.stdout, naming: wheel)
    }

    func testProvidersWhileItsCacheIsTruncated() throws {
        let dir = try TempDir()
        let libs = dir.url.appendingPathComponent("lib").path
        try FileManager.default.createDirectory(atPath: libs, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try bigLibrary(), toPath: libs + "/libbig.so")
        let cache = dir.url.appendingPathComponent("cache").path
        let env = ["XDG_CACHE_HOME": cache]
        // Names the library exports, from GNU nm (the oracle for what providers must find).
        let nm = try runTool(which("nm") ?? "/usr/bin/nm", ["-D", "--defined-only", libs + "/libbig.so"])
        let names = nm.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
            .filter { !$0.contains("@") }.prefix(20)
        XCTAssertFalse(names.isEmpty)
        let args = ["providers", "--lib-dir", libs] + names
        let quiet = try ChildRun.symscan(args, environment: env)
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        for line in quiet.stdout.split(separator: "\n") { XCTAssertTrue(line.hasSuffix("libbig.so"), String(line)) }
        _ = try race(args, churn: "while :; do for f in $(find '\(cache)' -type f); do truncate -s 200 \"$f\"; done; done",
                     expected: quiet.stdout, environment: env, naming: cache)
    }
}
