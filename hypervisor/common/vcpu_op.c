/*
 * vcpu_op(cmd, vcpuid, arg): per-vCPU timers, shared areas and state.
 *
 * Xen 4.17 checks the vCPU id before the command, so a bad id answers
 * -ENOENT whatever the command; unknown commands answer -ENOSYS. The
 * single-shot timer can only be set or stopped for the calling vCPU
 * (-EINVAL otherwise). register_vcpu_info moves the vCPU's vcpu_info
 * into a guest frame (once: -EINVAL the second time), copying what was
 * there, then marks every selector bit and the upcall pending so that no
 * event is lost in the move. register_vcpu_time_memory_area names a
 * guest copy of the time record (vtime.c).
 *
 * Bringing vCPUs up and down (Xen's common_vcpu_op): initialise gives a
 * vCPU that has none its first context (-EEXIST otherwise) and leaves it
 * down unless the context says VGCF_online; up needs that context
 * (-EINVAL); down takes any vCPU offline, and the last vCPU of a domain
 * going down shuts the domain down (poweroff) instead; is_up answers 1
 * or 0. Ops other than the single-shot timer may name any vCPU of the
 * caller's domain; register_vcpu_info only the caller or a down vCPU
 * (Linux registers every vCPU's area from CPU 0 before bringing it up).
 */
#include <asm/current.h>
#include <asm/page.h>
#include <asm/page_type.h>
#include <asm/time.h>
#include <mica/domain.h>
#include <mica/domctl.h>
#include <mica/guest_access.h>
#include <mica/lib.h>
#include <mica/sched.h>
#include <mica/vtime.h>
#include <public/arch-x86_64.h>
#include <public/sched.h>
#include <public/vcpu.h>

#define PERIOD_MIN_NS 1000000ULL            /* Xen's 1 ms */
#define PERIOD_MAX_NS (~0ULL >> 2)          /* Xen's STIME_DELTA_MAX */

static long set_periodic(struct vcpu *v, unsigned long arg)
{
    struct vcpu_set_periodic_timer set;

    if ( copy_from_guest(&set, arg, sizeof(set)) )
        return -EFAULT;
    if ( set.period_ns < PERIOD_MIN_NS || set.period_ns > PERIOD_MAX_NS )
        return -EINVAL;
    vtime_set_periodic(v, set.period_ns);
    return 0;
}

static long set_singleshot(struct vcpu *v, unsigned long arg)
{
    struct vcpu_set_singleshot_timer set;

    if ( v != current )
        return -EINVAL;
    if ( copy_from_guest(&set, arg, sizeof(set)) )
        return -EFAULT;
    if ( (set.flags & VCPU_SSHOTTMR_future) && set.timeout_abs_ns < now_ns() )
        return -ETIME;
    vtime_set_singleshot(v, set.timeout_abs_ns);
    return 0;
}


static long register_vcpu_info(struct vcpu *v, unsigned long arg)
{
    struct vcpu_register_vcpu_info info;
    struct vcpu_info *new_info;

    if ( copy_from_guest(&info, arg, sizeof(info)) )
        return -EFAULT;
    if ( info.offset > PAGE_SIZE - sizeof(struct vcpu_info) ||
         (info.offset & 7) )
        return -ENXIO;
    if ( v->vcpu_info_mfn )
        return -EINVAL;
    /* The caller itself, or another vCPU while it is down. */
    if ( (v != current && !v->down) ||
         info.mfn == v->domain->shared_info_mfn )
        return -EINVAL;
    /*
     * We write into this frame through the direct map from now on, so it
     * must stay ordinary memory: the writable type, kept for good, stops
     * the guest from making it a page table we would then corrupt.
     */
    if ( get_page_and_type(info.mfn, v->domain->domain_id, PGT_writable) )
        return -EINVAL;

    new_info = (void *)((char *)mfn_to_virt(info.mfn) + info.offset);
    memcpy(new_info, v->vcpu_info, sizeof(*new_info));
    v->vcpu_info = new_info;
    v->vcpu_info_mfn = info.mfn;
    __atomic_store_n(&new_info->evtchn_pending_sel, ~0UL, __ATOMIC_SEQ_CST);
    new_info->evtchn_upcall_pending = 1;
    vtime_vcpu_update(v);
    return 0;
}

static long register_runstate(struct vcpu *v, unsigned long arg)
{
    struct vcpu_register_runstate_memory_area area;

    if ( copy_from_guest(&area, arg, sizeof(area)) )
        return -EFAULT;
    if ( !guest_range_ok(area.addr, sizeof(struct vcpu_runstate_info)) )
        return -EFAULT;
    v->runstate_guest = area.addr;
    /* Like Xen, a failed first copy is not an error: the area may fill in
     * later, the next time the vCPU is switched in. */
    (void)copy_to_guest(area.addr, &v->runstate, sizeof(v->runstate));
    return 0;
}

/*
 * Like Xen (arch_do_vcpu_op, guest_handle_okay): only the start of the
 * area is checked, against the non-canonical hole and the hypervisor's
 * range; 0 stops the copies. Writes check the whole record each time.
 */
static long register_time_area(struct vcpu *v, unsigned long arg)
{
    struct vcpu_register_time_memory_area area;

    if ( copy_from_guest(&area, arg, sizeof(area)) )
        return -EFAULT;
    if ( area.addr >= (1ULL << 47) && area.addr < HYPERVISOR_VIRT_END )
        return -EFAULT;
    vtime_set_time_area(v, area.addr);
    return 0;
}

static long get_runstate(struct vcpu *v, unsigned long arg)
{
    struct vcpu_runstate_info r = v->runstate;

    if ( v == current )
        r.time[r.state] += now_ns() - r.state_entry_time;
    return copy_to_guest(arg, &r, sizeof(r)) ? -EFAULT : 0;
}

static long initialise(struct vcpu *v, unsigned long arg)
{
    int rc = arch_initialise_vcpu(v, arg);

    if ( rc <= 0 )
        return rc;
    vcpu_up(v);                     /* the context said VGCF_online */
    return 0;
}

static long up(struct vcpu *v)
{
    if ( !v->initialised )
        return -EINVAL;
    vcpu_up(v);
    return 0;
}

/* The last vCPU going down is the domain powering off, as in Xen. */
static long down(struct vcpu *v)
{
    struct domain *d = v->domain;

    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] && d->vcpu[i] != v && !d->vcpu[i]->down )
        {
            vcpu_down(v);
            return 0;
        }
    domain_shutdown(d, SHUTDOWN_poweroff);
    return 0;
}

long do_vcpu_op(unsigned long cmd, unsigned long vcpuid, unsigned long arg,
                unsigned long a4, unsigned long a5)
{
    struct domain *d = current->domain;
    struct vcpu *v;

    if ( (unsigned int)vcpuid >= d->max_vcpus ||
         !(v = d->vcpu[(unsigned int)vcpuid]) )
        return -ENOENT;
    switch ( (unsigned int)cmd )
    {
    case VCPUOP_initialise:
        return initialise(v, arg);
    case VCPUOP_up:
        return up(v);
    case VCPUOP_down:
        return down(v);
    case VCPUOP_is_up:
        return !v->down;
    case VCPUOP_get_runstate_info:
        return get_runstate(v, arg);
    case VCPUOP_register_runstate_memory_area:
        return register_runstate(v, arg);
    case VCPUOP_set_periodic_timer:
        return set_periodic(v, arg);
    case VCPUOP_stop_periodic_timer:
        vtime_set_periodic(v, 0);
        return 0;
    case VCPUOP_set_singleshot_timer:
        return set_singleshot(v, arg);
    case VCPUOP_stop_singleshot_timer:
        if ( v != current )
            return -EINVAL;
        vtime_stop_singleshot(v);
        return 0;
    case VCPUOP_register_vcpu_info:
        return register_vcpu_info(v, arg);
    case VCPUOP_register_vcpu_time_memory_area:
        return register_time_area(v, arg);
    default:
        return -ENOSYS;
    }
}
