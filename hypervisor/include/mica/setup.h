/* Boot-time facts shared between setup and the rest of the hypervisor. */
#ifndef MICA_SETUP_H
#define MICA_SETUP_H

#include <mica/env.h>

#define MAX_BOOT_MODULES 16

struct boot_module
{
    uint64_t start;         /* physical address */
    uint64_t size;
    const char *cmdline;    /* without the image name; never NULL */
};

extern char hypervisor_cmdline[1024];
extern struct boot_module boot_modules[MAX_BOOT_MODULES];
extern unsigned int nr_boot_modules;

/* Options parsed from the hypervisor command line. */
extern uint64_t opt_dom0_mem;       /* bytes; 0 = automatic */
extern bool opt_noreboot;

/* Exit codes seen by QEMU's isa-debug-exit (QEMU exits (v << 1) | 1). */
#define EXIT_POWEROFF 0x10
#define EXIT_REBOOT   0x11
#define EXIT_CRASH    0x12
#define EXIT_PANIC    0x13

/* Stop the machine: tell QEMU our exit code, else power off or reset. */
void machine_exit(unsigned int code) __attribute__((noreturn));

/* Build dom0 from the first boot module and start it; never returns. */
void construct_and_start_dom0(void) __attribute__((noreturn));

#endif /* MICA_SETUP_H */
