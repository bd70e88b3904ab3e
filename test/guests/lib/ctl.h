/*
 * The control interface (Mica's domctl and sysctl) and foreign mappings,
 * for privileged test kernels: thin wrappers that fill in the interface
 * version, and a window of pages in our .bss that other domains' frames
 * can be mapped over (update_va_mapping_otherdomain, batched in one
 * multicall, as Linux's privcmd batches mmu_update).
 *
 * builder.h on top of this is the "mini builder": it creates, loads and
 * runs a PV test kernel in a new domain using nothing else.
 */
#ifndef GUEST_CTL_H
#define GUEST_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <public/domctl.h>
#include <public/sysctl.h>

#define FOREIGN_SLOTS 64            /* pages in the mapping window */

static inline long HYPERVISOR_domctl(void *op)
{
    return hypercall1(__HYPERVISOR_domctl, GADDR(op));
}

static inline long HYPERVISOR_sysctl(void *op)
{
    return hypercall1(__HYPERVISOR_sysctl, GADDR(op));
}

/* Set interface_version, then call; the struct comes back filled. */
long domctl(struct mica_domctl *op);
long sysctl(struct mica_sysctl *op);
/* A sub-op whose only argument is the domain (pause, destroy, ...). */
long domctl_simple(uint32_t cmd, domid_t dom);

/* Create a domain with max_memkb; its id in *id. */
long ctl_create(uint64_t max_memkb, domid_t *id);
long ctl_getinfo(domid_t dom, struct mica_domaininfo *info);
long ctl_populate(domid_t dom, uint64_t first_pfn, uint32_t nr,
                  uint64_t *mfns);
long ctl_setcontext(domid_t dom, const struct mica_vcpu_context *c);
long ctl_getcontext(domid_t dom, struct mica_vcpu_context *c);
long ctl_physinfo(struct mica_sysctl_physinfo *p);
long ctl_pageinfo(domid_t dom, const uint64_t *mfns, uint32_t *types,
                  uint32_t nr);
long ctl_logdirty(domid_t dom, uint32_t op, uint32_t nr_pfns,
                  void *bitmap, struct mica_domctl_logdirty *out);
/* Wait up to ms milliseconds for dom to shut down; false if it did not. */
bool ctl_wait_shutdown(domid_t dom, unsigned int ms);
/* Free frames right now (physinfo), or ~0 on error. */
uint64_t ctl_free_pages(void);

/*
 * Map n (<= FOREIGN_SLOTS) frames of dom at the window, in order; 0 or
 * the first error (then nothing stays mapped). foreign_window() is where.
 */
long foreign_map(domid_t dom, const uint64_t *mfns, unsigned int n,
                 bool writable);
void foreign_unmap(unsigned int n);
uint8_t *foreign_window(void);

#endif /* GUEST_CTL_H */
