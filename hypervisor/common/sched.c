/*
 * sched_op. Until the scheduler exists there is one vCPU on one CPU, so
 * yield returns at once and block/poll wait with the CPU halted until an
 * interrupt; a return from block without an event is allowed by the ABI
 * (guests re-check and block again).
 */
#include <asm/current.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <public/sched.h>

#define MAX_POLL_PORTS 128

/* sti takes effect after hlt starts, so no interrupt slips in between. */
static void wait_for_interrupt(void)
{
    asm volatile ( "sti; hlt" ::: "memory" );
}

static long sched_block(void)
{
    struct vcpu_info *vi = current->vcpu_info;

    vi->evtchn_upcall_mask = 0;
    if ( !vi->evtchn_upcall_pending )
        wait_for_interrupt();
    return 0;
}

static bool port_pending(const struct domain *d, uint32_t port)
{
    return (d->shared_info->evtchn_pending[port / 64] >> (port % 64)) & 1;
}

static long sched_poll(unsigned long arg)
{
    struct domain *d = current->domain;
    struct sched_poll p;
    uint32_t ports[MAX_POLL_PORTS];

    if ( copy_from_guest(&p, arg, sizeof(p)) )
        return -EFAULT;
    if ( p.nr_ports > MAX_POLL_PORTS )
        return -EINVAL;
    if ( copy_from_guest(ports, p.ports, p.nr_ports * sizeof(ports[0])) )
        return -EFAULT;
    for ( ;; )
    {
        for ( uint32_t i = 0; i < p.nr_ports; i++ )
        {
            if ( ports[i] >= NR_EVENT_CHANNELS )
                return -EINVAL;
            if ( port_pending(d, ports[i]) )
                return 0;
        }
        if ( p.timeout && now_ns() >= p.timeout )
            return 0;
        wait_for_interrupt();
    }
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
