/*
 * A trap-table handler inside the hypervisor's range, invoked, with no #PF
 * handler to catch the consequence.
 *
 * Xen 4.17 accepts the entry (do_set_trap_table only wants a canonical
 * address, xen/arch/x86/pv/callback.c).  Bouncing #UD to it makes the
 * guest fetch from a supervisor-only address: a #PF in guest context
 * (do_page_fault, xen/arch/x86/traps.c), which has no handler here, so
 * create_bounce_frame crashes the domain.  trap_hv_handler is the same
 * with a #PF handler.  Expected: "domain 0 crashed", QEMU exit 37.
 */
#include "test.h"

const char test_title[] = "crash_hv_handler";

#define HV_HANDLER 0xffff840000000000ULL

void test_main(void)
{
    static struct trap_info table[2] = {
        { .vector = X86_EXC_UD, .cs = FLAT_KERNEL_CS,
          .address = HV_HANDLER },
    };

    printk("trap table = { #UD -> %#llx }, then ud2\n", HV_HANDLER);
    HYPERVISOR_set_trap_table(NULL);
    if ( HYPERVISOR_set_trap_table(table) )
        test_fail("set_trap_table refused a canonical handler");
    asm volatile ( "ud2" ::: "memory" );
    test_fail("the domain survived");
}
