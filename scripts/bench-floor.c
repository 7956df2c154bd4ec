/* The floor for scripts/bench: the least any symbol lister must do. Maps the file, finds the
 * symbol table and touches every entry and its name (strlen), counting entries; prints the
 * count and the total name length. No sorting, no formatting, no output per symbol.
 *   bench-floor [-D] [-u|--defined-only|-g] FILE
 *                             ELF (64-bit little-endian) .symtab, or .dynsym with -D;
 *                             GNU ar archives of such objects; XCOFF32/64 symbol tables.
 * With a filter (nm's -u, --defined-only, -g) an entry is judged from its fixed-size fields
 * (st_shndx/st_info; n_scnum/n_sclass) and only the names of the entries kept are touched:
 * the floor of a filtered scan.
 * Deliberately unchecked beyond what keeps it from crashing on the benchmark inputs. */
#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned long count, namebytes;
static int undefinedOnly, definedOnly, externOnly;

static int keep(int defined, int external) {
    if (undefinedOnly && defined) return 0;
    if (definedOnly && !defined) return 0;
    if (externOnly && !external) return 0;
    return 1;
}

static void elf64(const unsigned char *p, size_t n, int dynamic) {
    const Elf64_Ehdr *eh = (const void *)p;
    if (n < sizeof *eh || eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > n) return;
    const Elf64_Shdr *sh = (const void *)(p + eh->e_shoff);
    for (int i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != (dynamic ? SHT_DYNSYM : SHT_SYMTAB)) continue;
        const Elf64_Sym *sym = (const void *)(p + sh[i].sh_offset);
        size_t k = sh[i].sh_size / sizeof *sym;
        const char *str = (const char *)p + sh[sh[i].sh_link].sh_offset;
        for (size_t j = 1; j < k; j++) {
            if (!keep(sym[j].st_shndx != SHN_UNDEF, ELF64_ST_BIND(sym[j].st_info) != STB_LOCAL)) continue;
            count++;
            namebytes += strlen(str + sym[j].st_name);
        }
    }
}

static uint64_t be(const unsigned char *p, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v = v << 8 | p[i];
    return v;
}

static void xcoff(const unsigned char *p, size_t n) {
    int is64 = p[1] == 0xF7;
    uint64_t symptr = is64 ? be(p + 8, 8) : be(p + 8, 4);
    uint64_t nsyms = is64 ? be(p + 20, 4) : be(p + 12, 4);
    if (symptr + nsyms * 18 > n) return;
    const unsigned char *tab = p + symptr, *str = tab + nsyms * 18;
    for (uint64_t i = 0; i < nsyms; i++) {
        const unsigned char *e = tab + i * 18;
        int sclass = e[16], external = sclass == 2 || sclass == 111;
        int undefined = be(e + 12, 2) == 0 && (external || sclass == 107);
        if (!keep(!undefined, external)) { i += e[17]; continue; }
        count++;
        if (is64) namebytes += strlen((const char *)str + be(e + 8, 4));
        else if (be(e, 4) == 0) namebytes += strlen((const char *)str + be(e + 4, 4));
        else namebytes += strnlen((const char *)e, 8);
        i += e[17];
    }
}

static void ar(const unsigned char *p, size_t n, int dynamic) {
    size_t off = 8;
    while (off + 60 <= n) {
        size_t size = strtoul((const char *)p + off + 48, NULL, 10);
        const unsigned char *m = p + off + 60;
        if (off + 60 + size > n) return;
        if (size > 4 && memcmp(m, "\177ELF", 4) == 0) elf64(m, size, dynamic);
        off += 60 + size + (size & 1);
    }
}

int main(int argc, char **argv) {
    int dynamic = 0;
    for (int a = 1; a < argc - 1; a++) {
        if (strcmp(argv[a], "-D") == 0) dynamic = 1;
        else if (strcmp(argv[a], "-u") == 0) undefinedOnly = 1;
        else if (strcmp(argv[a], "--defined-only") == 0) definedOnly = 1;
        else if (strcmp(argv[a], "-g") == 0) externOnly = 1;
    }
    const char *path = argv[argc - 1];
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) { perror(path); return 2; }
    const unsigned char *p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) { perror(path); return 2; }
    if (st.st_size > 8 && memcmp(p, "!<arch>\n", 8) == 0) ar(p, st.st_size, dynamic);
    else if (st.st_size > 4 && memcmp(p, "\177ELF", 4) == 0) elf64(p, st.st_size, dynamic);
    else if (st.st_size > 20 && p[0] == 0x01 && (p[1] == 0xDF || p[1] == 0xF7)) xcoff(p, st.st_size);
    printf("%lu symbols, %lu name bytes\n", count, namebytes);
    return 0;
}
