#if canImport(Glibc)
import Glibc
#endif

/// Runs a program and captures its standard output, without Foundation (which would cost the
/// CLI several milliseconds of start-up). Used to ask a Python interpreter for its sysconfig.
enum ProcessRunner {
    struct Output {
        var status: Int32
        var stdout: String
    }

    /// Runs `argv[0]` (searched on PATH) with stderr discarded (or, with `standardError`, read
    /// with stdout: compiler drivers print `-###` there); nil when it cannot be started.
    static func run(_ argv: [String], standardError: Bool = false) -> Output? {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        if standardError {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, argv[0], &actions, nil, &cArgs, environ)
        close(fds[1])
        guard rc == 0 else {
            close(fds[0])
            return nil
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        close(fds[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = (status & 0x7F) == 0
        return Output(status: exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F),
                      stdout: String(decoding: bytes, as: UTF8.self))
    }
}
