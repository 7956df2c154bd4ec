import ArgumentParser
import Listing

#if canImport(Glibc)
import Glibc
#endif

@main
struct Symscan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "symscan",
        abstract: "Why a native extension module does not link or load, and which link arguments fix it.",
        discussion: """
            Reads XCOFF (AIX) objects, executables, shared objects, AIX archives and import/export \
            lists in pure Swift, and ELF files and `ar` archives through libelf, over a memory mapping.

            Exit status: 0 success, 1 findings, 2 bad usage or an input that could not be read.
            """,
        version: "0.1.0",
        subcommands: [SymbolsCommand.self, DiagnoseCommand.self, LinkLineCommand.self, CheckCommand.self, ProvidersCommand.self, CollectScriptCommand.self]
    )

    /// Runs the command; usage errors exit with status 2 (not ArgumentParser's 64), so scripts
    /// see one code for "symscan could not do what was asked".
    static func main() {
        do {
            // `symbols` is the command run most, often on one small file, where start-up is
            // most of the cost, or on hundreds: its ordinary arguments are parsed without
            // ArgumentParser (SymbolsArguments.swift). Help, version and usage errors take the
            // full path, so their text is the same either way.
            let args = Array(CommandLine.arguments.dropFirst())
            if args.first == "symbols", let request = SymbolsRequest(parsing: Array(args.dropFirst())) {
                let status = request.run()
                if status != 0 { Glibc.exit(status) }
                return
            }
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            // What a command throws after reporting (status 2 after an unreadable file, 1 for
            // findings): ArgumentParser would build the usage text twice only to print nothing.
            Glibc.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success || code.rawValue == 1 || code.rawValue == 2 {
                exit(withError: error)
            }
            // Print the usage message as ArgumentParser would, then exit 2.
            let message = fullMessage(for: error)
            if !message.isEmpty {
                var err = message + "\n"
                err.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
            }
            Glibc.exit(2)
        }
    }
}
