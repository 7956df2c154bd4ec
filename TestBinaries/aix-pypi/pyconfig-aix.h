/* pyconfig-aix.h: appended to the build machine's pyconfig.h (x86_64 Linux) by build.sh, so
 * that CPython's headers describe the AIX target instead: big-endian PowerPC, with the type
 * sizes of the target the compiler is building for (XCOFF32: ILP32, 2-byte wchar_t;
 * XCOFF64: LP64). Every size is taken from the compiler's own predefined macros, so one file
 * serves both widths. This is enough for the declarations and inline functions the modules
 * use; it is not a full AIX pyconfig.h (which configure would write on an AIX machine). */
#ifndef PYCONFIG_AIX_H
#define PYCONFIG_AIX_H

#undef DOUBLE_IS_LITTLE_ENDIAN_IEEE754
#define DOUBLE_IS_BIG_ENDIAN_IEEE754 1
#undef WORDS_BIGENDIAN
#define WORDS_BIGENDIAN 1
#undef HAVE_GCC_ASM_FOR_X64
#undef HAVE_GCC_ASM_FOR_X87
#undef X87_DOUBLE_ROUNDING

#undef SIZEOF_LONG
#define SIZEOF_LONG __SIZEOF_LONG__
#undef ALIGNOF_LONG
#define ALIGNOF_LONG __SIZEOF_LONG__
#undef SIZEOF_SIZE_T
#define SIZEOF_SIZE_T __SIZEOF_SIZE_T__
#undef ALIGNOF_SIZE_T
#define ALIGNOF_SIZE_T __SIZEOF_SIZE_T__
#undef SIZEOF_VOID_P
#define SIZEOF_VOID_P __SIZEOF_POINTER__
#undef SIZEOF_UINTPTR_T
#define SIZEOF_UINTPTR_T __SIZEOF_POINTER__
#undef SIZEOF_WCHAR_T
#define SIZEOF_WCHAR_T __SIZEOF_WCHAR_T__
#undef SIZEOF_LONG_DOUBLE
#define SIZEOF_LONG_DOUBLE __SIZEOF_LONG_DOUBLE__
/* AIX: time_t and pthread_t are long-sized in 64-bit mode, 4 bytes in 32-bit mode. */
#undef SIZEOF_TIME_T
#define SIZEOF_TIME_T __SIZEOF_LONG__
#undef SIZEOF_PTHREAD_T
#define SIZEOF_PTHREAD_T __SIZEOF_LONG__

#endif
