/*
 * Domain and vCPU creation, shutdown and crash.
 *
 * Domains live in a fixed table indexed by domain id. While dom0 is the
 * only domain, its shutdown or crash ends the machine: the exit code
 * tells a test runner which of the two happened.
 */
#include <asm/current.h>
#include <asm/page.h>
#include <asm/traps.h>
#include <mica/domain.h>
#include <mica/domain_page.h>
#include <mica/lib.h>
#include <mica/page_alloc.h>
#include <mica/setup.h>
#include <public/sched.h>

static struct domain domains[CONFIG_MAX_DOMAINS];
static struct vcpu vcpus[CONFIG_MAX_DOMAINS];

static const char *const shutdown_names[] = {
    "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset",
};

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
    memset(d->shared_info, 0, PAGE_SIZE);
    share_xen_page_with_guest(mfn, d);
    return d;
}

struct domain *domain_by_id(domid_t id)
{
    if ( id >= CONFIG_MAX_DOMAINS || !domains[id].shared_info )
        return NULL;
    return &domains[id];
}

struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
    struct vcpu *v = &vcpus[d->domain_id];

    if ( id != 0 )
        return NULL;        /* one vCPU per domain until SMP guests */
    memset(v, 0, sizeof(*v));
    v->vcpu_id = id;
    v->domain = d;
    v->vcpu_info = &d->shared_info->vcpu_info[id];
    v->vcpu_info->evtchn_upcall_mask = 1;
    v->arch.kernel_mode = true;
    d->vcpu[id] = v;
    d->max_vcpus = 1;
    return v;
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    const char *name = reason < ARRAY_SIZE(shutdown_names)
                       ? shutdown_names[reason] : "unknown";

    if ( !d->shutdown_code_set )
        d->shutdown_code = reason;
    d->is_shutting_down = true;
    printk("domain %u shut down: reason %u (%s)\n", d->domain_id, reason,
           name);
    if ( !is_hardware_domain(d) )
        return;
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
    d->is_shutting_down = true;
    d->shutdown_code = SHUTDOWN_crash;
    /* With no other domain to run, the machine stops here. */
    machine_exit(EXIT_CRASH);
}
