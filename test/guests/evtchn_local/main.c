/*
 * Event channels inside one domain: virq, IPI and loopback ports, status,
 * bind_vcpu, masking and upcall delivery through the selector bitmaps,
 * closing while pending, reset, the FIFO sub-ops, and bad arguments.
 *
 * Expected behaviour is Xen 4.17's (common/event_channel.c, event_2l.c):
 *   - bind_virq: virq >= NR_VIRQS or a global virq on vCPU != 0 ->
 *     -EINVAL, a vCPU that does not exist -> -ENOENT, bound twice ->
 *     -EEXIST; bind_ipi: no such vCPU -> -ENOENT;
 *   - status: -EINVAL beyond the port range, "closed" for a free port;
 *   - bind_vcpu: -ENOENT for a bad vCPU, -EINVAL for IPI and per-vCPU
 *     virq ports, 0 for unbound and interdomain ones;
 *   - a masked port becomes pending without an upcall; unmask delivers;
 *   - reset closes everything; unknown sub-ops -ENOSYS;
 *   - no FIFO ABI: init_control -ENOSYS (Linux then uses 2-level),
 *     expand_array -EOPNOTSUPP, set_priority -ENOSYS.
 */
#include "test.h"

const char test_title[] = "evtchn_local";

static void expect_status(uint32_t port, uint32_t status)
{
    struct evtchn_status st;

    if ( !CHECK_RC(evtchn_status(DOMID_SELF, port, &st), 0) )
        return;
    if ( st.status != status )
        test_fail("port %u: status %u, expected %u", port, st.status,
                  status);
}

static void test_virq(void)
{
    long port = evtchn_bind_virq(VIRQ_DEBUG, 0);
    struct evtchn_status st;

    if ( port <= 0 )
        return test_fail("bind_virq(VIRQ_DEBUG): %ld", port);
    CHECK_RC(evtchn_bind_virq(VIRQ_DEBUG, 0), -XEN_EEXIST);
    CHECK_RC(evtchn_bind_virq(VIRQ_TIMER, 1), -XEN_ENOENT);
    CHECK_RC(evtchn_bind_virq(VIRQ_TIMER, 0xffffffff), -XEN_ENOENT);
    CHECK_RC(evtchn_bind_virq(VIRQ_DOM_EXC, 1), -XEN_EINVAL);
    CHECK_RC(evtchn_bind_virq(NR_VIRQS, 0), -XEN_EINVAL);
    CHECK_RC(evtchn_bind_virq(0xffffffff, 0), -XEN_EINVAL);
    CHECK_RC(evtchn_send(port), -XEN_EINVAL);
    CHECK_RC(evtchn_status(DOMID_SELF, port, &st), 0);
    if ( st.status != EVTCHNSTAT_virq || st.u.virq != VIRQ_DEBUG )
        test_fail("virq port status %u virq %u", st.status, st.u.virq);
    CHECK_RC(evtchn_close(port), 0);
    expect_status(port, EVTCHNSTAT_closed);
    port = evtchn_bind_virq(VIRQ_DEBUG, 0);     /* free again */
    if ( port <= 0 )
        test_fail("re-binding VIRQ_DEBUG after close: %ld", port);
    else
        evtchn_close(port);
}

static void test_ipi_and_loopback(void)
{
    long ipi = evtchn_bind_ipi(0), a, b;

    CHECK_RC(evtchn_bind_ipi(1), -XEN_ENOENT);
    CHECK_RC(evtchn_bind_ipi(0x80000000), -XEN_ENOENT);
    if ( ipi <= 0 )
        return test_fail("bind_ipi: %ld", ipi);
    CHECK_RC(evtchn_send(ipi), 0);
    if ( !evtchn_test_and_clear(ipi) )
        test_fail("IPI port %ld not pending after send", ipi);
    expect_status(ipi, EVTCHNSTAT_ipi);

    a = evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF);
    if ( a <= 0 )
        return test_fail("alloc_unbound(self, self): %ld", a);
    expect_status(a, EVTCHNSTAT_unbound);
    CHECK_RC(evtchn_send(a), 0);                /* unbound: dropped */
    if ( evtchn_pending(a) )
        test_fail("send on an unbound port made it pending");
    b = evtchn_bind_interdomain(DOMID_SELF, a);
    if ( b <= 0 )
        return test_fail("loopback bind: %ld", b);
    evtchn_test_and_clear(b);
    CHECK_RC(evtchn_send(b), 0);
    if ( !evtchn_test_and_clear(a) )
        test_fail("loopback: send on %ld did not reach %ld", b, a);
    expect_status(b, EVTCHNSTAT_interdomain);

    /* bind_vcpu */
    struct evtchn_bind_vcpu bv = { .port = ipi, .vcpu = 0 };
    CHECK_RC(HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bv),
             -XEN_EINVAL);
    bv.port = a;
    CHECK_RC(HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bv), 0);
    bv.vcpu = 1;
    CHECK_RC(HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bv),
             -XEN_ENOENT);
    bv.vcpu = 0;
    bv.port = NR_EVENT_CHANNELS;
    CHECK_RC(HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bv),
             -XEN_EINVAL);
    CHECK_RC(evtchn_close(a), 0);
    expect_status(b, EVTCHNSTAT_unbound);       /* the other end waits */
    CHECK_RC(evtchn_close(b), 0);
    CHECK_RC(evtchn_close(ipi), 0);
}

/* Upcalls: selector, mask, unmask, and closing while pending. */
static void test_delivery(void)
{
    struct vcpu_info *vi = vcpu0_info();
    long p = evtchn_bind_ipi(0);
    unsigned int before;

    if ( p <= 0 )
        return test_fail("bind_ipi: %ld", p);
    events_enable();
    before = port_events[p];
    CHECK_RC(evtchn_send(p), 0);                /* upcall on the way out */
    if ( port_events[p] != before + 1 )
        test_fail("unmasked IPI: %u upcalls, expected 1",
                  port_events[p] - before);

    evtchn_set_mask(p, true);
    CHECK_RC(evtchn_send(p), 0);
    if ( port_events[p] != before + 1 || !evtchn_pending(p) )
        test_fail("masked port: upcall %u, pending %d",
                  port_events[p] - before - 1, evtchn_pending(p));
    if ( vi->evtchn_pending_sel & (1ULL << (p / 64)) )
        test_fail("masked port set its selector bit");
    CHECK_RC(evtchn_unmask(p), 0);
    if ( port_events[p] != before + 2 )
        test_fail("unmask did not deliver the pending event");

    /* Pending and masked, then closed: the event must not survive. */
    evtchn_set_mask(p, true);
    CHECK_RC(evtchn_send(p), 0);
    CHECK_RC(evtchn_close(p), 0);
    if ( evtchn_pending(p) )
        test_fail("closed port %ld still pending", p);
    evtchn_set_mask(p, false);
    vi->evtchn_upcall_mask = 1;
}

static void test_reset_and_refusals(void)
{
    struct evtchn_reset r = { .dom = DOMID_SELF };
    struct evtchn_init_control ic = { .vcpu = 0 };
    struct evtchn_expand_array ea = { 0 };
    struct evtchn_set_priority sp = { .port = 1 };
    long a = evtchn_alloc_unbound(DOMID_SELF, 0);
    long v = evtchn_bind_virq(VIRQ_TIMER, 0);

    CHECK_RC(HYPERVISOR_event_channel_op(EVTCHNOP_reset, &r), 0);
    expect_status(a, EVTCHNSTAT_closed);
    expect_status(v, EVTCHNSTAT_closed);
    r.dom = 77;
    CHECK_RC(HYPERVISOR_event_channel_op(EVTCHNOP_reset, &r), -XEN_ESRCH);

    CHECK_RC(HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &ic),
             -XEN_ENOSYS);
    CHECK_RC(HYPERVISOR_event_channel_op(EVTCHNOP_expand_array, &ea),
             -XEN_EOPNOTSUPP);
    CHECK_RC(HYPERVISOR_event_channel_op(EVTCHNOP_set_priority, &sp),
             -XEN_ENOSYS);
    CHECK_RC(HYPERVISOR_event_channel_op(14, &sp), -XEN_ENOSYS);
    CHECK_RC(HYPERVISOR_event_channel_op(0x7fffffff, &sp), -XEN_ENOSYS);

    /* Bad pointers and ports. */
    CHECK_RC(hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_send,
                        BAD_NONCANONICAL), -XEN_EFAULT);
    CHECK_RC(hypercall2(__HYPERVISOR_event_channel_op,
                        EVTCHNOP_alloc_unbound, BAD_UNMAPPED), -XEN_EFAULT);
    CHECK_RC(hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_status,
                        BAD_HYPERVISOR), -XEN_EFAULT);
    CHECK_RC(evtchn_close(0), -XEN_EINVAL);
    CHECK_RC(evtchn_close(NR_EVENT_CHANNELS), -XEN_EINVAL);
    CHECK_RC(evtchn_send(0xffffffff), -XEN_EINVAL);
    struct evtchn_status st;
    CHECK_RC(evtchn_status(DOMID_SELF, NR_EVENT_CHANNELS, &st), -XEN_EINVAL);
}

void test_main(void)
{
    if ( !map_shared_info() )
        return;
    test_virq();
    test_ipi_and_loopback();
    test_delivery();
    test_reset_and_refusals();
    test_success();
}
