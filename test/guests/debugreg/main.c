/*
 * set_debugreg / get_debugreg.
 *
 * Expected behaviour is Xen 4.17's set_debugreg() and do_get_debugreg()
 * (xen/arch/x86/pv/misc-hypercalls.c, x86emul_read_dr in
 * xen/arch/x86/x86_emulate.c), with CR4.DE clear (its default):
 *   - DR0-3 take any address that passes __addr_ok(): below 1 << 47 or
 *     at/above HYPERVISOR_VIRT_END; anything else (hypervisor range,
 *     non-canonical) -> -EPERM;
 *   - DR6/DR7: upper 32 bits set -> -EINVAL; DR6 reads back with its
 *     reserved bits forced (| 0xffff0ff0, bit 12 clear); DR7 reads back
 *     with bit 10 set and bits 11, 12, 14, 15 clear; DR7.GD -> -EPERM; an
 *     enabled I/O breakpoint without CR4.DE -> -EPERM;
 *   - DR4/DR5 alias DR6/DR7 while CR4.DE is clear;
 *   - other registers -> -ENODEV (both calls).
 */
#include "test.h"

const char test_title[] = "debugreg";

static uint64_t data_word;

static void check_get(unsigned int reg, uint64_t expected)
{
    long v = HYPERVISOR_get_debugreg(reg);

    if ( (uint64_t)v != expected )
        test_fail("get_debugreg(%u): %#lx, expected %#lx", reg, v, expected);
}

static void test_address_regs(void)
{
    CHECK_RC(HYPERVISOR_set_debugreg(0, 0x1000), 0);
    check_get(0, 0x1000);
    CHECK_RC(HYPERVISOR_set_debugreg(1, GADDR(&data_word)), 0);
    check_get(1, GADDR(&data_word));
    CHECK_RC(HYPERVISOR_set_debugreg(2, 0x00007fffffffffffULL), 0);
    CHECK_RC(HYPERVISOR_set_debugreg(3, HYPERVISOR_VIRT_END), 0);
    check_get(3, HYPERVISOR_VIRT_END);

    CHECK_RC(HYPERVISOR_set_debugreg(2, HYPERVISOR_VIRT_START), -XEN_EPERM);
    CHECK_RC(HYPERVISOR_set_debugreg(2, HYPERVISOR_VIRT_END - 1),
             -XEN_EPERM);
    CHECK_RC(HYPERVISOR_set_debugreg(3, BAD_HYPERVISOR), -XEN_EPERM);
    CHECK_RC(HYPERVISOR_set_debugreg(0, 0x0000800000000000ULL), -XEN_EPERM);
    CHECK_RC(HYPERVISOR_set_debugreg(0, BAD_NONCANONICAL), -XEN_EPERM);
    /* A refused value leaves the old one. */
    check_get(0, 0x1000);

    CHECK_RC(HYPERVISOR_set_debugreg(2, 0), 0);
    CHECK_RC(HYPERVISOR_set_debugreg(3, 0), 0);
}

static void test_dr6(void)
{
    CHECK_RC(HYPERVISOR_set_debugreg(6, 0), 0);
    check_get(6, 0xffff0ff0);
    CHECK_RC(HYPERVISOR_set_debugreg(6, 0x100f), 0);   /* bit 12: forced 0 */
    check_get(6, 0xffff0fff);
    CHECK_RC(HYPERVISOR_set_debugreg(6, 1ULL << 32), -XEN_EINVAL);
    /* DR4 aliases DR6 with CR4.DE clear. */
    CHECK_RC(HYPERVISOR_set_debugreg(4, 0), 0);
    check_get(4, 0xffff0ff0);
    check_get(6, 0xffff0ff0);
}

static void test_dr7(void)
{
    CHECK_RC(HYPERVISOR_set_debugreg(7, 0), 0);
    check_get(7, 0x400);
    CHECK_RC(HYPERVISOR_set_debugreg(7, 0xd800), 0);   /* reserved zero */
    check_get(7, 0x400);

    /* L0: instruction breakpoint at DR0 = 0x1000, never executed. */
    CHECK_RC(HYPERVISOR_set_debugreg(0, 0x1000), 0);
    CHECK_RC(HYPERVISOR_set_debugreg(7, 0x1), 0);
    check_get(7, 0x401);
    check_get(5, 0x401);                                /* DR5 = DR7 */

    CHECK_RC(HYPERVISOR_set_debugreg(7, 0x2000), -XEN_EPERM);   /* GD */
    CHECK_RC(HYPERVISOR_set_debugreg(7, 1ULL << 32), -XEN_EINVAL);
    /* L0 with R/W0 = 10b (I/O): needs CR4.DE. */
    CHECK_RC(HYPERVISOR_set_debugreg(7, 0x20001), -XEN_EPERM);
    check_get(7, 0x401);

    CHECK_RC(HYPERVISOR_set_debugreg(7, 0), 0);
    CHECK_RC(HYPERVISOR_set_debugreg(0, 0), 0);
}

static void test_bad_reg(void)
{
    static const unsigned int regs[] = { 8, 9, 15, 0xffffffff };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(regs); i++ )
    {
        long s = HYPERVISOR_set_debugreg(regs[i], 0);
        long g = HYPERVISOR_get_debugreg(regs[i]);

        if ( s != -XEN_ENODEV || g != -XEN_ENODEV )
            test_fail("DR%u: set %ld (%s), get %ld (%s), expected -ENODEV",
                      regs[i], s, xen_errno_name(s), g, xen_errno_name(g));
    }
}

void test_main(void)
{
    test_address_regs();
    test_dr6();
    test_dr7();
    test_bad_reg();
    test_success();
}
