/*
 * An exception taken with RSP inside the hypervisor's range.
 *
 * Xen 4.17's create_bounce_frame (xen/arch/x86/x86_64/entry.S,
 * create_bounce_frame_bad_sp) refuses to build a guest frame whose top
 * lies in [HYPERVISOR_VIRT_START + 1, HYPERVISOR_VIRT_END + 64) and crashes
 * the domain.  Expected: "domain 0 crashed", QEMU exit 37.
 */
#include "test.h"

const char test_title[] = "crash_bad_stack";

void test_main(void)
{
    printk("RSP = HYPERVISOR_VIRT_START + 64 KiB, then ud2\n");
    asm volatile ( "mov %[sp], %%rsp\n\t"
                   "ud2"
                   :
                   : [sp] "r" (HYPERVISOR_VIRT_START + 0x10000)
                   : "memory" );
    test_fail("the domain survived a bounce onto a hypervisor stack");
}
