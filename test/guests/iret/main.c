/*
 * HYPERVISOR_iret back to guest-kernel mode.
 *
 * Expected behaviour is Xen 4.17's do_iret() (xen/arch/x86/pv/iret.c):
 *   - the struct iret_context at RSP is consumed; RIP, RSP come from it,
 *     CS and SS are forced to RPL 3, RFLAGS keeps the arithmetic flags and
 *     gets IF set and IOPL cleared;
 *   - without VGCF_in_syscall, RCX and R11 are restored from the frame;
 *   - RAX becomes the frame's rax (the hypercall "returns" it);
 *   - evtchn_upcall_mask becomes !(frame.rflags & IF);
 *   - CS with RPL 0 stays in kernel mode (RPL 3 would switch to user).
 * A non-canonical RIP is not checked by do_iret; the exit IRET faults and
 * the fault is turned into a #GP(0) for the guest at that RIP
 * (iret_exit_to_guest's pre-exception-table entry in
 * xen/arch/x86/x86_64/entry.S, then do_general_protection).
 */
#include "test.h"

const char test_title[] = "iret";

#define KERNEL_CS_RPL0 (FLAT_KERNEL_CS & ~3)

/* Results of one iret, read back by symbol from the asm. */
uint64_t iret_rax, iret_rcx, iret_r11, iret_rflags, iret_rsp_delta;
uint64_t iret_in_rflags, iret_in_flags, iret_in_rip;

/*
 * Push an iret_context describing "continue at 1: with the current RSP"
 * and issue the hypercall.  iret_in_rip, if non-zero, replaces the return
 * address; that case comes back through #GP, whose handler resumes at the
 * same label 1: (trap_expect_resume) with the iret frame's RSP.
 */
static void do_iret(uint64_t rflags, uint64_t flags)
{
    iret_in_rflags = rflags;
    iret_in_flags = flags;

    asm volatile ( "mov %%rsp, %%rbx\n\t"
                   "movq $1f, trap_expect_resume(%%rip)\n\t"
                   "movq $1f, %%rax\n\t"
                   "cmpq $0, iret_in_rip(%%rip)\n\t"
                   "cmovne iret_in_rip(%%rip), %%rax\n\t"
                   "pushq $%c[ss]\n\t"
                   "push %%rbx\n\t"
                   "pushq iret_in_rflags(%%rip)\n\t"
                   "pushq $%c[cs]\n\t"
                   "push %%rax\n\t"
                   "pushq iret_in_flags(%%rip)\n\t"
                   "movq $0x1c1c1c1c1c1c1c1c, %%rax; push %%rax\n\t"
                   "movq $0x1b1b1b1b1b1b1b1b, %%rax; push %%rax\n\t"
                   "movq $0x0a0a0a0a0a0a0a0a, %%rax; push %%rax\n\t"
                   "movq $0x5555555555555555, %%rcx\n\t"
                   "movq $0x6666666666666666, %%r11\n\t"
                   "movq $%c[nr], %%rax\n\t"
                   "syscall\n\t"
                   "ud2\n"
                   "1:\n\t"
                   "mov %%rax, iret_rax(%%rip)\n\t"
                   "mov %%rcx, iret_rcx(%%rip)\n\t"
                   "mov %%r11, iret_r11(%%rip)\n\t"
                   "pushf\n\t"
                   "popq iret_rflags(%%rip)\n\t"
                   "mov %%rsp, %%rax\n\t"
                   "sub %%rbx, %%rax\n\t"
                   "mov %%rax, iret_rsp_delta(%%rip)\n\t"
                   :
                   : [ss] "i" (FLAT_KERNEL_SS), [cs] "i" (KERNEL_CS_RPL0),
                     [nr] "i" (__HYPERVISOR_iret)
                   : "rax", "rbx", "rcx", "r11", "memory", "cc" );
}

static void test_plain(void)
{
    uint64_t in = 0x2 | X86_EFLAGS_CF | X86_EFLAGS_ZF | X86_EFLAGS_SF;

    do_iret(in, 0);
    if ( iret_rax != 0x0a0a0a0a0a0a0a0aULL )
        test_fail("rax after iret %#lx, expected the frame's", iret_rax);
    if ( iret_rcx != 0x1c1c1c1c1c1c1c1cULL ||
         iret_r11 != 0x1b1b1b1b1b1b1b1bULL )
        test_fail("rcx/r11 after iret %#lx/%#lx, expected the frame's",
                  iret_rcx, iret_r11);
    if ( (iret_rflags & (X86_EFLAGS_CF | X86_EFLAGS_ZF | X86_EFLAGS_SF |
                         X86_EFLAGS_OF)) !=
         (X86_EFLAGS_CF | X86_EFLAGS_ZF | X86_EFLAGS_SF) )
        test_fail("rflags after iret %#lx, expected CF|ZF|SF from %#lx",
                  iret_rflags, in);
    if ( iret_rflags & X86_EFLAGS_IOPL )
        test_fail("rflags after iret %#lx has IOPL set", iret_rflags);
    if ( iret_rsp_delta )
        test_fail("rsp after iret off by %ld", (long)iret_rsp_delta);

    /* IOPL in the frame is dropped, not loaded. */
    do_iret(0x2 | X86_EFLAGS_IOPL, 0);
    if ( iret_rflags & X86_EFLAGS_IOPL )
        test_fail("iret loaded IOPL: rflags %#lx", iret_rflags);
}

static void test_in_syscall(void)
{
    /* RCX/R11 may come back clobbered (SYSRET); RAX and RIP may not. */
    do_iret(0x2 | X86_EFLAGS_CF, VGCF_in_syscall);
    if ( iret_rax != 0x0a0a0a0a0a0a0a0aULL )
        test_fail("VGCF_in_syscall: rax %#lx, expected the frame's",
                  iret_rax);
    if ( iret_rsp_delta )
        test_fail("VGCF_in_syscall: rsp off by %ld", (long)iret_rsp_delta);
}

static void test_event_mask(void)
{
    struct vcpu_info *vi;

    if ( !map_shared_info() )
        return;
    vi = vcpu0_info();
    vi->evtchn_upcall_pending = 0;

    vi->evtchn_upcall_mask = 0;
    do_iret(0x2, 0);
    if ( vi->evtchn_upcall_mask != 1 )
        test_fail("iret with IF=0: mask %u, expected 1",
                  vi->evtchn_upcall_mask);

    do_iret(0x2 | X86_EFLAGS_IF, 0);
    if ( vi->evtchn_upcall_mask != 0 )
        test_fail("iret with IF=1: mask %u, expected 0",
                  vi->evtchn_upcall_mask);
    vi->evtchn_upcall_mask = 1;
}

static void test_noncanonical_rip(void)
{
    const struct trap_record *t;

    iret_in_rip = 0x8000000000000000ULL;
    trap_expect(X86_EXC_GP);
    do_iret(0x2, 0);
    iret_in_rip = 0;
    t = trap_done();
    if ( !t )
        test_fail("iret to a non-canonical RIP: no #GP");
    else if ( t->error_code != 0 || t->rip != 0x8000000000000000ULL )
        test_fail("iret to a non-canonical RIP: #GP ec %#lx rip %#lx, "
                  "expected ec 0 rip 0x8000000000000000", t->error_code,
                  t->rip);
}

void test_main(void)
{
    test_plain();
    test_in_syscall();
    test_event_mask();
    test_noncanonical_rip();
    test_success();
}
