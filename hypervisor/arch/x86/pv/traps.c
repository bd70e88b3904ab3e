/*
 * Bouncing exceptions and events into a PV guest.
 *
 * A PV guest kernel runs in ring 3, so every exception it causes comes to
 * us first. We deliver it the way Xen does for 64-bit PV: switch the vCPU
 * to kernel mode (if it was in user mode, onto the stack it gave us with
 * stack_switch), push RCX, R11, [error code], RIP, CS, RFLAGS, RSP, SS on
 * the guest stack, and resume at the handler from its trap table. The CS
 * slot carries the saved event mask in bits 32-39 and RFLAGS.IF shows the
 * virtual interrupt flag. Anything that makes delivery impossible (no
 * handler, a stack we cannot write) kills the guest: it would have
 * triple-faulted on real hardware. The failsafe callback uses the same
 * frame with DS, ES, FS, GS where an error code would go.
 */
#include <asm/current.h>
#include <asm/mm.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/traps.h>
#include <mica/guest_access.h>
#include <mica/lib.h>
#include <mica/logdirty.h>
#include <mica/sched.h>
#include <public/arch-x86_64.h>

/*
 * What to deliver: the handler, whether to mask events, and the words
 * that go between R11 and RIP in the frame (an error code, or the four
 * data selectors of a failsafe callback).
 */
struct bounce
{
    uint64_t handler;
    bool mask_events;
    unsigned int nr_words;
    uint64_t words[4];
};

static void build_bounce_frame(struct vcpu *v, struct cpu_regs *regs,
                               const struct bounce *b)
{
    struct vcpu_info *vi = v->vcpu_info;
    uint8_t saved_mask = vi->evtchn_upcall_mask;
    uint64_t frame[11], cs = regs->cs, sp;
    unsigned int n = 0;

    if ( !v->arch.kernel_mode )
    {
        pv_toggle_guest_mode(v);
        sp = v->arch.kernel_sp;
    }
    else
    {
        sp = regs->rsp;
        cs &= ~3UL;
    }
    sp &= ~0xfUL;

    frame[n++] = regs->rcx;
    frame[n++] = regs->r11;
    for ( unsigned int i = 0; i < b->nr_words; i++ )
        frame[n++] = b->words[i];
    frame[n++] = regs->rip;
    frame[n++] = (cs & 0xffff) | ((uint64_t)saved_mask << 32);
    frame[n++] = (regs->rflags & ~(X86_EFLAGS_IF | X86_EFLAGS_IOPL)) |
                 (saved_mask ? 0 : X86_EFLAGS_IF);
    frame[n++] = regs->rsp;
    frame[n++] = regs->ss;
    sp -= n * 8;
    if ( copy_to_guest(sp, frame, n * 8) )
    {
        printk(LOG_ERR "d%u: cannot write exception frame at %016lx\n",
               v->domain->domain_id, sp);
        domain_crash(v->domain, "bounce frame not writable");
    }

    regs->rsp = sp;
    regs->rip = b->handler;
    regs->cs = FLAT_KERNEL_CS;
    regs->ss = FLAT_KERNEL_SS;
    regs->rflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_NT | X86_EFLAGS_RF |
                      X86_EFLAGS_VM | X86_EFLAGS_AC);
    regs->rflags |= X86_EFLAGS_IF | X86_EFLAGS_MBS;
    if ( b->mask_events )
        vi->evtchn_upcall_mask = 1;
}

void pv_inject_exception(struct cpu_regs *regs, unsigned int vector, long ec)
{
    struct vcpu *v = current;
    const struct pv_trap *t = &v->arch.traps[vector & 0xff];
    struct bounce b = {
        .handler = t->address,
        .mask_events = t->flags & TI_IF,
        .nr_words = ec >= 0,
        .words = { ec >= 0 ? (uint64_t)ec : 0 },
    };

    if ( !t->address )
    {
        printk(LOG_ERR "d%u: unhandled exception %u (error %ld)\n",
               v->domain->domain_id, vector, ec);
        domain_crash(v->domain, "exception with no guest handler");
    }
    if ( vector == X86_EXC_PF )
        v->vcpu_info->arch.cr2 = v->arch.cr2;
    build_bounce_frame(v, regs, &b);
}

void pv_inject_callback(struct cpu_regs *regs, const struct pv_callback *cb)
{
    struct bounce b = { .handler = cb->address,
                        .mask_events = cb->mask_events };

    build_bounce_frame(current, regs, &b);
}

/*
 * The vCPU's data selectors could not all be loaded as it was switched
 * in (the hypervisor loaded NULL for the bad ones): tell the guest
 * through its failsafe callback, with the selectors it had, as Xen's
 * load_segments does. With no callback registered the guest resumes at
 * address 0, as under Xen, and faults there.
 */
void pv_inject_failsafe(struct cpu_regs *regs, const uint16_t sel[4])
{
    const struct pv_callback *cb = &current->arch.failsafe_cb;
    struct bounce b = { .handler = cb->address,
                        .mask_events = cb->mask_events,
                        .nr_words = 4,
                        .words = { sel[0], sel[1], sel[2], sel[3] } };

    build_bounce_frame(current, regs, &b);
}

/*
 * The last step before every return to a guest (interrupts off): run
 * softirqs, which may fire timers and switch `regs` to another vCPU,
 * then deliver an upcall to whoever runs now if one is pending and not
 * masked.
 */
void prepare_return_to_guest(struct cpu_regs *regs)
{
    struct vcpu *v;
    const struct vcpu_info *vi;

    do_softirqs(regs);
    v = current;
    vi = v->vcpu_info;

    pt_flush_if_pending();
    if ( vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask &&
         v->arch.event_cb.address )
        pv_inject_callback(regs, &v->arch.event_cb);
}

void pv_do_exception(struct cpu_regs *regs)
{
    struct vcpu *v = current;
    long ec = (X86_EXC_HAVE_EC >> regs->vector) & 1 ? (long)regs->error_code
                                                    : -1;

    switch ( regs->vector )
    {
    case X86_EXC_GP:
        if ( pv_emulate_gp(regs) )
            return;
        break;
    case X86_EXC_UD:
        if ( pv_emulate_forced(regs) )
            return;
        break;
    case X86_EXC_NM:
        /* The guest set TS itself (fpu_taskswitch): clear it and tell it. */
        clts();
        v->arch.virt_ts = false;
        break;
    case X86_EXC_DB:
        /* The guest reads DR6 through get_debugreg: hand it the status. */
        v->arch.debugreg[6] = read_dr6();
        write_dr6(0xffff0ff0UL);
        break;
    case X86_EXC_PF:
        v->arch.cr2 = read_cr2();
        if ( logdirty_pk_fault(v->arch.cr2, ec) )
            return;
        if ( pv_ptwr_fault(regs, v->arch.cr2, ec) )
            return;
        /* The guest kernel is "supervisor" in its own eyes. */
        if ( v->arch.kernel_mode )
            ec &= ~PFEC_USER;
        if ( pv_ldt_fault(regs, v->arch.cr2, ec) )
            return;
        break;
    case X86_EXC_NMI:
    case X86_EXC_MC:
    case X86_EXC_DF:
        show_registers(regs);
        panic("vector %lu while running d%u", regs->vector,
              v->domain->domain_id);
    }
    pv_inject_exception(regs, regs->vector, ec);
}
