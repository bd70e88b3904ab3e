/* Boot-time facts shared between setup and the rest of the hypervisor. */
#ifndef MICA_SETUP_H
#define MICA_SETUP_H

#include <mica/env.h>
#include <public/xen.h>

#define MAX_BOOT_MODULES 16
#define MAX_E820 64             /* boot map entries kept */

struct e820_range;

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
extern uint64_t opt_domU_mem;       /* bytes; default for boot-time domUs */
extern uint64_t opt_dom0_max_vcpus; /* dom0's vCPUs (Xen's N form only) */
extern bool opt_noreboot;

/* Exit codes seen by QEMU's isa-debug-exit (QEMU exits (v << 1) | 1). */
#define EXIT_POWEROFF 0x10
#define EXIT_REBOOT   0x11
#define EXIT_CRASH    0x12
#define EXIT_PANIC    0x13

/* The boot loader's memory map, as it gave it (nr entries). */
const struct e820_range *machine_e820(unsigned int *nr);

/* Stop the machine: tell QEMU our exit code, else power off or reset. */
void machine_exit(unsigned int code) __attribute__((noreturn));

/* One boot-time domain, as boot_domains.c found it in the modules. */
struct domain_spec
{
    domid_t id;                         /* 0: dom0, privileged */
    const struct boot_module *kernel;
    const struct boot_module *initrd;   /* NULL: none */
    const char *cmdline;                /* the guest's own */
    unsigned long nr_pages;             /* 0: dom0's automatic size */
    unsigned long reserve_pages;        /* dom0: leave these for domUs */
    uint32_t weight, cap;               /* 0: defaults */
    uint32_t nr_vcpus;                  /* 1 .. MAX_VCPUS */
};

/* Build one domain and hand its vCPUs to the scheduler (dom0_build.c). */
int construct_domain(const struct domain_spec *spec);

/* Build dom0 and the boot-time domUs from the modules, run them. */
void start_boot_domains(void) __attribute__((noreturn));

#endif /* MICA_SETUP_H */
