/* elfutils libelf: <gelf.h> gives class- and byte-order-neutral access (GElf_*), so one Swift
   code path reads ELF32 and ELF64 in either byte order. */
#include <libelf.h>
#include <gelf.h>
