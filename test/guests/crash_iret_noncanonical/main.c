/*
 * HYPERVISOR_iret to a non-canonical RIP with no #GP handler.
 *
 * Xen 4.17 does not check the RIP in do_iret() (xen/arch/x86/pv/iret.c);
 * the IRET back to the guest faults and the fault becomes a #GP(0) for
 * the guest (see the iret test).  With the trap table cleared that #GP
 * has no handler, so the domain is crashed (create_bounce_frame,
 * xen/arch/x86/x86_64/entry.S).  Expected: "domain 0 crashed", exit 37.
 */
#include "test.h"

const char test_title[] = "crash_iret_noncanonical";

void test_main(void)
{
    printk("clearing the trap table, then iret to 0x8000000000000000\n");
    HYPERVISOR_set_trap_table(NULL);
    asm volatile ( "mov %%rsp, %%rax\n\t"
                   "pushq $%c[ss]\n\t"
                   "push %%rax\n\t"
                   "pushq $2\n\t"
                   "pushq $%c[cs]\n\t"
                   "movabs $0x8000000000000000, %%rax\n\t"
                   "push %%rax\n\t"
                   "pushq $0\n\t"
                   "push %%rcx\n\t"
                   "push %%r11\n\t"
                   "push %%rax\n\t"
                   "mov $%c[nr], %%eax\n\t"
                   "syscall"
                   :
                   : [ss] "i" (FLAT_KERNEL_SS), [cs] "i" (FLAT_KERNEL_CS & ~3),
                     [nr] "i" (__HYPERVISOR_iret)
                   : "rax", "rcx", "r11", "memory" );
    test_fail("the domain survived an iret to a non-canonical RIP");
}
