/*
 * memory_op between domains: what an unprivileged domain may do to
 * itself and not to others, and what dom0 may do to a domU. Xen 4.17's
 * rules: the reservation sub-ops name a domain other than DOMID_SELF
 * only with privilege (XSM_TARGET in do_memory_op), and refuse silently
 * (0 extents); the queries answer -EPERM, -ESRCH for a domain that does
 * not exist; machine_memory_map is for the control domain only
 * (XSM_PRIV); a domU may use orders up to 9 (memop-max-order); a frame
 * is given back only by, or on behalf of, its owner.
 *
 *   d1    checks its refusals, sets and reads its own memory map, then
 *         gives back one frame and reports its count;
 *   dom0  fills that frame for d1, takes it back on d1's behalf, and
 *         checks that it cannot take its own frames through d1's name.
 */
#include "test.h"
#include <public/memory.h>

const char test_title[] = "memory_op_domU";

#define WAIT (20000 * MS)

static long memop(unsigned long cmd, const void *arg)
{
    return hypercall2(__HYPERVISOR_memory_op, cmd, GADDR(arg));
}

static long reservation(unsigned long cmd, uint64_t *l, uint64_t nr,
                        unsigned int order, unsigned int flags, domid_t dom)
{
    struct xen_memory_reservation r = {
        .extent_start = GADDR(l), .nr_extents = nr, .extent_order = order,
        .mem_flags = flags, .domid = dom };

    return memop(cmd, &r);
}

static long stat(unsigned int op, domid_t dom)
{
    struct xen_memory_domain md = { dom };

    return memop(op, &md);
}

static uint64_t *p2m(void)
{
    return (uint64_t *)(uintptr_t)start_info->mfn_list;
}

static void domu_queries(void)
{
    struct xen_machphys_mapping m;
    struct xen_memory_map mm = { 0, 0, 0 };
    long n = start_info->nr_pages;

    CHECK_RC(memop(XENMEM_machine_memory_map, &mm), -XEN_EPERM);
    CHECK_RC(memop(XENMEM_memory_map, &mm), -XEN_ENOSYS);
    CHECK_RC(memop(XENMEM_machphys_mapping, &m), 0);
    if ( m.max_mfn != (0x4000000000ULL >> 3) - 1 )
        test_fail("domU machphys_mapping max_mfn %#lx", m.max_mfn);
    CHECK_RC(stat(XENMEM_current_reservation, DOMID_SELF), n);
    CHECK_RC(stat(XENMEM_current_reservation, my_domid), n);
    CHECK_RC(stat(XENMEM_maximum_reservation, DOMID_SELF), n);
    CHECK_RC(stat(XENMEM_current_reservation, 0), -XEN_EPERM);
    CHECK_RC(stat(XENMEM_maximum_reservation, 0), -XEN_EPERM);
    CHECK_RC(stat(XENMEM_maximum_gpfn, 0), -XEN_EPERM);
    CHECK_RC(stat(XENMEM_current_reservation, 1234), -XEN_ESRCH);
}

static void domu_memory_map(void)
{
    struct xen_e820_entry e = { .size_lo = 0x100000, .type = E820_RAM };
    struct xen_e820_entry got = { 0 };
    struct xen_foreign_memory_map f = { .domid = 0, .map = { 1, 0,
                                                             GADDR(&e) } };
    struct xen_memory_map m = { 1, 0, GADDR(&got) };

    CHECK_RC(memop(XENMEM_set_memory_map, &f), -XEN_EPERM);
    f.domid = DOMID_SELF;           /* Xen lets a domain set its own */
    CHECK_RC(memop(XENMEM_set_memory_map, &f), 0);
    CHECK_RC(memop(XENMEM_memory_map, &m), 0);
    if ( m.nr_entries != 1 || memcmp(&got, &e, sizeof(e)) )
        test_fail("own memory map not returned");
}

/* Orders, other domains, frames not ours, NUMA: nothing done. */
static void domu_refusals(void)
{
    uint64_t mfn = p2m()[start_info->nr_pages - 1], x = 0x200;
    struct xen_memory_exchange ex = {
        .in = { GADDR(&mfn), 1, 0, 0, DOMID_SELF },
        .out = { GADDR(&x), 1, 0, 0, DOMID_SELF } };
    long n = start_info->nr_pages;

    CHECK_RC(reservation(XENMEM_decrease_reservation, &mfn, 1, 10, 0,
                         DOMID_SELF), 0);          /* domU max order 9 */
    CHECK_RC(reservation(XENMEM_populate_physmap, &x, 1, 10, 0, DOMID_SELF),
             0);
    CHECK_RC(reservation(XENMEM_decrease_reservation, &mfn, 1, 0, 0, 0), 0);
    CHECK_RC(reservation(XENMEM_populate_physmap, &x, 1, 0, 0, 0), 0);
    CHECK_RC(reservation(XENMEM_increase_reservation, NULL, 1, 0, 0, 0), 0);
    CHECK_RC(reservation(XENMEM_decrease_reservation, &x, 1, 0, 0,
                         DOMID_SELF), 0);          /* hypervisor frame */
    CHECK_RC(stat(XENMEM_current_reservation, DOMID_SELF), n);
    ex.in.extent_order = ex.out.extent_order = 10;
    CHECK_RC(memop(XENMEM_exchange, &ex), -XEN_EPERM);
    ex.in.extent_order = ex.out.extent_order = 0;
    ex.in.domid = ex.out.domid = 0;
    CHECK_RC(memop(XENMEM_exchange, &ex), -XEN_EPERM);
    if ( ex.nr_exchanged != 0 )
        test_fail("refused exchange wrote nr_exchanged %lu",
                  ex.nr_exchanged);
}

/* Give back the top frame; an exact node is refused, a plain one not. */
static void domu_give_back(void)
{
    uint64_t pfn = start_info->nr_pages - 1, mfn = p2m()[pfn], x = pfn;
    long n = start_info->nr_pages;

    CHECK_RC(reservation(XENMEM_decrease_reservation, &mfn, 1, 0, 0,
                         DOMID_SELF), 1);
    CHECK_RC(stat(XENMEM_current_reservation, DOMID_SELF), n - 1);
    CHECK_RC(reservation(XENMEM_populate_physmap, &x, 1, 0,
                         XENMEMF_exact_node_request | XENMEMF_node(0),
                         DOMID_SELF), 0);
    CHECK_RC(reservation(XENMEM_populate_physmap, &x, 1, 0, XENMEMF_node(0),
                         DOMID_SELF), 1);
    mfn = x;
    CHECK_RC(reservation(XENMEM_decrease_reservation, &mfn, 1, 0, 0,
                         DOMID_SELF), 1);
    CHECK_RC(stat(XENMEM_current_reservation, DOMID_SELF), n - 1);
    p2m()[pfn] = ~0ULL;
}

static void domu_main(void)
{
    domu_queries();
    domu_memory_map();
    domu_refusals();
    domu_give_back();
    test_success();
}

/* d1 left one frame given back: fill it, take it back, as its owner would. */
static void dom0_on_domu(void)
{
    long max = stat(XENMEM_maximum_reservation, 1);
    uint64_t x = 0x1000, mine = p2m()[start_info->nr_pages - 1];
    long self = stat(XENMEM_current_reservation, DOMID_SELF);

    if ( max <= 0 )
        return test_fail("maximum_reservation(d1) = %ld", max);
    CHECK_RC(stat(XENMEM_current_reservation, 1), max - 1);
    CHECK_RC(reservation(XENMEM_populate_physmap, &x, 1, 0, 0, 1), 1);
    CHECK_RC(stat(XENMEM_current_reservation, 1), max);
    CHECK_RC(reservation(XENMEM_populate_physmap, &x, 1, 0, 0, 1), 0);
    /* d1's frame is not ours, and ours is not d1's. */
    CHECK_RC(reservation(XENMEM_decrease_reservation, &x, 1, 0, 0,
                         DOMID_SELF), 0);
    CHECK_RC(reservation(XENMEM_decrease_reservation, &mine, 1, 0, 0, 1), 0);
    CHECK_RC(stat(XENMEM_current_reservation, DOMID_SELF), self);
    CHECK_RC(reservation(XENMEM_decrease_reservation, &x, 1, 0, 0, 1), 1);
    CHECK_RC(stat(XENMEM_current_reservation, 1), max - 1);
}

void test_main(void)
{
    if ( !multi_init() )
        return;
    if ( my_domid != 0 )
        return domu_main();
    if ( !multi_wait_done(1, WAIT) )
        return test_fail("d1 did not finish");
    dom0_on_domu();
    test_success();
}
