/* Hypervisor-only library routines beyond the pure-logic environment. */
#ifndef MICA_LIB_H
#define MICA_LIB_H

#include <stdarg.h>
#include <mica/env.h>

size_t strlcpy(char *dst, const char *src, size_t size);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define BUG_ON(p)                                                             \
    do {                                                                      \
        if ( unlikely(p) )                                                    \
            panic("BUG at %s:%d: %s", __FILE__, __LINE__, #p);               \
    } while ( 0 )

#define BUILD_BUG_ON(p) _Static_assert(!(p), #p)

#endif /* MICA_LIB_H */
