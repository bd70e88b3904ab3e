/*
 * Event channels: port allocation, the state machine and 2-level delivery,
 * driven through the same entry points the hypercall uses. Three fake
 * domains with one vCPU each stand in for the hypervisor; the environment
 * hooks record kicks and console notifications so tests can check them.
 */
#include <stdlib.h>
#include <string.h>

#include <mica/event.h>
#include <mica/guest_access.h>

#include "unit.h"

#define NR_DOMS 3

static struct evtchn_domain *doms[NR_DOMS];
static struct shared_info shared[NR_DOMS];
static unsigned int cur_dom;
static unsigned int kicks[NR_DOMS], pollers[NR_DOMS], xen_notes[NR_DOMS];

struct evtchn_domain *evtchn_env_current(void)
{
    return doms[cur_dom];
}

struct evtchn_domain *evtchn_env_domain(domid_t id)
{
    return id < NR_DOMS ? doms[id] : NULL;
}

struct vcpu_info *evtchn_env_vcpu_info(struct evtchn_domain *d,
                                       uint32_t vcpu)
{
    return vcpu == 0 ? &d->shared->vcpu_info[0] : NULL;
}

void evtchn_env_kick(struct evtchn_domain *d, uint32_t vcpu)
{
    kicks[d->domid]++;
}

void evtchn_env_check_pollers(struct evtchn_domain *d, uint32_t port)
{
    pollers[d->domid]++;
}

void evtchn_env_xen_notify(struct evtchn_domain *d, uint32_t port)
{
    xen_notes[d->domid]++;
}

/* Guest memory is host memory here; address 0 is the "bad pointer". */
bool guest_range_ok(uint64_t va, size_t len)
{
    return va != 0;
}

size_t raw_copy_from_guest(void *dst, uint64_t src, size_t len)
{
    if ( !src )
        return len;
    memcpy(dst, (const void *)(uintptr_t)src, len);
    return 0;
}

size_t raw_copy_to_guest(uint64_t dst, const void *src, size_t len)
{
    if ( !dst )
        return len;
    memcpy((void *)(uintptr_t)dst, src, len);
    return 0;
}

static void setup(void)
{
    for ( unsigned int i = 0; i < NR_DOMS; i++ )
    {
        doms[i] = calloc(1, sizeof(*doms[i]));
        memset(&shared[i], 0, sizeof(shared[i]));
        evtchn_domain_init(doms[i], i, i == 0, &shared[i]);
        kicks[i] = pollers[i] = xen_notes[i] = 0;
    }
    cur_dom = 0;
}

static void teardown(void)
{
    for ( unsigned int i = 0; i < NR_DOMS; i++ )
        free(doms[i]);
}

static long op(unsigned int dom, unsigned int cmd, void *arg)
{
    cur_dom = dom;
    return do_event_channel_op(cmd, (uintptr_t)arg, 0, 0, 0);
}

static uint32_t unbound(unsigned int dom, domid_t remote)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = remote };

    ck_assert_int_eq(op(dom, EVTCHNOP_alloc_unbound, &a), 0);
    return a.port;
}

static bool pending(unsigned int dom, uint32_t port)
{
    return evtchn_is_pending(doms[dom], port);
}

/* Connect dom a to dom b; returns a's port, b's port in *bport. */
static uint32_t connect(unsigned int a, unsigned int b, uint32_t *bport)
{
    struct evtchn_bind_interdomain bi;

    bi.remote_dom = a;
    bi.remote_port = unbound(a, b);
    ck_assert_int_eq(op(b, EVTCHNOP_bind_interdomain, &bi), 0);
    *bport = bi.local_port;
    shared[b].evtchn_pending[bi.local_port / 64] = 0;
    shared[b].vcpu_info[0].evtchn_upcall_pending = 0;
    shared[b].vcpu_info[0].evtchn_pending_sel = 0;
    kicks[b] = pollers[b] = 0;
    return bi.remote_port;
}

START_TEST(ports_start_at_one)
{
    ck_assert_uint_eq(unbound(1, 0), 1);
    ck_assert_uint_eq(unbound(1, 0), 2);
    ck_assert_uint_eq(doms[1]->port[0].state, ECS_RESERVED);
}
END_TEST

START_TEST(freed_port_is_reused)
{
    struct evtchn_close c = { .port = unbound(1, 0) };

    ck_assert_int_eq(op(1, EVTCHNOP_close, &c), 0);
    ck_assert_uint_eq(unbound(1, 0), c.port);
    c.port = 0;
    ck_assert_int_eq(op(1, EVTCHNOP_close, &c), -EINVAL);
    c.port = 77;
    ck_assert_int_eq(op(1, EVTCHNOP_close, &c), -EINVAL);
    c.port = NR_EVENT_CHANNELS;
    ck_assert_int_eq(op(1, EVTCHNOP_close, &c), -EINVAL);
}
END_TEST

START_TEST(ports_run_out)
{
    for ( unsigned int i = 1; i < NR_EVENT_CHANNELS; i++ )
        unbound(2, 0);
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = 0 };
    ck_assert_int_eq(op(2, EVTCHNOP_alloc_unbound, &a), -ENOSPC);
}
END_TEST

START_TEST(unprivileged_cannot_act_for_others)
{
    struct evtchn_alloc_unbound a = { .dom = 2, .remote_dom = 1 };
    struct evtchn_status s = { .dom = 2, .port = 1 };
    struct evtchn_reset r = { .dom = 2 };

    ck_assert_int_eq(op(1, EVTCHNOP_alloc_unbound, &a), -EPERM);
    ck_assert_int_eq(op(1, EVTCHNOP_status, &s), -EPERM);
    ck_assert_int_eq(op(1, EVTCHNOP_reset, &r), -EPERM);
    a.dom = 9;
    ck_assert_int_eq(op(1, EVTCHNOP_alloc_unbound, &a), -ESRCH);
    /* dom0 is privileged: may allocate in domain 2 for domain 1. */
    a.dom = 2;
    ck_assert_int_eq(op(0, EVTCHNOP_alloc_unbound, &a), 0);
    ck_assert_uint_eq(doms[2]->port[a.port].state, ECS_UNBOUND);
    ck_assert_uint_eq(doms[2]->port[a.port].remote_dom, 1);
}
END_TEST

START_TEST(bind_interdomain_links_both_ends)
{
    struct evtchn_bind_interdomain bi = { .remote_dom = 1 };

    bi.remote_port = unbound(1, 2);
    ck_assert_int_eq(op(2, EVTCHNOP_bind_interdomain, &bi), 0);
    ck_assert_uint_eq(doms[2]->port[bi.local_port].state, ECS_INTERDOMAIN);
    ck_assert_uint_eq(doms[2]->port[bi.local_port].remote_port,
                      bi.remote_port);
    ck_assert_uint_eq(doms[1]->port[bi.remote_port].remote_port,
                      bi.local_port);
    /* Xen reports one conservative event on the new local port. */
    ck_assert(pending(2, bi.local_port));
    ck_assert_uint_eq(kicks[2], 1);
}
END_TEST

START_TEST(bind_interdomain_hostile)
{
    struct evtchn_bind_interdomain bi = { .remote_dom = 1 };

    /* A port meant for domain 2 cannot be taken by domain 0. */
    bi.remote_port = unbound(1, 2);
    ck_assert_int_eq(op(0, EVTCHNOP_bind_interdomain, &bi), -EINVAL);
    /* Out of range, free, reserved, already bound. */
    bi.remote_port = NR_EVENT_CHANNELS;
    ck_assert_int_eq(op(2, EVTCHNOP_bind_interdomain, &bi), -EINVAL);
    bi.remote_port = 0xffffffff;
    ck_assert_int_eq(op(2, EVTCHNOP_bind_interdomain, &bi), -EINVAL);
    bi.remote_port = 50;
    ck_assert_int_eq(op(2, EVTCHNOP_bind_interdomain, &bi), -EINVAL);
    bi.remote_port = 0;
    ck_assert_int_eq(op(2, EVTCHNOP_bind_interdomain, &bi), -EINVAL);
    bi.remote_port = 1;
    ck_assert_int_eq(op(2, EVTCHNOP_bind_interdomain, &bi), 0);
    ck_assert_int_eq(op(2, EVTCHNOP_bind_interdomain, &bi), -EINVAL);
    bi.remote_dom = 42;
    ck_assert_int_eq(op(2, EVTCHNOP_bind_interdomain, &bi), -ESRCH);
    /* Failed binds allocated nothing. */
    ck_assert_uint_eq(doms[0]->port[1].state, ECS_FREE);
}
END_TEST

START_TEST(loopback_to_self)
{
    struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF };
    struct evtchn_send s;

    bi.remote_port = unbound(1, DOMID_SELF);
    ck_assert_int_eq(op(1, EVTCHNOP_bind_interdomain, &bi), 0);
    shared[1].evtchn_pending[0] = 0;
    s.port = bi.local_port;
    ck_assert_int_eq(op(1, EVTCHNOP_send, &s), 0);
    ck_assert(pending(1, bi.remote_port));
}
END_TEST

START_TEST(send_sets_pending_selector_and_upcall)
{
    uint32_t p2, p1 = connect(1, 2, &p2);
    struct evtchn_send s = { .port = p1 };
    struct vcpu_info *vi = &shared[2].vcpu_info[0];

    kicks[2] = 0;
    ck_assert_int_eq(op(1, EVTCHNOP_send, &s), 0);
    ck_assert(pending(2, p2));
    ck_assert(vi->evtchn_pending_sel & (1ULL << (p2 / 64)));
    ck_assert_uint_eq(vi->evtchn_upcall_pending, 1);
    ck_assert_uint_eq(kicks[2], 1);
    ck_assert_uint_eq(pollers[2], 1);
    /* A second send while pending changes nothing and kicks nobody. */
    ck_assert_int_eq(op(1, EVTCHNOP_send, &s), 0);
    ck_assert_uint_eq(kicks[2], 1);
    ck_assert_uint_eq(pollers[2], 1);
}
END_TEST

START_TEST(masked_port_waits_for_unmask)
{
    uint32_t p2, p1 = connect(1, 2, &p2);
    struct evtchn_send s = { .port = p1 };
    struct evtchn_unmask u = { .port = p2 };
    struct vcpu_info *vi = &shared[2].vcpu_info[0];

    kicks[2] = 0;
    shared[2].evtchn_mask[p2 / 64] |= 1ULL << (p2 % 64);
    ck_assert_int_eq(op(1, EVTCHNOP_send, &s), 0);
    ck_assert(pending(2, p2));
    ck_assert_uint_eq(vi->evtchn_upcall_pending, 0);
    ck_assert_uint_eq(kicks[2], 0);
    ck_assert_uint_eq(pollers[2], 1);   /* pollers see masked ports */
    ck_assert_int_eq(op(2, EVTCHNOP_unmask, &u), 0);
    ck_assert_uint_eq(vi->evtchn_upcall_pending, 1);
    ck_assert_uint_eq(kicks[2], 1);
    u.port = NR_EVENT_CHANNELS;
    ck_assert_int_eq(op(2, EVTCHNOP_unmask, &u), -EINVAL);
}
END_TEST

START_TEST(close_tears_down_both_ends)
{
    uint32_t p2, p1 = connect(1, 2, &p2);
    struct evtchn_close c = { .port = p1 };
    struct evtchn_send s = { .port = p1 };
    struct evtchn_status st = { .dom = DOMID_SELF, .port = p2 };

    ck_assert_int_eq(op(1, EVTCHNOP_close, &c), 0);
    ck_assert_int_eq(op(1, EVTCHNOP_send, &s), -EINVAL);
    ck_assert_int_eq(op(1, EVTCHNOP_close, &c), -EINVAL);
    /* The survivor waits for domain 1 again; sends on it are dropped. */
    ck_assert_int_eq(op(2, EVTCHNOP_status, &st), 0);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(st.u.unbound.dom, 1);
    s.port = p2;
    ck_assert_int_eq(op(2, EVTCHNOP_send, &s), 0);
    ck_assert(!pending(1, p1));
}
END_TEST

START_TEST(close_clears_pending)
{
    uint32_t p2, p1 = connect(1, 2, &p2);
    struct evtchn_send s = { .port = p1 };
    struct evtchn_close c = { .port = p2 };

    ck_assert_int_eq(op(1, EVTCHNOP_send, &s), 0);
    ck_assert(pending(2, p2));
    ck_assert_int_eq(op(2, EVTCHNOP_close, &c), 0);
    ck_assert(!pending(2, p2));
}
END_TEST

START_TEST(virq_binding_rules)
{
    struct evtchn_bind_virq b = { .virq = VIRQ_TIMER, .vcpu = 0 };
    struct evtchn_close c;
    struct evtchn_status st = { .dom = DOMID_SELF };

    ck_assert_int_eq(op(1, EVTCHNOP_bind_virq, &b), 0);
    c.port = b.port;
    ck_assert_int_eq(op(1, EVTCHNOP_bind_virq, &b), -EEXIST);
    b.vcpu = 1;
    ck_assert_int_eq(op(1, EVTCHNOP_bind_virq, &b), -ENOENT);
    b.vcpu = 0xffffffff;
    ck_assert_int_eq(op(1, EVTCHNOP_bind_virq, &b), -ENOENT);
    b.virq = VIRQ_DOM_EXC;      /* global: vCPU 0 only */
    b.vcpu = 1;
    ck_assert_int_eq(op(1, EVTCHNOP_bind_virq, &b), -EINVAL);
    b.virq = NR_VIRQS;
    b.vcpu = 0;
    ck_assert_int_eq(op(1, EVTCHNOP_bind_virq, &b), -EINVAL);

    evtchn_send_virq(doms[1], 0, VIRQ_TIMER);
    ck_assert(pending(1, c.port));
    st.port = c.port;
    ck_assert_int_eq(op(1, EVTCHNOP_status, &st), 0);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_virq);
    ck_assert_uint_eq(st.u.virq, VIRQ_TIMER);
    /* VIRQ ports cannot be sent on, nor a per-vCPU one moved. */
    ck_assert_int_eq(evtchn_send(doms[1], c.port), -EINVAL);
    ck_assert_int_eq(evtchn_bind_vcpu(doms[1], c.port, 0), -EINVAL);

    ck_assert_int_eq(op(1, EVTCHNOP_close, &c), 0);
    ck_assert_uint_eq(doms[1]->virq_to_port[0][VIRQ_TIMER], 0);
    evtchn_send_virq(doms[1], 0, VIRQ_TIMER);      /* unbound: nothing */
    ck_assert(!pending(1, c.port));
    b.virq = VIRQ_TIMER;
    ck_assert_int_eq(op(1, EVTCHNOP_bind_virq, &b), 0);
}
END_TEST

START_TEST(ipi_and_bind_vcpu)
{
    struct evtchn_bind_ipi b = { .vcpu = 0 };
    struct evtchn_bind_vcpu bv;

    ck_assert_int_eq(op(1, EVTCHNOP_bind_ipi, &b), 0);
    ck_assert_int_eq(evtchn_send(doms[1], b.port), 0);
    ck_assert(pending(1, b.port));
    b.vcpu = 3;
    ck_assert_int_eq(op(1, EVTCHNOP_bind_ipi, &b), -ENOENT);

    bv.port = b.port;
    bv.vcpu = 0;
    ck_assert_int_eq(op(1, EVTCHNOP_bind_vcpu, &bv), -EINVAL);   /* IPI */
    bv.port = unbound(1, 0);
    ck_assert_int_eq(op(1, EVTCHNOP_bind_vcpu, &bv), 0);
    bv.vcpu = 5;
    ck_assert_int_eq(op(1, EVTCHNOP_bind_vcpu, &bv), -ENOENT);
    bv.vcpu = 0;
    bv.port = 99;
    ck_assert_int_eq(op(1, EVTCHNOP_bind_vcpu, &bv), -EINVAL);
}
END_TEST

START_TEST(status_reports_each_state)
{
    uint32_t p2, p1 = connect(1, 2, &p2);
    struct evtchn_status st = { .dom = 2, .port = p2 };

    ck_assert_int_eq(op(0, EVTCHNOP_status, &st), 0);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_interdomain);
    ck_assert_uint_eq(st.u.interdomain.dom, 1);
    ck_assert_uint_eq(st.u.interdomain.port, p1);
    st.port = 300;
    ck_assert_int_eq(op(0, EVTCHNOP_status, &st), 0);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_closed);
    st.port = NR_EVENT_CHANNELS;
    ck_assert_int_eq(op(0, EVTCHNOP_status, &st), -EINVAL);
    st.dom = 17;
    ck_assert_int_eq(op(0, EVTCHNOP_status, &st), -ESRCH);
}
END_TEST

START_TEST(xen_bound_port_notifies_hypervisor)
{
    int port = evtchn_alloc_xen_bound(doms[1], 0);
    struct evtchn_send s = { .port = port };
    struct evtchn_reset r = { .dom = DOMID_SELF };

    ck_assert_int_gt(port, 0);
    ck_assert_int_eq(op(1, EVTCHNOP_send, &s), 0);
    ck_assert_uint_eq(xen_notes[1], 1);
    /* Reset keeps the hypervisor's own binding (the console). */
    unbound(1, 0);
    ck_assert_int_eq(op(1, EVTCHNOP_reset, &r), 0);
    ck_assert_uint_eq(doms[1]->port[port].state, ECS_INTERDOMAIN);
    ck_assert_uint_eq(doms[1]->port[port + 1].state, ECS_FREE);
}
END_TEST

START_TEST(reset_closes_everything)
{
    uint32_t p2, p1 = connect(1, 2, &p2);
    struct evtchn_reset r = { .dom = DOMID_SELF };
    struct evtchn_bind_virq b = { .virq = VIRQ_TIMER };

    ck_assert_int_eq(op(1, EVTCHNOP_bind_virq, &b), 0);
    ck_assert_int_eq(op(1, EVTCHNOP_reset, &r), 0);
    ck_assert_uint_eq(doms[1]->port[p1].state, ECS_FREE);
    ck_assert_uint_eq(doms[1]->port[b.port].state, ECS_FREE);
    ck_assert_uint_eq(doms[2]->port[p2].state, ECS_UNBOUND);
    ck_assert_int_eq(op(1, EVTCHNOP_bind_virq, &b), 0);
}
END_TEST

/* MICA_DOMCTL_set_max_evtchn: allocation stops at max_port, on behalf too. */
START_TEST(max_port_limits_allocation)
{
    struct evtchn_alloc_unbound a = { .dom = 1, .remote_dom = 0 };

    doms[1]->max_port = 2;
    ck_assert_uint_eq(unbound(1, 0), 1);
    ck_assert_int_eq(op(0, EVTCHNOP_alloc_unbound, &a), 0);
    ck_assert_uint_eq(a.port, 2);
    ck_assert_int_eq(op(0, EVTCHNOP_alloc_unbound, &a), -ENOSPC);
    ck_assert_int_eq(op(1, EVTCHNOP_alloc_unbound, &a), -ENOSPC);
    /* Ports already above a lowered limit keep working. */
    doms[1]->max_port = 1;
    ck_assert_int_eq(evtchn_close(doms[1], 2), 0);
    ck_assert_int_eq(op(0, EVTCHNOP_alloc_unbound, &a), -ENOSPC);
}
END_TEST

START_TEST(fifo_and_bad_commands_refused)
{
    struct evtchn_init_control ic = { 0 };
    struct evtchn_expand_array ea = { 0 };
    struct evtchn_set_priority sp = { .port = 1 };

    ck_assert_int_eq(op(1, EVTCHNOP_init_control, &ic), -ENOSYS);
    ck_assert_int_eq(op(1, EVTCHNOP_init_control, NULL), -EFAULT);
    ck_assert_int_eq(op(1, EVTCHNOP_expand_array, &ea), -EOPNOTSUPP);
    ck_assert_int_eq(op(1, EVTCHNOP_set_priority, &sp), -ENOSYS);
    sp.port = NR_EVENT_CHANNELS;
    ck_assert_int_eq(op(1, EVTCHNOP_set_priority, &sp), -EINVAL);
    ck_assert_int_eq(op(1, 14, &sp), -ENOSYS);
    ck_assert_int_eq(op(1, 0xffffffff, &sp), -ENOSYS);
    ck_assert_int_eq(op(1, EVTCHNOP_send, NULL), -EFAULT);
    ck_assert_int_eq(op(1, EVTCHNOP_alloc_unbound, NULL), -EFAULT);
}
END_TEST

Suite *event_channel_suite(void)
{
    Suite *s = suite_create("event_channel");
    TCase *tc = tcase_create("ports");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, ports_start_at_one);
    tcase_add_test(tc, freed_port_is_reused);
    tcase_add_test(tc, ports_run_out);
    tcase_add_test(tc, unprivileged_cannot_act_for_others);
    tcase_add_test(tc, bind_interdomain_links_both_ends);
    tcase_add_test(tc, bind_interdomain_hostile);
    tcase_add_test(tc, loopback_to_self);
    tcase_add_test(tc, send_sets_pending_selector_and_upcall);
    tcase_add_test(tc, masked_port_waits_for_unmask);
    tcase_add_test(tc, close_tears_down_both_ends);
    tcase_add_test(tc, close_clears_pending);
    tcase_add_test(tc, virq_binding_rules);
    tcase_add_test(tc, ipi_and_bind_vcpu);
    tcase_add_test(tc, status_reports_each_state);
    tcase_add_test(tc, xen_bound_port_notifies_hypervisor);
    tcase_add_test(tc, reset_closes_everything);
    tcase_add_test(tc, fifo_and_bad_commands_refused);
    tcase_add_test(tc, max_port_limits_allocation);
    suite_add_tcase(s, tc);
    return s;
}
