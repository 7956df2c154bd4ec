import ImageLoader

extension Diagnoser {
    /// The same diagnosis as `run(_:)`, over inputs already loaded (e.g. wheel members read into
    /// memory, which have no path on disk); `options.inputs` is not read.
    ///
    /// Kept in its own file, beside `run(_:)`, so the diagnosis steps stay in one place there;
    /// if they change, change both.
    public static func run(_ options: DiagnoseOptions, loaded: [LoadResult]) -> DiagnoseResult {
        var loaded = loaded
        let errors = loaded.flatMap(\.errors)
        let notes = loaded.flatMap(\.notes)
        if !options.extraReferences.isEmpty {
            loaded.append(ReportedSymbols.image(options.extraReferences, like: loaded.flatMap(\.images).first,
                                                 aix: options.platform == .aix))
        }
        let set = LinkSet(loaded, wholeArchive: options.wholeArchive)
        guard let first = set.targets.first else {
            return DiagnoseResult(diagnosis: nil, errors: errors, notes: notes)
        }
        var state = Resolution(options: options, set: set, first: first)
        state.resolveLinked()
        state.resolveGiven()
        state.collectUnresolved()
        state.findPythonProviders()
        state.searchLibraryDirectories()
        state.applyPolicy()
        state.checkLinkOptions()
        return DiagnoseResult(diagnosis: state.finish(), errors: errors, notes: notes)
    }
}
