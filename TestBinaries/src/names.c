/* Symbols whose names exercise the XCOFF string table: names longer than 8 bytes live in the
 * string table in XCOFF32, all names do in XCOFF64. Also a static, an undefined weak
 * reference and a read-only table. */
extern int an_external_with_a_really_long_name_for_the_string_table(int);
extern int short8ch(int);
__attribute__((weak)) extern int weak_reference_maybe_missing(void);

static int file_local_counter;
const char read_only_table[] = "xcoff";
int initialised_data = 42;

int a_defined_function_with_long_name(int x) {
    file_local_counter += x;
    if (weak_reference_maybe_missing) file_local_counter += weak_reference_maybe_missing();
    return an_external_with_a_really_long_name_for_the_string_table(x) + short8ch(file_local_counter);
}

int f(void) { return read_only_table[0] + initialised_data; }
