/*
 * Destroying a domain (MICA_DOMCTL_destroy).
 *
 * A kill runs on behalf of a privileged caller that is not the victim:
 * the victim is not on the CPU, so its state is all in memory. In order:
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
 * Steps 1-4 are short and done in one go. Step 5 walks the frame table
 * and scrubs every frame it frees, which for a large domain takes far
 * longer than a hypercall may keep the CPU: it stops when preempted and
 * domain_kill answers -ERESTART, which the domctl turns into a
 * continuation (the caller re-issues the same destroy). d->is_dying
 * says how far the kill got, as Xen's: DOMDYING_alive, then
 * DOMDYING_dying from step 1 until step 5 is complete, then
 * DOMDYING_dead. Any later call goes on from there, so a destroy
 * interrupted and never re-issued leaves the domain dying, holding what
 * it has not yet given back, until the next destroy finishes it; a
 * destroy on a dead domain answers 0. Step 6 happens once, on
 * completion.
 *
 * Frames nobody else references are freed during step 5. A frame another
 * domain still maps (dom0's foreign mappings) keeps its owner and stays
 * counted in tot_pages; the domain stays dying, visible to
 * getdomaininfo, until the last such frame is freed and pt_env_free()
 * calls domain_release(). It does so only for a dead domain, so the
 * domain cannot vanish under a kill still in progress.
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

/* Steps 1-4: nothing can reach the domain any more. */
static void kill_begin(struct domain *d)
{
    d->is_dying = DOMDYING_dying;
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
}

/* Step 6, once step 5 is complete; d may be gone on return. */
static void kill_end(struct domain *d)
{
    printk("domain %u dying: %lu frames still referenced elsewhere\n",
           d->domain_id, d->tot_pages);
    d->is_dying = DOMDYING_dead;
    domain_notify_state_change();
    if ( !d->tot_pages )
        domain_release(d);
}

int domain_kill(struct domain *d)
{
    int rc;

    switch ( d->is_dying )
    {
    case DOMDYING_alive:
        kill_begin(d);
        /* fallthrough */
    case DOMDYING_dying:
        rc = arch_domain_relinquish(d);
        if ( rc )
            return rc;
        kill_end(d);
        /* fallthrough */
    default:
        return 0;                   /* DOMDYING_dead: nothing left to do */
    }
}

/*
 * For a caller that cannot be continued (a creation that failed half
 * way): every call makes progress, so this ends.
 */
void domain_kill_all(struct domain *d)
{
    while ( domain_kill(d) == -ERESTART )
        continue;
}
