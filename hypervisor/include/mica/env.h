/*
 * The narrow environment that Mica's pure-logic files are allowed to use.
 *
 * Files such as cmdline.c, elf.c and page_alloc.c include only this header
 * (plus their own). Inside the hypervisor it maps to the hypervisor's own
 * string routines and console; the unit tests put test/unit/env/ first on
 * the include path, whose mica/env.h maps the same names to the host's libc.
 * Keep this list short: everything here must exist in both worlds.
 */
#ifndef MICA_ENV_H
#define MICA_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* Log levels for printk(); the line prefix is chosen by the console code. */
#define LOG_ERR   "\0010"
#define LOG_WARN  "\0011"
#define LOG_INFO  "\0012"
#define LOG_DEBUG "\0013"

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void assert_failed(const char *expr, const char *file, int line)
    __attribute__((noreturn));

#define ASSERT(p)                                                             \
    do {                                                                      \
        if ( IS_ENABLED(CONFIG_DEBUG) && !(p) )                               \
            assert_failed(#p, __FILE__, __LINE__);                            \
    } while ( 0 )

#include <mica/config.h>
#include <mica/errno.h>
#include <mica/macros.h>

#endif /* MICA_ENV_H */
