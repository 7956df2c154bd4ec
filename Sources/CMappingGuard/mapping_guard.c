// A SIGBUS guard for read-only file mappings.
//
// A mapped file that another process truncates raises SIGBUS on the next access to a page past
// its new end. Swift cannot unwind out of a signal handler (no sigsetjmp/siglongjmp across Swift
// frames), so the handler does not jump anywhere: it maps anonymous zero pages over the rest of
// the faulting mapping with MAP_FIXED, records the fault, and returns. The faulting load is
// re-executed and reads zeros; every read is still bounds-checked against the size the file had
// when it was opened, so nothing outside the mapping is touched. After parsing, the caller asks
// `symscan_guard_faulted` and throws the results away with a clean error.
//
// The handler only reads a fixed table of atomics and calls mmap (a plain system call on Linux),
// so it takes no lock and allocates nothing. Faults outside registered mappings go to the
// handler that was installed before ours (the Swift runtime's backtracer, ASan), or to the
// default action.
#define _GNU_SOURCE
#include "mapping_guard.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

// Enough for every file of a large link set to stay mapped at once (images keep their mappings
// alive); a fault scans the table, which only happens when a file was truncated under us.
#define SLOTS 4096

struct slot {
    _Atomic(uintptr_t) base;
    _Atomic(size_t) length;
    atomic_int faulted;
};

static struct slot slots[SLOTS];
// Where the search for a free slot starts: the slot after the last one taken.
static atomic_int next_free;
static struct sigaction previous;
static uintptr_t page_size;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static int installed;
static atomic_int total_faults;

static void on_sigbus(int sig, siginfo_t *info, void *context) {
    uintptr_t address = (uintptr_t)info->si_addr;
    for (int i = 0; i < SLOTS; i++) {
        uintptr_t base = atomic_load(&slots[i].base);
        size_t length = atomic_load(&slots[i].length);
        if (base == 0 || address < base || address - base >= length) continue;
        uintptr_t from = address & ~(page_size - 1);
        uintptr_t end = (base + length + page_size - 1) & ~(page_size - 1);
        void *p = mmap((void *)from, end - from, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (p == MAP_FAILED) break;
        atomic_store(&slots[i].faulted, 1);
        atomic_fetch_add(&total_faults, 1);
        return;
    }
    // Not ours: behave as if we had never been installed.
    if ((previous.sa_flags & SA_SIGINFO) && previous.sa_sigaction != NULL) {
        previous.sa_sigaction(sig, info, context);
        return;
    }
    if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN && previous.sa_handler != NULL) {
        previous.sa_handler(sig);
        return;
    }
    // Default action: restore it and return, so the faulting access faults again and kills.
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGBUS, &dfl, NULL);
}

static void install(void) {
    page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    installed = sigaction(SIGBUS, &sa, &previous) == 0;
}

int symscan_guard_register(const void *base, size_t length) {
    pthread_once(&install_once, install);
    if (!installed || base == NULL || length == 0) return -1;
    int start = atomic_load(&next_free);
    for (int k = 0; k < SLOTS; k++) {
        int i = (start + k) % SLOTS;
        uintptr_t expected = 0;
        // Length first, base last: the handler ignores a slot whose base is 0.
        if (atomic_load(&slots[i].base) != 0) continue;
        if (atomic_compare_exchange_strong(&slots[i].base, &expected, (uintptr_t)1)) {
            atomic_store(&slots[i].faulted, 0);
            atomic_store(&slots[i].length, length);
            atomic_store(&slots[i].base, (uintptr_t)base);
            atomic_store(&next_free, (i + 1) % SLOTS);
            return i;
        }
    }
    return -1;
}

void symscan_guard_unregister(int slot) {
    if (slot < 0 || slot >= SLOTS) return;
    atomic_store(&slots[slot].length, 0);
    atomic_store(&slots[slot].base, 0);
}

int symscan_guard_faulted(int slot) {
    if (slot < 0 || slot >= SLOTS) return 0;
    return atomic_load(&slots[slot].faulted);
}

int symscan_guard_slots_in_use(void) {
    int n = 0;
    for (int i = 0; i < SLOTS; i++) n += atomic_load(&slots[i].base) != 0;
    return n;
}

int symscan_guard_total_faults(void) {
    return atomic_load(&total_faults);
}
