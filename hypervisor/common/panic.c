/* When the hypervisor itself cannot go on. */
#include <stdarg.h>
#include <asm/processor.h>
#include <mica/lib.h>
#include <mica/setup.h>

void panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    local_irq_disable();
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk(LOG_ERR "\n****************************************\n");
    printk(LOG_ERR "Panic: %s\n", buf);
    printk(LOG_ERR "****************************************\n");
    machine_exit(EXIT_PANIC);
}

void assert_failed(const char *expr, const char *file, int line)
{
    panic("Assertion '%s' failed at %s:%d", expr, file, line);
}
