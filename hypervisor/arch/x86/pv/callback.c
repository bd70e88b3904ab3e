/*
 * Where the guest wants its exceptions, events and system calls delivered:
 * set_trap_table, set_callbacks, callback_op and stack_switch.
 * Addresses are only checked to be canonical, as Xen does: a handler the
 * guest cannot execute fails at delivery and harms only that guest.
 */
#include <asm/current.h>
#include <asm/processor.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <public/arch-x86_64.h>
#include <public/callback.h>

long do_set_trap_table(unsigned long traps, unsigned long a2,
                       unsigned long a3, unsigned long a4, unsigned long a5)
{
    struct vcpu *v = current;
    struct trap_info ti;

    if ( !traps )
    {
        memset(v->arch.traps, 0, sizeof(v->arch.traps));
        return 0;
    }
    /* Entries before a bad one stay installed, as in Xen. */
    for ( ;; traps += sizeof(ti) )
    {
        if ( copy_from_guest(&ti, traps, sizeof(ti)) )
            return -EFAULT;
        if ( !ti.address )
            return 0;
        if ( !is_canonical(ti.address) )
            return -EINVAL;
        v->arch.traps[ti.vector].address = ti.address;
        v->arch.traps[ti.vector].cs = ti.cs | 3;
        v->arch.traps[ti.vector].flags = ti.flags & (TI_DPL_MASK | TI_IF);
    }
}

static long register_callback(const struct callback_register *reg)
{
    struct vcpu *v = current;
    bool mask = reg->flags & CALLBACKF_mask_events;

    if ( !is_canonical(reg->address) )
        return -EINVAL;
    switch ( reg->type )
    {
    case CALLBACKTYPE_event:
        v->arch.event_cb = (struct pv_callback){ reg->address, true };
        return 0;
    case CALLBACKTYPE_failsafe:
        v->arch.failsafe_cb = (struct pv_callback){ reg->address, mask };
        return 0;
    case CALLBACKTYPE_syscall:
        v->arch.syscall_cb = (struct pv_callback){ reg->address, mask };
        return 0;
    case CALLBACKTYPE_syscall32:
    case CALLBACKTYPE_sysenter:
    case CALLBACKTYPE_nmi:
        /* Accepted but never invoked: no 32-bit user code, no guest NMIs. */
        return 0;
    default:
        return -ENOSYS;
    }
}

static long unregister_callback(const struct callback_unregister *unreg)
{
    switch ( unreg->type )
    {
    case CALLBACKTYPE_event:
    case CALLBACKTYPE_failsafe:
    case CALLBACKTYPE_syscall:
    case CALLBACKTYPE_syscall32:
    case CALLBACKTYPE_sysenter:
        return -EINVAL;     /* these can only be replaced */
    case CALLBACKTYPE_nmi:
        return 0;
    default:
        return -ENOSYS;
    }
}

long do_callback_op(unsigned long cmd, unsigned long arg, unsigned long a3,
                    unsigned long a4, unsigned long a5)
{
    struct callback_register reg;
    struct callback_unregister unreg;

    switch ( cmd )
    {
    case CALLBACKOP_register:
        if ( copy_from_guest(&reg, arg, sizeof(reg)) )
            return -EFAULT;
        return register_callback(&reg);
    case CALLBACKOP_unregister:
        if ( copy_from_guest(&unreg, arg, sizeof(unreg)) )
            return -EFAULT;
        return unregister_callback(&unreg);
    default:
        return -ENOSYS;
    }
}

long do_set_callbacks(unsigned long event, unsigned long failsafe,
                      unsigned long syscall, unsigned long a4,
                      unsigned long a5)
{
    struct callback_register e = { .type = CALLBACKTYPE_event,
                                   .address = event };
    struct callback_register f = { .type = CALLBACKTYPE_failsafe,
                                   .address = failsafe };
    struct callback_register s = { .type = CALLBACKTYPE_syscall,
                                   .address = syscall };

    /* Xen ignores the individual results here. */
    register_callback(&e);
    register_callback(&f);
    register_callback(&s);
    return 0;
}

long do_stack_switch(unsigned long ss, unsigned long sp, unsigned long a3,
                     unsigned long a4, unsigned long a5)
{
    current->arch.kernel_ss = ss | 3;
    current->arch.kernel_sp = sp;
    return 0;
}
