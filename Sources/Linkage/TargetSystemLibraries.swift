/// Libraries that every machine of a target platform has, named by `-l` on its link lines.
/// Read on another machine (an AIX cargo log on Linux), they cannot be here: a missing one is
/// the target's, trusted as the AIX linker found it, exactly as loader imports of modules that
/// are not here are trusted (`linked-module-not-found`).
enum TargetSystemLibraries {
    /// AIX base system libraries (/usr/lib: libc.a, libm.a, libpthread.a, libperfstat.a, the
    /// C++ runtime libC.a, …) and the runtime libraries its compilers link (GCC's libgcc_s,
    /// libstdc++, libatomic; IBM Open XL's libunwind; AIX Toolbox's libintl and libiconv).
    static let aix: Set<String> = [
        "c", "c_r", "m", "m_r", "pthread", "pthreads", "dl", "rt", "ld", "bsd", "rtl", "crypt", "perfstat",
        "C", "C_r", "Cns", "iconv", "intl", "i18n", "odm", "cfg", "lvm", "srcb", "s", "sys", "curses",
        "unwind", "gcc", "gcc_s", "stdc++", "atomic",
    ]

    /// Whether `-l name` names a system library of `platform`.
    static func contains(_ name: String, on platform: Platform) -> Bool {
        platform == .aix && aix.contains(name)
    }
}
