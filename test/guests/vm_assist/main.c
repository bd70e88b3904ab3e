/*
 * vm_assist(cmd, type): enable/disable every known type, unknown types,
 * unknown commands.
 *
 * Expected behaviour is Xen 4.17's do_vm_assist() (xen/common/domain.c)
 * with arch_vm_assist_valid_mask() = PV64_VM_ASSIST_MASK
 * (xen/arch/x86/include/asm/domain.h): types 0-5 and 32 are valid for a
 * 64-bit PV guest; the type is checked first (-EINVAL), then the command
 * (enable/disable -> 0, anything else -> -ENOSYS).
 * XENVER_get_features reports pae_pgdir_above_4gb exactly while
 * VMASST_TYPE_pae_extended_cr3 is enabled (do_xen_version,
 * xen/common/kernel.c).
 */
#include "test.h"

const char test_title[] = "vm_assist";

static const unsigned int valid_types[] = {
    VMASST_TYPE_4gb_segments, VMASST_TYPE_4gb_segments_notify,
    VMASST_TYPE_writable_pagetables, VMASST_TYPE_pae_extended_cr3,
    VMASST_TYPE_architectural_iopl, VMASST_TYPE_runstate_update_flag,
    VMASST_TYPE_m2p_strict,
};

static long vma(uint64_t cmd, uint64_t type)
{
    return hypercall2(__HYPERVISOR_vm_assist, cmd, type);
}

static void test_valid(void)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(valid_types); i++ )
    {
        long on = vma(VMASST_CMD_enable, valid_types[i]);
        long off = vma(VMASST_CMD_disable, valid_types[i]);

        if ( on || off )
            test_fail("vm_assist type %u: enable %ld (%s), disable %ld (%s)",
                      valid_types[i], on, xen_errno_name(on), off,
                      xen_errno_name(off));
    }
    /* Twice in a row is fine: these are plain bit sets and clears. */
    CHECK_RC(vma(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0);
    CHECK_RC(vma(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0);
    CHECK_RC(vma(VMASST_CMD_disable, VMASST_TYPE_writable_pagetables), 0);
    CHECK_RC(vma(VMASST_CMD_disable, VMASST_TYPE_writable_pagetables), 0);
}

static void test_invalid(void)
{
    static const uint64_t types[] = { 6, 7, 31, 33, 63, 64, 0xffffffff };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(types); i++ )
    {
        long on = vma(VMASST_CMD_enable, types[i]);
        long off = vma(VMASST_CMD_disable, types[i]);

        if ( on != -XEN_EINVAL || off != -XEN_EINVAL )
            test_fail("vm_assist type %#lx: enable %ld (%s), disable %ld "
                      "(%s), expected -EINVAL", types[i], on,
                      xen_errno_name(on), off, xen_errno_name(off));
    }

    CHECK_RC(vma(2, VMASST_TYPE_writable_pagetables), -XEN_ENOSYS);
    CHECK_RC(vma(0xffffffff, VMASST_TYPE_m2p_strict), -XEN_ENOSYS);
    /* Type before command. */
    CHECK_RC(vma(2, 6), -XEN_EINVAL);
}

static int pae_feature(void)
{
    struct xen_feature_info fi = { .submap_idx = 0 };

    if ( !CHECK_RC(HYPERVISOR_xen_version(XENVER_get_features, &fi), 0) )
        return -1;
    return !!(fi.submap & (1U << XENFEAT_pae_pgdir_above_4gb));
}

static void test_feature_link(void)
{
    CHECK_RC(vma(VMASST_CMD_enable, VMASST_TYPE_pae_extended_cr3), 0);
    if ( pae_feature() == 0 )
        test_fail("pae_extended_cr3 on, XENFEAT_pae_pgdir_above_4gb clear");
    CHECK_RC(vma(VMASST_CMD_disable, VMASST_TYPE_pae_extended_cr3), 0);
    if ( pae_feature() == 1 )
        test_fail("pae_extended_cr3 off, XENFEAT_pae_pgdir_above_4gb set");
}

void test_main(void)
{
    test_valid();
    test_invalid();
    test_feature_link();
    test_success();
}
