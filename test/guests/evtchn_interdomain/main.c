/*
 * Interdomain event channels between three boot-time domains.
 *
 *   dom0  allocates a game port for d1 and one for d2, plays ROUNDS of
 *         ping-pong with d1 (send, poll for the answer), then tears the
 *         channel down while events are pending and checks both ends;
 *   d1    answers every ping, and tries the hostile cases: binding the
 *         port dom0 allocated for d2, ports out of range, acting for
 *         another domain, sending on closed ports;
 *   d2    binds its own port, proving it was never taken by d1.
 *
 * Expected behaviour is Xen 4.17's (common/event_channel.c): a port
 * allocated for another domain or out of range -> -EINVAL, another
 * domain named without privilege -> -EPERM, a domain that does not
 * exist -> -ESRCH, send on a free port -> -EINVAL, on an unbound one 0;
 * closing one end leaves the other unbound for the same peer and drops
 * the closed end's pending event.
 */
#include "test.h"

const char test_title[] = "evtchn_interdomain";

#define ROUNDS 200
#define WAIT (5000 * MS)        /* generous: software emulation */

/* Game ports on dom0's side: d1's and d2's, right after the control ports. */
#define GAME_PORT(d) (nr_domus + (d))

static void dom0_main(void)
{
    uint32_t p1, p2;
    struct evtchn_status st;

    p1 = evtchn_alloc_unbound(DOMID_SELF, 1);
    p2 = evtchn_alloc_unbound(DOMID_SELF, 2);
    if ( p1 != GAME_PORT(1) || p2 != GAME_PORT(2) )
        return test_error("game ports %u %u, expected %u %u", p1, p2,
                          GAME_PORT(1), GAME_PORT(2));
    /* d1 binds, then rallies: its bind is our first "ping". */
    for ( unsigned int i = 0; i < ROUNDS; i++ )
    {
        if ( !wait_port(p1, WAIT) )
            return test_fail("round %u: no ping from d1", i);
        CHECK_RC(evtchn_send(p1), 0);
    }
    /* d1 now sends a burst and waits; close our end with it pending. */
    if ( !wait_port(ctl_port[1], WAIT) )
        return test_fail("d1 did not announce its burst");
    if ( !evtchn_pending(p1) )
        test_fail("burst from d1 not pending on port %u", p1);
    CHECK_RC(evtchn_close(p1), 0);
    if ( evtchn_pending(p1) )
        test_fail("closing port %u left it pending", p1);
    CHECK_RC(evtchn_send(p1), -XEN_EINVAL);
    CHECK_RC(evtchn_close(p1), -XEN_EINVAL);
    /* Privileged: dom0 may look at d1's ports; one is unbound for us. */
    for ( p2 = 1; p2 < 16; p2++ )
        if ( !evtchn_status(1, p2, &st) && st.status == EVTCHNSTAT_unbound &&
             st.u.unbound.dom == 0 )
            break;
    if ( p2 == 16 )
        test_fail("d1's end after close is not unbound for d0");
    CHECK_RC(evtchn_send(ctl_port[1]), 0);      /* tell d1: checked */
    if ( !multi_wait_done(1, WAIT) || !multi_wait_done(2, WAIT) )
        return test_fail("a domU did not finish");
    test_success();
}

static void pong_hostile(void)
{
    struct evtchn_status st;

    /* dom0's port for d2 is not for us. */
    CHECK_RC(evtchn_bind_interdomain(0, GAME_PORT(2)), -XEN_EINVAL);
    CHECK_RC(evtchn_bind_interdomain(0, NR_EVENT_CHANNELS), -XEN_EINVAL);
    CHECK_RC(evtchn_bind_interdomain(0, 0xffffffff), -XEN_EINVAL);
    CHECK_RC(evtchn_bind_interdomain(0, 0), -XEN_EINVAL);
    CHECK_RC(evtchn_bind_interdomain(0, 999), -XEN_EINVAL);
    CHECK_RC(evtchn_bind_interdomain(77, 1), -XEN_ESRCH);
    /* Acting for others needs privilege. */
    CHECK_RC(evtchn_alloc_unbound(0, 1), -XEN_EPERM);
    CHECK_RC(evtchn_alloc_unbound(2, 1), -XEN_EPERM);
    CHECK_RC(evtchn_status(0, 1, &st), -XEN_EPERM);
    CHECK_RC(evtchn_status(99, 1, &st), -XEN_ESRCH);
    /* Free, reserved and out-of-range ports. */
    CHECK_RC(evtchn_send(0), -XEN_EINVAL);
    CHECK_RC(evtchn_send(500), -XEN_EINVAL);
    CHECK_RC(evtchn_send(NR_EVENT_CHANNELS), -XEN_EINVAL);
    CHECK_RC(evtchn_close(500), -XEN_EINVAL);
    CHECK_RC(evtchn_unmask(NR_EVENT_CHANNELS), -XEN_EINVAL);
}

/* dom0 may not have allocated it yet: retry for a while. */
static long bind_game_port(unsigned int d)
{
    long port = -1;

    for ( unsigned int i = 0; i < 1000 && port < 0; i++ )
        if ( (port = evtchn_bind_interdomain(0, GAME_PORT(d))) < 0 )
            poll_ports(NULL, 0, 1 * MS);
    return port;
}

static void pong_main(void)
{
    long port = bind_game_port(1);

    if ( port < 0 )
        return test_error("bind to dom0's game port: %ld", port);
    pong_hostile();
    /* Binding marked our new port pending (Xen's conservative event). */
    if ( !evtchn_test_and_clear(port) )
        test_fail("new interdomain port %ld not pending after bind", port);
    for ( unsigned int i = 0; i < ROUNDS; i++ )
    {
        CHECK_RC(evtchn_send(port), 0);
        if ( !wait_port(port, WAIT) )
            return test_fail("round %u: no pong from dom0", i);
    }
    /* A burst dom0 will find pending when it closes its end. */
    for ( unsigned int i = 0; i < 3; i++ )
        CHECK_RC(evtchn_send(port), 0);
    CHECK_RC(evtchn_send(ctl_port[0]), 0);
    if ( !wait_port(ctl_port[0], WAIT) )
        return test_fail("dom0 never checked the closed channel");
    /* Our end is unbound again: sends are dropped, not errors. */
    CHECK_RC(evtchn_send(port), 0);
    CHECK_RC(evtchn_close(port), 0);
    CHECK_RC(evtchn_send(port), -XEN_EINVAL);
    test_success();
}

static void bystander_main(void)
{
    long port = bind_game_port(2);

    if ( port < 0 )
        return test_fail("binding my own port from dom0: %ld", port);
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
        bystander_main();
}
