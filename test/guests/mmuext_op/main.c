/*
 * mmuext_op: base pointers, flushes, cache flush, LDT arguments, page
 * clear/copy, unknown and removed commands, and batch counting. Expected
 * values are Xen 4.17's do_mmuext_op (xen/arch/x86/mm.c).
 */
#include "test.h"

const char test_title[] = "mmuext_op";

#define P  0x001ULL
#define RW 0x002ULL

static uint8_t writable_page[4096] __page_aligned_bss;

static long op1(unsigned int cmd, uint64_t arg1, uint64_t arg2, domid_t dom)
{
    struct mmuext_op op = { .cmd = cmd, .arg1.mfn = arg1,
                            .arg2.src_mfn = arg2 };

    return HYPERVISOR_mmuext_op(&op, 1, NULL, dom);
}

/* A second L4 sharing our kernel mapping: switch to it and back. */
static void test_baseptr(void)
{
    const uint64_t *cur = (const uint64_t *)(uintptr_t)start_info->pt_base;
    uint64_t l4 = virt_to_mfn(cur), l4b = spare_mfn(0);
    struct mmu_update r = { (l4b << 12) + 511 * 8, cur[511] };
    volatile uint64_t probe = 0;

    CHECK_RC(HYPERVISOR_mmu_update(&r, 1, NULL, DOMID_SELF), 0);
    /* A frame mapped writable cannot be an L4. */
    CHECK_RC(op1(MMUEXT_NEW_BASEPTR, virt_to_mfn(&writable_page), 0,
                 DOMID_SELF), -XEN_EINVAL);
    CHECK_RC(op1(MMUEXT_PIN_L4_TABLE, l4b, 0, DOMID_SELF), 0);
    CHECK_RC(op1(MMUEXT_NEW_BASEPTR, l4b, 0, DOMID_SELF), 0);
    probe = cur[511];                               /* still mapped */
    CHECK_RC(op1(MMUEXT_NEW_BASEPTR, l4, 0, DOMID_SELF), 0);
    if ( probe != cur[511] )
        test_fail("the new L4 did not map the kernel the same way");
    CHECK_RC(op1(MMUEXT_NEW_BASEPTR, l4, 0, DOMID_IO), -XEN_EPERM);
    CHECK_RC(op1(MMUEXT_NEW_BASEPTR, l4, 0, 0), -XEN_ESRCH);
    CHECK_RC(op1(MMUEXT_NEW_USER_BASEPTR, l4b, 0, DOMID_SELF), 0);
    CHECK_RC(op1(MMUEXT_NEW_USER_BASEPTR, 0, 0, DOMID_SELF), 0);
    CHECK_RC(op1(MMUEXT_UNPIN_TABLE, l4b, 0, DOMID_SELF), 0);
    CHECK_RC(op1(MMUEXT_UNPIN_TABLE, l4b, 0, DOMID_SELF), -XEN_EINVAL);
}

static void test_flushes(void)
{
    uint64_t mask = 1;

    CHECK_RC(op1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0, DOMID_SELF), 0);
    CHECK_RC(op1(MMUEXT_INVLPG_LOCAL, VIRT_BASE, 0, DOMID_SELF), 0);
    CHECK_RC(op1(MMUEXT_INVLPG_LOCAL, BAD_NONCANONICAL, 0, DOMID_SELF), 0);
    CHECK_RC(op1(MMUEXT_TLB_FLUSH_ALL, 0, 0, DOMID_SELF), 0);
    CHECK_RC(op1(MMUEXT_INVLPG_ALL, VIRT_BASE, 0, DOMID_SELF), 0);
    CHECK_RC(op1(MMUEXT_TLB_FLUSH_MULTI, 0, GADDR(&mask), DOMID_SELF), 0);
    CHECK_RC(op1(MMUEXT_INVLPG_MULTI, VIRT_BASE, GADDR(&mask), DOMID_SELF),
             0);
    CHECK_RC(op1(MMUEXT_TLB_FLUSH_MULTI, 0, BAD_HYPERVISOR, DOMID_SELF),
             -XEN_EINVAL);
    CHECK_RC(op1(MMUEXT_INVLPG_MULTI, 0, BAD_UNMAPPED, DOMID_SELF),
             -XEN_EINVAL);
    CHECK_RC(op1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0, DOMID_IO), -XEN_EPERM);
    CHECK_RC(op1(MMUEXT_FLUSH_CACHE, 0, 0, DOMID_SELF), 0);  /* dom0 */
    CHECK_RC(op1(MMUEXT_FLUSH_CACHE_GLOBAL, 0, 0, DOMID_SELF), 0);
}

static void test_ldt_and_pages(void)
{
    uint64_t a = spare_mfn(2), b = spare_mfn(3);
    uint8_t *p;

    CHECK_RC(op1(MMUEXT_SET_LDT, 0, 0, DOMID_SELF), 0);
    CHECK_RC(op1(MMUEXT_SET_LDT, VIRT_BASE, 8193, DOMID_SELF), -XEN_EINVAL);
    CHECK_RC(op1(MMUEXT_SET_LDT, VIRT_BASE + 8, 16, DOMID_SELF),
             -XEN_EINVAL);
    CHECK_RC(op1(MMUEXT_SET_LDT, BAD_HYPERVISOR, 16, DOMID_SELF),
             -XEN_EINVAL);

    if ( !(p = scratch_map(a, P | RW)) )
        return;
    memset(p, 0x5a, PAGE_SIZE);
    scratch_unmap();
    CHECK_RC(op1(MMUEXT_COPY_PAGE, b, a, DOMID_SELF), 0);
    if ( !(p = scratch_map(b, P)) )
        return;
    if ( p[0] != 0x5a || p[4095] != 0x5a )
        test_fail("COPY_PAGE: %#x %#x", p[0], p[4095]);
    scratch_unmap();
    CHECK_RC(op1(MMUEXT_CLEAR_PAGE, b, 0, DOMID_SELF), 0);
    if ( !(p = scratch_map(b, P)) )
        return;
    if ( p[0] || p[4095] )
        test_fail("CLEAR_PAGE left %#x %#x", p[0], p[4095]);
    scratch_unmap();
    /* Not onto a table, not from or to frames that are not ours. */
    CHECK_RC(op1(MMUEXT_PIN_L1_TABLE, b, 0, DOMID_SELF), 0);
    CHECK_RC(op1(MMUEXT_CLEAR_PAGE, b, 0, DOMID_SELF), -XEN_EINVAL);
    CHECK_RC(op1(MMUEXT_COPY_PAGE, b, a, DOMID_SELF), -XEN_EINVAL);
    CHECK_RC(op1(MMUEXT_COPY_PAGE, a, 0x200, DOMID_SELF), -XEN_EINVAL);
    CHECK_RC(op1(MMUEXT_CLEAR_PAGE, 0x200, 0, DOMID_SELF), -XEN_EINVAL);
    CHECK_RC(op1(MMUEXT_UNPIN_TABLE, b, 0, DOMID_SELF), 0);
}

static void test_commands_and_batches(void)
{
    struct mmuext_op ops[3] = {
        { .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = spare_mfn(4) },
        { .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = spare_mfn(4) },
        { .cmd = MMUEXT_TLB_FLUSH_LOCAL },
    };
    unsigned int done = 77;

    CHECK_RC(op1(MMUEXT_MARK_SUPER, spare_mfn(5), 0, DOMID_SELF),
             -XEN_EOPNOTSUPP);
    CHECK_RC(op1(MMUEXT_UNMARK_SUPER, spare_mfn(5), 0, DOMID_SELF),
             -XEN_EOPNOTSUPP);
    CHECK_RC(op1(14, 0, 0, DOMID_SELF), -XEN_ENOSYS);
    CHECK_RC(op1(99, 0, 0, DOMID_SELF), -XEN_ENOSYS);
    CHECK_RC(op1(MMUEXT_PIN_L1_TABLE, 0x200, 0, DOMID_SELF), -XEN_EINVAL);
    CHECK_RC(HYPERVISOR_mmuext_op(ops, 3, &done, DOMID_SELF), -XEN_EINVAL);
    if ( done != 1 )
        test_fail("done = %u after a repeated pin, want 1", done);
    CHECK_RC(hypercall4(__HYPERVISOR_mmuext_op, BAD_NONCANONICAL, 1, 0,
                        DOMID_SELF), -XEN_EFAULT);
    CHECK_RC(op1(MMUEXT_UNPIN_TABLE, spare_mfn(4), 0, DOMID_SELF), 0);
}

void test_main(void)
{
    test_baseptr();
    test_flushes();
    test_ldt_and_pages();
    test_commands_and_batches();
    test_success();
}
