#ifndef SYMSCAN_MAPPING_GUARD_H
#define SYMSCAN_MAPPING_GUARD_H

#include <stddef.h>

/// Registers a read-only file mapping so that a SIGBUS inside it (the file was truncated by
/// someone else while we read it) does not kill the process: the pages from the faulting one to
/// the end of the mapping are replaced by zero pages and the mapping is marked as faulted.
/// Returns a slot number, or -1 when every slot is taken (the caller then reads the file instead).
int symscan_guard_register(const void *base, size_t length);

/// Forgets a slot before the mapping is unmapped.
void symscan_guard_unregister(int slot);

/// 1 when a SIGBUS was absorbed inside the slot's mapping since it was registered.
int symscan_guard_faulted(int slot);

/// How many mappings are registered now (for tests and diagnostics).
int symscan_guard_slots_in_use(void);

/// How many SIGBUS were absorbed in any mapping since the process started (never reset: a
/// fault in a mapping that is gone since still means an input shrank while it was read).
int symscan_guard_total_faults(void);

#endif
