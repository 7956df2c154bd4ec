#ifndef SYMSCAN_CFUZZER_H
#define SYMSCAN_CFUZZER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, linked by -sanitize=fuzzer). SwiftPM renames an executable's
/// `main` to `<module>_main` and aliases `main` to it, so libFuzzer's own `main` is never linked;
/// each target's `@main` calls this instead, with its test-one-input function.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
