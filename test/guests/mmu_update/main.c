/*
 * mmu_update: normal, preserve-A/D and machphys updates, batches and
 * their partial counts, foreign-domain arguments, and the hostile cases
 * of the page-type rules: mapping one's own tables writable, frames that
 * are not ours, bad flags, the hypervisor's L4 slots, writable linear
 * maps. Expected values are Xen 4.17's (xen/arch/x86/mm.c do_mmu_update,
 * mod_l[1-4]_entry, get_page_from_l[1-4]e; get_pg_owner in
 * xen/common/page_alloc.c).
 */
#include "test.h"

const char test_title[] = "mmu_update";

#define P   0x001ULL
#define RW  0x002ULL
#define A   0x020ULL
#define D   0x040ULL
#define PSE 0x080ULL
#define M2P ((const uint64_t *)0xffff800000000000ULL)

static uint64_t l1, l2, data, data2;

static struct mmu_update req(uint64_t table, unsigned int slot, uint64_t val)
{
    struct mmu_update r = { (table << 12) + slot * 8, val };

    return r;
}

static long upd(uint64_t table, unsigned int slot, uint64_t val)
{
    struct mmu_update r = req(table, slot, val);

    return HYPERVISOR_mmu_update(&r, 1, NULL, DOMID_SELF);
}

static uint64_t peek(uint64_t table, unsigned int slot)
{
    const uint64_t *p = scratch_map(table, P);
    uint64_t v = p ? p[slot] : ~0ULL;

    scratch_unmap();
    return v;
}

static long pin(unsigned int cmd, uint64_t mfn)
{
    struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };

    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static void test_l1_rules(void)
{
    uint64_t l4 = virt_to_mfn((void *)(uintptr_t)start_info->pt_base);

    /* Not a table yet: plain data. */
    CHECK_RC(upd(l1, 0, (data << 12) | P | RW), 0);
    CHECK_RC(pin(MMUEXT_PIN_L1_TABLE, l1), 0);
    CHECK_RC(pin(MMUEXT_PIN_L1_TABLE, l1), -XEN_EINVAL);
    /* Now it is data's writable mapping: data cannot become a table. */
    CHECK_RC(pin(MMUEXT_PIN_L1_TABLE, data), -XEN_EINVAL);
    /* Our own tables, writable: never. Read-only: fine. */
    CHECK_RC(upd(l1, 1, (l1 << 12) | P | RW), -XEN_EINVAL);
    CHECK_RC(upd(l1, 1, (l4 << 12) | P | RW), -XEN_EINVAL);
    CHECK_RC(upd(l1, 1, (l1 << 12) | P), 0);
    CHECK_RC(upd(l1, 2, (l4 << 12) | P), 0);
    /* The hypervisor's frames (free ones: see the unit tests). */
    CHECK_RC(upd(l1, 3, (0x200ULL << 12) | P), -XEN_EINVAL);
    CHECK_RC(upd(l1, 3, (0x200ULL << 12) | P | RW), -XEN_EINVAL);
    /*
     * The first MiB and the map's holes are DOMID_IO's, which dom0 may
     * map (Xen's arch_init_memory): the VGA text buffer, and a BIOS
     * ROM frame. Forced uncacheable, so PCD|PWT appear.
     */
    CHECK_RC(upd(l1, 3, (0xb8ULL << 12) | P | RW), 0);
    CHECK_RC(upd(l1, 3, (0xf0ULL << 12) | P), 0);
    if ( (peek(l1, 3) & 0x18) != 0x18 )
        test_fail("I/O frame mapped without UC: %#lx", peek(l1, 3));
    CHECK_RC(upd(l1, 3, 0), 0);
    /* Flags: grant bit and PAT/PSE bit are refused; kept bits stay. */
    CHECK_RC(upd(l1, 3, (data2 << 12) | P | (1ULL << 62)), -XEN_EINVAL);
    CHECK_RC(upd(l1, 3, (data2 << 12) | P | A | D | (1ULL << 55) |
                        (1ULL << 63)), 0);
    if ( (peek(l1, 3) & ~0xfffULL & ((1ULL << 52) - 1)) != data2 << 12 )
        test_fail("entry 3 reads back %#lx", peek(l1, 3));
    /* A kernel mapping comes back with user and bit 52 set. */
    if ( !(peek(l1, 3) & 4) || !(peek(l1, 3) & (1ULL << 52)) )
        test_fail("entry 3 not adjusted: %#lx", peek(l1, 3));
    /* Preserve A/D: the old bits survive. */
    CHECK_RC(upd(l1, 3, (data2 << 12) | P), 0);
    {
        struct mmu_update r = req(l1, 3, (data2 << 12) | P | A | D);

        CHECK_RC(HYPERVISOR_mmu_update(&r, 1, NULL, DOMID_SELF), 0);
        r = req(l1, 3, (data2 << 12) | P);
        r.ptr |= MMU_PT_UPDATE_PRESERVE_AD;
        CHECK_RC(HYPERVISOR_mmu_update(&r, 1, NULL, DOMID_SELF), 0);
        if ( (peek(l1, 3) & (A | D)) != (A | D) )
            test_fail("PRESERVE_AD lost A/D: %#lx", peek(l1, 3));
    }
}

static void test_upper_levels(void)
{
    uint64_t l4 = virt_to_mfn((void *)(uintptr_t)start_info->pt_base);

    CHECK_RC(upd(l2, 0, (l1 << 12) | P | RW), 0);
    CHECK_RC(pin(MMUEXT_PIN_L2_TABLE, l2), 0);
    /* No superpages; an L1 in use is not an L2 or descriptor page. */
    CHECK_RC(upd(l2, 1, (data2 << 12) | P | RW | PSE), -XEN_EINVAL);
    CHECK_RC(pin(MMUEXT_PIN_L2_TABLE, l1), -XEN_EINVAL);
    {
        uint64_t frames[1] = { l1 };

        CHECK_RC(HYPERVISOR_set_gdt(frames, 512), -XEN_EINVAL);
    }
    /* Linear maps: read-only only. */
    CHECK_RC(upd(l2, 2, (l2 << 12) | P | RW), -XEN_EINVAL);
    CHECK_RC(upd(l2, 2, (l2 << 12) | P), 0);
    CHECK_RC(upd(l4, 300, (l4 << 12) | P | RW), -XEN_EINVAL);
    CHECK_RC(upd(l4, 300, (l4 << 12) | P), 0);
    {
        /* Through the self-map at slot 300 the L4 reads itself. */
        const uint64_t s = 300;
        const volatile uint64_t *self = (const uint64_t *)
            (0xffff000000000000ULL | s << 39 | s << 30 | s << 21 | s << 12);

        if ( (self[300] >> 12 & ((1ULL << 40) - 1)) != l4 )
            test_fail("self-map reads %#lx", self[300]);
    }
    CHECK_RC(upd(l4, 300, 0), 0);
    /* The hypervisor's slots are not ours to change. */
    CHECK_RC(upd(l4, 256, 0), -XEN_EINVAL);
    CHECK_RC(upd(l4, 261, (l2 << 12) | P), -XEN_EINVAL);
    CHECK_RC(upd(l4, 271, 0), -XEN_EINVAL);
}

static void test_batches(void)
{
    static struct mmu_update big[4096];
    struct mmu_update r[3];
    unsigned int done = 99;

    r[0] = req(l1, 10, (data2 << 12) | P);
    r[1] = req(l1, 11, (l1 << 12) | P | RW);           /* refused */
    r[2] = req(l1, 12, (data2 << 12) | P);
    CHECK_RC(HYPERVISOR_mmu_update(r, 3, &done, DOMID_SELF), -XEN_EINVAL);
    if ( done != 1 )
        test_fail("done = %u after a bad second item, want 1", done);
    if ( !(peek(l1, 10) & P) || (peek(l1, 12) & P) )
        test_fail("batch applied %#lx / %#lx", peek(l1, 10), peek(l1, 12));
    /* Unknown command, unreadable list. */
    r[0].ptr |= 5;
    CHECK_RC(HYPERVISOR_mmu_update(r, 1, &done, DOMID_SELF), -XEN_ENOSYS);
    CHECK_RC(hypercall4(__HYPERVISOR_mmu_update, BAD_HYPERVISOR, 1, 0,
                        DOMID_SELF), -XEN_EFAULT);
    /* Long batches (preempted and continued): every item, counted. */
    for ( unsigned int round = 0; round < 8; round++ )
    {
        for ( unsigned int i = 0; i < ARRAY_SIZE(big); i++ )
            big[i] = req(l1, 20 + i % 400, round & 1 ? 0
                                           : (data2 << 12) | P);
        done = 0;
        CHECK_RC(HYPERVISOR_mmu_update(big, ARRAY_SIZE(big), &done,
                                       DOMID_SELF), 0);
        if ( done != ARRAY_SIZE(big) )
            test_fail("round %u: done = %u", round, done);
    }
}

static void test_foreign_and_machphys(void)
{
    struct mmu_update r = req(l1, 5, 0);
    uint64_t pfn = start_info->nr_pages - 3;

    CHECK_RC(HYPERVISOR_mmu_update(&r, 1, NULL, 0), -XEN_ESRCH);
    CHECK_RC(HYPERVISOR_mmu_update(&r, 1, NULL, 7), -XEN_ESRCH);
    CHECK_RC(hypercall4(__HYPERVISOR_mmu_update, GADDR(&r), 1, 0,
                        (8U << 16) | DOMID_SELF), -XEN_ESRCH);
    /* The M2P is ours to read, not to write; machphys updates it. */
    if ( M2P[data2] != pfn )
        test_fail("M2P[%#lx] = %#lx, want %#lx", data2, M2P[data2], pfn);
    r.ptr = (data2 << 12) | MMU_MACHPHYS_UPDATE;
    r.val = 0x1234;
    CHECK_RC(HYPERVISOR_mmu_update(&r, 1, NULL, DOMID_SELF), 0);
    if ( M2P[data2] != 0x1234 )
        test_fail("machphys update not seen: %#lx", M2P[data2]);
    r.val = pfn;
    CHECK_RC(HYPERVISOR_mmu_update(&r, 1, NULL, DOMID_SELF), 0);
    r.ptr = (0x200ULL << 12) | MMU_MACHPHYS_UPDATE;
    CHECK_RC(HYPERVISOR_mmu_update(&r, 1, NULL, DOMID_SELF), -XEN_EINVAL);
    trap_expect(X86_EXC_PF);
    asm volatile ( TRAP_ASM_BEGIN "movq $1, (%[p])" TRAP_ASM_END
                   : TRAP_ASM_OUTPUTS : [p] "r" (M2P) : "memory" );
    if ( !trap_done() )
        test_fail("a write to the M2P did not fault");
}

static void test_release(void)
{
    CHECK_RC(pin(MMUEXT_UNPIN_TABLE, l2), 0);
    CHECK_RC(pin(MMUEXT_UNPIN_TABLE, l1), 0);
    CHECK_RC(pin(MMUEXT_UNPIN_TABLE, l1), -XEN_EINVAL);
    /* With the table gone, its writable mapping of data went too. */
    CHECK_RC(pin(MMUEXT_PIN_L1_TABLE, data), 0);
    CHECK_RC(pin(MMUEXT_UNPIN_TABLE, data), 0);
}

void test_main(void)
{
    l1 = spare_mfn(0);
    l2 = spare_mfn(1);
    data2 = spare_mfn(2);
    data = spare_mfn(3);
    test_l1_rules();
    test_upper_levels();
    test_batches();
    test_foreign_and_machphys();
    test_release();
    test_success();
}
