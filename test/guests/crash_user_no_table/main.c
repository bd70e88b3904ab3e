/*
 * An iret to user mode (CS RPL 3) with no user page table set cannot be
 * honoured: Xen 4.17 crashes the domain ("Guest switching to user mode
 * with no user page tables", toggle_guest_mode in
 * xen/arch/x86/pv/domain.c). Expected outcome: domain 0 crashed.
 */
#include "test.h"

const char test_title[] = "crash_user_no_table";

static uint8_t ustack[4096] __aligned(16);

void test_main(void)
{
    uint64_t frame[9] = {
        0, 0, 0, 0,                                     /* rax r11 rcx flags */
        (uint64_t)(uintptr_t)test_main,                 /* rip */
        FLAT_USER_CS,                                   /* cs: user mode */
        X86_EFLAGS_IF | 2,                              /* rflags */
        (uint64_t)(uintptr_t)(ustack + sizeof(ustack)), /* rsp */
        FLAT_USER_SS,                                   /* ss */
    };

    printk("iret to user mode without a user page table\n");
    asm volatile ( "mov %0, %%rsp\n\t"
                   "mov $23, %%eax\n\t"
                   "syscall\n\t"
                   "ud2" :: "r" (frame) : "memory" );
    test_fail("iret to user mode returned");
}
