/* Calls into names.o, so linking it with libnames.a must pull that member in (and with it
 * names.o's own undefined references), while demo.o stays out. */
int a_defined_function_with_long_name(int x);

int uses_names_entry(int x) { return a_defined_function_with_long_name(x) + 1; }
