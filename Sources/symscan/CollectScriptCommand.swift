import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// Prints the AIX collector: symscan has no AIX build, so the user runs this script there and
/// brings the bundle it writes to a machine where symscan runs.
struct CollectScriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect-script",
        abstract: "Print the POSIX sh script that collects an AIX module's bundle (run it on AIX).",
        discussion: """
            On AIX: symscan-collect [-o OUT.tar.gz] [-p PYTHON] [-l BUILD.LOG] MODULE...

            The script only reads and writes one .tar.gz: the named modules and objects, the \
            build log, the libpython archive and python.exp that the Python's sysconfig names \
            (LIBDIR, LDLIBRARY, LIBPL), that sysconfig as JSON, uname -a / oslevel -s, \
            OBJECT_MODE and LIBPATH, `dump -H` of each module and the libraries its loader section \
            imports when they are readable, and a MANIFEST (bundle path, source, bytes). Sizes \
            are reported on stderr before each copy.

            Example:
              symscan collect-script > collect.sh
              sh collect.sh -p /opt/freeware/bin/python3 -o bundle.tar.gz build/_demo.so
            """
    )

    func run() throws {
        // The script already ends with a newline; print adds none.
        var text = collectScriptText + "\n"
        text.withUTF8 { _ = Glibc.write(1, $0.baseAddress, $0.count) }
    }
}
