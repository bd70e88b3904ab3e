/*
 * Destroying a domain (MICA_DOMCTL_destroy).
 *
 * A kill runs once, start to end, on behalf of a privileged caller that
 * is not the victim: the victim is not on the CPU, so its state is all in
 * memory. In order:
 *
 *   1. it becomes dying: domain_by_id() no longer finds it, so no new
 *      event, foreign mapping or control operation can reach it;
 *   2. its vCPUs leave the scheduler and their timers stop;
 *   3. its console ring is released and every event channel is closed
 *      (an interdomain peer goes back to unbound, as under Xen), then the
 *      event-channel state is freed;
 *   4. the grant maps it holds and log-dirty state go, and its grant
 *      table unless another domain still maps one of its grants;
 *   5. the arch half drops every reference the domain itself holds:
 *      base pointers, GDT frames, vcpu_info frames, pins (which unwinds
 *      its page-table types) and finally each frame's allocation
 *      reference, shared_info included;
 *   6. dom0 hears VIRQ_DOM_EXC.
 *
 * Frames nobody else references are freed during step 5. A frame another
 * domain still maps (dom0's foreign mappings) keeps its owner and stays
 * counted in tot_pages; the domain stays dying, visible to
 * getdomaininfo, until the last such frame is freed and pt_env_free()
 * calls domain_release(). While `relinquishing` is set that call is held
 * back, so the domain cannot vanish under the kill itself.
 */
#include <mica/console_ring.h>
#include <mica/domain.h>
#include <mica/event.h>
#include <mica/grant_table.h>
#include <mica/lib.h>
#include <mica/logdirty.h>
#include <mica/page_alloc.h>
#include <mica/sched.h>
#include <asm/page.h>

static void evtchn_destroy(struct domain *d)
{
    struct evtchn_domain *ed = d->evtchn;

    for ( uint32_t port = 1; port < NR_EVENT_CHANNELS; port++ )
        if ( ed->port[port].state != ECS_FREE )
            evtchn_close(ed, port);
    d->evtchn = NULL;
    page_free(virt_to_mfn(ed), d->evtchn_order);
}

int domain_kill(struct domain *d)
{
    if ( d->is_dying )
        return 0;                   /* idempotent, as Xen's DOMDYING_dead */
    d->is_dying = true;
    d->relinquishing = true;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            sched_remove_vcpu(d->vcpu[i]);
    console_ring_detach(d);
    evtchn_destroy(d);
    /*
     * Its own maps go now; its table stays while another domain still
     * maps one of its grants (that map also keeps the granted frame, so
     * the domain stays dying) and goes in domain_release.
     */
    (void)gnttab_domain_destroy(d);
    logdirty_disable(d);
    arch_domain_relinquish(d);
    printk("domain %u dying: %lu frames still referenced elsewhere\n",
           d->domain_id, d->tot_pages);
    domain_notify_state_change();
    d->relinquishing = false;
    if ( !d->tot_pages )
        domain_release(d);
    return 0;
}
