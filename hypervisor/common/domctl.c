/*
 * HYPERVISOR_domctl: Mica's per-domain control interface (public/domctl.h,
 * docs/domctl.md).
 *
 * The dispatcher table lets only privileged domains in. Here every call
 * is copied in once, its interface version checked (-EACCES), its target
 * looked up and checked against the sub-op's rules, then handed to one
 * worker, and the struct copied back on success:
 *
 *   - the target is an existing domain (-ESRCH otherwise; reserved ids
 *     such as DOMID_SELF name no domain here);
 *   - a dying domain accepts only getdomaininfo, destroy and
 *     getpageframeinfo (-EINVAL): it has nothing left to change;
 *   - sub-ops that stop or rewrite a vCPU refuse the caller itself
 *     (-EINVAL, as Xen: it cannot pause under its own feet) and destroy
 *     refuses the hardware domain, whose end is the host's.
 *
 * A worker that answers -ERESTART (destroy, log-dirty) has kept its
 * progress: the call becomes a continuation, the caller re-issues it with
 * the same argument and the worker goes on, as Xen's destroydomain.
 */
#include <asm/current.h>
#include <asm/time.h>
#include <mica/domctl.h>
#include <mica/event.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <mica/logdirty.h>
#include <mica/sched.h>
#include <mica/vtime.h>

#define MAX_TIME_OFFSET (1LL << 33)     /* seconds: ~272 years */

static bool allowed_when_dying(uint32_t cmd)
{
    return cmd == MICA_DOMCTL_getdomaininfo || cmd == MICA_DOMCTL_destroy ||
           cmd == MICA_DOMCTL_getpageframeinfo;
}

/* Sub-ops that must not act on the calling domain itself. */
static bool refuses_self(uint32_t cmd)
{
    switch ( cmd )
    {
    case MICA_DOMCTL_destroy:
    case MICA_DOMCTL_pause:
    case MICA_DOMCTL_unpause:
    case MICA_DOMCTL_max_vcpus:
    case MICA_DOMCTL_populate:
    case MICA_DOMCTL_setvcpucontext:
    case MICA_DOMCTL_getvcpucontext:
    case MICA_DOMCTL_logdirty:
        return true;
    default:
        return false;
    }
}

static long find_target(const struct mica_domctl *op, struct domain **pd)
{
    struct domain *d = domain_slot(op->domain);

    if ( !d )
        return -ESRCH;
    if ( d->is_dying && !allowed_when_dying(op->cmd) )
        return -EINVAL;
    if ( d == current->domain && refuses_self(op->cmd) )
        return -EINVAL;
    if ( op->cmd == MICA_DOMCTL_destroy && is_hardware_domain(d) )
        return -EINVAL;
    *pd = d;
    return 0;
}

/* 0 for "choose one" (or any reserved id, as Xen), else that exact id. */
static long pick_domid(domid_t wanted)
{
    static domid_t rover;

    if ( wanted && wanted < DOMID_FIRST_RESERVED )
    {
        if ( wanted >= CONFIG_MAX_DOMAINS )
            return -EINVAL;
        return domain_slot(wanted) ? -EEXIST : wanted;
    }
    for ( unsigned int i = 1; i < CONFIG_MAX_DOMAINS; i++ )
    {
        domid_t id = (rover + i) % CONFIG_MAX_DOMAINS;

        if ( id && !domain_slot(id) )
        {
            rover = id;
            return id;
        }
    }
    return -ENOMEM;
}

static long create(struct mica_domctl *op)
{
    const struct mica_domctl_create *c = &op->u.create;
    struct domain *d;
    struct vcpu *v;
    long id;

    if ( c->flags || !c->max_vcpus ||
         c->max_vcpus > MICA_MAX_VCPUS_PER_DOMAIN )
        return -EINVAL;
    id = pick_domid(op->domain);
    if ( id < 0 )
        return id;
    d = domain_create(id, false);
    if ( !d )
        return -ENOMEM;
    v = vcpu_create(d, 0);
    v->initialised = false;
    v->down = true;
    v->pause_count = 2;             /* down, and paused by us */
    v->runstate.state = RUNSTATE_offline;
    d->controller_pause_count = 1;
    memcpy(d->handle, c->handle, sizeof(d->handle));
    d->max_pages = c->max_memkb >> (PAGE_SHIFT - 10);
    vtime_domain_init(d);
    if ( sched_add_vcpu(v) || domain_add_vcpus(d, c->max_vcpus) )
    {
        domain_kill_all(d);
        return -ENOMEM;
    }
    op->domain = id;
    printk("d%ld created by d%u (max %lu pages, %u vCPUs)\n", id,
           current->domain->domain_id, d->max_pages, d->max_vcpus);
    return 0;
}

/*
 * Xen's XEN_DOMCTL_max_vcpus (up to 4.11; since 4.12 the count is fixed
 * at creation, as here): the count can neither shrink (-EINVAL) nor grow
 * once set (-EBUSY), so only the current value is accepted.
 */
static long max_vcpus(const struct domain *d, uint32_t max)
{
    if ( max > MICA_MAX_VCPUS_PER_DOMAIN || max < d->max_vcpus )
        return -EINVAL;
    return max > d->max_vcpus ? -EBUSY : 0;
}

/* Xen's XEN_DOMCTL_getvcpuinfo: -EINVAL beyond max_vcpus. */
static long get_vcpu_info(const struct domain *d,
                          struct mica_domctl_vcpuinfo *vi)
{
    const struct vcpu *v;

    if ( vi->vcpu >= d->max_vcpus || !(v = d->vcpu[vi->vcpu]) )
        return -EINVAL;
    vi->online = !v->down;
    vi->blocked = v->blocked;
    vi->running = v == current;
    vi->pad = 0;
    vi->cpu = 0;
    vi->cpu_time = v->runstate.time[RUNSTATE_running];
    if ( v == current )
        vi->cpu_time += now_ns() - v->runstate.state_entry_time;
    return 0;
}

void domain_getinfo(const struct domain *d, struct mica_domaininfo *info)
{
    uint32_t flags = 0;
    bool all_blocked = true;

    memset(info, 0, sizeof(*info));
    info->domain = d->domain_id;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        const struct vcpu *v = d->vcpu[i];

        if ( !v )
            continue;
        info->cpu_time += v->runstate.time[RUNSTATE_running];
        if ( v->down || v->stopped )
            continue;
        info->nr_online_vcpus++;
        all_blocked &= v->blocked;
        if ( !v->blocked && !v->pause_count )
            flags |= MICA_DOMINF_running;
    }
    if ( info->nr_online_vcpus && all_blocked )
        flags |= MICA_DOMINF_blocked;
    flags |= d->is_dying ? MICA_DOMINF_dying : 0;
    flags |= d->is_shutting_down ? MICA_DOMINF_shutdown : 0;
    flags |= d->controller_pause_count ? MICA_DOMINF_paused : 0;
    flags |= d->is_privileged ? MICA_DOMINF_privileged : 0;
    flags |= d->is_crashed ? MICA_DOMINF_crashed : 0;
    flags |= d->logdirty ? MICA_DOMINF_logdirty : 0;
    flags |= logdirty_precise(d) ? MICA_DOMINF_logdirty_exact : 0;
    info->flags = flags;
    info->shutdown_reason = d->is_shutting_down ? d->shutdown_code : 0;
    info->max_vcpus = d->max_vcpus;
    info->max_evtchn_port = d->evtchn ? d->evtchn->max_port : 0;
    info->tot_pages = d->tot_pages;
    info->max_pages = d->max_pages;
    info->shared_info_mfn = d->shared_info_mfn;
    memcpy(info->handle, d->handle, sizeof(info->handle));
}

static long set_max_evtchn(struct domain *d, uint32_t max_port)
{
    d->evtchn->max_port = MIN(max_port, (uint32_t)NR_EVENT_CHANNELS - 1);
    return 0;
}

static long set_time_offset(struct domain *d, int64_t seconds)
{
    if ( seconds > MAX_TIME_OFFSET || seconds < -MAX_TIME_OFFSET )
        return -EINVAL;
    d->time_offset = seconds;
    vtime_domain_init(d);
    return 0;
}

static long max_mem(struct domain *d, uint64_t max_memkb)
{
    d->max_pages = max_memkb >> (PAGE_SHIFT - 10);
    return 0;
}

static long dispatch(struct mica_domctl *op, struct domain *d)
{
    switch ( op->cmd )
    {
    case MICA_DOMCTL_destroy:
        return domain_kill(d);
    case MICA_DOMCTL_pause:
        return domain_pause_by_controller(d);
    case MICA_DOMCTL_unpause:
        return domain_unpause_by_controller(d);
    case MICA_DOMCTL_getdomaininfo:
        domain_getinfo(d, &op->u.info);
        return 0;
    case MICA_DOMCTL_max_mem:
        return max_mem(d, op->u.max_mem.max_memkb);
    case MICA_DOMCTL_max_vcpus:
        return max_vcpus(d, op->u.max_vcpus.max);
    case MICA_DOMCTL_getvcpuinfo:
        return get_vcpu_info(d, &op->u.vcpuinfo);
    case MICA_DOMCTL_settimeoffset:
        return set_time_offset(d, op->u.settimeoffset.seconds);
    case MICA_DOMCTL_set_max_evtchn:
        return set_max_evtchn(d, op->u.set_max_evtchn.max_port);
    case MICA_DOMCTL_logdirty:
        return logdirty_domctl(d, &op->u.logdirty);
    default:
        return arch_do_domctl(op, d);
    }
}

long do_domctl(unsigned long arg, unsigned long a2, unsigned long a3,
               unsigned long a4, unsigned long a5)
{
    struct mica_domctl op;
    struct domain *d = NULL;
    long rc;

    if ( copy_from_guest(&op, arg, sizeof(op)) )
        return -EFAULT;
    if ( op.interface_version != MICA_CTL_INTERFACE_VERSION )
        return -EACCES;
    if ( op.cmd == MICA_DOMCTL_create )
        rc = create(&op);
    else
    {
        rc = find_target(&op, &d);
        if ( !rc )
            rc = dispatch(&op, d);
    }
    /* A long sub-op stopped part-way: the caller runs it again. */
    if ( rc == -ERESTART )
        return hypercall_create_continuation(__HYPERVISOR_domctl, arg, 0, 0,
                                             0);
    if ( !rc && copy_to_guest(arg, &op, sizeof(op)) )
        rc = -EFAULT;
    return rc;
}
