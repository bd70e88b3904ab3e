/*
 * xenpmu_op (hypercall 40) without a virtual PMU, Xen 4.17's default
 * (opt_vpmu_enabled is false unless "vpmu" is on Xen's command line):
 * do_xenpmu_op (xen/arch/x86/cpu/vpmu.c) answers -EOPNOTSUPP for every
 * sub-op, known or not, before it copies or checks the argument, so a bad
 * pointer gets -EOPNOTSUPP too and nothing is written back. Linux's
 * xen_pmu_init calls XENPMU_init and prints "VPMU disabled by
 * hypervisor." on -EOPNOTSUPP.
 */
#include "test.h"

const char test_title[] = "xenpmu_op";

/* struct xen_pmu_params: version (major, minor), val, vcpu, pad. */
struct pmu_params
{
    uint32_t version[2];
    uint64_t val;
    uint32_t vcpu;
    uint32_t pad;
};

static long pmu(uint64_t op, uint64_t arg)
{
    return hypercall2(__HYPERVISOR_xenpmu_op, op, arg);
}

void test_main(void)
{
    struct pmu_params p;
    uint64_t op;

    /* XENPMU_mode_get .. XENPMU_flush, then ops Xen does not know. */
    for ( op = 0; op <= 7; op++ )
    {
        memset(&p, 0x5a, sizeof(p));
        CHECK_RC(pmu(op, GADDR(&p)), -XEN_EOPNOTSUPP);
        if ( p.val != 0x5a5a5a5a5a5a5a5aULL || p.vcpu != 0x5a5a5a5a )
            test_fail("op %lu wrote its argument", op);
    }
    CHECK_RC(pmu(8, GADDR(&p)), -XEN_EOPNOTSUPP);
    CHECK_RC(pmu(~0ULL, GADDR(&p)), -XEN_EOPNOTSUPP);
    /* The argument is never read: no -EFAULT for a bad one. */
    CHECK_RC(pmu(4, 0), -XEN_EOPNOTSUPP);
    CHECK_RC(pmu(4, 0x8000000000000000ULL), -XEN_EOPNOTSUPP);
    CHECK_RC(pmu(1, 0xffff800000000000ULL), -XEN_EOPNOTSUPP);
    test_success();
}
