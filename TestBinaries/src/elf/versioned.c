/* ELF only (uses .symver): a library that defines versioned symbols (a default `@@` version and
 * a hidden `@` one) and uses versioned symbols of libnames.so, so that it has .gnu.version_d,
 * .gnu.version_r and DT_NEEDED entries for the readers to decode. */
extern int a_defined_function_with_long_name(int);
extern int initialised_data;

int versioned_api(int x) { return a_defined_function_with_long_name(x) + initialised_data; }

int old_api_v1(void) { return 1; }
int old_api_v2(void) { return 2; }
__asm__(".symver old_api_v1, old_api@VERS_1.0");
__asm__(".symver old_api_v2, old_api@@VERS_2.0");
