import ArgumentParser
import Linkage

/// The libraries of a link given by hand (`-L`, `-l`, `--lib`, `--brtl`), for `check`: the same
/// flags as `diagnose`, applied to every module. (`link-line` reads them from the link line.)
struct LibraryOptions: ParsableArguments {
    @Option(name: [.customShort("L", allowingJoined: true)], help: ArgumentHelp("Add a library directory (repeatable; -LDIR as for the linker). Example: -L /opt/freeware/lib", valueName: "dir"))
    var libraryDirectories: [String] = []

    @Option(name: [.customShort("l", allowingJoined: true)], help: ArgumentHelp("Link a library, as the linker's -l (repeatable; -lNAME too; -l :file for an exact name). Example: -l python3.9", valueName: "name"))
    var libraries: [String] = []

    @Option(name: .customLong("lib"), help: ArgumentHelp("Link this library file: shared object, archive or .exp (repeatable). Example: --lib lib64/libpython3.9.a", valueName: "path"))
    var libraryFiles: [String] = []

    @Flag(name: .customLong("brtl"), help: "AIX run-time linking: -l also finds libNAME.so.")
    var runtimeLinking = false

    func apply(to o: inout DiagnoseOptions) {
        o.libraryDirectories = libraryDirectories
        o.libraries = libraries
        o.libraryFiles = libraryFiles
        o.runtimeLinking = runtimeLinking
    }
}
