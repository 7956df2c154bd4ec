/// One position of a link, in command-line order, with the options in force at that point.
///
/// GNU ld, lld and AIX ld read their inputs left to right, and `--as-needed`, `-Bstatic` and
/// `--whole-archive` apply to the inputs after them: the replay needs each input together with
/// the state of those options where it stands.
public struct LinkItem: Sendable, Equatable {
    public enum What: Sendable, Equatable {
        /// An object, archive, shared object, linker script or import list named by path.
        case file(String)
        /// `-lNAME` (`NAME` may be `:file`).
        case library(String)
        /// `--start-group` / `-(` and `--end-group` / `-)`.
        case groupStart, groupEnd
    }

    public var what: What
    /// `--as-needed` in force: a shared library is recorded only if it resolves a reference
    /// made before it.
    public var asNeeded = false
    /// `-Bstatic`/`-static` in force: `-l` finds only archives.
    public var staticOnly = false
    /// `--whole-archive` in force: every member of an archive is linked.
    public var wholeArchive = false
    /// Added by the compiler driver (libc, libgcc, …), not written on the command line.
    public var implicit = false

    public init(_ what: What, asNeeded: Bool = false, staticOnly: Bool = false, wholeArchive: Bool = false, implicit: Bool = false) {
        self.what = what
        self.asNeeded = asNeeded
        self.staticOnly = staticOnly
        self.wholeArchive = wholeArchive
        self.implicit = implicit
    }

    /// The argument as a user would write it: `-lz`, or the path.
    public var argument: String {
        switch what {
        case .file(let p): p
        case .library(let l): "-l\(l)"
        case .groupStart: "--start-group"
        case .groupEnd: "--end-group"
        }
    }
}

/// Which linker runs the link: they differ in what order means.
public enum LinkerFlavour: String, Sendable {
    /// GNU ld: `--as-needed` keeps a library only for references made before it; an archive
    /// supplies members only for references undefined at its place.
    case bfd
    /// gold: an `--as-needed` library is kept when anything in the link references it;
    /// archives as GNU ld.
    case gold
    /// lld: as gold for `--as-needed`, and it remembers archive symbols, so a later reference
    /// still pulls a member from an earlier archive.
    case lld

    /// From the linker's name (`ld`, `ld.bfd`, `collect2`, `ld.gold`, `gold`, `ld.lld`, `lld`).
    public init(program: String) {
        let base = program.split(separator: "/").last.map(String.init) ?? program
        self = base.contains("lld") ? .lld : base.contains("gold") ? .gold : .bfd
    }
}
