/*
 * memory_op as dom0: every sub-op, with the hostile cases. Expected
 * values are Xen 4.17's: do_memory_op, increase_reservation,
 * populate_physmap, decrease_reservation, guest_remove_page and
 * memory_exchange in xen/common/memory.c; arch_memory_op in
 * xen/arch/x86/mm.c; subarch_memory_op in xen/arch/x86/x86_64/mm.c.
 *
 * The reservation sub-ops never fail with an error: they return how many
 * extents they handled. Dom0 starts with tot_pages == max_pages, so to
 * get memory it must first give some back. The frames used are the last
 * pfns, which the initial mapping does not cover; the p2m list is kept
 * up to date as they come and go.
 */
#include "test.h"
#include <public/memory.h>

const char test_title[] = "memory_op";

#define P   0x001ULL
#define RW  0x002ULL
#define PTE (P | RW | 0x060ULL)
#define M2P ((volatile uint64_t *)0xffff800000000000ULL)
#define INVALID_M2P (~0ULL)
#define BIG 1024            /* extents for the continuation test */

static uint64_t list[BIG];

static long memop(unsigned long cmd, const void *arg)
{
    return hypercall2(__HYPERVISOR_memory_op, cmd, GADDR(arg));
}

static long reservation(unsigned long cmd, uint64_t handle, uint64_t nr,
                        unsigned int order, unsigned int flags, domid_t dom)
{
    struct xen_memory_reservation r = {
        .extent_start = handle, .nr_extents = nr, .extent_order = order,
        .mem_flags = flags, .domid = dom };

    return memop(cmd, &r);
}

/* As the hypervisor re-issues a preempted call: count in cmd. */
static long populate_from(unsigned long start, uint64_t *l, uint64_t nr)
{
    return reservation(XENMEM_populate_physmap | (start << MEMOP_EXTENT_SHIFT),
                       GADDR(l), nr, 0, 0, DOMID_SELF);
}

static long stat(unsigned int op, domid_t dom)
{
    struct xen_memory_domain md = { dom };

    return memop(op, &md);
}

static long tot(void)
{
    return stat(XENMEM_current_reservation, DOMID_SELF);
}

static uint64_t *p2m(void)
{
    return (uint64_t *)(uintptr_t)start_info->mfn_list;
}

/* The i-th pfn from the top: never mapped by the initial region. */
static uint64_t top_pfn(unsigned int i)
{
    return start_info->nr_pages - 1 - i;
}

static bool give_back(uint64_t pfn)
{
    uint64_t mfn = p2m()[pfn];
    long rc = reservation(XENMEM_decrease_reservation, GADDR(&mfn), 1, 0, 0,
                          DOMID_SELF);

    p2m()[pfn] = INVALID_M2P;
    return check_rc("decrease_reservation(1 frame)", rc, 1);
}

static bool refill(uint64_t pfn)
{
    uint64_t x = pfn;
    long rc = reservation(XENMEM_populate_physmap, GADDR(&x), 1, 0, 0,
                          DOMID_SELF);

    if ( !check_rc("populate_physmap(1 frame)", rc, 1) )
        return false;
    p2m()[pfn] = x;
    if ( M2P[x] != pfn )
        test_fail("populated mfn %#lx: M2P says %#lx, not pfn %#lx", x,
                  M2P[x], pfn);
    return true;
}

static void test_info(void)
{
    struct xen_machphys_mapping m;
    long max_ram = memop(XENMEM_maximum_ram_page, NULL);
    uint64_t mfn = virt_to_mfn(list);

    CHECK_RC(memop(XENMEM_machphys_mapping, &m), 0);
    if ( m.v_start != 0xffff800000000000ULL ||
         m.v_end != 0xffff804000000000ULL || (long)m.max_mfn != max_ram - 1 )
        test_fail("machphys_mapping {%#lx, %#lx, %#lx}, max_ram_page %ld",
                  m.v_start, m.v_end, m.max_mfn, max_ram);
    if ( M2P[mfn] != virt_to_pfn(list) )
        test_fail("M2P[%#lx] = %#lx, want pfn %#lx", mfn, M2P[mfn],
                  virt_to_pfn(list));
    CHECK_RC(memop(XENMEM_machphys_mapping, (void *)BAD_UNMAPPED),
             -XEN_EFAULT);
    CHECK_RC(memop(XENMEM_machphys_mapping, (void *)BAD_HYPERVISOR),
             -XEN_EFAULT);
    CHECK_RC(memop(XENMEM_maximum_ram_page | (1 << MEMOP_EXTENT_SHIFT),
                   NULL), -XEN_EINVAL);
    CHECK_RC(memop(XENMEM_machphys_mapping | (1 << MEMOP_EXTENT_SHIFT), &m),
             -XEN_ENOSYS);
    CHECK_RC(memop(8, NULL), -XEN_ENOSYS);          /* removed sub-op */
    CHECK_RC(memop(63, NULL), -XEN_ENOSYS);
}

static void test_mfn_list(void)
{
    uint64_t ext[4] = { 0 };
    struct xen_machphys_mfn_list l = { .max_extents = 0,
                                       .extent_start = GADDR(ext) };

    CHECK_RC(memop(XENMEM_machphys_mfn_list, &l), 0);
    if ( l.nr_extents != 0 )
        test_fail("machphys_mfn_list with room for 0 gave %u",
                  l.nr_extents);
    l.max_extents = 4;
    CHECK_RC(memop(XENMEM_machphys_mfn_list, &l), 0);
    if ( l.nr_extents < 1 || !ext[0] || (ext[0] & 511) )
        test_fail("machphys_mfn_list: %u extents, first %#lx", l.nr_extents,
                  ext[0]);
    l.extent_start = BAD_UNMAPPED;
    CHECK_RC(memop(XENMEM_machphys_mfn_list, &l), -XEN_EFAULT);
    CHECK_RC(memop(XENMEM_machphys_mfn_list, (void *)BAD_NONCANONICAL),
             -XEN_EFAULT);
}

static void test_stats(void)
{
    struct shared_info *si = map_shared_info();

    CHECK_RC(tot(), (long)start_info->nr_pages);
    CHECK_RC(stat(XENMEM_maximum_reservation, DOMID_SELF),
             (long)start_info->nr_pages);
    CHECK_RC(stat(XENMEM_current_reservation, 0), (long)start_info->nr_pages);
    CHECK_RC(stat(XENMEM_current_reservation, 1234), -XEN_ESRCH);
    CHECK_RC(stat(XENMEM_maximum_reservation, DOMID_IO), -XEN_ESRCH);
    CHECK_RC(memop(XENMEM_current_reservation, (void *)BAD_UNMAPPED),
             -XEN_EFAULT);
    CHECK_RC(memop(XENMEM_current_reservation | (2 << MEMOP_EXTENT_SHIFT),
                   NULL), -XEN_EINVAL);
    if ( !si )
        return;
    /* maximum_gpfn: the guest's own count in shared_info, minus one. */
    CHECK_RC(stat(XENMEM_maximum_gpfn, DOMID_SELF), 0);
    si->arch.max_pfn = start_info->nr_pages;
    CHECK_RC(stat(XENMEM_maximum_gpfn, DOMID_SELF),
             (long)start_info->nr_pages - 1);
}

static void test_memory_map(void)
{
    struct xen_e820_entry set[2] = {
        { .addr_lo = 0, .size_lo = 0x9f000, .type = E820_RAM },
        { .addr_lo = 0x100000, .size_lo = 0x1000000, .type = E820_RAM } };
    struct xen_e820_entry got[3] = { { 0 } };
    struct xen_foreign_memory_map f = { .domid = DOMID_SELF,
                                        .map = { 2, 0, GADDR(set) } };
    struct xen_memory_map m = { 3, 0, GADDR(got) };

    /* Dom0 has no pseudo-physical map until a toolstack sets one. */
    CHECK_RC(memop(XENMEM_memory_map, &m), -XEN_ENOSYS);
    CHECK_RC(memop(XENMEM_set_memory_map, &f), 0);
    CHECK_RC(memop(XENMEM_memory_map, &m), 0);
    if ( m.nr_entries != 2 || memcmp(got, set, sizeof(set)) )
        test_fail("memory_map gave %u entries, not the 2 set", m.nr_entries);
    m.nr_entries = 1;
    got[1].type = 0;
    CHECK_RC(memop(XENMEM_memory_map, &m), 0);
    if ( m.nr_entries != 1 || got[1].type != 0 )
        test_fail("memory_map with room for 1 gave %u", m.nr_entries);
    m.nr_entries = 3;
    m.buffer = BAD_HYPERVISOR;
    CHECK_RC(memop(XENMEM_memory_map, &m), -XEN_EFAULT);
    f.map.nr_entries = E820MAX + 1;
    CHECK_RC(memop(XENMEM_set_memory_map, &f), -XEN_EINVAL);
    f.map.nr_entries = 2;
    f.map.buffer = BAD_UNMAPPED;
    CHECK_RC(memop(XENMEM_set_memory_map, &f), -XEN_EFAULT);
    f.domid = 1234;
    CHECK_RC(memop(XENMEM_set_memory_map, &f), -XEN_ESRCH);
    f.domid = DOMID_SELF;
    f.map.nr_entries = 0;           /* an empty map: none at all */
    CHECK_RC(memop(XENMEM_set_memory_map, &f), 0);
    CHECK_RC(memop(XENMEM_memory_map, &m), -XEN_ENOSYS);
}

static uint64_t e820_addr(const struct xen_e820_entry *e)
{
    return e->addr_lo | ((uint64_t)e->addr_hi << 32);
}

static uint64_t e820_end(const struct xen_e820_entry *e)
{
    return e820_addr(e) + (e->size_lo | ((uint64_t)e->size_hi << 32));
}

/*
 * Below the end of RAM a hole in the map is only left where dom0 may map
 * the frames (they are DOMID_IO's, like the VGA range): a stretch it may
 * not map is reported reserved instead. Map the ends of each hole.
 */
static void check_holes_below_ram(const struct xen_e820_entry *e,
                                  unsigned int n)
{
    uint64_t ram_end = 0, ends[2];

    for ( unsigned int i = 0; i < n; i++ )
        if ( e[i].type == E820_RAM )
            ram_end = e820_end(&e[i]);
    for ( unsigned int i = 1; i < n && e820_addr(&e[i]) < ram_end; i++ )
    {
        if ( e820_addr(&e[i]) == e820_end(&e[i - 1]) )
            continue;
        ends[0] = (e820_end(&e[i - 1]) + 0xfff) >> 12;
        ends[1] = (e820_addr(&e[i]) >> 12) - 1;
        for ( unsigned int k = 0; k < 2; k++ )
            if ( !scratch_map(ends[k], 1) )
                test_fail("machine map: hole %#lx-%#lx, frame %#lx cannot "
                          "be mapped", e820_end(&e[i - 1]),
                          e820_addr(&e[i]), ends[k]);
        scratch_unmap();
    }
}

static void test_machine_map(void)
{
    static struct xen_e820_entry e[200];
    struct xen_memory_map m = { 0, 0, 0 };
    unsigned int n, ram = 0;

    CHECK_RC(memop(XENMEM_machine_memory_map, &m), 0);    /* count only */
    n = m.nr_entries;
    if ( n < 2 || n > 190 )
        return test_fail("machine_memory_map counts %u entries", n);
    m.buffer = GADDR(e);
    m.nr_entries = n;               /* Xen wants one spare */
    CHECK_RC(memop(XENMEM_machine_memory_map, &m), -XEN_EINVAL);
    m.nr_entries = 200;
    CHECK_RC(memop(XENMEM_machine_memory_map, &m), 0);
    if ( m.nr_entries != n )
        test_fail("machine_memory_map: %u entries, counted %u",
                  m.nr_entries, n);
    for ( unsigned int i = 0; i < m.nr_entries; i++ )
        ram += e[i].type == E820_RAM;
    if ( !ram || e[0].addr_lo != 0 || e[0].addr_hi != 0 )
        test_fail("machine_memory_map: %u RAM entries, first at %#x", ram,
                  e[0].addr_lo);
    check_holes_below_ram(e, m.nr_entries);
    m.nr_entries = 200;             /* the call left the count there */
    m.buffer = BAD_UNMAPPED;
    CHECK_RC(memop(XENMEM_machine_memory_map, &m), -XEN_EFAULT);
    m.buffer = BAD_HYPERVISOR;
    CHECK_RC(memop(XENMEM_machine_memory_map, &m), -XEN_EFAULT);
    CHECK_RC(memop(XENMEM_machine_memory_map, (void *)BAD_UNMAPPED),
             -XEN_EFAULT);
}

/* Arguments refused before anything is done: the result is 0 (start). */
static void test_bad_reservations(void)
{
    uint64_t x = top_pfn(0);
    long before = tot();

    /* dom0 may use orders up to 18 (Xen's control-domain maximum). */
    CHECK_RC(reservation(XENMEM_populate_physmap, GADDR(&x), 1, 19, 0,
                         DOMID_SELF), 0);
    CHECK_RC(reservation(XENMEM_decrease_reservation, GADDR(&x), 1, 64, 0,
                         DOMID_SELF), 0);
    CHECK_RC(reservation(XENMEM_increase_reservation, 0, 1, 0xffffffff, 0,
                         DOMID_SELF), 0);
    CHECK_RC(reservation(XENMEM_populate_physmap, GADDR(&x), 1ULL << 26, 0,
                         0, DOMID_SELF), 0);
    CHECK_RC(reservation(XENMEM_populate_physmap, GADDR(&x), 1, 0, 12,
                         DOMID_SELF), 0);                 /* address bits */
    CHECK_RC(reservation(XENMEM_populate_physmap, GADDR(&x), 1, 0,
                         XENMEMF_node(70), DOMID_SELF), 0);
    CHECK_RC(reservation(XENMEM_populate_physmap, GADDR(&x), 1, 0,
                         XENMEMF_populate_on_demand, DOMID_SELF), 0);
    CHECK_RC(reservation(XENMEM_populate_physmap, GADDR(&x), 1, 0, 0, 1234),
             0);
    CHECK_RC(memop(XENMEM_populate_physmap, (void *)BAD_UNMAPPED), 0);
    /* A continuation count at or past the end comes straight back. */
    CHECK_RC(populate_from(5, &x, 3), 5);
    /* Lists nobody may read. */
    CHECK_RC(reservation(XENMEM_decrease_reservation, 0, 1, 0, 0,
                         DOMID_SELF), 0);
    CHECK_RC(reservation(XENMEM_decrease_reservation, BAD_UNMAPPED, 1, 0, 0,
                         DOMID_SELF), 0);
    CHECK_RC(reservation(XENMEM_populate_physmap, BAD_HYPERVISOR, 1, 0, 0,
                         DOMID_SELF), 0);
    CHECK_RC(reservation(XENMEM_populate_physmap, BAD_NONCANONICAL, 1, 0, 0,
                         DOMID_SELF), 0);
    /* At max_pages: nothing more to be had. */
    CHECK_RC(reservation(XENMEM_populate_physmap, GADDR(&x), 1, 0, 0,
                         DOMID_SELF), 0);
    CHECK_RC(reservation(XENMEM_increase_reservation, 0, 1, 0, 0,
                         DOMID_SELF), 0);
    CHECK_RC(tot(), before);
}

/* Frames we do not own: nothing happens, the count says so. */
static void test_not_ours(void)
{
    uint64_t l[3] = { 0x200, 1ULL << 40, 0 };      /* hypervisor, none */
    long before = tot();

    CHECK_RC(reservation(XENMEM_decrease_reservation, GADDR(&l[0]), 1, 0, 0,
                         DOMID_SELF), 0);
    CHECK_RC(reservation(XENMEM_decrease_reservation, GADDR(&l[1]), 1, 0, 0,
                         DOMID_SELF), 0);
    CHECK_RC(reservation(XENMEM_decrease_reservation, GADDR(&l[2]), 1, 0, 0,
                         DOMID_SELF), 0);
    CHECK_RC(tot(), before);
}

/*
 * Give a frame back, get one, check it is zero even if it is the same
 * frame (scrubbed), and that the old mfn is no longer ours to map.
 */
static void test_give_and_take(void)
{
    uint64_t pfn = top_pfn(0), old = p2m()[pfn];
    long before = tot();
    uint8_t *p = scratch_map(old, PTE);
    struct mmu_update mu = { (old << 12) | MMU_MACHPHYS_UPDATE, pfn };

    if ( !p )
        return;
    memset(p, 0xa5, PAGE_SIZE);
    scratch_unmap();
    if ( !give_back(pfn) )
        return;
    CHECK_RC(tot(), before - 1);
    if ( M2P[old] != INVALID_M2P )
        test_fail("freed mfn %#lx keeps M2P %#lx", old, M2P[old]);
    CHECK_RC(HYPERVISOR_update_va_mapping((uintptr_t)list, (old << 12) | PTE,
                                          UVMF_INVLPG), -XEN_EINVAL);
    CHECK_RC(HYPERVISOR_mmu_update(&mu, 1, NULL, DOMID_SELF), -XEN_EINVAL);
    /* Room for one, not two. */
    list[0] = pfn;
    list[1] = pfn + 1;
    CHECK_RC(reservation(XENMEM_populate_physmap, GADDR(list), 2, 0, 0,
                         DOMID_SELF), 1);
    p2m()[pfn] = list[0];
    CHECK_RC(tot(), before);
    p = scratch_map(list[0], PTE);
    if ( !p )
        return;
    for ( unsigned int i = 0; i < PAGE_SIZE; i++ )
        if ( p[i] )
            return test_fail("new frame %#lx (old %#lx) not scrubbed at %u",
                             list[0], old, i);
    scratch_unmap();
}

/* A frame still mapped stays ours until the mapping goes. */
static void test_give_back_mapped(void)
{
    uint64_t pfn = top_pfn(1), mfn = p2m()[pfn];
    long before = tot();
    volatile uint8_t *p = scratch_map(mfn, PTE);

    if ( !p )
        return;
    p[0] = 0x5a;
    if ( !give_back(pfn) )
        return;
    CHECK_RC(tot(), before);        /* still referenced: still counted */
    if ( p[0] != 0x5a )
        test_fail("a given-back frame still mapped was reused");
    CHECK_RC(reservation(XENMEM_populate_physmap, GADDR(&(uint64_t){ pfn }),
                         1, 0, 0, DOMID_SELF), 0);      /* at max_pages */
    /* Given back twice: still ours, nothing more to drop. */
    CHECK_RC(reservation(XENMEM_decrease_reservation, GADDR(&mfn), 1, 0, 0,
                         DOMID_SELF), 1);
    scratch_unmap();                /* the last reference: freed now */
    CHECK_RC(tot(), before - 1);
    CHECK_RC(reservation(XENMEM_decrease_reservation, GADDR(&mfn), 1, 0, 0,
                         DOMID_SELF), 0);
    refill(pfn);
}

/* A pinned page table: not unpinned by decrease (XSA-252), freed later. */
static void test_give_back_pinned(void)
{
    uint64_t pfn = top_pfn(2), mfn = p2m()[pfn];
    struct mmuext_op pin = { .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = mfn };
    struct mmuext_op unpin = { .cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = mfn };
    long before = tot();

    if ( !CHECK_RC(HYPERVISOR_mmuext_op(&pin, 1, NULL, DOMID_SELF), 0) ||
         !give_back(pfn) )
        return;
    CHECK_RC(tot(), before);
    /* Still a pinned L1 we own: mapping it writable is refused. */
    CHECK_RC(HYPERVISOR_update_va_mapping((uintptr_t)list, (mfn << 12) | PTE,
                                          UVMF_INVLPG), -XEN_EINVAL);
    CHECK_RC(HYPERVISOR_mmuext_op(&unpin, 1, NULL, DOMID_SELF), 0);
    CHECK_RC(tot(), before - 1);
    CHECK_RC(HYPERVISOR_mmuext_op(&unpin, 1, NULL, DOMID_SELF), -XEN_EINVAL);
    refill(pfn);
}

static void test_increase(void)
{
    uint64_t pfn = top_pfn(3), mfn;

    if ( !give_back(pfn) )
        return;
    CHECK_RC(reservation(XENMEM_increase_reservation, GADDR(&mfn), 1, 0, 0,
                         DOMID_SELF), 1);
    if ( M2P[mfn] != INVALID_M2P )
        test_fail("increase_reservation: mfn %#lx has M2P %#lx", mfn,
                  M2P[mfn]);
    /* We place it ourselves, as a PV guest does. */
    p2m()[pfn] = mfn;
    CHECK_RC(HYPERVISOR_mmu_update(&(struct mmu_update){
                 (mfn << 12) | MMU_MACHPHYS_UPDATE, pfn }, 1, NULL,
                 DOMID_SELF), 0);
    if ( M2P[mfn] != pfn )
        test_fail("MMU_MACHPHYS_UPDATE on an increased frame not seen");
}

/* Larger extents: order 1 needs two frames of room and comes aligned. */
static void test_order(void)
{
    uint64_t pfn = top_pfn(5), x = pfn;

    if ( !give_back(pfn) || !give_back(pfn + 1) )
        return;
    CHECK_RC(reservation(XENMEM_populate_physmap, GADDR(&x), 1, 1, 0,
                         DOMID_SELF), 1);
    if ( x & 1 )
        test_fail("order-1 extent at odd mfn %#lx", x);
    if ( M2P[x] != pfn || M2P[x + 1] != pfn + 1 )
        test_fail("order-1 extent: M2P %#lx %#lx", M2P[x], M2P[x + 1]);
    p2m()[pfn] = x;
    p2m()[pfn + 1] = x + 1;
    /* Giving back an extent: both frames go. */
    CHECK_RC(reservation(XENMEM_decrease_reservation, GADDR(&x), 1, 1, 0,
                         DOMID_SELF), 1);
    p2m()[pfn] = p2m()[pfn + 1] = INVALID_M2P;
    refill(pfn);
    refill(pfn + 1);
}

/*
 * Long lists: the hypervisor may preempt and continue (the count rides
 * in cmd); a call that starts part-way must skip the extents before it.
 */
static void test_long_lists(void)
{
    uint64_t base = top_pfn(16 + BIG - 1);
    long before = tot();

    for ( unsigned int i = 0; i < BIG; i++ )
        list[i] = p2m()[base + i];
    CHECK_RC(reservation(XENMEM_decrease_reservation, GADDR(list), BIG, 0, 0,
                         DOMID_SELF), BIG);
    CHECK_RC(tot(), before - BIG);
    for ( unsigned int i = 0; i < BIG; i++ )
        list[i] = base + i;
    list[0] = list[1] = 0xdead;     /* skipped: must stay as they are */
    CHECK_RC(populate_from(2, list, BIG), BIG);
    if ( list[0] != 0xdead || list[1] != 0xdead )
        test_fail("a resumed populate touched the extents before its start");
    for ( unsigned int i = 2; i < BIG; i++ )
    {
        if ( M2P[list[i]] != base + i )
            return test_fail("extent %u: mfn %#lx M2P %#lx", i, list[i],
                             M2P[list[i]]);
        p2m()[base + i] = list[i];
    }
    CHECK_RC(tot(), before - 2);
    refill(base);
    refill(base + 1);
}

static long exchange(struct xen_memory_exchange *x)
{
    return memop(XENMEM_exchange, x);
}

static void test_exchange(void)
{
    uint64_t pfn = top_pfn(8), in[2] = { p2m()[pfn], p2m()[pfn + 1] };
    uint64_t out = pfn;
    struct xen_memory_exchange x = {
        .in = { GADDR(in), 2, 0, 0, DOMID_SELF },
        .out = { GADDR(&out), 1, 1, 0, DOMID_SELF } };
    long before = tot();
    uint8_t *p = scratch_map(in[0], PTE);

    /* A frame still mapped cannot be taken: nothing exchanged. */
    CHECK_RC(exchange(&x), -XEN_EINVAL);
    CHECK_RC(x.nr_exchanged, 0);
    if ( p )
        scratch_unmap();
    CHECK_RC(exchange(&x), 0);
    CHECK_RC(x.nr_exchanged, 2);
    CHECK_RC(tot(), before);
    if ( (out & 1) || M2P[out] != pfn || M2P[out + 1] != pfn + 1 )
        test_fail("exchange: out mfn %#lx, M2P %#lx %#lx", out, M2P[out],
                  M2P[out + 1]);
    if ( M2P[in[0]] != INVALID_M2P )
        test_fail("exchange: input %#lx still has M2P %#lx", in[0],
                  M2P[in[0]]);
    p2m()[pfn] = out;
    p2m()[pfn + 1] = out + 1;
    CHECK_RC(HYPERVISOR_update_va_mapping((uintptr_t)list,
                                          (in[0] << 12) | PTE, UVMF_INVLPG),
             -XEN_EINVAL);
    /* Done already: 0 and nothing more. */
    CHECK_RC(exchange(&x), 0);
    x.nr_exchanged = 3;
    CHECK_RC(exchange(&x), -XEN_EINVAL);
    x.nr_exchanged = 0;
    x.out.nr_extents = 2;           /* 2 frames in, 4 out */
    CHECK_RC(exchange(&x), -XEN_EINVAL);
    x.out.nr_extents = 1;
    x.out.domid = 0;
    CHECK_RC(exchange(&x), -XEN_EINVAL);
    x.out.domid = DOMID_SELF;
    x.out.extent_order = 19;
    x.out.nr_extents = 0;
    CHECK_RC(exchange(&x), -XEN_EPERM);
    x.out.extent_order = 1;
    x.out.nr_extents = 1;
    x.in.extent_start = BAD_UNMAPPED;
    CHECK_RC(exchange(&x), -XEN_EFAULT);
    x.in.extent_start = GADDR(in);
    x.in.domid = x.out.domid = 1234;
    CHECK_RC(exchange(&x), -XEN_ESRCH);
    CHECK_RC(memop(XENMEM_exchange | (1 << MEMOP_EXTENT_SHIFT), &x),
             -XEN_EINVAL);
    CHECK_RC(exchange((void *)BAD_HYPERVISOR), -XEN_EFAULT);
}

static void test_physmap(void)
{
    struct xen_add_to_physmap a = { .domid = DOMID_SELF,
                                    .space = XENMAPSPACE_shared_info,
                                    .gpfn = top_pfn(40) };
    struct xen_add_to_physmap_batch b = { .domid = DOMID_SELF,
                                          .space = XENMAPSPACE_gmfn };
    struct xen_remove_from_physmap r = { .domid = DOMID_SELF };

    /* Only translated guests have a physmap to add to. */
    CHECK_RC(memop(XENMEM_add_to_physmap, &a), -XEN_EACCES);
    a.space = XENMAPSPACE_grant_table;
    CHECK_RC(memop(XENMEM_add_to_physmap, &a), -XEN_EACCES);
    a.space = XENMAPSPACE_gmfn_foreign;
    CHECK_RC(memop(XENMEM_add_to_physmap, &a), -XEN_ENOSYS);
    a.space = XENMAPSPACE_shared_info;
    a.domid = 1234;
    CHECK_RC(memop(XENMEM_add_to_physmap, &a), -XEN_ESRCH);
    CHECK_RC(memop(XENMEM_add_to_physmap | (0x10000UL << MEMOP_EXTENT_SHIFT),
                   &a), -XEN_EDOM);
    CHECK_RC(memop(XENMEM_add_to_physmap, (void *)BAD_UNMAPPED),
             -XEN_EFAULT);
    CHECK_RC(memop(XENMEM_add_to_physmap_batch, &b), -XEN_EACCES);
    b.space = XENMAPSPACE_gmfn_range;
    CHECK_RC(memop(XENMEM_add_to_physmap_batch, &b), -XEN_EOPNOTSUPP);
    CHECK_RC(memop(XENMEM_remove_from_physmap, &r), -XEN_EACCES);
}

void test_main(void)
{
    test_info();
    test_mfn_list();
    test_stats();
    test_memory_map();
    test_machine_map();
    test_bad_reservations();
    test_not_ours();
    test_give_and_take();
    test_give_back_mapped();
    test_give_back_pinned();
    test_increase();
    test_order();
    test_long_lists();
    test_exchange();
    test_physmap();
    CHECK_RC(tot(), (long)start_info->nr_pages);
    test_success();
}
