/// The finding ids the diagnosis can produce, with a one-line description each: SARIF rules
/// (`tool.driver.rules`) list them in this order, so rule indices stay stable across runs.
public enum FindingRules {
    public struct Rule: Sendable {
        public let id: String
        public let level: String
        public let text: String
    }

    public static let all: [Rule] = [
        Rule(id: "unresolved-symbols", level: "error", text: "Symbols that no input, linked library or given library provides"),
        Rule(id: "libpython-not-linked", level: "error", text: "Python C API symbols are unresolved where libpython must be linked (AIX, Android, embedded Python)"),
        Rule(id: "python-api-from-interpreter", level: "note", text: "Python C API symbols left for the interpreter to provide at import time (Linux)"),
        Rule(id: "links-libpython", level: "warning", text: "A Linux extension module links libpython (manylinux forbids it)"),
        Rule(id: "android-libpython-not-needed", level: "error", text: "An Android extension module uses the Python C API but has no DT_NEEDED libpython"),
        Rule(id: "imports-from-main-program", level: "warning", text: "Python symbols are imported from the main program (#! . import file): fails when Python is embedded"),
        Rule(id: "missing-pyinit", level: "error", text: "The module does not export PyInit_<name>, so Python cannot import it"),
        Rule(id: "mixed-xcoff-width", level: "error", text: "32- and 64-bit XCOFF inputs are mixed in one link"),
        Rule(id: "archive-member-skipped", level: "note", text: "An archive member that defines an unresolved symbol is built for another target, so the linker skips it"),
        Rule(id: "weak-unresolved", level: "note", text: "Weak references stay unresolved (they resolve to 0)"),
        Rule(id: "needed-library-not-found", level: "error", text: "A DT_NEEDED library is not found by the loader's search"),
        Rule(id: "module-lacks-symbol", level: "error", text: "A linked AIX module does not export a symbol imported from it (rtld: 0712-001)"),
        Rule(id: "linked-module-not-found", level: "note", text: "A linked AIX module is not on this machine; its imports are not checked again"),
        Rule(id: "library-not-found", level: "error", text: "An -l library is not found in the library directories"),
        Rule(id: "library-unusable", level: "warning", text: "A given library has nothing the target can link with"),
        Rule(id: "libpython-not-found", level: "note", text: "The Python configuration names a libpython that is not there for this target"),
        Rule(id: "python-not-found", level: "note", text: "No Python interpreter to read sysconfig from"),
        Rule(id: "python-config-unreadable", level: "error", text: "The PyO3 configuration file cannot be read"),
        Rule(id: "version-not-found", level: "error", text: "A needed symbol version is not defined by the library the loader finds (version `X' not found)"),
        Rule(id: "python-api-not-exported", level: "error", text: "The interpreter that will load the module does not export a Python C API symbol it uses (undefined symbol at import)"),
        Rule(id: "python-api-not-checked", level: "note", text: "No interpreter could be read, so the Python C API symbols were not checked against its exports"),
        Rule(id: "abi3-violation", level: "error", text: "A Stable ABI (abi3) module uses a symbol outside the Stable ABI or added after its minimum version"),
        Rule(id: "symbol-version-too-new", level: "error", text: "The module needs a symbol version newer than the wheel platform policy allows (GLIBC, GLIBCXX, CXXABI, GCC)"),
        Rule(id: "library-not-allowed", level: "error", text: "The module needs a system library the wheel platform policy does not allow"),
        Rule(id: "policy-machine-mismatch", level: "error", text: "The module is for another architecture than the platform tag"),
        Rule(id: "policy-unknown", level: "error", text: "No platform policy of the given name for the module's architecture"),
        Rule(id: "foreign-target-not-resolved", level: "note", text: "A module for another machine or C library is not resolved against this machine's libraries (give --sysroot)"),
        Rule(id: "needs-runpath", level: "warning", text: "A library the fix links is not where the loader's search finds its soname: add -Wl,-rpath,DIR"),
        Rule(id: "extension-suffix-mismatch", level: "error", text: "The module's file name suffix is not one the interpreter imports, or its tag names another machine"),
        // From link-line's replay of a link command.
        Rule(id: "toc-overflow", level: "error", text: "The AIX TOC is over 64 KiB without -bbigtoc (ld: 0711-781)"),
        Rule(id: "elf-option-on-aix", level: "error", text: "An ELF-only linker option on an AIX link (ld: 0706-012)"),
        Rule(id: "unused-library", level: "note", text: "An -l library provides nothing to the link"),
        Rule(id: "unknown-options", level: "note", text: "Link options symscan does not model"),
        Rule(id: "aix-shared-without-noentry", level: "note", text: "An AIX shared object linked without -bnoentry"),
    ]

    /// The known rules, then any other id the findings use (sorted), so a new id in the
    /// diagnosis still gets a rule.
    public static func rules(for ids: [String]) -> [Rule] {
        let known = Set(all.map(\.id))
        let extra = Set(ids.filter { !known.contains($0) }).sorted()
        return all + extra.map { Rule(id: $0, level: "warning", text: $0) }
    }
}
