// LD_PRELOAD malloc counter (scripts/bench, EndToEndTests): prints the number of malloc, calloc,
// realloc and aligned allocations on stderr at exit. Build: cc -O2 -shared -fPIC -o malloc-count.so malloc-count.c
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <unistd.h>
static atomic_long n_malloc, n_calloc, n_realloc, n_memalign;
extern void *__libc_malloc(size_t); extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t); extern void *__libc_memalign(size_t, size_t);
void *malloc(size_t s) { n_malloc++; return __libc_malloc(s); }
void *calloc(size_t a, size_t b) { n_calloc++; return __libc_calloc(a, b); }
void *realloc(void *p, size_t s) { n_realloc++; return __libc_realloc(p, s); }
int posix_memalign(void **p, size_t a, size_t s) { n_memalign++; *p = __libc_memalign(a, s); return *p ? 0 : 12; }
void *aligned_alloc(size_t a, size_t s) { n_memalign++; return __libc_memalign(a, s); }
__attribute__((destructor)) static void report(void) {
  char buf[200];
  int n = snprintf(buf, sizeof buf, "malloc-count: malloc %ld calloc %ld realloc %ld memalign %ld\n",
                   (long)n_malloc, (long)n_calloc, (long)n_realloc, (long)n_memalign);
  write(2, buf, n);
}
