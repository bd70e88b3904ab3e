/*
 * A domain that spins forever must not starve the others.
 *
 * d1 spins without ever blocking or yielding. Meanwhile dom0 and d2 play
 * ping-pong over an interdomain channel: every round needs the scheduler
 * to take the CPU away from the spinner (a woken vCPU with credit left is
 * boosted ahead of it). Then dom0 spins too, for 300 ms of system time,
 * and reads its runstate: d1 was booted with weight=768 against dom0's
 * default 256, so dom0 should run a quarter of that time; generously,
 * between an eighth and two fifths, and it must have waited for some.
 */
#include "test.h"

const char test_title[] = "sched_spin";

#define ROUNDS 50
#define WAIT (5000 * MS)

static void dom0_main(void)
{
    long port = evtchn_alloc_unbound(DOMID_SELF, 2);
    struct vcpu_runstate_info a, b;
    uint64_t end, ran, waited;

    if ( port <= 0 )
        return test_error("alloc_unbound for d2: %ld", port);
    if ( !wait_port(port, WAIT) )       /* d2's bind reports in */
        return test_fail("d2 never bound its port");
    for ( unsigned int i = 0; i < ROUNDS; i++ )
    {
        CHECK_RC(evtchn_send(port), 0);
        if ( !wait_port(port, WAIT) )
            return test_fail("round %u: no answer from d2 (spinner won?)",
                             i);
    }
    if ( !multi_wait_done(2, WAIT) )
        return test_fail("d2 did not finish");

    HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &a);
    end = system_time() + 300 * MS;
    while ( system_time() < end )
        ;
    HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &b);
    ran = b.time[RUNSTATE_running] - a.time[RUNSTATE_running];
    waited = b.time[RUNSTATE_runnable] - a.time[RUNSTATE_runnable];
    printk("spinning beside d1: ran %lu ms, waited %lu ms\n", ran / MS,
           waited / MS);
    if ( ran * 8 < (ran + waited) || ran * 5 > 2 * (ran + waited) ||
         !waited )
        test_fail("dom0's share beside a spinner: ran %lu ns, waited %lu ns",
                  ran, waited);
    test_success();
}

static void pong_main(void)
{
    long port = evtchn_bind_retry(0, nr_domus + 1, 1000);

    if ( port < 0 )
        return test_error("bind to dom0: %ld", port);
    CHECK_RC(evtchn_send(port), 0);
    for ( unsigned int i = 0; i < ROUNDS; i++ )
    {
        if ( !wait_port(port, WAIT) )
            return test_fail("round %u: no ping", i);
        CHECK_RC(evtchn_send(port), 0);
    }
    test_success();
}

void test_main(void)
{
    if ( !multi_init() )
        return;
    if ( my_domid == 0 )
        dom0_main();
    else if ( cmdline_has("role=pong") )
        pong_main();
    else
        for ( ;; )
            asm volatile ( "pause" );
}
