/*
 * Regression test: a domU's console ring page must stay ordinary memory.
 * The hypervisor drains the ring and writes out_cons through the direct
 * map; Mica once let the domU unmap the page and pin it as an L1, after
 * which that write would land in a page-table entry nobody validated.
 * The hypervisor now holds a writable type reference on the page, so the
 * pin fails with -EINVAL (the answer for any frame in use as memory).
 */
#include "test.h"
#include "events.h"

const char test_title[] = "console_page_as_table";

#define WAIT (5000 * MS)
#define M2P ((const uint64_t *)0xffff800000000000ULL)

static void domu_main(void)
{
    uint64_t mfn = start_info->console.domU.mfn;
    uint64_t va = VIRT_BASE + (M2P[mfn] << 12);
    struct mmuext_op op = { .cmd = MMUEXT_CLEAR_PAGE, .arg1.mfn = mfn };
    long unmap, clear, pin, remap;

    /*
     * No printing while the ring is unmapped: collect, then report.
     * Cleared first, so that its contents are a valid (empty) L1 and
     * only the type rule can refuse the pin.
     */
    unmap = HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG | UVMF_LOCAL);
    clear = HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
    op.cmd = MMUEXT_PIN_L1_TABLE;
    pin = HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
    if ( !pin )
    {
        op.cmd = MMUEXT_UNPIN_TABLE;
        (void)HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
    }
    remap = HYPERVISOR_update_va_mapping(va, (mfn << 12) | 0x63,
                                         UVMF_INVLPG | UVMF_LOCAL);
    CHECK_RC(unmap, 0);
    CHECK_RC(clear, 0);
    CHECK_RC(remap, 0);
    CHECK_RC(pin, -XEN_EINVAL);
}

void test_main(void)
{
    if ( !multi_init() )
        return;
    if ( my_domid == 0 )
    {
        if ( !multi_wait_done(1, WAIT) )
            return test_fail("d1 did not finish");
    }
    else
        domu_main();
    test_success();
}
