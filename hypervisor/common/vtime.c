/*
 * Guest time.
 *
 * System time is nanoseconds since the hypervisor booted, one base for
 * every vCPU, domain and timer deadline. A guest computes it from the
 * TSC with the pvclock record in its vcpu_info:
 *
 *     ns = system_time + ((tsc - tsc_timestamp) << tsc_shift) * mul >> 32
 *
 * We publish the record before a vCPU first runs, whenever it is switched
 * in and when it registers a new vcpu_info: version becomes odd, a write
 * barrier, the fields, a barrier, version even again, so a reader that
 * sees an odd or changed version retries. The wall clock (wc_sec/wc_nsec,
 * the time of day at system time 0) is kept the same way with wc_version.
 *
 * A guest may also register a copy of its record at an address of its
 * own (VCPUOP_register_vcpu_time_memory_area): Linux maps that page into
 * every process's vDSO, so clock_gettime needs no system call. Only the
 * guest kernel's page tables map that address, so the copy is written
 * when the vCPU is current and in kernel mode; otherwise it waits for
 * the next switch to kernel mode (vtime_flush_time_area), as in Xen.
 *
 * Each vCPU has a single-shot timer (set_timer_op, VCPUOP_set_singleshot_
 * timer) and an optional periodic one; both raise VIRQ_TIMER on that
 * vCPU. A deadline already past fires at once, on the way back to the
 * guest.
 */
#include <asm/current.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <mica/domain.h>
#include <mica/event.h>
#include <mica/guest_access.h>
#include <mica/lib.h>
#include <mica/sched.h>
#include <mica/vtime.h>

#define HUGE_TIMEOUT_FALLBACK_NS 100000000ULL   /* Xen's 100 ms */

static uint64_t wallclock_at_boot;
static bool wallclock_set;

static void wmb(void)
{
    asm volatile ( "" ::: "memory" );   /* x86 keeps stores in order */
}

void vtime_vcpu_update(struct vcpu *v)
{
    struct vcpu_time_info *t = &v->vcpu_info->time;
    uint64_t mul = (1000000ULL << 32) / tsc_khz();
    int shift = 0;

    while ( mul >> 32 )
    {
        mul >>= 1;
        shift++;
    }
    t->version = (t->version + 1) | 1;
    wmb();      /* pairs with the guest's read barrier after version */
    t->tsc_timestamp = rdtsc();
    t->system_time = now_ns();
    t->tsc_to_system_mul = mul;
    t->tsc_shift = shift;
    t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
    wmb();      /* fields before the even version */
    t->version++;
    if ( v->time_info_guest )
    {
        v->time_info_pending = true;
        vtime_flush_time_area(v);
    }
}

/*
 * The same protocol in guest memory: an odd version, the record, the
 * even version. A copy that faults is dropped (the guest unmapped it);
 * the next update tries again.
 */
static void write_time_area(uint64_t va, const struct vcpu_time_info *rec)
{
    struct vcpu_time_info t = *rec;
    uint32_t even = t.version;

    t.version = even - 1;
    if ( copy_to_guest(va, &t.version, sizeof(t.version)) )
        return;
    wmb();      /* odd version before the fields, pairs with the reader */
    if ( copy_to_guest(va, &t, sizeof(t)) )
        return;
    wmb();      /* fields before the even version */
    (void)copy_to_guest(va, &even, sizeof(even));
}

void vtime_flush_time_area(struct vcpu *v)
{
    if ( !v->time_info_pending || v != current || !v->arch.kernel_mode )
        return;
    v->time_info_pending = false;
    write_time_area(v->time_info_guest, &v->vcpu_info->time);
}

void vtime_set_time_area(struct vcpu *v, uint64_t va)
{
    v->time_info_guest = va;
    v->time_info_pending = va != 0;
    /* Xen republishes at once; another vCPU of ours gets it when it runs. */
    if ( v == current )
        vtime_vcpu_update(v);
}

static void write_wallclock(struct shared_info *s, uint64_t wall)
{
    s->wc_version = (s->wc_version + 1) | 1;
    wmb();
    s->wc_sec = (uint32_t)(wall / 1000000000ULL);
    s->wc_sec_hi = (uint32_t)((wall / 1000000000ULL) >> 32);
    s->wc_nsec = wall % 1000000000ULL;
    wmb();
    s->wc_version++;
}

/* Wall time at system time 0 as d sees it: with its toolstack offset. */
static uint64_t domain_wallclock(const struct domain *d)
{
    int64_t off = d->time_offset * 1000000000LL;

    if ( off < 0 && (uint64_t)-off > wallclock_at_boot )
        return 0;
    return wallclock_at_boot + off;
}

void vtime_domain_init(struct domain *d)
{
    if ( !wallclock_set )
    {
        wallclock_at_boot = boot_wallclock();
        wallclock_set = true;
    }
    write_wallclock(d->shared_info, domain_wallclock(d));
}

void vtime_set_wallclock(uint64_t wall_ns_at_boot)
{
    wallclock_at_boot = wall_ns_at_boot;
    wallclock_set = true;
    for ( domid_t id = 0; id < CONFIG_MAX_DOMAINS; id++ )
        if ( domain_by_id(id) )
            write_wallclock(domain_by_id(id)->shared_info,
                            domain_wallclock(domain_by_id(id)));
}

static void singleshot_fired(void *data)
{
    struct vcpu *v = data;

    evtchn_send_virq(v->domain->evtchn, v->vcpu_id, VIRQ_TIMER);
}

static void periodic_fired(void *data)
{
    struct vcpu *v = data;
    uint64_t next = v->periodic_timer.expires + v->periodic_period;

    evtchn_send_virq(v->domain->evtchn, v->vcpu_id, VIRQ_TIMER);
    /* Behind by more than a period (we were busy): skip, do not burst. */
    if ( next <= now_ns() )
        next = now_ns() + v->periodic_period;
    timer_set(&v->periodic_timer, next);
}

static void poll_timed_out(void *data)
{
    vcpu_unblock(data);
}

void vtime_vcpu_init(struct vcpu *v)
{
    timer_init(&v->singleshot_timer, singleshot_fired, v);
    timer_init(&v->periodic_timer, periodic_fired, v);
    timer_init(&v->poll_timer, poll_timed_out, v);
    vtime_vcpu_update(v);
}

void vtime_vcpu_stop(struct vcpu *v)
{
    timer_stop(&v->singleshot_timer);
    timer_stop(&v->periodic_timer);
}

void vtime_set_singleshot(struct vcpu *v, uint64_t deadline)
{
    timer_set(&v->singleshot_timer, deadline);
}

void vtime_stop_singleshot(struct vcpu *v)
{
    timer_stop(&v->singleshot_timer);
}

void vtime_set_periodic(struct vcpu *v, uint64_t period)
{
    v->periodic_period = period;
    if ( !period )
    {
        timer_stop(&v->periodic_timer);
        return;
    }
    timer_set(&v->periodic_timer, now_ns() + period);
}

/*
 * set_timer_op(deadline): 0 cancels. A deadline that is negative as a
 * signed value, or more than 2^50 ns (~13 days) ahead, is a guest's
 * wrapped jiffies arithmetic: like Xen, fire in 100 ms instead.
 */
long do_set_timer_op(unsigned long timeout, unsigned long a2,
                     unsigned long a3, unsigned long a4, unsigned long a5)
{
    struct vcpu *v = current;
    int64_t offset = (int64_t)(timeout - now_ns());

    if ( timeout == 0 )
        vtime_stop_singleshot(v);
    else if ( (int64_t)timeout < 0 || (offset > 0 && (offset >> 50) != 0) )
        vtime_set_singleshot(v, now_ns() + HUGE_TIMEOUT_FALLBACK_NS);
    else
        vtime_set_singleshot(v, timeout);
    return 0;
}
