/* zlib for reading wheel (zip) members into memory: raw deflate streams and crc32.
   inflateInit2 is a macro, which Swift cannot call; the inline wrapper can be. */
#include <zlib.h>

/* Raw deflate (no zlib or gzip header), as zip entries store it. */
static inline int symscan_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -MAX_WBITS);
}

/* memfd_create(2): an anonymous file in memory, so an inflated member can be mapped like a file
   without touching the disk. Declared here because the Glibc module does not export it. */
int memfd_create(const char *name, unsigned int flags);
#define SYMSCAN_MFD_CLOEXEC 1U
