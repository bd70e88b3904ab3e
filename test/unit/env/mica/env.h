/*
 * The host's version of Mica's pure-logic environment.
 *
 * test/unit/env/ comes first on the unit tests' include path, so a
 * hypervisor file's "#include <mica/env.h>" lands here. The names are the
 * ones hypervisor/include/mica/env.h promises, mapped to the host's libc;
 * printk() is provided by the test program (test/unit/main.c), which keeps
 * what was printed so that a test can check a message was logged.
 *
 * Error numbers come from the host's <errno.h>: on Linux/x86-64 they have
 * the same values as Xen's public ones.
 */
#ifndef MICA_ENV_H
#define MICA_ENV_H

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define LOG_ERR   "\0010"
#define LOG_WARN  "\0011"
#define LOG_INFO  "\0012"
#define LOG_DEBUG "\0013"

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void assert_failed(const char *expr, const char *file, int line)
    __attribute__((noreturn));

#define ASSERT(p) assert(p)

#include <mica/config.h>
#include <mica/macros.h>

#endif /* MICA_ENV_H */
