/*
 * A fault with no handler: clear the trap table, then ud2.
 *
 * Xen 4.17: pv_inject_event() (xen/arch/x86/pv/traps.c) leaves a trap
 * bounce with address 0, and create_bounce_frame
 * (xen/arch/x86/x86_64/entry.S, create_bounce_frame_bad_bounce_ip) then
 * crashes the domain.  Expected: "domain 0 crashed", QEMU exit 37.
 */
#include "test.h"

const char test_title[] = "crash_no_handler";

void test_main(void)
{
    printk("clearing the trap table, then ud2\n");
    HYPERVISOR_set_trap_table(NULL);
    asm volatile ( "ud2" ::: "memory" );
    test_fail("the domain survived #UD with no handler");
}
