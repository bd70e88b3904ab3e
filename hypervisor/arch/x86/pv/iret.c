/*
 * HYPERVISOR_iret: the guest's way back from an exception, an event or a
 * system call, since IRET from ring 3 cannot switch page tables or modes.
 * The guest pushed struct iret_context and entered with SYSCALL; we load
 * that frame, switching to user mode when the target CS has RPL 3.
 * A non-canonical target RIP becomes a #GP delivered to the guest at that
 * RIP, which is what IRET itself would have raised.
 */
#include <asm/current.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/traps.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <public/arch-x86_64.h>

long do_iret(unsigned long a1, unsigned long a2, unsigned long a3,
             unsigned long a4, unsigned long a5)
{
    struct cpu_regs *regs = guest_cpu_regs();
    struct vcpu *v = current;
    struct iret_context f;

    if ( copy_from_guest(&f, regs->rsp, sizeof(f)) )
        domain_crash(v->domain, "iret frame not readable");
    if ( (f.cs & 3) == 3 )
    {
        if ( !v->arch.guest_table_user )
            domain_crash(v->domain, "switch to user mode without user "
                         "page tables");
        pv_toggle_guest_mode(v);
    }

    regs->rip = f.rip;
    regs->cs = f.cs | 3;
    regs->rflags = (f.rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) |
                   X86_EFLAGS_IF | X86_EFLAGS_MBS;
    regs->rsp = f.rsp;
    regs->ss = f.ss | 3;
    if ( !(f.flags & VGCF_in_syscall) )
    {
        regs->r11 = f.r11;
        regs->rcx = f.rcx;
    }
    v->vcpu_info->evtchn_upcall_mask = !(f.rflags & X86_EFLAGS_IF);
    /* The hardware IRET would fault: the guest gets that #GP, as on Xen. */
    if ( !is_canonical(f.rip) )
        pv_inject_exception(regs, X86_EXC_GP, 0);
    return f.rax;               /* the dispatcher puts it in RAX */
}
