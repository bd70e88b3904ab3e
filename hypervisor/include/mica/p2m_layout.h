/*
 * Where a PV domain's initial p2m list goes when its kernel names a
 * virtual address for it (Xen's INIT_P2M ELF note): outside the initial
 * region, in page tables of its own that hang off the domain's bootstrap
 * L4. These helpers plan that mapping; they only compute, so the unit
 * tests run them unchanged.
 */
#ifndef MICA_P2M_LAYOUT_H
#define MICA_P2M_LAYOUT_H

#include <mica/env.h>

/*
 * Check the range [va, va + nr_pages * 8 rounded up to a page) for a p2m
 * list of nr_pages entries next to the initial region [v_start, v_end):
 * va page aligned, the whole range canonical, clear of the hypervisor's
 * slots 0xffff800000000000-0xffff87ffffffffff and of the initial region.
 * Returns 0, or -EINVAL with the broken rule in *why.
 */
int p2m_check_range(uint64_t va, unsigned long nr_pages, uint64_t v_start,
                    uint64_t v_end, const char **why);

/*
 * Page-table frames (L3, L2 and L1 pages) needed to map the pages of
 * [va, end) with 4 KiB pages, given that the initial region [v_start,
 * v_end) is already mapped through one L4 slot, one L3 entry and the L1s
 * covering it: tables it shares with that region are not counted. The
 * ranges must not overlap (p2m_check_range).
 */
unsigned long p2m_table_frames(uint64_t va, uint64_t end, uint64_t v_start,
                               uint64_t v_end);

#endif /* MICA_P2M_LAYOUT_H */
