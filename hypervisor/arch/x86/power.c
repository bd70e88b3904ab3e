/*
 * Stopping the machine. Under QEMU with isa-debug-exit at port 0xf4 the
 * exit code reaches the test runner; elsewhere the write is harmless and
 * we fall back to a reset (unless noreboot) or a halt.
 */
#include <asm/processor.h>
#include <mica/lib.h>
#include <mica/setup.h>

#define DEBUG_EXIT_PORT 0xf4

static void machine_reset(void)
{
    outb(0x06, 0xcf9);          /* PCI reset control: hard reset */
    for ( int i = 0; i < 100000; i++ )
        cpu_relax();
    outb(0xfe, 0x64);           /* keyboard controller pulse */
}

void machine_exit(unsigned int code)
{
    local_irq_disable();
    printk("machine exit (code %#x)\n", code);
    outb(code, DEBUG_EXIT_PORT);
    if ( code != EXIT_POWEROFF && !opt_noreboot )
        machine_reset();
    for ( ;; )
        halt();
}
