/*
 * The mini builder: a privileged test kernel builds and runs another PV
 * test kernel in a new domain, using only the control interface (ctl.h)
 * and foreign mappings, the way a toolstack's domain builder does.
 *
 * The layout follows the hypervisor's boot-time builder (and Xen's
 * start-of-day rules): the kernel at VIRT_BASE + paddr, then the p2m
 * list, start_info, the console ring page, the bootstrap page tables
 * (L4, L3, L2, L1s; mapped read-only), a stack page, and slack up to a
 * 4 MiB boundary, all mapped from pfn 0 upwards. The console ring's event
 * channel is allocated in the new domain on its behalf (alloc_unbound
 * with dom = the child) and bound by us: we are its console backend.
 */
#ifndef GUEST_BUILDER_H
#define GUEST_BUILDER_H

#include <stddef.h>
#include <stdint.h>
#include <public/io/console.h>

#define CHILD_MAX_PAGES 16384       /* 64 MiB */

struct child
{
    domid_t id;
    uint64_t nr_pages;
    uint64_t entry, v_start, v_end, v_start_info, v_stack;
    uint64_t l4_mfn;
    uint64_t console_mfn;
    uint32_t console_port;          /* ours, bound to the child's */
    uint32_t child_port;            /* the child's end */
    volatile struct xencons_interface *ring;    /* once attached */
    char out[4096];                 /* what it printed, NUL-terminated */
    size_t out_len;
};

/*
 * Create a domain of nr_pages and load the ELF kernel at (elf, len) into
 * it with `cmdline`; it stays paused. 0 or a negative XEN_E*; on error
 * the domain is destroyed again and test_error says why.
 */
long child_build(struct child *c, const void *elf, size_t len,
                 uint64_t nr_pages, const char *cmdline);
/* Map its console ring and bind our end of the console port. */
long child_attach_console(struct child *c);
/* Unpause, then read its console until it shuts down or timeout ns. */
long child_run(struct child *c, uint64_t timeout);
/* Unmap the ring, close our port, destroy the domain. */
long child_destroy(struct child *c);
/* Copy new console bytes into c->out (what does not fit is dropped). */
void child_drain_console(struct child *c);

/* The p2m of the last child built (its pfn -> mfn). */
extern uint64_t child_p2m[CHILD_MAX_PAGES];

#endif /* GUEST_BUILDER_H */
