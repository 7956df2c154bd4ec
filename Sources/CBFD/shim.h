/* The one libbfd entry point symscan uses: the demangler `nm -C` uses.
 *
 * <bfd.h> refuses to be included without the build's config.h, and Debian ships no
 * <demangle.h>, so the prototype and the libiberty flag values are declared here.
 * On Debian 12 libbfd.so (binutils-dev) carries libiberty's demanglers and pulls in its own
 * dependencies (libz, libzstd, libsframe) through DT_NEEDED, so linking "bfd" is enough. */
#ifndef SYMSCAN_CBFD_SHIM_H
#define SYMSCAN_CBFD_SHIM_H

struct bfd;

/* Returns a malloc'ed demangled name, or NULL when NAME is not mangled. ABFD may be NULL
 * (no target leading character is stripped then). */
char *bfd_demangle(struct bfd *abfd, const char *name, int options);

/* libiberty include/demangle.h */
enum {
    SYMSCAN_DMGL_PARAMS = 1 << 0,  /* function parameters */
    SYMSCAN_DMGL_ANSI   = 1 << 1,  /* const, volatile, etc. */
    SYMSCAN_DMGL_AUTO   = 1 << 8,  /* Rust (legacy and v0) first, then GNU v3: what nm does */
    SYMSCAN_DMGL_GNU_V3 = 1 << 14,
    SYMSCAN_DMGL_RUST   = 1 << 17
};

#endif
