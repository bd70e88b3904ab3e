/*
 * Guest user mode: the hypervisor switches between guest-kernel and
 * guest-user mode (both ring 3) on HYPERVISOR_iret, on SYSCALL from user
 * mode and on exceptions from user mode.
 *
 * Facts (Xen 4.17): an iret frame whose CS has RPL 3 switches to user
 * mode, loading the user page table and swapping the GS bases (do_iret,
 * toggle_guest_mode in xen/arch/x86/pv/domain.c); SYSCALL from user mode
 * goes to the syscall callback on the kernel stack from stack_switch,
 * with RCX/R11 in the frame and CS RPL 3 (switch_to_kernel in
 * x86_64/entry.S); an exception from user mode is bounced likewise
 * (create_bounce_frame). MMUEXT_NEW_USER_BASEPTR needs an L4-typed frame
 * (new_guest_cr3 / MMUEXT_NEW_USER_BASEPTR in mm.c). Here the user page
 * table is the kernel's own bootstrap L4, which maps everything with
 * _PAGE_USER, so the same addresses work in both modes.
 */
#include "test.h"

const char test_title[] = "user_mode";

#define USER_MARK 0x5ca11ed0UL

static uint8_t kstack[8192] __aligned(16);
static uint8_t ustack[8192] __aligned(16);
static uint64_t kernel_gs_word = 0x6b65726e656c0001ULL;  /* "kernel" */
static uint64_t user_gs_word = 0x7573657200000002ULL;    /* "user" */

uint64_t kernel_resume_rsp;
uint64_t user_gs_seen;
static uint64_t kernel_gs_seen, seen_rax, seen_rcx, seen_cs, seen_rsp;
static unsigned int seen_vector;

void enter_user(uint64_t rip, uint64_t rsp);
extern const char user_returned[], user_syscall[], user_syscall_ret[],
    user_int3[], user_int3_ret[];

/*
 * enter_user(rip, rsp): save the callee-saved registers, then iret to
 * user mode. The hooks below come back to user_returned, which restores
 * them and returns to the C caller.
 */
asm ( ".text\n"
      ".globl enter_user\n"
      "enter_user:\n"
      "  push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
      "  mov %rsp, kernel_resume_rsp(%rip)\n"
      "  push $0xe02b\n"       /* ss */
      "  push %rsi\n"          /* rsp */
      "  push $0x202\n"        /* rflags: IF */
      "  push $0xe033\n"       /* cs: RPL 3 = user mode */
      "  push %rdi\n"          /* rip */
      "  push $0\n"            /* flags */
      "  push %rcx\n"
      "  push %r11\n"
      "  push %rax\n"
      "  mov $23, %eax\n"
      "  syscall\n"
      "  ud2\n"
      ".globl user_returned\n"
      "user_returned:\n"
      "  mov kernel_resume_rsp(%rip), %rsp\n"
      "  pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
      "  ret\n"
      /* User code: read %gs:0, then make a system call. */
      ".globl user_syscall\n"
      "user_syscall:\n"
      "  mov %gs:0, %rax\n"
      "  mov %rax, user_gs_seen(%rip)\n"
      "  mov $0x5ca11ed0, %eax\n"
      "  syscall\n"
      ".globl user_syscall_ret\n"
      "user_syscall_ret:\n"
      "  ud2\n"
      /* User code: a breakpoint. */
      ".globl user_int3\n"
      "user_int3:\n"
      "  int3\n"
      ".globl user_int3_ret\n"
      "user_int3_ret:\n"
      "  ud2\n" );

static uint64_t read_gs_word(void)
{
    uint64_t v;

    asm volatile ( "mov %%gs:0, %0" : "=r" (v) );
    return v;
}

/* Record what the kernel saw, then resume the C code in kernel mode. */
static bool back_to_kernel(struct cpu_regs *regs)
{
    seen_vector = regs->vector;
    seen_rax = regs->rax;
    seen_rcx = regs->rcx;
    seen_cs = regs->cs;
    seen_rsp = (uint64_t)(uintptr_t)&regs;  /* somewhere on our stack */
    kernel_gs_seen = read_gs_word();
    regs->rip = (uint64_t)(uintptr_t)user_returned;
    regs->cs = FLAT_KERNEL_CS & ~3;     /* RPL 0: stay in kernel mode */
    regs->ss = FLAT_KERNEL_SS;
    regs->rsp = kernel_resume_rsp;
    regs->rflags = X86_EFLAGS_IF | 2;
    return true;
}

static bool in_kstack(uint64_t p)
{
    return p >= (uint64_t)(uintptr_t)kstack &&
           p < (uint64_t)(uintptr_t)kstack + sizeof(kstack);
}

static void check_entry(const char *what, unsigned int vector,
                        uint64_t ret_rip)
{
    if ( seen_vector != vector )
        test_fail("%s: kernel entered with vector %#x, expected %#x", what,
                  seen_vector, vector);
    if ( (seen_cs & 3) != 3 )
        test_fail("%s: frame CS %#lx does not say user mode", what,
                  seen_cs);
    if ( !in_kstack(seen_rsp) )
        test_fail("%s: handler ran on %#lx, not the stack_switch stack",
                  what, seen_rsp);
    if ( kernel_gs_seen != kernel_gs_word )
        test_fail("%s: kernel GS base not restored (%#lx)", what,
                  kernel_gs_seen);
    if ( vector == VEC_SYSCALL && seen_rcx != ret_rip )
        test_fail("%s: RCX %#lx, expected the user RIP %#lx", what,
                  seen_rcx, ret_rip);
}

static void test_user_baseptr(void)
{
    struct mmuext_op op = { .cmd = MMUEXT_NEW_USER_BASEPTR };

    /* A frame that is not an L4 table is refused. */
    op.arg1.mfn = virt_to_mfn(kstack);
    CHECK_RC(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), -XEN_EINVAL);
    /* The pinned bootstrap L4 is accepted. */
    op.arg1.mfn = virt_to_mfn((void *)start_info->pt_base);
    CHECK_RC(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
}

void test_main(void)
{
    uint64_t ustack_top = (uint64_t)(uintptr_t)(ustack + sizeof(ustack));

    CHECK_RC(HYPERVISOR_stack_switch(FLAT_KERNEL_SS,
                                     (uint64_t)(uintptr_t)(kstack +
                                                           sizeof(kstack))),
             0);
    CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL,
                                         (uint64_t)(uintptr_t)&kernel_gs_word),
             0);
    CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_GS_USER,
                                         (uint64_t)(uintptr_t)&user_gs_word),
             0);
    test_user_baseptr();

    trap_set_syscall_hook(back_to_kernel);
    enter_user((uint64_t)(uintptr_t)user_syscall, ustack_top);
    trap_set_syscall_hook(NULL);
    check_entry("syscall", VEC_SYSCALL,
                (uint64_t)(uintptr_t)user_syscall_ret);
    if ( user_gs_seen != user_gs_word )
        test_fail("user mode read %%gs:0 = %#lx, expected the user GS base",
                  user_gs_seen);
    if ( (uint32_t)seen_rax != USER_MARK )
        test_fail("syscall: RAX %#lx, expected %#lx", seen_rax, USER_MARK);

    trap_set_hook(X86_EXC_BP, back_to_kernel);
    enter_user((uint64_t)(uintptr_t)user_int3, ustack_top);
    trap_set_hook(X86_EXC_BP, NULL);
    check_entry("int3", X86_EXC_BP, 0);

    test_success();
}
