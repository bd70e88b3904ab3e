/*
 * A domain's memory: frames allocated to it, counted against its maximum,
 * zeroed before it sees them, and given back when the last reference to
 * each goes (which may be long after the domain released it, if a
 * mapping or a table entry somewhere still points at it).
 */
#ifndef MICA_DOMAIN_PAGE_H
#define MICA_DOMAIN_PAGE_H

#include <mica/domain.h>

/*
 * Allocate 2^order contiguous zeroed frames to d, each holding one
 * allocation reference. Returns the first mfn, or -ENOMEM if the
 * allocator has no such block or d would exceed its max_pages.
 */
long domain_alloc_pages(struct domain *d, unsigned int order);

/*
 * A hypervisor page d may map (shared_info): owned by d, never freed,
 * and holding a writable type reference for good, since the hypervisor
 * writes it and it must never become one of d's page tables.
 */
void share_xen_page_with_guest(unsigned long mfn, struct domain *d);

#endif /* MICA_DOMAIN_PAGE_H */
