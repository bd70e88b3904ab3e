/*
 * sched_op: yield, shutdown_code, poll, block, bad arguments.
 *
 * Expected behaviour is Xen 4.17's do_sched_op() and do_poll()
 * (xen/common/sched/core.c):
 *   - yield returns 0;
 *   - shutdown and shutdown_code copy a sched_shutdown first: -EFAULT on
 *     a bad pointer; shutdown_code only records the reason and returns 0;
 *   - poll: more than 128 ports -> -EINVAL; a port array that cannot be
 *     read -> -EFAULT; no ports and an absolute timeout already in the
 *     past -> sleeps until the (expired) timer fires, returns 0;
 *   - block (vcpu_block_enable_events) clears the event mask and returns
 *     at once when an upcall is pending; the upcall is then delivered on
 *     the way out;
 *   - unknown commands -> -ENOSYS.
 */
#include "test.h"

const char test_title[] = "sched_op";

static long sop(uint64_t cmd, uint64_t arg)
{
    return hypercall2(__HYPERVISOR_sched_op, cmd, arg);
}

static void test_yield(void)
{
    CHECK_RC(sop(SCHEDOP_yield, 0), 0);
    CHECK_RC(sop(SCHEDOP_yield, BAD_NONCANONICAL), 0);  /* arg unused */
}

static void test_shutdown_args(void)
{
    static struct sched_shutdown sd = { .reason = SHUTDOWN_poweroff };

    CHECK_RC(sop(SCHEDOP_shutdown, BAD_NONCANONICAL), -XEN_EFAULT);
    CHECK_RC(sop(SCHEDOP_shutdown, BAD_UNMAPPED), -XEN_EFAULT);
    CHECK_RC(sop(SCHEDOP_shutdown_code, BAD_NONCANONICAL), -XEN_EFAULT);
    CHECK_RC(sop(SCHEDOP_shutdown_code, BAD_UNMAPPED), -XEN_EFAULT);
    /* Records the code for a later shutdown; the domain keeps running. */
    CHECK_RC(sop(SCHEDOP_shutdown_code, GADDR(&sd)), 0);
}

static void test_poll(void)
{
    static struct sched_poll poll;
    static evtchn_port_t ports[1];

    poll.ports = GADDR(ports);
    poll.nr_ports = 129;
    poll.timeout = 0;
    CHECK_RC(sop(SCHEDOP_poll, GADDR(&poll)), -XEN_EINVAL);

    poll.nr_ports = 1;
    poll.ports = BAD_NONCANONICAL;
    CHECK_RC(sop(SCHEDOP_poll, GADDR(&poll)), -XEN_EFAULT);
    poll.ports = BAD_UNMAPPED;
    CHECK_RC(sop(SCHEDOP_poll, GADDR(&poll)), -XEN_EFAULT);

    CHECK_RC(sop(SCHEDOP_poll, BAD_NONCANONICAL), -XEN_EFAULT);

    /* No ports, timeout 1 ns after boot: long past, so it wakes at once. */
    poll.ports = GADDR(ports);
    poll.nr_ports = 0;
    poll.timeout = 1;
    CHECK_RC(sop(SCHEDOP_poll, GADDR(&poll)), 0);
}

/*
 * Make an upcall pending by hand, then block: block must unmask events
 * and return immediately, and the upcall must reach our event callback,
 * which returns with events masked again.
 */
static void test_block(void)
{
    struct vcpu_info *vi;
    unsigned int before = events_seen;

    if ( !map_shared_info() )
        return;
    vi = vcpu0_info();

    vi->evtchn_upcall_mask = 1;
    vi->evtchn_upcall_pending = 1;
    if ( !CHECK_RC(sop(SCHEDOP_block, 0), 0) )
        return;

    if ( events_seen != before + 1 )
        test_fail("block with an upcall pending: %u upcalls, expected 1",
                  events_seen - before);
    if ( event_saved_mask != 0 )
        test_fail("upcall frame saved mask %d, expected 0 (block unmasks)",
                  event_saved_mask);
    if ( vi->evtchn_upcall_pending )
        test_fail("upcall still pending after the callback cleared it");
    if ( vi->evtchn_upcall_mask != 1 )
        test_fail("event mask %u after the callback returned with IF=0",
                  vi->evtchn_upcall_mask);
}

static void test_bad_cmd(void)
{
    static const uint64_t cmds[] = { 8, 9, 100, 0xffffffff };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(cmds); i++ )
    {
        long rc = sop(cmds[i], 0);

        if ( rc != -XEN_ENOSYS )
            test_fail("sched_op(%#lx): got %ld (%s), expected -ENOSYS",
                      cmds[i], rc, xen_errno_name(rc));
    }
}

void test_main(void)
{
    test_yield();
    test_shutdown_args();
    test_poll();
    test_bad_cmd();
    test_block();
    test_success();
}
