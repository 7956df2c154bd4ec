/* The libbfd entry points symscan uses: the demanglers `nm -C` uses.
 *
 * <bfd.h> refuses to be included without the build's config.h, and Debian ships no
 * <demangle.h>, so the prototype and the libiberty flag values are declared here.
 * On Debian 12 libbfd.so (binutils-dev) carries libiberty's demanglers and pulls in its own
 * dependencies (libz, libzstd, libsframe) through DT_NEEDED. symscan does not link it: the
 * Demangle module dlopen()s it on the first mangled name (see LibBFD), so runs that demangle
 * nothing do not pay for loading it. The prototypes below document the signatures used. */
#ifndef SYMSCAN_CBFD_SHIM_H
#define SYMSCAN_CBFD_SHIM_H

struct bfd;

/* Returns a malloc'ed demangled name, or NULL when NAME is not mangled. ABFD may be NULL
 * (no target leading character is stripped then). */
char *bfd_demangle(struct bfd *abfd, const char *name, int options);

/* libiberty's callback demanglers, which libbfd.so also exports: they hand the demangled text
 * to CALLBACK in pieces instead of returning a malloc'ed string, so a caller can demangle a
 * whole symbol table without one allocation per name. `cplus_demangle` (what bfd_demangle
 * calls) is rust_demangle, then cplus_demangle_v3, each a thin wrapper over these.
 * Both return non-zero on success; on failure CALLBACK may already have seen partial text. */
typedef void (*symscan_demangle_callbackref)(const char *, unsigned long, void *);
int cplus_demangle_v3_callback(const char *mangled, int options, symscan_demangle_callbackref callback, void *opaque);
int rust_demangle_callback(const char *mangled, int options, symscan_demangle_callbackref callback, void *opaque);

/* libiberty include/demangle.h */
enum {
    SYMSCAN_DMGL_PARAMS = 1 << 0,  /* function parameters */
    SYMSCAN_DMGL_ANSI   = 1 << 1,  /* const, volatile, etc. */
    SYMSCAN_DMGL_AUTO   = 1 << 8,  /* Rust (legacy and v0) first, then GNU v3: what nm does */
    SYMSCAN_DMGL_GNU_V3 = 1 << 14,
    SYMSCAN_DMGL_RUST   = 1 << 17
};

#endif
