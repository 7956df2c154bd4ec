import ArgumentParser
import Reports

#if canImport(Glibc)
import Glibc
#endif

/// Report formats of `diagnose` and `check` (`symbols` keeps text and json).
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif, junit, github
}

/// Where a report goes: standard output, or `--output FILE` written atomically.
enum ReportOutput {
    /// Renders to stdout, or to `file` through a temporary file renamed into place. A file that
    /// cannot be written is an error (exit 2), and the previous file stays as it was.
    static func emit(to file: String?, _ render: (OutputBuffer) -> Void) throws {
        guard let file else {
            let out = OutputBuffer()
            render(out)
            out.flush()
            return
        }
        do {
            try ReportFile.write(path: file, render: render)
        } catch {
            Diagnostics.say(error.description)
            throw ExitCode(2)
        }
    }
}

/// `--quiet` aside, long scans tell a person at a terminal how far they are: one stderr line,
/// `[done/total] path`, rewritten in place (`\r`, erase line), at most 20 times a second, and
/// erased when the scan ends. Nothing when stderr is not a terminal.
final class ProgressLine: @unchecked Sendable {
    private var lastDraw: UInt64 = 0
    private var lock = pthread_mutex_t()
    private var drawn = false
    private let width: Int

    /// nil when progress should not be shown.
    static func make(quiet: Bool) -> ProgressLine? {
        quiet || isatty(2) != 1 ? nil : ProgressLine()
    }

    private init() {
        pthread_mutex_init(&lock, nil)
        var ws = winsize()
        width = ioctl(2, UInt(TIOCGWINSZ), &ws) == 0 && ws.ws_col > 20 ? Int(ws.ws_col) : 80
    }

    deinit { pthread_mutex_destroy(&lock) }

    /// At most 20 redraws a second (the first, and a `force`d last one, always). Call locked.
    private func due(force: Bool) -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let ms = UInt64(now.tv_sec) * 1000 + UInt64(now.tv_nsec) / 1_000_000
        guard force || ms - lastDraw >= 50 || !drawn else { return false }
        lastDraw = ms
        drawn = true
        return true
    }

    func update(done: Int, total: Int, path: String) {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        guard due(force: done == total) else { return }
        let head = "symscan: [\(done)/\(total)] "
        let room = max(10, width - head.count - 1)
        let shown = path.count <= room ? path : "…" + String(path.suffix(room - 1))
        write2("\r\u{1B}[K" + head + shown)
    }

    /// While the tree is walked, before the total is known: `symscan: walking: 12034 files, 87 candidates: PATH`.
    func walking(files: Int, candidates: Int, path: String) {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        guard due(force: false) else { return }
        let head = "symscan: walking: \(files) files, \(candidates) candidates: "
        let room = max(10, width - head.count - 1)
        let shown = path.count <= room ? path : "…" + String(path.suffix(room - 1))
        write2("\r\u{1B}[K" + head + shown)
    }

    func finish() {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        if drawn { write2("\r\u{1B}[K") }
        drawn = false
    }

    private func write2(_ s: String) {
        var s = s
        s.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
