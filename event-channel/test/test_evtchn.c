/*
 * The event-channel library on a host without Xen: the eventfd backend's
 * semantics (connect, notify, coalescing, masking, unbind, virqs), the
 * errors both backends share, a notification across fork(), and the
 * /dev/xen/evtchn request numbers against the system's header.
 */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mica/evtchn.h>

#include "../linux-abi.h"

#define DOM_A 1
#define DOM_B 2

struct link
{
    struct mica_evtchn_host *host;
    struct mica_evtchn *a, *b;
    int pa, pb; /* the two ends of one connection */
};

static bool readable(struct mica_evtchn *h, int timeout_ms)
{
    struct pollfd pfd = {.fd = mica_evtchn_fd(h), .events = POLLIN};

    return poll(&pfd, 1, timeout_ms) == 1;
}

/* Connect A and B; B's new port starts pending, taken and unmasked here. */
static void link_open(struct link *l, unsigned int nr_ports)
{
    ck_assert_int_eq(mica_evtchn_host_create(nr_ports, &l->host), 0);
    ck_assert_int_eq(mica_evtchn_open_host(l->host, DOM_A, &l->a), 0);
    ck_assert_int_eq(mica_evtchn_open_host(l->host, DOM_B, &l->b), 0);
    l->pa = mica_evtchn_bind_unbound(l->a, DOM_B);
    ck_assert_int_gt(l->pa, 0);
    l->pb = mica_evtchn_bind_interdomain(l->b, DOM_A, (uint32_t)l->pa);
    ck_assert_int_gt(l->pb, 0);
    ck_assert_int_ne(l->pa, l->pb);
    ck_assert(readable(l->b, 0));
    ck_assert_int_eq(mica_evtchn_pending(l->b), l->pb);
    ck_assert_int_eq(mica_evtchn_unmask(l->b, (uint32_t)l->pb), 0);
    ck_assert_int_eq(mica_evtchn_pending(l->b), -EAGAIN);
    ck_assert_int_eq(mica_evtchn_pending(l->a), -EAGAIN);
}

static void link_close(struct link *l)
{
    mica_evtchn_close(l->a);
    mica_evtchn_close(l->b);
    mica_evtchn_host_destroy(l->host);
}

START_TEST(notify_reaches_the_peer_only)
{
    struct link l;

    link_open(&l, 16);
    ck_assert_int_eq(mica_evtchn_notify(l.a, (uint32_t)l.pa), 0);
    ck_assert(!readable(l.a, 0));
    ck_assert(readable(l.b, 0));
    ck_assert_int_eq(mica_evtchn_pending(l.b), l.pb);
    ck_assert_int_eq(mica_evtchn_unmask(l.b, (uint32_t)l.pb), 0);
    ck_assert_int_eq(mica_evtchn_notify(l.b, (uint32_t)l.pb), 0);
    ck_assert_int_eq(mica_evtchn_pending(l.a), l.pa);
    link_close(&l);
}
END_TEST

START_TEST(notifications_coalesce)
{
    struct link l;

    link_open(&l, 16);
    ck_assert_int_eq(mica_evtchn_notify(l.a, (uint32_t)l.pa), 0);
    ck_assert_int_eq(mica_evtchn_notify(l.a, (uint32_t)l.pa), 0);
    ck_assert_int_eq(mica_evtchn_notify(l.a, (uint32_t)l.pa), 0);
    ck_assert_int_eq(mica_evtchn_pending(l.b), l.pb);
    ck_assert_int_eq(mica_evtchn_unmask(l.b, (uint32_t)l.pb), 0);
    ck_assert_int_eq(mica_evtchn_pending(l.b), -EAGAIN);
    ck_assert(!readable(l.b, 0));
    link_close(&l);
}
END_TEST

START_TEST(delivered_port_stays_masked_until_unmask)
{
    struct link l;

    link_open(&l, 16);
    ck_assert_int_eq(mica_evtchn_notify(l.a, (uint32_t)l.pa), 0);
    ck_assert_int_eq(mica_evtchn_pending(l.b), l.pb);
    /* Arrives while masked: remembered, not reported (poll may wake once). */
    ck_assert_int_eq(mica_evtchn_notify(l.a, (uint32_t)l.pa), 0);
    ck_assert_int_eq(mica_evtchn_pending(l.b), -EAGAIN);
    ck_assert(!readable(l.b, 0));
    ck_assert_int_eq(mica_evtchn_pending(l.b), -EAGAIN);
    ck_assert_int_eq(mica_evtchn_unmask(l.b, (uint32_t)l.pb), 0);
    ck_assert(readable(l.b, 0));
    ck_assert_int_eq(mica_evtchn_pending(l.b), l.pb);
    /* Unmasking twice is harmless. */
    ck_assert_int_eq(mica_evtchn_unmask(l.b, (uint32_t)l.pb), 0);
    ck_assert_int_eq(mica_evtchn_unmask(l.b, (uint32_t)l.pb), 0);
    ck_assert_int_eq(mica_evtchn_pending(l.b), -EAGAIN);
    link_close(&l);
}
END_TEST

START_TEST(notify_before_peer_binds_is_dropped)
{
    struct mica_evtchn_host *host;
    struct mica_evtchn *a;
    int pa;

    ck_assert_int_eq(mica_evtchn_host_create(8, &host), 0);
    ck_assert_int_eq(mica_evtchn_open_host(host, DOM_A, &a), 0);
    pa = mica_evtchn_bind_unbound(a, DOM_B);
    ck_assert_int_eq(mica_evtchn_notify(a, (uint32_t)pa), 0);
    ck_assert_int_eq(mica_evtchn_pending(a), -EAGAIN);
    mica_evtchn_close(a);
    mica_evtchn_host_destroy(host);
}
END_TEST

START_TEST(unbind_leaves_the_peer_unbound)
{
    struct link l;
    int pb;

    link_open(&l, 16);
    ck_assert_int_eq(mica_evtchn_unbind(l.b, (uint32_t)l.pb), 0);
    ck_assert_int_eq(mica_evtchn_notify(l.b, (uint32_t)l.pb), -ENOTCONN);
    ck_assert_int_eq(mica_evtchn_notify(l.a, (uint32_t)l.pa), 0);
    ck_assert_int_eq(mica_evtchn_pending(l.b), -EAGAIN);
    /* A's end waits for B again, and only for B. */
    ck_assert_int_eq(mica_evtchn_bind_interdomain(l.a, DOM_A, (uint32_t)l.pa),
                     -EINVAL);
    pb = mica_evtchn_bind_interdomain(l.b, DOM_A, (uint32_t)l.pa);
    ck_assert_int_gt(pb, 0);
    ck_assert_int_eq(mica_evtchn_pending(l.b), pb);
    ck_assert_int_eq(mica_evtchn_unmask(l.b, (uint32_t)pb), 0);
    ck_assert_int_eq(mica_evtchn_notify(l.a, (uint32_t)l.pa), 0);
    ck_assert_int_eq(mica_evtchn_pending(l.b), pb);
    link_close(&l);
}
END_TEST

START_TEST(closing_a_handle_unbinds_its_ports)
{
    struct link l;
    struct mica_evtchn *b2;

    link_open(&l, 16);
    mica_evtchn_close(l.b);
    ck_assert_int_eq(mica_evtchn_open_host(l.host, DOM_B, &b2), 0);
    ck_assert_int_gt(mica_evtchn_bind_interdomain(b2, DOM_A, (uint32_t)l.pa),
                     0);
    l.b = b2;
    link_close(&l);
}
END_TEST

START_TEST(bad_ports_are_refused)
{
    struct link l;
    int extra;

    link_open(&l, 16);
    /* Not offered to us, not unbound, out of the table, out of range. */
    extra = mica_evtchn_bind_unbound(l.a, 7);
    ck_assert_int_gt(extra, 0);
    ck_assert_int_eq(mica_evtchn_bind_interdomain(l.b, DOM_A, (uint32_t)extra),
                     -EINVAL);
    ck_assert_int_eq(mica_evtchn_bind_interdomain(l.b, DOM_A, (uint32_t)l.pa),
                     -EINVAL);
    ck_assert_int_eq(mica_evtchn_bind_interdomain(l.b, DOM_A, 15), -EINVAL);
    ck_assert_int_eq(mica_evtchn_bind_interdomain(l.b, DOM_A, 16), -EINVAL);
    ck_assert_int_eq(mica_evtchn_bind_interdomain(l.b, DOM_A, 5000), -EINVAL);
    /* Ports this handle does not hold. */
    ck_assert_int_eq(mica_evtchn_notify(l.b, (uint32_t)l.pa), -ENOTCONN);
    ck_assert_int_eq(mica_evtchn_unbind(l.b, (uint32_t)l.pa), -ENOTCONN);
    ck_assert_int_eq(mica_evtchn_unmask(l.b, (uint32_t)l.pa), -ENOTCONN);
    ck_assert_int_eq(mica_evtchn_notify(l.b, 0), -ENOTCONN);
    ck_assert_int_eq(mica_evtchn_notify(l.b, MICA_EVTCHN_NR_PORTS), -EINVAL);
    ck_assert_int_eq(mica_evtchn_unbind(l.b, 0xffffffff), -EINVAL);
    link_close(&l);
}
END_TEST

START_TEST(ports_run_out)
{
    struct mica_evtchn_host *host;
    struct mica_evtchn *a;
    int i;

    ck_assert_int_eq(mica_evtchn_host_create(4, &host), 0);
    ck_assert_int_eq(mica_evtchn_open_host(host, DOM_A, &a), 0);
    /* Port 0 is never handed out. */
    for ( i = 1; i < 4; i++ )
        ck_assert_int_eq(mica_evtchn_bind_unbound(a, DOM_B), i);
    ck_assert_int_eq(mica_evtchn_bind_unbound(a, DOM_B), -ENOSPC);
    ck_assert_int_eq(mica_evtchn_unbind(a, 2), 0);
    ck_assert_int_eq(mica_evtchn_bind_unbound(a, DOM_B), 2);
    mica_evtchn_close(a);
    mica_evtchn_host_destroy(host);
}
END_TEST

START_TEST(host_sizes_are_checked)
{
    struct mica_evtchn_host *host = NULL;

    ck_assert_int_eq(mica_evtchn_host_create(1, &host), -EINVAL);
    ck_assert_int_eq(mica_evtchn_host_create(MICA_EVTCHN_NR_PORTS + 1, &host),
                     -EINVAL);
    ck_assert_ptr_null(host);
    mica_evtchn_host_destroy(NULL);
    mica_evtchn_close(NULL);
}
END_TEST

START_TEST(virqs_bind_once_and_fire)
{
    struct link l;
    int p;

    link_open(&l, 16);
    ck_assert_int_eq(mica_evtchn_bind_virq(l.a, MICA_EVTCHN_NR_VIRQS), -EINVAL);
    p = mica_evtchn_bind_virq(l.a, 3);
    ck_assert_int_gt(p, 0);
    ck_assert_int_eq(mica_evtchn_bind_virq(l.a, 3), -EEXIST);
    /* Another domain's virq 3 is its own. */
    ck_assert_int_gt(mica_evtchn_bind_virq(l.b, 3), 0);
    ck_assert_int_eq(mica_evtchn_host_raise_virq(l.host, DOM_A, 3), 0);
    ck_assert_int_eq(mica_evtchn_pending(l.a), p);
    ck_assert_int_eq(mica_evtchn_pending(l.b), -EAGAIN);
    ck_assert_int_eq(mica_evtchn_host_raise_virq(l.host, DOM_A, 99), -EINVAL);
    link_close(&l);
}
END_TEST

/* Child process = domain B: connects to A's port, then notifies it. */
static void child_connects(struct mica_evtchn_host *host, int port_fd)
{
    struct mica_evtchn *b;
    int pa, pb;

    if ( read(port_fd, &pa, sizeof(pa)) != sizeof(pa) ||
         mica_evtchn_open_host(host, DOM_B, &b) )
        _exit(2);
    pb = mica_evtchn_bind_interdomain(b, DOM_A, (uint32_t)pa);
    if ( pb <= 0 || mica_evtchn_notify(b, (uint32_t)pb) )
        _exit(3);
    mica_evtchn_close(b);
    _exit(0);
}

START_TEST(notify_crosses_fork)
{
    struct mica_evtchn_host *host;
    struct mica_evtchn *a;
    int fds[2], pa, status;
    pid_t pid;

    ck_assert_int_eq(mica_evtchn_host_create(8, &host), 0);
    ck_assert_int_eq(pipe(fds), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if ( pid == 0 )
        child_connects(host, fds[0]);
    ck_assert_int_eq(mica_evtchn_open_host(host, DOM_A, &a), 0);
    pa = mica_evtchn_bind_unbound(a, DOM_B);
    ck_assert_int_eq(write(fds[1], &pa, sizeof(pa)), sizeof(pa));
    ck_assert(readable(a, 5000));
    ck_assert_int_eq(mica_evtchn_pending(a), pa);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    mica_evtchn_close(a);
    mica_evtchn_host_destroy(host);
    close(fds[0]);
    close(fds[1]);
}
END_TEST

START_TEST(xen_device_needs_the_driver)
{
    struct mica_evtchn *h = NULL;

    if ( access("/dev/xen/evtchn", F_OK) == 0 )
        return; /* in a Xen domain: the system test covers this */
    ck_assert_int_eq(mica_evtchn_open(&h), -ENOENT);
    ck_assert_ptr_null(h);
}
END_TEST

#if __has_include(<xen/evtchn.h>)
typedef uint16_t domid_t; /* the system header uses it without defining it */
#include <xen/evtchn.h>
#endif

START_TEST(request_numbers_match_system_header)
{
#ifdef IOCTL_EVTCHN_BIND_VIRQ
    ck_assert_uint_eq(IOCTL_EVTCHN_OP_BIND_VIRQ, IOCTL_EVTCHN_BIND_VIRQ);
    ck_assert_uint_eq(IOCTL_EVTCHN_OP_BIND_INTERDOMAIN,
                      IOCTL_EVTCHN_BIND_INTERDOMAIN);
    ck_assert_uint_eq(IOCTL_EVTCHN_OP_BIND_UNBOUND,
                      IOCTL_EVTCHN_BIND_UNBOUND_PORT);
    ck_assert_uint_eq(IOCTL_EVTCHN_OP_UNBIND, IOCTL_EVTCHN_UNBIND);
    ck_assert_uint_eq(IOCTL_EVTCHN_OP_NOTIFY, IOCTL_EVTCHN_NOTIFY);
#endif
}
END_TEST

static Suite *evtchn_suite(void)
{
    Suite *s = suite_create("evtchn");
    TCase *tc = tcase_create("eventfd");

    tcase_add_test(tc, notify_reaches_the_peer_only);
    tcase_add_test(tc, notifications_coalesce);
    tcase_add_test(tc, delivered_port_stays_masked_until_unmask);
    tcase_add_test(tc, notify_before_peer_binds_is_dropped);
    tcase_add_test(tc, unbind_leaves_the_peer_unbound);
    tcase_add_test(tc, closing_a_handle_unbinds_its_ports);
    tcase_add_test(tc, bad_ports_are_refused);
    tcase_add_test(tc, ports_run_out);
    tcase_add_test(tc, host_sizes_are_checked);
    tcase_add_test(tc, virqs_bind_once_and_fire);
    tcase_add_test(tc, notify_crosses_fork);
    tcase_add_test(tc, xen_device_needs_the_driver);
    tcase_add_test(tc, request_numbers_match_system_header);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(evtchn_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
