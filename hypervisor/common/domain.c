/*
 * Domain and vCPU creation, shutdown, crash and pausing (destruction is
 * in domain_kill.c).
 *
 * Domains live in a fixed table indexed by domain id. Each domain's vCPU
 * 0 lives in a table beside it; vCPUs 1 and up (a multi-vCPU domain) are
 * allocated from the page allocator and freed with the domain. Dom0's
 * shutdown or crash ends the machine: the exit code tells a test runner
 * which of the two happened. Any other domain that stops
 * leaves the scheduler with its state printed; dom0 hears of it through
 * VIRQ_DOM_EXC, as under Xen, and the others run on.
 */
#include <asm/current.h>
#include <asm/page.h>
#include <asm/pv.h>
#include <asm/traps.h>
#include <mica/console_ring.h>
#include <mica/domain.h>
#include <mica/domain_page.h>
#include <mica/event.h>
#include <mica/grant_table.h>
#include <mica/lib.h>
#include <mica/page_alloc.h>
#include <mica/sched.h>
#include <mica/setup.h>
#include <public/sched.h>

static struct domain domains[CONFIG_MAX_DOMAINS];
static struct vcpu vcpus[CONFIG_MAX_DOMAINS];

static const char *const shutdown_names[] = {
    "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset",
};

static int evtchn_alloc(struct domain *d)
{
    unsigned int order = 0;
    long mfn;

    while ( (PAGE_SIZE << order) < sizeof(struct evtchn_domain) )
        order++;
    mfn = page_alloc(order, PAGE_OWNER_XEN);
    if ( mfn < 0 )
        return -ENOMEM;
    d->evtchn = mfn_to_virt(mfn);
    d->evtchn_order = order;
    evtchn_domain_init(d->evtchn, d->domain_id, d->is_privileged,
                       d->shared_info);
    return 0;
}

struct domain *domain_create(domid_t id, bool privileged)
{
    struct domain *d;
    long mfn;

    if ( id >= CONFIG_MAX_DOMAINS || domains[id].shared_info )
        return NULL;
    mfn = page_alloc(0, id);
    if ( mfn < 0 )
        return NULL;
    d = &domains[id];
    memset(d, 0, sizeof(*d));
    d->domain_id = id;
    d->is_privileged = privileged;
    d->shared_info_mfn = mfn;
    d->shared_info = mfn_to_virt(mfn);
    d->weight = CSCHED_DEFAULT_WEIGHT;
    memset(d->shared_info, 0, PAGE_SIZE);
    share_xen_page_with_guest(mfn, d);
    if ( evtchn_alloc(d) )
        goto free_shared_info;
    if ( gnttab_domain_create(d) )
        goto free_evtchn;
    return d;

 free_evtchn:
    page_free(virt_to_mfn(d->evtchn), d->evtchn_order);
 free_shared_info:
    page_free(mfn, 0);
    memset(d, 0, sizeof(*d));
    return NULL;
}

struct domain *domain_slot(domid_t id)
{
    if ( id >= CONFIG_MAX_DOMAINS || !domains[id].shared_info )
        return NULL;
    return &domains[id];
}

struct domain *domain_by_id(domid_t id)
{
    struct domain *d = domain_slot(id);

    return d && !d->is_dying ? d : NULL;
}

bool any_domain_alive(void)
{
    for ( unsigned int i = 0; i < CONFIG_MAX_DOMAINS; i++ )
        if ( domain_by_id(i) && !domains[i].is_shutting_down )
            return true;
    return false;
}

static unsigned int vcpu_order(void)
{
    unsigned int order = 0;

    while ( (PAGE_SIZE << order) < sizeof(struct vcpu) )
        order++;
    return order;
}

/* The slot and its vCPUs are free again: the domain is gone for good. */
void domain_release(struct domain *d)
{
    gnttab_domain_release(d);
    printk("domain %u destroyed\n", d->domain_id);
    for ( unsigned int i = 1; i < MAX_VCPUS; i++ )
        if ( d->vcpu[i] )
            page_free(virt_to_mfn(d->vcpu[i]), vcpu_order());
    if ( d->vcpu[0] )
        memset(d->vcpu[0], 0, sizeof(*d->vcpu[0]));
    memset(d, 0, sizeof(*d));
    /* As Xen's complete_domain_destroy: the id is free, look again. */
    domain_notify_state_change();
}

void domain_notify_state_change(void)
{
    struct domain *d0 = domain_by_id(0);

    if ( d0 )
        evtchn_send_virq(d0->evtchn, 0, VIRQ_DOM_EXC);
}

int domain_pause_by_controller(struct domain *d)
{
    if ( d->controller_pause_count == 255 )
        return -EOVERFLOW;
    d->controller_pause_count++;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            vcpu_pause(d->vcpu[i]);
    return 0;
}

int domain_unpause_by_controller(struct domain *d)
{
    if ( d->controller_pause_count == 0 )
        return -EINVAL;
    d->controller_pause_count--;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            vcpu_unpause(d->vcpu[i]);
    return 0;
}

static struct vcpu *vcpu_alloc(struct domain *d, unsigned int id)
{
    long mfn;

    if ( id == 0 )
        return &vcpus[d->domain_id];
    mfn = page_alloc(vcpu_order(), PAGE_OWNER_XEN);
    return mfn < 0 ? NULL : mfn_to_virt(mfn);
}

/*
 * vCPU 0 starts up with the context the boot builder gives it (or down
 * until setvcpucontext, see domctl.c); the others start down, offline
 * and uninitialised, as Xen's secondary vCPUs do.
 */
struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
    struct vcpu *v;

    if ( id >= MAX_VCPUS || d->vcpu[id] || !(v = vcpu_alloc(d, id)) )
        return NULL;
    memset(v, 0, sizeof(*v));
    v->vcpu_id = id;
    v->domain = d;
    v->vcpu_info = &d->shared_info->vcpu_info[id];
    v->vcpu_info->evtchn_upcall_mask = 1;
    v->arch.kernel_mode = true;
    v->runstate.state = id ? RUNSTATE_offline : RUNSTATE_runnable;
    v->initialised = id == 0;       /* the boot builder gives it a frame */
    v->down = id != 0;
    v->pause_count = v->down;
    d->vcpu[id] = v;
    d->max_vcpus = MAX(d->max_vcpus, id + 1);
    return v;
}

int domain_add_vcpus(struct domain *d, unsigned int max)
{
    for ( unsigned int i = 1; i < max; i++ )
    {
        struct vcpu *v = vcpu_create(d, i);

        if ( !v )
            return -ENOMEM;
        v->pause_count += d->controller_pause_count;
        if ( sched_add_vcpu(v) )
            return -ENOMEM;
    }
    return 0;
}

/* Everything that stops a domain other than dom0. */
static void domain_stop(struct domain *d)
{
    d->is_shutting_down = true;
    if ( d->console.port )
        console_ring_drain(d);
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            sched_remove_vcpu(d->vcpu[i]);
    domain_notify_state_change();
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    const char *name = reason < ARRAY_SIZE(shutdown_names)
                       ? shutdown_names[reason] : "unknown";

    if ( d->is_shutting_down )
        return;
    if ( !d->shutdown_code_set )
        d->shutdown_code = reason;
    d->is_shutting_down = true;
    printk("domain %u shut down: reason %u (%s)\n", d->domain_id, reason,
           name);
    if ( !is_hardware_domain(d) )
    {
        domain_stop(d);
        return;
    }
    switch ( reason )
    {
    case SHUTDOWN_poweroff:
        machine_exit(EXIT_POWEROFF);
    case SHUTDOWN_reboot:
        machine_exit(EXIT_REBOOT);
    case SHUTDOWN_crash:
    case SHUTDOWN_watchdog:
        machine_exit(EXIT_CRASH);
    default:
        machine_exit(EXIT_POWEROFF);
    }
}

void domain_crash(struct domain *d, const char *why)
{
    printk(LOG_ERR "domain %u crashed: %s\n", d->domain_id, why);
    show_registers(guest_cpu_regs());
    d->is_crashed = true;
    d->shutdown_code = SHUTDOWN_crash;
    if ( is_hardware_domain(d) )
        machine_exit(EXIT_CRASH);
    domain_stop(d);
    /* Abandon this stack: the exit path schedules another vCPU. */
    raise_softirq(SOFTIRQ_SCHEDULE);
    enter_guest();
}
