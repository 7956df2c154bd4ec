/// Files only Rust builds make: a crate's `.rlib`, rustc's codegen units (`x.x.1a2b-cgu.0.rcgu.o`).
enum RustInputs {
    static func isRust(_ path: String) -> Bool {
        path.hasSuffix(".rlib") || path.hasSuffix(".rcgu.o")
    }
}
