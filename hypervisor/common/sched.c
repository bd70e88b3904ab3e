/*
 * sched_op: yield, block, shutdown, poll, shutdown_code.
 *
 * Blocking never waits here: the vCPU is marked blocked and the hypercall
 * returns its result into the saved frame; the exit path then switches
 * to another vCPU (or idles) until an event wakes this one. Block and
 * poll both re-check for events after marking the vCPU blocked, so an
 * event that is already there is never slept through.
 */
#include <asm/current.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <mica/event.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <mica/sched.h>
#include <public/sched.h>

static long sched_block(void)
{
    struct vcpu *v = current;
    struct vcpu_info *vi = v->vcpu_info;

    vi->evtchn_upcall_mask = 0;
    vcpu_block(v);
    if ( vi->evtchn_upcall_pending )
        vcpu_unblock(v);
    return 0;
}

/*
 * Xen's rules: more than MAX_POLL_PORTS or a port beyond the 2-level
 * range is -EINVAL, an unreadable list -EFAULT; a pending port returns
 * at once. With exactly one port only that port wakes the poller, with
 * several any port of the domain does (the caller re-checks); a timeout
 * (absolute system time, 0 = none) already past wakes it immediately.
 */
static long sched_poll(unsigned long arg)
{
    struct vcpu *v = current;
    struct sched_poll p;

    if ( copy_from_guest(&p, arg, sizeof(p)) )
        return -EFAULT;
    if ( p.nr_ports > MAX_POLL_PORTS )
        return -EINVAL;
    if ( copy_from_guest(v->poll.ports, p.ports,
                         p.nr_ports * sizeof(v->poll.ports[0])) )
        return -EFAULT;
    for ( uint32_t i = 0; i < p.nr_ports; i++ )
    {
        if ( v->poll.ports[i] >= NR_EVENT_CHANNELS )
            return -EINVAL;
        if ( evtchn_is_pending(v->domain->evtchn, v->poll.ports[i]) )
            return 0;
    }
    v->poll.nr_ports = p.nr_ports;
    v->poll.active = true;
    vcpu_block(v);
    if ( p.timeout )
        timer_set(&v->poll_timer, p.timeout);
    return 0;
}

static long sched_shutdown_code(unsigned long arg)
{
    struct domain *d = current->domain;
    struct sched_shutdown s;

    if ( copy_from_guest(&s, arg, sizeof(s)) )
        return -EFAULT;
    if ( !d->is_shutting_down )
    {
        d->shutdown_code = s.reason;
        d->shutdown_code_set = true;
    }
    return 0;
}

long do_sched_op(unsigned long cmd, unsigned long arg, unsigned long a3,
                 unsigned long a4, unsigned long a5)
{
    struct sched_shutdown s;

    switch ( cmd )
    {
    case SCHEDOP_yield:
        vcpu_yield(current);
        return 0;
    case SCHEDOP_block:
        return sched_block();
    case SCHEDOP_shutdown:
        if ( copy_from_guest(&s, arg, sizeof(s)) )
            return -EFAULT;
        domain_shutdown(current->domain, s.reason);
        return 0;
    case SCHEDOP_poll:
        return sched_poll(arg);
    case SCHEDOP_shutdown_code:
        return sched_shutdown_code(arg);
    default:
        return -ENOSYS;
    }
}
