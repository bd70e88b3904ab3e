/*
 * stack_switch(ss, sp): record the kernel stack for user->kernel
 * transitions.
 *
 * Expected behaviour is Xen 4.17's do_stack_switch()
 * (xen/arch/x86/pv/misc-hypercalls.c): the selector's RPL is fixed up,
 * both values are stored, and the result is always 0 - nothing is
 * validated until the stack is used.  With no user mode in this test the
 * values are never used, so only the results can be checked; any stack
 * given here is replaced by a good one at the end.
 */
#include "test.h"

const char test_title[] = "stack_switch";

static uint8_t kernel_stack[4096] __aligned(16);

void test_main(void)
{
    uint64_t top = (uint64_t)(uintptr_t)(kernel_stack + sizeof(kernel_stack));

    CHECK_RC(HYPERVISOR_stack_switch(FLAT_KERNEL_SS, top), 0);
    CHECK_RC(HYPERVISOR_stack_switch(FLAT_KERNEL_SS & ~3, top), 0);
    CHECK_RC(HYPERVISOR_stack_switch(0, 0), 0);
    CHECK_RC(HYPERVISOR_stack_switch(FLAT_KERNEL_SS, BAD_NONCANONICAL), 0);
    CHECK_RC(HYPERVISOR_stack_switch(FLAT_KERNEL_SS, BAD_HYPERVISOR), 0);
    CHECK_RC(HYPERVISOR_stack_switch(0xffff, top - 8), 0);

    CHECK_RC(HYPERVISOR_stack_switch(FLAT_KERNEL_SS, top), 0);
    test_success();
}
