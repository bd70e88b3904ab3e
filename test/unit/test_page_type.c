/*
 * Unit tests for hypervisor/arch/x86/mm/page_type.c and pt_entry.c: one
 * test per rule, each checking both the answer and that a refused
 * request left every count as it was.
 */
#include <string.h>

#include "pt_sim.h"
#include "unit.h"

#define D1 1
#define D2 2

static void setup(void)
{
    test_log_reset();
    pt_sim_reset();
}

static const struct pt_ctx self1 = { D1, D1 };

/* A snapshot of every frame's counts, to prove a refusal changed nothing. */
struct snap
{
    struct page_info pg[PT_SIM_FRAMES];
};

static void snap_take(struct snap *s)
{
    memcpy(s->pg, frame_table, sizeof(s->pg));
}

static void snap_same(const struct snap *s)
{
    ck_assert_mem_eq(s->pg, frame_table, sizeof(s->pg));
}

/* An L1 of D1 whose entry 0 is e; pinning it must give rc. */
static void pin_l1_with(pte_t e, int rc)
{
    unsigned long l1 = pt_sim_alloc(D1);
    struct snap s;

    pt_sim_frame(l1)[0] = e;
    snap_take(&s);
    ck_assert_int_eq(pt_pin(l1, D1, 1), rc);
    if ( rc )
        snap_same(&s);
}

START_TEST(test_l1_maps_own_frame_writable)
{
    unsigned long l1 = pt_sim_alloc(D1), f = pt_sim_alloc(D1);

    pt_sim_frame(l1)[5] = pte(f, P | RW);
    ck_assert_int_eq(pt_pin(l1, D1, 1), 0);
    ck_assert_uint_eq(type_of(l1), PGT_l1);
    ck_assert_uint_eq(tcount(l1), 1);
    ck_assert(mfn_to_page(l1)->type_info & PGT_pinned);
    ck_assert_uint_eq(type_of(f), PGT_writable);
    ck_assert_uint_eq(tcount(f), 1);
    ck_assert_uint_eq(gcount(f), 2);
    /* Kernel mapping: the hypervisor adds user and the kernel marker. */
    ck_assert_uint_eq(pt_sim_frame(l1)[5],
                      pte(f, P | RW | _PAGE_USER | _PAGE_GUEST_KERNEL));
    ck_assert_int_eq(pt_unpin(l1, D1), 0);
    ck_assert_uint_eq(type_of(f), PGT_none);
    ck_assert_uint_eq(gcount(f), 1);
    ck_assert_uint_eq(gcount(l1), 1);
}
END_TEST

START_TEST(test_l1_refuses_writable_self)
{
    unsigned long l1 = pt_sim_alloc(D1);

    pt_sim_frame(l1)[0] = pte(l1, P | RW);
    ck_assert_int_eq(pt_pin(l1, D1, 1), -EINVAL);
    ck_assert_uint_eq(tcount(l1), 0);
    ck_assert_uint_eq(gcount(l1), 1);
    /* Read-only it is fine, and unwinds to nothing. */
    pt_sim_frame(l1)[0] = pte(l1, P);
    ck_assert_int_eq(pt_pin(l1, D1, 1), 0);
    ck_assert_uint_eq(gcount(l1), 3);
    ck_assert_int_eq(pt_unpin(l1, D1), 0);
    ck_assert_uint_eq(gcount(l1), 1);
}
END_TEST

START_TEST(test_l1_refuses_foreign_xen_free_frames)
{
    pin_l1_with(pte(pt_sim_alloc(D2), P), -EINVAL);
    pin_l1_with(pte(PT_SIM_XEN_MFN, P), -EINVAL);
    pin_l1_with(pte(PT_SIM_FRAMES - 1, P), -EINVAL);    /* free */
}
END_TEST

START_TEST(test_l1_io_frames)
{
    unsigned long l1;

    /* Unprivileged: MMIO beyond RAM or DOMID_IO's frames are refused. */
    pin_l1_with(pte(0xfee00, P | RW), -EPERM);
    pin_l1_with(pte(PT_SIM_IO_MFN, P), -EPERM);
    pin_l1_with(pte(PTE_ADDR_MASK >> PAGE_SHIFT, P), -EINVAL);
    /* Privileged: allowed, uncounted, forced uncacheable. */
    l1 = pt_sim_alloc(PT_SIM_PRIV);
    pt_sim_frame(l1)[0] = pte(0xfee00, P | RW);
    pt_sim_frame(l1)[1] = pte(PT_SIM_IO_MFN, P | _PAGE_PCD | _PAGE_PWT);
    ck_assert_int_eq(pt_pin(l1, PT_SIM_PRIV, 1), 0);
    ck_assert_uint_eq(pt_sim_frame(l1)[0] & PTE_CACHE_ATTRS,
                      _PAGE_PCD | _PAGE_PWT);
    ck_assert_uint_eq(gcount(PT_SIM_IO_MFN), 1);
    ck_assert_int_eq(pt_unpin(l1, PT_SIM_PRIV), 0);
    ck_assert_uint_eq(gcount(PT_SIM_IO_MFN), 1);
    /* Even privileged: nothing beyond the physical address width. */
    pt_sim_frame(l1)[0] = pte(1UL << 28, P);
    pt_sim_frame(l1)[1] = 0;
    ck_assert_int_eq(pt_pin(l1, PT_SIM_PRIV, 1), -EPERM);
    pt_sim_frame(l1)[0] = pte(PTE_ADDR_MASK >> PAGE_SHIFT, P);
    ck_assert_int_eq(pt_pin(l1, PT_SIM_PRIV, 1), -EINVAL);
}
END_TEST

START_TEST(test_flag_rules)
{
    unsigned long f = pt_sim_alloc(D1);

    pin_l1_with(pte(f, P | _PAGE_PCD), -EINVAL);        /* no I/O rights */
    pin_l1_with(pte(f, P | PTE_GNTTAB), -EINVAL);       /* grant bit */
    pin_l1_with(pte(f, P | (1UL << 51)), -EPERM);       /* not RAM */
    pin_l1_with(pte(f, P | _PAGE_GLOBAL | _PAGE_AVAIL | (1UL << 52) |
                       (1UL << 61) | _PAGE_NX | _PAGE_ACCESSED |
                       _PAGE_DIRTY | _PAGE_USER), 0);
}
END_TEST

/* An L2 of D1 with entry 0 = e (pointing at a fresh L1 if e has no mfn). */
static int pin_l2_with(pte_t flags)
{
    unsigned long l2 = pt_sim_alloc(D1), l1 = pt_sim_alloc(D1);

    pt_sim_frame(l2)[0] = pte(l1, flags);
    return pt_pin(l2, D1, 2);
}

START_TEST(test_no_superpages_or_upper_cache_bits)
{
    ck_assert_int_eq(pin_l2_with(P | RW | _PAGE_PSE), -EINVAL);
    ck_assert_int_eq(pin_l2_with(P | RW | _PAGE_GLOBAL), -EINVAL);
    ck_assert_int_eq(pin_l2_with(P | RW | _PAGE_PCD), -EINVAL);
    ck_assert_int_eq(pin_l2_with(P | RW | _PAGE_ACCESSED | _PAGE_DIRTY), 0);
}
END_TEST

/* L4 -> L3 -> L2 -> L1 -> data, all of D1; returns the L4. */
static unsigned long build_tree(unsigned long *l3, unsigned long *l2,
                                unsigned long *l1, unsigned long *data)
{
    unsigned long l4 = pt_sim_alloc(D1);

    *l3 = pt_sim_alloc(D1);
    *l2 = pt_sim_alloc(D1);
    *l1 = pt_sim_alloc(D1);
    *data = pt_sim_alloc(D1);
    pt_sim_frame(l4)[0] = pte(*l3, P | RW);
    pt_sim_frame(*l3)[0] = pte(*l2, P | RW);
    pt_sim_frame(*l2)[0] = pte(*l1, P | RW);
    pt_sim_frame(*l1)[0] = pte(*data, P | RW);
    pt_sim_frame(*l1)[1] = pte(*l1, P);             /* sees itself */
    return l4;
}

START_TEST(test_recursive_validation_and_release)
{
    unsigned long l3, l2, l1, data, l4 = build_tree(&l3, &l2, &l1, &data);

    ck_assert_int_eq(pt_pin(l4, D1, 4), 0);
    ck_assert_uint_eq(type_of(l3), PGT_l3);
    ck_assert_uint_eq(type_of(l2), PGT_l2);
    ck_assert_uint_eq(type_of(l1), PGT_l1);
    ck_assert_uint_eq(type_of(data), PGT_writable);
    ck_assert_uint_eq(gcount(l1), 3);   /* allocation, L2 entry, itself */
    /* The hypervisor's slots were installed. */
    ck_assert_uint_eq(pt_sim_frame(l4)[HYPERVISOR_SLOT_FIRST],
                      pte(PT_SIM_XEN_MFN, P | RW));
    ck_assert_uint_ge(sim.flushes, 4);

    /* In use: the L1 cannot become writable or a different table. */
    ck_assert_int_eq(get_page_and_type(l1, D1, PGT_writable), -EINVAL);
    ck_assert_int_eq(pt_pin(l1, D1, 2), -EINVAL);
    ck_assert_int_eq(get_page_and_type(l1, D1, PGT_seg_desc), -EINVAL);

    ck_assert_int_eq(pt_unpin(l4, D1), 0);
    ck_assert_uint_eq(type_of(l3) | type_of(l2) | type_of(l1) |
                      type_of(data) | type_of(l4), PGT_none);
    ck_assert_uint_eq(gcount(l4) + gcount(l3) + gcount(l2) + gcount(l1) +
                      gcount(data), 5);
}
END_TEST

START_TEST(test_failed_validation_unwinds_everything)
{
    unsigned long l3, l2, l1, data, l4 = build_tree(&l3, &l2, &l1, &data);
    struct snap s;

    pt_sim_frame(l1)[7] = pte(pt_sim_alloc(D2), P);     /* bad, deep down */
    snap_take(&s);
    ck_assert_int_eq(pt_pin(l4, D1, 4), -EINVAL);
    snap_same(&s);
}
END_TEST

START_TEST(test_pins_do_not_nest)
{
    unsigned long l1 = pt_sim_alloc(D1);

    ck_assert_int_eq(pt_unpin(l1, D1), -EINVAL);
    ck_assert_int_eq(pt_pin(l1, D1, 1), 0);
    ck_assert_int_eq(pt_pin(l1, D1, 1), -EINVAL);
    ck_assert_int_eq(pt_pin(l1, D1, 0), -EINVAL);
    ck_assert_int_eq(pt_pin(l1, D1, 5), -EINVAL);
    ck_assert_int_eq(pt_unpin(l1, D2), -EINVAL);        /* not D2's */
    ck_assert_uint_eq(tcount(l1), 1);
    ck_assert_int_eq(pt_unpin(l1, D1), 0);
    ck_assert_int_eq(pt_unpin(l1, D1), -EINVAL);
}
END_TEST

START_TEST(test_unpin_of_table_in_use_keeps_it_valid)
{
    unsigned long l3, l2, l1, data, l4 = build_tree(&l3, &l2, &l1, &data);

    ck_assert_int_eq(pt_pin(l1, D1, 1), 0);
    ck_assert_int_eq(pt_pin(l4, D1, 4), 0);
    ck_assert_uint_eq(tcount(l1), 2);
    ck_assert_int_eq(pt_unpin(l1, D1), 0);
    ck_assert_uint_eq(type_of(l1), PGT_l1);
    ck_assert_uint_eq(tcount(l1), 1);
    ck_assert_int_eq(pt_unpin(l4, D1), 0);
    ck_assert_uint_eq(type_of(l1), PGT_none);
}
END_TEST

START_TEST(test_descriptor_type_conflicts)
{
    unsigned long f = pt_sim_alloc(D1), l1 = pt_sim_alloc(D1);

    ck_assert_int_eq(get_page_and_type(f, D1, PGT_seg_desc), 0);
    ck_assert_int_eq(pt_pin(f, D1, 1), -EINVAL);
    pt_sim_frame(l1)[0] = pte(f, P | RW);
    ck_assert_int_eq(pt_pin(l1, D1, 1), -EINVAL);
    put_page_and_type(f);
    ck_assert_int_eq(pt_pin(l1, D1, 1), 0);
    ck_assert_int_eq(get_page_and_type(f, D1, PGT_seg_desc), -EINVAL);
    sim.desc_rc = -EINVAL;
    ck_assert_int_eq(get_page_and_type(pt_sim_alloc(D1), D1, PGT_seg_desc),
                     -EINVAL);
}
END_TEST

START_TEST(test_linear_entries)
{
    unsigned long a = pt_sim_alloc(D1), b = pt_sim_alloc(D1);
    unsigned long c = pt_sim_alloc(D1), d = pt_sim_alloc(D1);

    /* Self-map: read-only only, and free of references. */
    pt_sim_frame(a)[1] = pte(a, P | RW);
    ck_assert_int_eq(pt_pin(a, D1, 4), -EINVAL);
    pt_sim_frame(a)[1] = pte(a, P);
    ck_assert_int_eq(pt_pin(a, D1, 4), 0);
    ck_assert_uint_eq(gcount(a), 2);
    /* Another validated L4, read-only: fine, and counted both ways. */
    ck_assert_int_eq(pt_pin(b, D1, 4), 0);
    ck_assert_int_eq(pt_update_entry(a, 2, pte(b, P | RW), &self1, false),
                     -EINVAL);
    ck_assert_int_eq(pt_update_entry(a, 2, pte(b, P), &self1, false), 0);
    ck_assert_int_eq(mfn_to_page(a)->linear_pt, 1);
    ck_assert_int_eq(mfn_to_page(b)->linear_pt, -1);
    ck_assert_uint_eq(tcount(b), 2);
    /* No chains: a target may not hold linear entries, nor the reverse. */
    ck_assert_int_eq(pt_pin(c, D1, 4), 0);
    ck_assert_int_eq(pt_update_entry(c, 3, pte(a, P), &self1, false),
                     -EINVAL);
    ck_assert_int_eq(pt_update_entry(b, 3, pte(c, P), &self1, false),
                     -EINVAL);
    /* A fresh frame is not a linear target: it becomes a plain L3. */
    ck_assert_int_eq(pt_update_entry(a, 4, pte(d, P), &self1, false), 0);
    ck_assert_uint_eq(type_of(d), PGT_l3);
    ck_assert_int_eq(mfn_to_page(d)->linear_pt, 0);
    ck_assert_int_eq(pt_update_entry(a, 2, 0, &self1, false), 0);
    ck_assert_int_eq(mfn_to_page(a)->linear_pt, 0);
    ck_assert_int_eq(mfn_to_page(b)->linear_pt, 0);
    ck_assert_uint_eq(tcount(b), 1);
}
END_TEST

START_TEST(test_hypervisor_slots_are_not_the_guests)
{
    unsigned long l4 = pt_sim_alloc(D1), l3 = pt_sim_alloc(D1);

    /* Whatever the guest left there is replaced, never validated. */
    pt_sim_frame(l4)[HYPERVISOR_SLOT_FIRST] = pte(pt_sim_alloc(D2), P | RW);
    ck_assert_int_eq(pt_pin(l4, D1, 4), 0);
    ck_assert_uint_eq(pt_sim_frame(l4)[HYPERVISOR_SLOT_FIRST],
                      pte(PT_SIM_XEN_MFN, P | RW));
    for ( unsigned int s = HYPERVISOR_SLOT_FIRST; s <= HYPERVISOR_SLOT_LAST;
          s++ )
        ck_assert_int_eq(pt_update_entry(l4, s, pte(l3, P | RW), &self1,
                                         false), -EINVAL);
    ck_assert_int_eq(pt_update_entry(l4, HYPERVISOR_SLOT_FIRST - 1,
                                     pte(l3, P | RW), &self1, false), 0);
    ck_assert_int_eq(pt_update_entry(l4, HYPERVISOR_SLOT_LAST + 1,
                                     pte(l3, P | RW), &self1, false), 0);
    ck_assert_uint_eq(tcount(l3), 2);
}
END_TEST

START_TEST(test_update_l1_moves_references)
{
    unsigned long l1 = pt_sim_alloc(D1), f = pt_sim_alloc(D1);
    unsigned long g = pt_sim_alloc(D1);

    ck_assert_int_eq(pt_pin(l1, D1, 1), 0);
    ck_assert_int_eq(pt_update_entry(l1, 9, pte(f, P | RW), &self1, false),
                     0);
    ck_assert_uint_eq(type_of(f), PGT_writable);
    /* Read-only now: the writable reference goes. */
    ck_assert_int_eq(pt_update_entry(l1, 9, pte(f, P), &self1, false), 0);
    ck_assert_uint_eq(type_of(f), PGT_none);
    ck_assert_uint_eq(gcount(f), 2);
    /* Accessed/dirty only: fast path, no reference change. */
    ck_assert_int_eq(pt_update_entry(l1, 9, pte(f, P | _PAGE_DIRTY),
                                     &self1, false), 0);
    ck_assert_uint_eq(gcount(f), 2);
    /* Bad flags on the fast path are still refused. */
    ck_assert_int_eq(pt_update_entry(l1, 9, pte(f, P | _PAGE_PCD), &self1,
                                     false), -EINVAL);
    /* Another frame. */
    ck_assert_int_eq(pt_update_entry(l1, 9, pte(g, P | RW), &self1, false),
                     0);
    ck_assert_uint_eq(gcount(f), 1);
    ck_assert_uint_eq(gcount(g), 2);
    /* Preserve A/D: the hardware's bits survive the guest's write. */
    pt_sim_frame(l1)[9] |= _PAGE_ACCESSED | _PAGE_DIRTY;
    ck_assert_int_eq(pt_update_entry(l1, 9, pte(g, P | RW), &self1, true),
                     0);
    ck_assert_uint_eq(pt_sim_frame(l1)[9] & (_PAGE_ACCESSED | _PAGE_DIRTY),
                      _PAGE_ACCESSED | _PAGE_DIRTY);
    ck_assert_int_eq(pt_update_entry(l1, 9, 0, &self1, false), 0);
    ck_assert_uint_eq(gcount(g), 1);
    ck_assert_uint_eq(type_of(g), PGT_none);
}
END_TEST

START_TEST(test_update_plain_and_foreign)
{
    unsigned long plain = pt_sim_alloc(D1), desc = pt_sim_alloc(D1);
    unsigned long l1 = pt_sim_alloc(PT_SIM_PRIV), l2 = pt_sim_alloc(D1);
    unsigned long f2 = pt_sim_alloc(D2);
    const struct pt_ctx foreign = { PT_SIM_PRIV, D2 };
    const struct pt_ctx d1_for_d2 = { D1, D2 };

    /* Not a table: written as data, nothing validated. */
    ck_assert_int_eq(pt_update_entry(plain, 3, 0x1234567, &self1, false), 0);
    ck_assert_uint_eq(pt_sim_frame(plain)[3], 0x1234567);
    ck_assert_uint_eq(type_of(plain), PGT_none);
    /* A descriptor table is not writable that way. */
    ck_assert_int_eq(get_page_and_type(desc, D1, PGT_seg_desc), 0);
    ck_assert_int_eq(pt_update_entry(desc, 0, 0, &self1, false), -EINVAL);
    /* Foreign L1 entries name the foreign owner's frames. */
    ck_assert_int_eq(pt_pin(l1, PT_SIM_PRIV, 1), 0);
    ck_assert_int_eq(pt_update_entry(l1, 0, pte(f2, P | RW), &foreign,
                                     false), 0);
    ck_assert_uint_eq(gcount(f2), 2);
    ck_assert_int_eq(pt_update_entry(l1, 1, pte(desc, P), &foreign, false),
                     -EINVAL);
    /* Above L1 a foreign owner makes no sense. */
    ck_assert_int_eq(pt_pin(l2, D1, 2), 0);
    ck_assert_int_eq(pt_update_entry(l2, 0, 0, &d1_for_d2, false), -EINVAL);
}
END_TEST

/*
 * Log-dirty's hooks: a tracked domain's writable L1 entries carry the
 * mark however they are written (validation, a new frame, a flags-only
 * update), read-only ones never; a frame mapped writable by a domain
 * other than its owner is reported dirty at map and again at unmap,
 * since its owner cannot see the stores in between.
 */
START_TEST(test_logdirty_hooks)
{
    unsigned long l1 = pt_sim_alloc(D1), f = pt_sim_alloc(D1);
    unsigned long g = pt_sim_alloc(D1), priv_l1 = pt_sim_alloc(PT_SIM_PRIV);
    const struct pt_ctx foreign = { PT_SIM_PRIV, D1 };
    pte_t *e = pt_sim_frame(l1);

    sim.tracked = 1 + D1;
    e[0] = pte(f, P | RW | _PAGE_USER);
    e[1] = pte(g, P | _PAGE_USER);
    ck_assert_int_eq(pt_pin(l1, D1, 1), 0);
    ck_assert(e[0] & PT_SIM_LD_MARK);
    ck_assert(!(e[1] & PT_SIM_LD_MARK));
    /* Accessed and dirty only: the fast path keeps the mark too. */
    ck_assert_int_eq(pt_update_entry(l1, 0, pte(f, P | RW | _PAGE_USER |
                                               _PAGE_DIRTY), &self1, false),
                     0);
    ck_assert(e[0] & PT_SIM_LD_MARK);
    ck_assert_int_eq(pt_update_entry(l1, 1, pte(g, P | RW | _PAGE_USER),
                                     &self1, false), 0);
    ck_assert(e[1] & PT_SIM_LD_MARK);
    ck_assert_int_eq(pt_update_entry(l1, 1, pte(g, P | _PAGE_USER), &self1,
                                     false), 0);
    ck_assert(!(e[1] & PT_SIM_LD_MARK));

    ck_assert_int_eq(pt_pin(priv_l1, PT_SIM_PRIV, 1), 0);
    sim.dirtied = 0;
    ck_assert_int_eq(pt_update_entry(priv_l1, 0, pte(g, P | RW), &foreign,
                                     false), 0);
    ck_assert(!(pt_sim_frame(priv_l1)[0] & PT_SIM_LD_MARK));
    ck_assert_uint_ge(sim.dirtied, 1);
    ck_assert_uint_eq(sim.last_dirty, priv_l1);     /* its entry changed */
    sim.dirtied = 0;
    ck_assert_int_eq(pt_update_entry(priv_l1, 0, 0, &foreign, false), 0);
    ck_assert_uint_eq(sim.dirtied, 2);          /* g, then the table */
    sim.dirtied = 0;
    ck_assert_int_eq(pt_update_entry(priv_l1, 1, pte(g, P), &foreign, false),
                     0);
    ck_assert_uint_eq(sim.dirtied, 1);          /* read-only: the table */
}
END_TEST

START_TEST(test_teardown_frees_every_frame)
{
    unsigned long l3, l2, l1, data, l4 = build_tree(&l3, &l2, &l1, &data);
    unsigned long all[] = { l4, l3, l2, l1, data };

    ck_assert_int_eq(pt_pin(l4, D1, 4), 0);
    ck_assert_int_eq(get_page_and_type(l4, D1, PGT_l4), 0);    /* CR3 */
    /* The domain lets go of its allocations first, as a destroy does. */
    for ( unsigned int i = 0; i < ARRAY_SIZE(all); i++ )
        pt_sim_release(all[i]);
    ck_assert_uint_eq(sim.freed, 0);
    put_page_and_type(l4);                                      /* CR3 */
    ck_assert_uint_eq(sim.freed, 0);
    ck_assert_int_eq(pt_unpin(l4, D1), 0);
    ck_assert_uint_eq(sim.freed, ARRAY_SIZE(all));
}
END_TEST

Suite *page_type_suite(void)
{
    Suite *s = suite_create("page_type");
    TCase *tc = tcase_create("rules");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_l1_maps_own_frame_writable);
    tcase_add_test(tc, test_l1_refuses_writable_self);
    tcase_add_test(tc, test_l1_refuses_foreign_xen_free_frames);
    tcase_add_test(tc, test_l1_io_frames);
    tcase_add_test(tc, test_flag_rules);
    tcase_add_test(tc, test_no_superpages_or_upper_cache_bits);
    tcase_add_test(tc, test_recursive_validation_and_release);
    tcase_add_test(tc, test_failed_validation_unwinds_everything);
    tcase_add_test(tc, test_pins_do_not_nest);
    tcase_add_test(tc, test_unpin_of_table_in_use_keeps_it_valid);
    tcase_add_test(tc, test_descriptor_type_conflicts);
    tcase_add_test(tc, test_linear_entries);
    tcase_add_test(tc, test_hypervisor_slots_are_not_the_guests);
    tcase_add_test(tc, test_update_l1_moves_references);
    tcase_add_test(tc, test_update_plain_and_foreign);
    tcase_add_test(tc, test_teardown_frees_every_frame);
    tcase_add_test(tc, test_logdirty_hooks);
    suite_add_tcase(s, tc);
    return s;
}
