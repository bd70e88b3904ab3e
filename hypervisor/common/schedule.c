/*
 * Scheduling glue: vCPU states, blocking and waking, the slice timer and
 * the switch itself.
 *
 * A vCPU is running, runnable (queued in the credit scheduler), blocked
 * (SCHEDOP_block or SCHEDOP_poll, waiting for an event), paused (a
 * toolstack pause, or "down": offline until the guest or the toolstack
 * brings it up) or stopped (its domain shut down or crashed). It is
 * runnable only with none of these. Decisions are made by sched_credit.c;
 * this file turns them into switches. Switching happens at exactly one
 * place, schedule() on the way out to a guest with interrupts off: the
 * per-CPU guest frame then belongs to the outgoing vCPU and is swapped
 * for the incoming one's, so no hypervisor stack is ever switched and a
 * blocking hypercall is just "mark blocked, return".
 *
 * With nothing runnable the CPU idles in schedule() (sti; hlt), running
 * timers as they expire, until some vCPU wakes. The idle loop never runs
 * guest code and never returns to a stopped vCPU.
 */
#include <asm/current.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/time.h>
#include <mica/console.h>
#include <mica/domain.h>
#include <mica/event.h>
#include <mica/guest_access.h>
#include <mica/lib.h>
#include <mica/sched.h>
#include <mica/setup.h>
#include <mica/vtime.h>

static struct csched_cpu cpu0_sched;
static void runstate_set(struct vcpu *v, int state, uint64_t now);
static void runstate_publish(struct vcpu *v);
static struct timer slice_timer;
static bool yield_pending;

static void slice_expired(void *unused)
{
    raise_softirq(SOFTIRQ_SCHEDULE);
}

int sched_add_vcpu(struct vcpu *v)
{
    static bool initialised;
    struct domain *d = v->domain;
    int rc;

    if ( !initialised )
    {
        csched_init(&cpu0_sched, now_ns());
        timer_init(&slice_timer, slice_expired, NULL);
        initialised = true;
    }
    rc = csched_add(&cpu0_sched, &v->sched, v, d->weight, d->cap);
    if ( rc )
        return rc;
    vtime_vcpu_init(v);
    v->runstate.state_entry_time = now_ns();
    if ( !v->pause_count )
        csched_wake(&cpu0_sched, &v->sched, now_ns());
    return 0;
}

void vcpu_pause(struct vcpu *v)
{
    v->pause_count++;
    csched_sleep(&cpu0_sched, &v->sched);
    if ( v == current )
        raise_softirq(SOFTIRQ_SCHEDULE);
}

void vcpu_unpause(struct vcpu *v)
{
    ASSERT(v->pause_count);
    if ( --v->pause_count || v->blocked || v->stopped )
        return;
    if ( csched_wake(&cpu0_sched, &v->sched, now_ns()) )
        raise_softirq(SOFTIRQ_SCHEDULE);
}

void vcpu_down(struct vcpu *v)
{
    if ( v->down )
        return;
    v->down = true;
    vcpu_pause(v);
    if ( v == current )
        return;                 /* schedule() records it on the way out */
    runstate_set(v, RUNSTATE_offline, now_ns());
    runstate_publish(v);
}

void vcpu_up(struct vcpu *v)
{
    if ( !v->down )
        return;
    v->down = false;
    if ( v->runstate.state == RUNSTATE_offline && !v->stopped )
    {
        runstate_set(v, v->blocked ? RUNSTATE_blocked : RUNSTATE_runnable,
                     now_ns());
        runstate_publish(v);
    }
    vcpu_unpause(v);
}

int sched_set_params(struct domain *d, uint32_t weight, uint32_t cap)
{
    int rc = 0;

    for ( unsigned int i = 0; i < d->max_vcpus && !rc; i++ )
        if ( d->vcpu[i] )
            rc = csched_set_params(&d->vcpu[i]->sched, weight, cap);
    if ( !rc )
    {
        d->weight = weight;
        d->cap = cap;
    }
    return rc;
}

void sched_remove_vcpu(struct vcpu *v)
{
    if ( v->stopped )
        return;
    v->stopped = true;
    v->blocked = false;
    v->poll.active = false;
    vtime_vcpu_stop(v);
    timer_stop(&v->poll_timer);
    csched_remove(&cpu0_sched, &v->sched, now_ns());
    if ( v == current )
        raise_softirq(SOFTIRQ_SCHEDULE);
}

void vcpu_block(struct vcpu *v)
{
    v->blocked = true;
    csched_sleep(&cpu0_sched, &v->sched);
    raise_softirq(SOFTIRQ_SCHEDULE);
}

void vcpu_unblock(struct vcpu *v)
{
    if ( !v->blocked || v->stopped )
        return;
    v->blocked = false;
    if ( v->poll.active )
    {
        v->poll.active = false;
        timer_stop(&v->poll_timer);
    }
    if ( v->pause_count )
        return;                 /* vcpu_unpause() wakes it */
    if ( csched_wake(&cpu0_sched, &v->sched, now_ns()) )
        raise_softirq(SOFTIRQ_SCHEDULE);
}

/* As in Xen: a one-port poll waits for that port, any other for any. */
void vcpu_poll_check(struct vcpu *v, uint32_t port)
{
    if ( v->poll.nr_ports != 1 || v->poll.ports[0] == port )
        vcpu_unblock(v);
}

void vcpu_yield(struct vcpu *v)
{
    yield_pending = true;
    raise_softirq(SOFTIRQ_SCHEDULE);
}

static void runstate_set(struct vcpu *v, int state, uint64_t now)
{
    struct vcpu_runstate_info *r = &v->runstate;

    r->time[r->state] += now - r->state_entry_time;
    r->state = state;
    r->state_entry_time = now;
}

/* Publish the runstate where the guest registered it (kernel mode only). */
/*
 * Only the guest kernel's page tables map the runstate area: a change
 * seen while the vCPU is in user mode (or not current) waits for its
 * next switch to kernel mode, as Xen's update_runstate_area does.
 */
void sched_flush_runstate(struct vcpu *v)
{
    if ( !v->runstate_pending || v != current || !v->arch.kernel_mode )
        return;
    v->runstate_pending = false;
    (void)copy_to_guest(v->runstate_guest, &v->runstate,
                        sizeof(v->runstate));
}

static void runstate_publish(struct vcpu *v)
{
    v->runstate_pending = v->runstate_guest != 0;
    sched_flush_runstate(v);
}

/* Nothing to run: wait for an interrupt, run timers, ask again. */
static struct vcpu *idle_until_runnable(void)
{
    uint64_t slice;
    struct csched_unit *u;

    for ( ;; )
    {
        if ( !any_domain_alive() )
        {
            printk("every domain has stopped\n");
            machine_exit(EXIT_POWEROFF);
        }
        /*
         * Interrupts are off here. A timer interrupt taken earlier (say
         * during the hypercall that blocked) left only a softirq behind
         * and the one-shot timer is not re-armed until timer_softirq()
         * runs: halting then would wait for ever. sti's one-instruction
         * shadow makes the check and the hlt atomic.
         */
        if ( !softirq_pending() )
            asm volatile ( "sti; hlt; cli" ::: "memory" );
        if ( softirq_take(SOFTIRQ_TIMER) )
            timer_softirq();
        if ( softirq_take(SOFTIRQ_CONSOLE) )
            console_io_softirq();
        if ( !softirq_take(SOFTIRQ_SCHEDULE) )
            continue;
        u = csched_schedule(&cpu0_sched, now_ns(), false, &slice);
        timer_set(&slice_timer, now_ns() + slice);
        if ( u )
            return u->owner;
    }
}

static void schedule(struct cpu_regs *regs)
{
    struct vcpu *prev = current, *next;
    struct csched_unit *u;
    uint64_t now = now_ns(), slice;

    u = csched_schedule(&cpu0_sched, now, yield_pending, &slice);
    yield_pending = false;
    timer_set(&slice_timer, now + slice);
    next = u ? u->owner : NULL;
    if ( next == prev )
        return;
    runstate_set(prev, prev->stopped || prev->down ? RUNSTATE_offline
                       : prev->blocked ? RUNSTATE_blocked
                       : RUNSTATE_runnable, now);
    runstate_publish(prev);
    if ( !next )
        next = idle_until_runnable();
    if ( next == prev )
    {
        runstate_set(prev, RUNSTATE_running, now_ns());
        runstate_publish(prev);
        return;
    }
    arch_context_switch(prev, next, regs);
    runstate_set(next, RUNSTATE_running, now_ns());
    vtime_vcpu_update(next);
    runstate_publish(next);
}

void do_softirqs(struct cpu_regs *regs)
{
    while ( softirq_pending() )
    {
        if ( softirq_take(SOFTIRQ_TIMER) )
            timer_softirq();
        if ( softirq_take(SOFTIRQ_CONSOLE) )
            console_io_softirq();
        if ( softirq_take(SOFTIRQ_SCHEDULE) )
            schedule(regs);
    }
}

void scheduler_start(void)
{
    struct csched_unit *u;
    struct vcpu *v;
    uint64_t slice;

    u = csched_schedule(&cpu0_sched, now_ns(), false, &slice);
    if ( !u )
        panic("no vCPU to run");
    v = u->owner;
    timer_set(&slice_timer, now_ns() + slice);
    arch_context_switch(NULL, v, guest_cpu_regs());
    runstate_set(v, RUNSTATE_running, now_ns());
    vtime_vcpu_update(v);
    enter_guest();
}
