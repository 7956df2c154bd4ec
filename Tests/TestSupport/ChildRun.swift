import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One run of a program as a child process, measured: exit status (or the signal that ended
/// it), wall time, and the child's own peak resident set size from `wait4` (the kernel's
/// `ru_maxrss`, the same number as the child's `VmHWM`). stdout and stderr go to files, so a
/// child that writes gigabytes cannot stall the test on a pipe.
public struct ChildRun {
    public var status: Int32
    /// Non-zero when a signal ended the child (then `status` is -1).
    public var signal: Int32
    public var seconds: Double
    public var peakKiB: Int
    public var stdout: String
    public var stderr: String

    /// The stderr lines, without the empty last one.
    public var errorLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: true) }

    /// Runs `executable` with `arguments`; stdin is `/dev/null` unless `stdinPath` is given, and
    /// `stdoutPath` receives stdout instead of a scratch file when given (then `stdout` is what
    /// that file holds after the run). `environment` entries are added to the test's own.
    public static func run(_ executable: String, _ arguments: [String], stdinPath: String = "/dev/null",
                           stdoutPath: String? = nil, environment: [String: String] = [:],
                           whileRunning: ((pid_t) -> Void)? = nil) throws -> ChildRun {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("symscan-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outPath = stdoutPath ?? scratch.appendingPathComponent("out").path
        let errPath = scratch.appendingPathComponent("err").path

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        // The peak RSS is measured by a small C parent (see `peakHelper`) unless the caller
        // wants the pid to signal.
        let rssFile = scratch.appendingPathComponent("rss").path
        var spawned = [executable] + arguments
        if whileRunning == nil, let helper = ChildRun.peakHelper { spawned = [helper, rssFile] + spawned }
        let spawnArgv = spawned.map { strdup($0) } + [nil]
        defer { for p in spawnArgv { free(p) } }
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, spawned[0], &actions, nil, spawnArgv, envp)
        guard rc == 0 else { throw NSError(domain: "posix_spawn", code: Int(rc)) }
        whileRunning?(pid)
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &end)
        let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
        let signaled = status & 0x7F != 0 && status & 0x7F != 0x7F
        let measured = (try? String(contentsOfFile: rssFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return ChildRun(status: signaled ? -1 : (status >> 8) & 0xFF, signal: signaled ? status & 0x7F : 0,
                        seconds: seconds, peakKiB: measured ?? usage.ru_maxrss,
                        stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                        stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// A 1 MB C program that forks, execs its arguments and writes the child's `ru_maxrss`.
    /// posix_spawn from the test process (vfork) would not do: the kernel records the parent's
    /// high-water mark into the child's at exec, so every child would "peak" at the size of
    /// the test runner. Compiled once per test process with cc; nil without one (then the
    /// number is the spawn's, an upper bound).
    nonisolated(unsafe) public static let peakHelper: String? = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("symscan-peak-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let src = dir.appendingPathComponent("peak.c"), exe = dir.appendingPathComponent("peak").path
        let code = """
            #include <signal.h>
            #include <stdio.h>
            #include <sys/resource.h>
            #include <sys/wait.h>
            #include <unistd.h>
            int main(int argc, char **argv) {
                if (argc < 3) return 125;
                pid_t pid = fork();
                if (pid == 0) { execv(argv[2], argv + 2); _exit(127); }
                int status; struct rusage ru;
                if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) return 126;
                FILE *f = fopen(argv[1], "w");
                if (f) { fprintf(f, "%ld\\n", ru.ru_maxrss); fclose(f); }
                if (WIFSIGNALED(status)) { signal(WTERMSIG(status), SIG_DFL); raise(WTERMSIG(status)); }
                return WEXITSTATUS(status);
            }
            """
        guard (try? code.write(to: src, atomically: true, encoding: .utf8)) != nil,
              let cc = which("cc") ?? which("gcc"),
              let r = try? runTool(cc, ["-O", "-o", exe, src.path]), r.status == 0 else { return nil }
        return exe
    }()

    /// `symscan` itself.
    public static func symscan(_ arguments: [String], stdinPath: String = "/dev/null", stdoutPath: String? = nil,
                               environment: [String: String] = [:]) throws -> ChildRun {
        try run(Paths.symscan.path, arguments, stdinPath: stdinPath, stdoutPath: stdoutPath, environment: environment)
    }
}
