/*
 * Console output through HYPERVISOR_console_io(CONSOLEIO_write).
 * vsnprintf and snprintf are the hypervisor's own (hypervisor/common/
 * vsnprintf.c), linked in by guests.mk.
 */
#include "test.h"

void console_write(const char *s, size_t len)
{
    HYPERVISOR_console_io(CONSOLEIO_write, len, s);
}

void printk(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);

    console_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}
