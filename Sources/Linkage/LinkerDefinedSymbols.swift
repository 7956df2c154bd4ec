import MappedFile

/// Names that an ELF link defines without any input defining them: the linker's own symbols
/// (GNU ld's and lld's: the GOT and dynamic section, the ELF header, segment and array
/// bounds) and those of the start files `cc` adds to every link (`crti.o`, `crtbeginS.o`,
/// `crtendS.o`). An object that refers to one (`_GLOBAL_OFFSET_TABLE_` from PIC code on x86,
/// `__dso_handle` from C++ static destructors) is not missing anything.
enum LinkerDefinedSymbols {
    static let elf: Set<NameView> = {
        let names: [StaticString] = [
            // GNU ld and lld
            "_GLOBAL_OFFSET_TABLE_", "_DYNAMIC", "_PROCEDURE_LINKAGE_TABLE_", "_TLS_MODULE_BASE_",
            "__ehdr_start", "__executable_start", "__GNU_EH_FRAME_HDR",
            "_etext", "etext", "__etext", "_edata", "edata", "_end", "end", "__bss_start",
            "__preinit_array_start", "__preinit_array_end", "__init_array_start", "__init_array_end",
            "__fini_array_start", "__fini_array_end", "__rela_iplt_start", "__rela_iplt_end",
            // the start files of a cc link
            "__dso_handle", "__TMC_END__", "_init", "_fini",
        ]
        return Set(names.map { NameView(start: UnsafeRawPointer($0.utf8Start), count: $0.utf8CodeUnitCount) })
    }()
}
