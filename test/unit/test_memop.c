/*
 * Unit tests for memory_op's pure parts: the reservation argument rules
 * (hypervisor/common/memop.c), giving frames back and taking them for an
 * exchange (arch/x86/mm/reservation.c, on the simulated frame table of
 * pt_sim.c), and the machine memory map (arch/x86/mm/e820.c).
 */
#include <string.h>

#include <mica/memop.h>

#include "pt_sim.h"
#include "unit.h"

#define D1 1
#define D2 2
#define MAX_PAGE (1UL << 17)    /* 512 MiB: 29 address bits */

static const struct memop_caller domu = { false, false };
static const struct memop_caller dom0 = { true, true };

static void setup(void)
{
    test_log_reset();
    pt_sim_reset();
}

static struct xen_memory_reservation res(uint64_t nr, uint32_t flags)
{
    return (struct xen_memory_reservation){ .extent_start = 0x1000,
                                            .nr_extents = nr,
                                            .mem_flags = flags };
}

START_TEST(test_max_order)
{
    struct memop_caller hw_only = { false, true }, ctl_only = { true, false };

    ck_assert_uint_eq(memop_max_order(&domu), 9);
    ck_assert_uint_eq(memop_max_order(&hw_only), 12);
    ck_assert_uint_eq(memop_max_order(&ctl_only), 18);
    ck_assert_uint_eq(memop_max_order(&dom0), 18);
}
END_TEST

START_TEST(test_decode_counts)
{
    struct xen_memory_reservation r = res(10, 0);
    struct memop_args a;

    ck_assert(memop_decode(XENMEM_populate_physmap, &r, 3, &domu, MAX_PAGE,
                           &a));
    ck_assert_uint_eq(a.nr_done, 3);
    ck_assert_uint_eq(a.nr_extents, 10);
    ck_assert_uint_eq(a.list, 0x1000);
    ck_assert(!a.preempted && !a.populate_on_demand);
    /* A start at or past the end, or a count cmd cannot carry. */
    ck_assert(!memop_decode(XENMEM_populate_physmap, &r, 10, &domu,
                            MAX_PAGE, &a));
    r.nr_extents = (UINT32_MAX >> MEMOP_EXTENT_SHIFT) + 1;
    ck_assert(!memop_decode(XENMEM_populate_physmap, &r, 0, &dom0, MAX_PAGE,
                            &a));
    r.nr_extents = UINT32_MAX >> MEMOP_EXTENT_SHIFT;
    ck_assert(memop_decode(XENMEM_populate_physmap, &r, 0, &dom0, MAX_PAGE,
                           &a));
}
END_TEST

START_TEST(test_decode_address_bits)
{
    struct xen_memory_reservation r = res(1, 12);
    struct memop_args a;

    ck_assert(!memop_decode(XENMEM_increase_reservation, &r, 0, &domu,
                            MAX_PAGE, &a));
    r.mem_flags = 13;
    ck_assert(memop_decode(XENMEM_increase_reservation, &r, 0, &domu,
                           MAX_PAGE, &a));
    ck_assert_uint_eq(a.address_bits, 13);
    /* At or above every RAM address: no limit at all. */
    r.mem_flags = 29;
    ck_assert(memop_decode(XENMEM_increase_reservation, &r, 0, &domu,
                           MAX_PAGE, &a));
    ck_assert_uint_eq(a.address_bits, 0);
    r.mem_flags = 28;
    ck_assert(memop_decode(XENMEM_increase_reservation, &r, 0, &domu,
                           MAX_PAGE, &a));
    ck_assert_uint_eq(a.address_bits, 28);
}
END_TEST

START_TEST(test_decode_nodes_and_pod)
{
    struct xen_memory_reservation r = res(1, XENMEMF_node(3));
    struct memop_args a;

    /* A plain node request from a domU is ignored, an exact one not. */
    ck_assert(memop_decode(XENMEM_populate_physmap, &r, 0, &domu, MAX_PAGE,
                           &a));
    r.mem_flags |= XENMEMF_exact_node_request;
    ck_assert(!memop_decode(XENMEM_populate_physmap, &r, 0, &domu, MAX_PAGE,
                            &a));
    ck_assert(memop_decode(XENMEM_populate_physmap, &r, 0, &dom0, MAX_PAGE,
                           &a));
    /* Dom0 may only name nodes that can exist. */
    r.mem_flags = XENMEMF_node(64);
    ck_assert(!memop_decode(XENMEM_populate_physmap, &r, 0, &dom0, MAX_PAGE,
                            &a));
    r.mem_flags |= XENMEMF_vnode;   /* no vNUMA: the node is not looked at */
    ck_assert(memop_decode(XENMEM_populate_physmap, &r, 0, &dom0, MAX_PAGE,
                           &a));
    r.mem_flags = XENMEMF_populate_on_demand;
    ck_assert(memop_decode(XENMEM_populate_physmap, &r, 0, &domu, MAX_PAGE,
                           &a));
    ck_assert(a.populate_on_demand);
    ck_assert(memop_decode(XENMEM_increase_reservation, &r, 0, &domu,
                           MAX_PAGE, &a));
    ck_assert(!a.populate_on_demand);
}
END_TEST

START_TEST(test_order_ok)
{
    struct memop_args a = { .extent_order = 9 };

    ck_assert(memop_order_ok(XENMEM_decrease_reservation, &a, &domu));
    a.extent_order = 10;
    ck_assert(!memop_order_ok(XENMEM_decrease_reservation, &a, &domu));
    ck_assert(memop_order_ok(XENMEM_decrease_reservation, &a, &dom0));
    a.populate_on_demand = true;
    ck_assert(memop_order_ok(XENMEM_populate_physmap, &a, &domu));
    a.extent_order = 19;
    ck_assert(!memop_order_ok(XENMEM_populate_physmap, &a, &dom0));
}
END_TEST

/* A frame of d with its allocation reference, as domain_alloc_pages. */
static unsigned long alloc(pt_domid_t d)
{
    unsigned long mfn = pt_sim_alloc(d);

    ck_assert_uint_ne(mfn, 0);
    mfn_to_page(mfn)->flags |= PGF_allocated;
    return mfn;
}

START_TEST(test_remove_plain_frame)
{
    unsigned long mfn = alloc(D1);

    ck_assert_int_eq(memop_remove_frame(mfn, D2), -ENXIO);
    ck_assert_int_eq(memop_remove_frame(PT_SIM_XEN_MFN, D1), -ENXIO);
    ck_assert_int_eq(memop_remove_frame(PT_SIM_FRAMES, D1), -EINVAL);
    ck_assert_uint_eq(gcount(mfn), 1);
    ck_assert_int_eq(memop_remove_frame(mfn, D1), 0);
    ck_assert_uint_eq(sim.freed, 1);
    ck_assert_int_eq(memop_remove_frame(mfn, D1), -ENXIO);
}
END_TEST

START_TEST(test_remove_mapped_frame_waits)
{
    unsigned long l1 = alloc(D1), mfn = alloc(D1);
    struct pt_ctx ctx = { D1, D1 };

    pt_sim_frame(l1)[0] = pte(mfn, P | RW);
    ck_assert_int_eq(pt_pin(l1, D1, 1), 0);
    ck_assert_int_eq(memop_remove_frame(mfn, D1), 0);
    ck_assert_uint_eq(sim.freed, 0);        /* the L1 entry holds it */
    ck_assert(!(mfn_to_page(mfn)->flags & PGF_allocated));
    /* Again: still the owner's, nothing left to drop. */
    ck_assert_int_eq(memop_remove_frame(mfn, D1), 0);
    ck_assert_uint_eq(gcount(mfn), 1);
    ck_assert_int_eq(pt_update_entry(l1, 0, 0, &ctx, false), 0);
    ck_assert_uint_eq(sim.freed, 1);
    ck_assert_uint_eq(mfn_to_page(mfn)->owner, PAGE_OWNER_NONE);
}
END_TEST

START_TEST(test_remove_pinned_table_keeps_pin)
{
    unsigned long l1 = alloc(D1);

    ck_assert_int_eq(pt_pin(l1, D1, 1), 0);
    ck_assert_int_eq(memop_remove_frame(l1, D1), 0);
    /* XSA-252: the pin stays, and with it the frame and its type. */
    ck_assert_uint_eq(sim.freed, 0);
    ck_assert(mfn_to_page(l1)->type_info & PGT_pinned);
    ck_assert_uint_eq(type_of(l1), PGT_l1);
    ck_assert_int_eq(pt_unpin(l1, D1), 0);
    ck_assert_uint_eq(sim.freed, 1);
}
END_TEST

START_TEST(test_steal_only_unreferenced_frames)
{
    unsigned long a = alloc(D1), b = alloc(D1), l1 = alloc(D1);
    struct frame_chain c;

    frame_chain_init(&c);
    pt_sim_frame(l1)[0] = pte(b, P);
    ck_assert_int_eq(pt_pin(l1, D1, 1), 0);
    ck_assert_int_eq(memop_steal_frame(b, D1, &c), -EINVAL);   /* mapped */
    ck_assert_int_eq(memop_steal_frame(l1, D1, &c), -EINVAL);  /* table */
    ck_assert_int_eq(memop_steal_frame(a, D2, &c), -EINVAL);
    ck_assert_int_eq(memop_steal_frame(a, D1, &c), 0);
    ck_assert_uint_eq(c.n, 1);
    /* Nobody can take a reference to a stolen frame. */
    ck_assert(!get_page(a, D1));
    memop_unsteal(&c);
    ck_assert_uint_eq(c.n, 0);
    ck_assert_uint_eq(gcount(a), 1);
    ck_assert(mfn_to_page(a)->flags & PGF_allocated);
    ck_assert_int_eq(memop_steal_frame(a, D1, &c), 0);
    memop_free_stolen(&c);
    ck_assert_uint_eq(sim.freed, 1);
    ck_assert_uint_eq(mfn_to_page(a)->owner, PAGE_OWNER_NONE);
}
END_TEST

START_TEST(test_frame_chain_order)
{
    struct frame_chain c;
    unsigned long m[3] = { alloc(D1), alloc(D1), alloc(D1) };

    frame_chain_init(&c);
    ck_assert_uint_eq(frame_chain_take(&c), INVALID_MFN32);
    for ( unsigned int i = 0; i < 3; i++ )
        frame_chain_add(&c, m[i]);
    for ( unsigned int i = 0; i < 3; i++ )
        ck_assert_uint_eq(frame_chain_take(&c), m[i]);
    ck_assert_uint_eq(frame_chain_take(&c), INVALID_MFN32);
    ck_assert_uint_eq(c.n, 0);
}
END_TEST

/* Frames 0xa0-0xef are nobody's to map; 0xf0 on, and 0x100000 on, are. */
static bool io_ok(unsigned long mfn)
{
    return mfn < 0xa0 || mfn >= 0xf0;
}

static const struct e820_range qemu_map[] = {
    { 0x0, 0x9fc00, E820_RAM },
    { 0x9fc00, 0x400, E820_RESERVED },
    { 0xf0000, 0x10000, E820_RESERVED },
    { 0x100000, 0x1fee0000, E820_RAM },
};

static uint64_t addr_of(const struct xen_e820_entry *e)
{
    return e->addr_lo | ((uint64_t)e->addr_hi << 32);
}

static uint64_t size_of(const struct xen_e820_entry *e)
{
    return e->size_lo | ((uint64_t)e->size_hi << 32);
}

START_TEST(test_machine_map_reports_unmappable_gaps)
{
    struct xen_e820_entry out[2 * 4 + 1];

    ck_assert_int_eq(e820_machine_map(qemu_map, 4, io_ok, 0x20000, NULL, 0),
                     5);
    ck_assert_int_eq(e820_machine_map(qemu_map, 4, io_ok, 0x20000, out, 6),
                     5);
    ck_assert_uint_eq(addr_of(&out[2]), 0xa0000);
    ck_assert_uint_eq(size_of(&out[2]), 0x50000);
    ck_assert_uint_eq(out[2].type, E820_RESERVED);
    ck_assert_uint_eq(addr_of(&out[4]), 0x100000);
    ck_assert_uint_eq(size_of(&out[4]), 0x1fee0000);
    ck_assert_uint_eq(out[4].type, E820_RAM);
    /* Everything mappable: the boot map as it is. */
    ck_assert_int_eq(e820_machine_map(qemu_map, 4, io_ok, 0x10, out, 6), 4);
    ck_assert_uint_eq(addr_of(&out[2]), 0xf0000);
}
END_TEST

START_TEST(test_machine_map_room)
{
    struct xen_e820_entry out[2 * 4 + 1];

    /* One spare beyond the boot map, then room for the gap entry too. */
    ck_assert_int_eq(e820_machine_map(qemu_map, 4, io_ok, 0x20000, out, 4),
                     -EINVAL);
    ck_assert_int_eq(e820_machine_map(qemu_map, 4, io_ok, 0x20000, out, 5),
                     -EINVAL);
    ck_assert_int_eq(e820_machine_map(qemu_map, 4, io_ok, 0x10, out, 5), 4);
}
END_TEST

/* Past the last entry: a run is reported only if a mappable frame ends it. */
static bool io_ok_tail(unsigned long mfn)
{
    return mfn < 0x20000 || mfn >= 0x20010;
}

START_TEST(test_machine_map_tail)
{
    struct xen_e820_entry out[2 * 4 + 1];

    ck_assert_int_eq(e820_machine_map(qemu_map, 4, io_ok_tail, 0x30000, out,
                                      9), 5);
    ck_assert_uint_eq(addr_of(&out[4]), 0x20000000);
    ck_assert_uint_eq(size_of(&out[4]), 0x10000);
    ck_assert_int_eq(e820_machine_map(qemu_map, 4, io_ok_tail, 0x20008, out,
                                      9), 5);
    ck_assert_uint_eq(size_of(&out[4]), 0x8000);
}
END_TEST

Suite *memop_suite(void)
{
    Suite *s = suite_create("memop");
    TCase *tc = tcase_create("rules");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_max_order);
    tcase_add_test(tc, test_decode_counts);
    tcase_add_test(tc, test_decode_address_bits);
    tcase_add_test(tc, test_decode_nodes_and_pod);
    tcase_add_test(tc, test_order_ok);
    tcase_add_test(tc, test_remove_plain_frame);
    tcase_add_test(tc, test_remove_mapped_frame_waits);
    tcase_add_test(tc, test_remove_pinned_table_keeps_pin);
    tcase_add_test(tc, test_steal_only_unreferenced_frames);
    tcase_add_test(tc, test_frame_chain_order);
    tcase_add_test(tc, test_machine_map_reports_unmappable_gaps);
    tcase_add_test(tc, test_machine_map_room);
    tcase_add_test(tc, test_machine_map_tail);
    suite_add_tcase(s, tc);
    return s;
}
