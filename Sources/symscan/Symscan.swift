import ArgumentParser

@main
struct Symscan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "symscan",
        abstract: "Why a native extension module does not link or load, and which link arguments fix it.",
        discussion: """
            Reads XCOFF (AIX) objects, executables and shared objects in pure Swift, and ELF files \
            and `ar` archives through libelf, over a \
            memory mapping.

            Exit status: 0 success, 1 findings, 2 bad usage or an input that could not be read.
            """,
        version: "0.1.0",
        subcommands: [SymbolsCommand.self]
    )
}
