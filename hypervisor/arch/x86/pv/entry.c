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
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <mica/sched.h>
#include <mica/vtime.h>
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
    /* Guest copies held back while user mode ran can be written now. */
    if ( v->arch.kernel_mode )
    {
        vtime_flush_time_area(v);
        sched_flush_runstate(v);
    }
}

void pv_vcpu_load(struct vcpu *v)
{
    write_fs_base(v->arch.fs_base);
    write_gs_base(v->arch.kernel_mode ? v->arch.gs_base_kernel
                                      : v->arch.gs_base_user);
    write_shadow_gs_base(v->arch.kernel_mode ? v->arch.gs_base_user
                                             : v->arch.gs_base_kernel);
    if ( v->arch.virt_ts )
        write_cr0(read_cr0() | X86_CR0_TS);
    else
        clts();
    pv_load_cr3(v);
}

/*
 * A system call from guest user mode enters the guest kernel through the
 * syscall callback with an exception-style frame; the ABI also promises
 * the kernel a clear direction flag.
 */
static void bounce_user_syscall(struct vcpu *v, struct cpu_regs *regs)
{
    if ( !v->arch.syscall_cb.address )
    {
        /* No callback: as on hardware without SYSCALL enabled, #UD. */
        pv_inject_exception(regs, X86_EXC_UD, -1);
        return;
    }
    pv_inject_callback(regs, &v->arch.syscall_cb);
    regs->rflags &= ~X86_EFLAGS_DF;
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
