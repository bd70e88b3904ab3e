/*
 * Regression test: register_vcpu_info must pin its frame as ordinary
 * memory. Mica once accepted any frame the guest owned and then wrote
 * event and time data into it through the direct map; a guest could
 * register a frame of its own page tables (or make the frame a table
 * afterwards) and have the hypervisor write entries it never validated.
 * Xen 4.17 takes a writable type reference (map_vcpu_info), so:
 *   - a frame in use as a page table -> -EINVAL;
 *   - a registered frame cannot become a page table afterwards.
 * shared_info, which the hypervisor writes the same way, is held as
 * writable memory for good too (Xen's share_xen_page_with_guest).
 */
#include "test.h"

const char test_title[] = "vcpu_info_on_page_table";

static long pin(unsigned int cmd, uint64_t mfn)
{
    struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };

    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static long register_at(uint64_t mfn)
{
    struct vcpu_register_vcpu_info r = { .mfn = mfn, .offset = 64 };

    return HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &r);
}

void test_main(void)
{
    uint64_t table = spare_mfn(0), plain = spare_mfn(1);

    CHECK_RC(pin(MMUEXT_PIN_L1_TABLE, table), 0);
    CHECK_RC(register_at(table), -XEN_EINVAL);
    CHECK_RC(pin(MMUEXT_UNPIN_TABLE, table), 0);

    CHECK_RC(pin(MMUEXT_PIN_L1_TABLE, start_info->shared_info >> 12),
             -XEN_EINVAL);
    CHECK_RC(register_at(plain), 0);
    CHECK_RC(pin(MMUEXT_PIN_L1_TABLE, plain), -XEN_EINVAL);
    CHECK_RC(pin(MMUEXT_PIN_L4_TABLE, plain), -XEN_EINVAL);
    test_success();
}
