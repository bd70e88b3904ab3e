/*
 * SYSCALL from a PV guest, and guest kernel/user mode switching.
 *
 * Both the guest kernel and guest user run in ring 3, so SYSCALL means
 * two different things: from guest-kernel mode it is a hypercall (RAX the
 * number, RDI RSI RDX R10 R8 the arguments), from guest-user mode it is a
 * system call that we bounce to the guest kernel's syscall callback, on
 * its kernel stack, after switching to its kernel page tables and GS base.
 */
#include <asm/current.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/traps.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <public/arch-x86_64.h>

void pv_load_cr3(struct vcpu *v)
{
    unsigned long mfn = v->arch.kernel_mode ? v->arch.guest_table
                                            : v->arch.guest_table_user;

    write_cr3((uint64_t)mfn << PAGE_SHIFT);
}

void pv_toggle_guest_mode(struct vcpu *v)
{
    v->arch.kernel_mode = !v->arch.kernel_mode;
    /* The inactive mode's GS base waits in MSR_SHADOW_GS_BASE. */
    asm volatile ( "swapgs" ::: "memory" );
    pv_load_cr3(v);
}

void pv_vcpu_load(struct vcpu *v)
{
    write_fs_base(v->arch.fs_base);
    write_gs_base(v->arch.kernel_mode ? v->arch.gs_base_kernel
                                      : v->arch.gs_base_user);
    write_shadow_gs_base(v->arch.kernel_mode ? v->arch.gs_base_user
                                             : v->arch.gs_base_kernel);
    gdt_window_map(v->arch.gdt_frames, GDT_GUEST_FRAMES);
    if ( v->arch.virt_ts )
        write_cr0(read_cr0() | X86_CR0_TS);
    else
        clts();
    pv_load_cr3(v);
}

static void bounce_user_syscall(struct vcpu *v, struct cpu_regs *regs)
{
    uint64_t frame[7];
    uint64_t sp;

    if ( !v->arch.syscall_cb.address )
    {
        /* No callback: as on hardware without SYSCALL enabled, #UD. */
        pv_inject_exception(regs, X86_EXC_UD, -1);
        return;
    }
    pv_toggle_guest_mode(v);
    sp = (v->arch.kernel_sp & ~0xfUL) - sizeof(frame);
    frame[0] = regs->rcx;
    frame[1] = regs->r11;
    frame[2] = regs->rip;
    frame[3] = regs->cs | ((uint64_t)v->vcpu_info->evtchn_upcall_mask << 32);
    frame[4] = regs->rflags;
    frame[5] = regs->rsp;
    frame[6] = regs->ss;
    if ( copy_to_guest(sp, frame, sizeof(frame)) )
        domain_crash(v->domain, "syscall frame not writable");
    if ( v->arch.syscall_cb.mask_events )
        v->vcpu_info->evtchn_upcall_mask = 1;
    regs->rsp = sp;
    regs->rip = v->arch.syscall_cb.address;
    regs->cs = FLAT_KERNEL_CS;
    regs->ss = FLAT_KERNEL_SS;
    regs->rflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_NT | X86_EFLAGS_DF |
                      X86_EFLAGS_AC | X86_EFLAGS_RF);
    regs->rflags |= X86_EFLAGS_IF | X86_EFLAGS_MBS;
}

void do_syscall(struct cpu_regs *regs)
{
    struct vcpu *v = current;

    if ( !v->arch.kernel_mode )
    {
        bounce_user_syscall(v, regs);
        return;
    }
    do_hypercall(regs);
}

void pv_iret_faulted(struct cpu_regs *regs)
{
    struct vcpu *v = current;

    /*
     * regs holds the guest's general registers (we were about to IRET);
     * the frame we tried is still intact in the per-CPU guest frame.
     */
    printk(LOG_ERR "d%u: IRET to guest faulted (vector %lu, error %lx)\n",
           v->domain->domain_id, regs->vector, regs->error_code);
    domain_crash(v->domain, "bad IRET frame");
}
