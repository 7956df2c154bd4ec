import MappedFile

/// Recognises names of the CPython C API, so unresolved ones can be explained even when no
/// libpython is at hand: `Py*`, `_Py*`, `PyExc_*` and the `_Py_NoneStruct`-style data.
enum PythonAPI {
    static func isPythonName(_ n: NameView) -> Bool {
        n.hasPrefix("Py") || n.hasPrefix("_Py") || n.hasPrefix(".Py") || n.hasPrefix("._Py")
    }
}

/// Symbols that compilers and C code call into runtime libraries for, and the library to
/// link: a hint for names that no library on the search path provides.
enum CompilerRuntime {
    static let prefixes: [(prefix: StaticString, library: String)] = [
        ("__atomic_", "atomic"),
        ("__sync_", "atomic"),
        ("_Unwind_", "gcc_s"),
        ("__gcc_personality", "gcc_s"),
        ("__cxa_", "stdc++"),
        ("__gxx_personality", "stdc++"),
        ("_ZNSt", "stdc++"),
        ("_ZSt", "stdc++"),
        ("libintl_", "intl"),
        ("pthread_", "pthread"),
    ]

    static let exact: [String: String] = [
        "dlopen": "dl", "dlsym": "dl", "dlclose": "dl", "dlerror": "dl",
        "sqrt": "m", "pow": "m", "exp": "m", "log": "m", "log10": "m", "floor": "m", "ceil": "m",
        "sin": "m", "cos": "m", "tan": "m", "atan2": "m", "fmod": "m", "hypot": "m",
        "clock_gettime": "rt", "shm_open": "rt",
        "gettext": "intl", "dgettext": "intl", "bindtextdomain": "intl",
    ]

    /// The library conventionally providing `name`, or nil.
    static func library(for name: NameView) -> String? {
        let n = name.first == UInt8(ascii: ".") ? name.dropFirst() : name
        for r in prefixes where n.hasPrefix(r.prefix) { return r.library }
        return exact[n.string]
    }
}
