import Foundation
import TestSupport
import XCTest

/// `--jobs` beyond 4 per core is lowered to that with a note: the listing is the same as with
/// `--jobs 1` (and as GNU nm's, which the symbols tests check), and a huge value no longer
/// starts a thread per job.
final class JobsLimitTests: XCTestCase {
    func testHugeJobCountIsCappedWithANote() throws {
        let dir = Paths.testBinaries.appendingPathComponent("xcoff64").path
        let one = try ChildRun.symscan(["symbols", "--jobs", "1", dir])
        XCTAssertEqual(one.status, 0, one.stderr)
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let huge = try ChildRun.symscan(["symbols", "-j", "100000", dir])
        XCTAssertEqual(huge.status, 0, huge.stderr)
        XCTAssertEqual(huge.stdout, one.stdout)
        XCTAssertEqual(huge.errorLines, ["symscan: note: --jobs 100000 is more than 4 threads per core: using \(4 * cores)"])
        XCTAssertLessThan(huge.seconds, 20, "\(huge.seconds) s")
        let fine = try ChildRun.symscan(["symbols", "-j", "\(4 * cores)", dir])
        XCTAssertEqual(fine.stderr, "")
    }
}
