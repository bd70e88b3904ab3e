/*
 * The hypervisor's side of the event-channel environment (mica/event.h):
 * who is calling, which domains and vCPUs exist, and what to do when an
 * upcall becomes pending (wake the vCPU) or a guest signals a port whose
 * other end is the hypervisor (the console backend).
 */
#include <asm/current.h>
#include <mica/console_ring.h>
#include <mica/domain.h>
#include <mica/event.h>
#include <mica/sched.h>

struct evtchn_domain *evtchn_env_current(void)
{
    return current->domain->evtchn;
}

struct evtchn_domain *evtchn_env_domain(domid_t id)
{
    struct domain *d = domain_by_id(id);

    return d ? d->evtchn : NULL;
}

static struct vcpu *evtchn_vcpu(struct evtchn_domain *ed, uint32_t vcpu)
{
    struct domain *d = domain_by_id(ed->domid);

    if ( !d || vcpu >= d->max_vcpus )
        return NULL;
    return d->vcpu[vcpu];
}

struct vcpu_info *evtchn_env_vcpu_info(struct evtchn_domain *ed,
                                       uint32_t vcpu)
{
    struct vcpu *v = evtchn_vcpu(ed, vcpu);

    return v ? v->vcpu_info : NULL;
}

void evtchn_env_kick(struct evtchn_domain *ed, uint32_t vcpu)
{
    struct vcpu *v = evtchn_vcpu(ed, vcpu);

    if ( v )
        vcpu_unblock(v);
}

void evtchn_env_check_pollers(struct evtchn_domain *ed, uint32_t port)
{
    struct domain *d = domain_by_id(ed->domid);

    if ( !d )
        return;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] && d->vcpu[i]->poll.active )
            vcpu_poll_check(d->vcpu[i], port);
}

void evtchn_env_xen_notify(struct evtchn_domain *ed, uint32_t port)
{
    struct domain *d = domain_by_id(ed->domid);

    if ( d && port == d->console.port )
        console_ring_drain(d);
}
