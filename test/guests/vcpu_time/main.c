/*
 * Time and vcpu_op: the pvclock record, the wall clock, VIRQ_TIMER from
 * the periodic and single-shot timers and set_timer_op, SCHEDOP_poll
 * with a timeout, SCHEDOP_block woken by a timer upcall, the runstate
 * area, register_vcpu_info, and every refusal.
 *
 * Expected behaviour is Xen 4.17's (common/domain.c common_vcpu_op,
 * arch/x86/domain.c do_vcpu_op, common/sched/core.c):
 *   - a vCPU id that does not exist -> -ENOENT, whatever the command;
 *     unknown commands -> -ENOSYS; is_up -> 1 for a running vCPU;
 *   - set_periodic_timer below 1 ms -> -EINVAL;
 *   - set_singleshot_timer with VCPU_SSHOTTMR_future and a deadline in
 *     the past -> -ETIME; without the flag it fires at once;
 *   - register_vcpu_info: offset beyond the page or misaligned ->
 *     -ENXIO, a frame not ours -> -EINVAL, twice -> -EINVAL; after it
 *     every selector bit and the upcall are pending;
 *   - set_timer_op(0) cancels.
 * Timing bounds are generous (software emulation): a timer may be late,
 * never early, and a 10 ms periodic timer ticks 10-80 times in 500 ms.
 */
#include "test.h"

const char test_title[] = "vcpu_time";

static uint32_t timer_port;

static long vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
    return HYPERVISOR_vcpu_op(cmd, vcpu, arg);
}

static void test_clock(void)
{
    struct vcpu_time_info *t = &vcpu0_info()->time;
    uint64_t a, b;

    if ( t->version & 1 )
        test_fail("pvclock version %u is odd outside an update", t->version);
    if ( !(t->flags & XEN_PVCLOCK_TSC_STABLE_BIT) || !t->tsc_to_system_mul )
        test_fail("pvclock flags %#x mul %u", t->flags, t->tsc_to_system_mul);
    a = system_time();
    b = system_time();
    if ( b < a || a == 0 )
        test_fail("system time went %lu -> %lu", a, b);
    if ( shared_info->wc_version & 1 || shared_info->wc_sec < 1600000000 )
        test_fail("wall clock version %u sec %u", shared_info->wc_version,
                  shared_info->wc_sec);
}

static void test_refusals(void)
{
    struct vcpu_set_periodic_timer per = { .period_ns = 999999 };
    struct vcpu_set_singleshot_timer ss = { .flags = VCPU_SSHOTTMR_future };

    CHECK_RC(vcpu_op(VCPUOP_is_up, 0, NULL), 1);
    CHECK_RC(vcpu_op(VCPUOP_is_up, 1, NULL), -XEN_ENOENT);
    CHECK_RC(vcpu_op(VCPUOP_is_up, 0xffffffff, NULL), -XEN_ENOENT);
    CHECK_RC(vcpu_op(VCPUOP_set_singleshot_timer, 3, &ss), -XEN_ENOENT);
    CHECK_RC(vcpu_op(99, 0, NULL), -XEN_ENOSYS);
    CHECK_RC(vcpu_op(99, 7, NULL), -XEN_ENOENT);
    CHECK_RC(vcpu_op(VCPUOP_set_periodic_timer, 0, &per), -XEN_EINVAL);
    CHECK_RC(vcpu_op(VCPUOP_set_periodic_timer, 0, (void *)BAD_UNMAPPED),
             -XEN_EFAULT);
    ss.timeout_abs_ns = 1;
    CHECK_RC(vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss), -XEN_ETIME);
    CHECK_RC(vcpu_op(VCPUOP_set_singleshot_timer, 0,
                     (void *)BAD_NONCANONICAL), -XEN_EFAULT);
    CHECK_RC(vcpu_op(VCPUOP_get_runstate_info, 0, (void *)BAD_HYPERVISOR),
             -XEN_EFAULT);
}

static void test_periodic(void)
{
    struct vcpu_set_periodic_timer per = { .period_ns = 10 * MS };
    uint64_t end;
    unsigned int ticks = 0;

    evtchn_test_and_clear(timer_port);
    CHECK_RC(vcpu_op(VCPUOP_set_periodic_timer, 0, &per), 0);
    end = system_time() + 500 * MS;
    while ( system_time() < end )
        if ( wait_port(timer_port, end - system_time()) )
            ticks++;
    CHECK_RC(vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
    if ( ticks < 10 || ticks > 80 )
        test_fail("10 ms periodic timer: %u ticks in 500 ms", ticks);
    printk("periodic 10 ms: %u ticks in 500 ms\n", ticks);
    /* Stopped means stopped. */
    evtchn_test_and_clear(timer_port);
    if ( wait_port(timer_port, 50 * MS) )
        test_fail("VIRQ_TIMER after stop_periodic_timer");
}

static void test_singleshot(void)
{
    struct vcpu_set_singleshot_timer ss = { 0 };
    uint64_t t0;

    /* In the past without the "future" flag: fires at once. */
    ss.timeout_abs_ns = 1;
    CHECK_RC(vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss), 0);
    if ( !wait_port(timer_port, 1000 * MS) )
        test_fail("single-shot timer in the past did not fire");

    t0 = system_time();
    ss.timeout_abs_ns = t0 + 20 * MS;
    CHECK_RC(vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss), 0);
    if ( !wait_port(timer_port, 2000 * MS) )
        test_fail("single-shot timer 20 ms ahead did not fire");
    else if ( system_time() < t0 + 20 * MS )
        test_fail("single-shot timer fired early: after %lu ns",
                  system_time() - t0);

    /* set_timer_op, then cancelled, then stop_singleshot. */
    CHECK_RC(hypercall1(__HYPERVISOR_set_timer_op, system_time() + 20 * MS),
             0);
    CHECK_RC(hypercall1(__HYPERVISOR_set_timer_op, 0), 0);
    if ( wait_port(timer_port, 60 * MS) )
        test_fail("VIRQ_TIMER after set_timer_op(0)");
    CHECK_RC(hypercall1(__HYPERVISOR_set_timer_op, system_time() + 5 * MS),
             0);
    if ( !wait_port(timer_port, 2000 * MS) )
        test_fail("set_timer_op deadline did not fire");
    ss.timeout_abs_ns = system_time() + 20 * MS;
    CHECK_RC(vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss), 0);
    CHECK_RC(vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL), 0);
    if ( wait_port(timer_port, 60 * MS) )
        test_fail("VIRQ_TIMER after stop_singleshot_timer");
}

static void test_poll_timeout(void)
{
    uint64_t t0 = system_time();

    CHECK_RC(poll_ports(&timer_port, 1, 30 * MS), 0);
    if ( system_time() < t0 + 30 * MS )
        test_fail("poll with a 30 ms timeout returned after %lu ns",
                  system_time() - t0);
}

/* Block with events enabled; the timer's upcall must wake us. */
static void test_block_wake(void)
{
    struct vcpu_runstate_info rs;
    static struct vcpu_runstate_info area;
    struct vcpu_register_runstate_memory_area reg = { .addr = GADDR(&area) };
    unsigned int before;

    CHECK_RC(vcpu_op(VCPUOP_register_runstate_memory_area, 0, &reg), 0);
    events_enable();
    before = port_events[timer_port];
    CHECK_RC(hypercall1(__HYPERVISOR_set_timer_op, system_time() + 10 * MS),
             0);
    CHECK_RC(HYPERVISOR_sched_op(SCHEDOP_block, NULL), 0);
    /* A block may end early (any event): wait for the timer's. */
    for ( unsigned int i = 0; i < 100 && port_events[timer_port] == before;
          i++ )
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    if ( port_events[timer_port] == before )
        test_fail("block: no timer upcall");
    vcpu0_info()->evtchn_upcall_mask = 1;

    CHECK_RC(vcpu_op(VCPUOP_get_runstate_info, 0, &rs), 0);
    if ( rs.state != RUNSTATE_running || !rs.time[RUNSTATE_running] ||
         !rs.time[RUNSTATE_blocked] )
        test_fail("runstate: state %d running %lu blocked %lu", rs.state,
                  rs.time[RUNSTATE_running], rs.time[RUNSTATE_blocked]);
    if ( area.state != RUNSTATE_running || !area.state_entry_time )
        test_fail("runstate area: state %d entry %lu", area.state,
                  area.state_entry_time);
}

static uint8_t info_page[4096] __page_aligned_bss;

static void test_register_vcpu_info(void)
{
    struct vcpu_register_vcpu_info r = { .mfn = virt_to_mfn(info_page) };
    struct vcpu_info *vi = (struct vcpu_info *)(info_page + 64);

    r.offset = 4096 - 63;
    CHECK_RC(vcpu_op(VCPUOP_register_vcpu_info, 0, &r), -XEN_ENXIO);
    r.offset = 4;
    CHECK_RC(vcpu_op(VCPUOP_register_vcpu_info, 0, &r), -XEN_ENXIO);
    r.offset = 64;
    r.mfn = start_info->shared_info >> 12;
    CHECK_RC(vcpu_op(VCPUOP_register_vcpu_info, 0, &r), -XEN_EINVAL);
    r.mfn = 0;
    CHECK_RC(vcpu_op(VCPUOP_register_vcpu_info, 0, &r), -XEN_EINVAL);
    r.mfn = virt_to_mfn(info_page);
    CHECK_RC(vcpu_op(VCPUOP_register_vcpu_info, 0, &r), 0);
    CHECK_RC(vcpu_op(VCPUOP_register_vcpu_info, 0, &r), -XEN_EINVAL);
    if ( vi->evtchn_pending_sel != ~0ULL || !vi->evtchn_upcall_pending ||
         vi->evtchn_upcall_mask != 1 )
        test_fail("moved vcpu_info: sel %#lx pending %u mask %u",
                  vi->evtchn_pending_sel, vi->evtchn_upcall_pending,
                  vi->evtchn_upcall_mask);
    if ( vi->time.version & 1 || !vi->time.tsc_to_system_mul )
        test_fail("moved vcpu_info: time version %u mul %u",
                  vi->time.version, vi->time.tsc_to_system_mul);
}

void test_main(void)
{
    long port;

    if ( !map_shared_info() )
        return;
    port = evtchn_bind_virq(VIRQ_TIMER, 0);
    if ( port <= 0 )
        return test_error("bind_virq(VIRQ_TIMER): %ld", port);
    timer_port = port;
    test_clock();
    test_refusals();
    test_periodic();
    test_singleshot();
    test_poll_timeout();
    test_block_wake();
    test_register_vcpu_info();      /* last: moves vcpu_info away */
    test_success();
}
