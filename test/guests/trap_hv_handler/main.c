/*
 * A trap-table handler inside the hypervisor's range is accepted and,
 * when invoked, turns into an ordinary #PF for the guest at that address.
 *
 * Xen 4.17: do_set_trap_table (xen/arch/x86/pv/callback.c) only rejects
 * non-canonical handlers; the bounce to the handler makes the guest fetch
 * from a supervisor-only hypervisor address, which do_page_fault
 * (xen/arch/x86/traps.c, fixup_page_fault declines addresses in the
 * hypervisor range) reflects to the guest as #PF with CR2 = RIP = that
 * address and the U bit cleared (guest-kernel mode, pv_inject_event).
 * crash_hv_handler is the same without a #PF handler.
 */
#include "test.h"

const char test_title[] = "trap_hv_handler";

#define HV_HANDLER 0xffff840000000000ULL

uint64_t saved_rsp;

void test_main(void)
{
    static struct trap_info table[2] = {
        { .vector = X86_EXC_UD, .cs = FLAT_KERNEL_CS,
          .address = HV_HANDLER },
    };
    const struct trap_record *t;

    if ( !map_shared_info() )
        return;
    if ( !CHECK_RC(HYPERVISOR_set_trap_table(table), 0) )
        return;

    /*
     * Two frames land on the stack (#UD, then #PF); resuming from the #PF
     * handler leaves RSP below the first, so the asm restores it.
     */
    trap_expect(X86_EXC_PF);
    asm volatile ( "mov %%rsp, saved_rsp(%%rip)\n\t"
                   TRAP_ASM_BEGIN "ud2" TRAP_ASM_END
                   "mov saved_rsp(%%rip), %%rsp"
                   : TRAP_ASM_OUTPUTS :: "memory" );
    t = trap_done();
    CHECK_RC(traps_install_boot_table(), 0);

    if ( !t )
    {
        test_fail("no #PF after bouncing to %#llx", HV_HANDLER);
        return;
    }
    printk("#PF at rip %#lx cr2 %#lx ec %#lx\n", t->rip, t->cr2,
           t->error_code);
    if ( t->rip != HV_HANDLER || t->cr2 != HV_HANDLER )
        test_fail("#PF rip %#lx cr2 %#lx, expected both %#llx", t->rip,
                  t->cr2, HV_HANDLER);
    if ( t->error_code & PFEC_USER )
        test_fail("#PF ec %#lx: U set for a guest-kernel fault",
                  t->error_code);
    test_success();
}
