/*
 * Regression test: a guest's hardware breakpoint on a buffer that it then
 * passes to a hypercall fires inside the hypervisor while it copies to
 * that buffer. That #DB arrives in ring 0 and must be absorbed (Xen
 * records it in the guest's DR6, do_debug in xen/arch/x86/traps.c), not
 * treated as a hypervisor fault: before the fix it panicked the machine.
 */
#include "test.h"

const char test_title[] = "debugreg_hv_copy";

static char buf[XEN_EXTRAVERSION_LEN] __aligned(16);

void test_main(void)
{
    /* DR7: L0 enabled, break on read/write (RW0 = 11), 8 bytes (LEN0 = 10). */
    uint64_t dr7 = 1 | (3UL << 16) | (2UL << 18);
    long rc, dr6;

    CHECK_RC(HYPERVISOR_set_debugreg(6, 0), 0);
    CHECK_RC(HYPERVISOR_set_debugreg(0, (uint64_t)(uintptr_t)buf), 0);
    CHECK_RC(HYPERVISOR_set_debugreg(7, dr7), 0);
    rc = HYPERVISOR_xen_version(XENVER_extraversion, buf);
    CHECK_RC(HYPERVISOR_set_debugreg(7, 0), 0);
    if ( rc != 0 )
        test_fail("xen_version(extraversion) into a watched buffer: %ld", rc);
    if ( !buf[0] )
        test_fail("the hypervisor did not write the watched buffer");
    dr6 = HYPERVISOR_get_debugreg(6);
    if ( !(dr6 & 1) )
        printk("note: DR6 %#lx has no B0 (the emulator may not report "
               "hypervisor-mode data breakpoints)\n", dr6);
    test_success();
}
