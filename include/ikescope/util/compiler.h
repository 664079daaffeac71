#ifndef IKESCOPE_UTIL_COMPILER_H
#define IKESCOPE_UTIL_COMPILER_H

#define IKESCOPE_MUST_CHECK        __attribute__((warn_unused_result))
#define IKESCOPE_PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define IKESCOPE_NORETURN          __attribute__((noreturn))
#define ARRAY_SIZE(a)              (sizeof(a) / sizeof((a)[0]))

#endif
