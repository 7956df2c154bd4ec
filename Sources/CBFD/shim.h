/* libiberty's demanglers: the ones `nm -C` uses (through libbfd's bfd_demangle).
 *
 * They come from libiberty.a (Debian: libiberty-dev, built position-independent), linked
 * statically through module.modulemap, so the binary demangles on machines without binutils
 * and loads nothing extra for it. Debian ships no <demangle.h> for these entry points, so
 * their prototypes and the libiberty flag values are declared here. (The module keeps its
 * historical name, CBFD; it no longer involves libbfd.) */
#ifndef SYMSCAN_CBFD_SHIM_H
#define SYMSCAN_CBFD_SHIM_H

/* libiberty's callback demanglers hand the demangled text to CALLBACK in pieces instead of
 * returning a malloc'ed string, so a caller can demangle a whole symbol table without one
 * allocation per name. `cplus_demangle` (what bfd_demangle calls) is rust_demangle, then
 * cplus_demangle_v3, each a thin wrapper over these.
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
