/*
 * set_segment_base(which, base): FS, kernel GS, user GS, user GS selector.
 *
 * Expected behaviour is Xen 4.17's do_set_segment_base()
 * (xen/arch/x86/pv/misc-hypercalls.c):
 *   - SEGBASE_FS, SEGBASE_GS_USER, SEGBASE_GS_KERNEL load the base if it
 *     is canonical, else -EINVAL;
 *   - SEGBASE_GS_USER_SEL loads the user %gs selector from base[15:0]
 *     with fault handling: a bad selector is replaced by NULL and the call
 *     still returns 0 (Linux BUG()s otherwise);
 *   - any other `which` -> -EINVAL.
 * The FS and kernel GS bases are checked by reading through %fs / %gs.
 */
#include "test.h"

const char test_title[] = "set_segment_base";

static uint64_t fs_target = 0x1111222233334444ULL;
static uint64_t gs_target = 0x5555666677778888ULL;

static uint64_t read_fs0(void)
{
    uint64_t v;

    asm volatile ( "mov %%fs:0, %0" : "=r" (v) :: "memory" );
    return v;
}

static uint64_t read_gs0(void)
{
    uint64_t v;

    asm volatile ( "mov %%gs:0, %0" : "=r" (v) :: "memory" );
    return v;
}

static void test_fs(void)
{
    if ( !CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_FS,
                                               GADDR(&fs_target)), 0) )
        return;
    if ( read_fs0() != fs_target )
        test_fail("%%fs:0 reads %#lx, expected %#lx", read_fs0(), fs_target);

    CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_FS, BAD_NONCANONICAL),
             -XEN_EINVAL);
    CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_FS, 0x0000800000000000ULL),
             -XEN_EINVAL);
    /* A refused base leaves the old one. */
    if ( read_fs0() != fs_target )
        test_fail("FS base changed by a refused set_segment_base");
    CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_FS, 0), 0);
}

static void test_gs_kernel(void)
{
    if ( !CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL,
                                               GADDR(&gs_target)), 0) )
        return;
    if ( read_gs0() != gs_target )
        test_fail("%%gs:0 reads %#lx, expected %#lx", read_gs0(), gs_target);

    CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL,
                                         BAD_NONCANONICAL), -XEN_EINVAL);
    if ( read_gs0() != gs_target )
        test_fail("GS base changed by a refused set_segment_base");
    CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0), 0);
}

static void test_gs_user(void)
{
    /* The user base is only live in user mode: results only. */
    CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_GS_USER,
                                         0x00007f0000000000ULL), 0);
    CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_GS_USER,
                                         BAD_NONCANONICAL), -XEN_EINVAL);
    CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0), 0);

    CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0), 0);
    CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL,
                                         FLAT_USER_DS32), 0);
    /* Beyond every GDT: the load faults, NULL is loaded, still 0. */
    CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0xfff8), 0);
    /* An LDT selector with no LDT: same. */
    CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0x000f), 0);
    CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0), 0);
}

static void test_bad_which(void)
{
    static const unsigned int which[] = { 4, 5, 0x100, 0xffffffff };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(which); i++ )
    {
        long rc = HYPERVISOR_set_segment_base(which[i], 0);

        if ( rc != -XEN_EINVAL )
            test_fail("set_segment_base(%#x): got %ld (%s), expected -EINVAL",
                      which[i], rc, xen_errno_name(rc));
    }
}

void test_main(void)
{
    test_fs();
    test_gs_kernel();
    test_gs_user();
    test_bad_which();
    test_success();
}
