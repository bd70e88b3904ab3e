/*
 * Suites "proto", "domain" and "ring": framing and the parser's answers
 * to malformed input, the domain requests, and the shared-ring byte mover
 * over a plain buffer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "xsd_ring.h"

static struct xsd *xsd;
static struct xsd_conn *d0;

static void setup(void)
{
    xsd = th_new();
    d0 = th_conn(xsd, 0);
}

static void teardown(void)
{
    xsd_destroy(xsd);
}

START_TEST(proto_unknown_types)
{
    static const uint32_t bad[] = {15, 16, 20, 23,   24,
                                   25, 26, 27, 9999, XSW_INVALID};
    struct th_msg m;
    size_t i;

    for ( i = 0; i < sizeof(bad) / sizeof(bad[0]); i++ )
    {
        ck_assert_int_eq(th_req(d0, bad[i], 0, "/", 2, &m), 0);
        ck_assert_str_eq(m.data, "ENOSYS");
        ck_assert_uint_eq(m.hdr.type, XSW_ERROR);
    }
}
END_TEST

/* Malformed payloads: each gets EINVAL and the connection lives on. */
START_TEST(proto_bad_payloads)
{
    static const struct
    {
        uint32_t type;
        const char *payload;
        size_t len;
    } bad[] = {
        {XSW_READ, "/tool", 5},          /* unterminated */
        {XSW_READ, "", 0},               /* empty */
        {XSW_READ, "/tool\0/x", 9},      /* two strings */
        {XSW_WRITE, "/novalue", 8},      /* no NUL after the path */
        {XSW_SET_PERMS, "/tool\0r0", 8}, /* unterminated entry */
        {XSW_GET_DOMAIN_PATH, "x1", 3},  /* not a number */
        {XSW_CONTROL, "nosuch", 7},      /* unknown command */
        {XSW_CONTROL, "", 0},            /* no command */
    };
    struct th_msg m;
    size_t i;

    for ( i = 0; i < sizeof(bad) / sizeof(bad[0]); i++ )
    {
        ck_assert_int_eq(
            th_req(d0, bad[i].type, 0, bad[i].payload, bad[i].len, &m), 0);
        ck_assert_int_eq(th_errno(&m), EINVAL);
    }
    ck_assert(!d0->dead);
}
END_TEST

START_TEST(proto_oversized_is_fatal)
{
    struct xsw_msg h = {XSW_WRITE, 1, 0, XSW_PAYLOAD_MAX + 1};
    struct xsd_conn *other = th_conn(xsd, 0);

    ck_assert_int_eq(th_feed(d0, &h, sizeof(h)), -EPROTO);
    ck_assert(d0->dead);
    ck_assert(!xsd_conn_wants_input(d0));
    /* Everyone else carries on. */
    ck_assert_int_eq(th_write(other, 0, "/still", "fine"), 0);
}
END_TEST

START_TEST(proto_max_payload_ok)
{
    char buf[XSW_PAYLOAD_MAX];
    struct th_msg m;

    memset(buf, 'v', sizeof(buf));
    memcpy(buf, "/big", 5);
    ck_assert_int_eq(th_req(d0, XSW_WRITE, 0, buf, sizeof(buf), &m), 0);
    ck_assert_int_eq(th_errno(&m), 0);
    ck_assert_int_eq(th_req(d0, XSW_READ, 0, "/big", 5, &m), 0);
    ck_assert_uint_eq(m.hdr.len, XSW_PAYLOAD_MAX - 5);
}
END_TEST

START_TEST(proto_split_and_pipelined)
{
    unsigned char buf[256];
    struct xsw_msg h1 = {XSW_WRITE, 11, 0, 6}, h2 = {XSW_READ, 12, 0, 3};
    size_t len = 0, i;
    const void *p;
    struct xsw_msg r;

    memcpy(buf + len, &h1, sizeof(h1));
    len += sizeof(h1);
    memcpy(buf + len, "/p\0abc", 6);
    len += 6;
    memcpy(buf + len, &h2, sizeof(h2));
    len += sizeof(h2);
    memcpy(buf + len, "/p", 3);
    len += 3;
    for ( i = 0; i < len; i++ )
        ck_assert_int_eq(th_feed(d0, buf + i, 1), 1);
    ck_assert_uint_eq(xsd_conn_output(d0, &p), sizeof(r) + 3);
    memcpy(&r, p, sizeof(r));
    ck_assert_uint_eq(r.req_id, 11);
    ck_assert_uint_eq(r.type, XSW_WRITE);
    ck_assert_int_eq(memcmp((const char *)p + sizeof(r), "OK", 3), 0);
    xsd_conn_consume(d0, sizeof(r) + 3);
    ck_assert_uint_eq(xsd_conn_output(d0, &p), sizeof(r) + 3);
    memcpy(&r, p, sizeof(r));
    ck_assert_uint_eq(r.req_id, 12);
    ck_assert_int_eq(memcmp((const char *)p + sizeof(r), "abc", 3), 0);
    /* Partial consumption is fine too. */
    xsd_conn_consume(d0, 5);
    ck_assert_uint_eq(xsd_conn_output(d0, &p), sizeof(r) + 3 - 5);
    xsd_conn_consume(d0, 100);
    ck_assert_uint_eq(xsd_conn_output(d0, &p), 0);
}
END_TEST

START_TEST(proto_privileged_ops)
{
    struct xsd_conn *u = th_conn(xsd, 5);
    static const uint32_t priv[] = {XSW_CONTROL, XSW_INTRODUCE,
                                    XSW_RELEASE, XSW_IS_DOMAIN_INTRODUCED,
                                    XSW_RESUME,  XSW_SET_TARGET};
    size_t i;
    struct th_msg m;

    for ( i = 0; i < sizeof(priv) / sizeof(priv[0]); i++ )
    {
        ck_assert_int_eq(th_req(u, priv[i], 0, "1", 2, &m), 0);
        ck_assert_str_eq(m.data, "EACCES");
    }
    ck_assert_int_eq(th_do(u, XSW_GET_DOMAIN_PATH, 0, "5", NULL, &m), 0);
    ck_assert_str_eq(m.data, "/local/domain/5");
}
END_TEST

START_TEST(proto_error_names)
{
    ck_assert_str_eq(xsd_errno_name(-ENOENT), "ENOENT");
    ck_assert_str_eq(xsd_errno_name(EPERM), "EPERM");
    ck_assert_str_eq(xsd_errno_name(EAGAIN), "EAGAIN");
    ck_assert_str_eq(xsd_errno_name(ENOTDIR), "EINVAL");
    ck_assert_str_eq(xsd_type_name(XSW_DIRECTORY_PART), "DIRECTORY_PART");
    ck_assert_str_eq(xsd_type_name(20), "UNKNOWN");
}
END_TEST

START_TEST(proto_control)
{
    struct th_msg m;

    ck_assert_int_eq(th_req(d0, XSW_CONTROL, 0, "quota", 6, &m), 0);
    ck_assert_ptr_nonnull(strstr(m.data, "nodes            :     1000"));
    ck_assert_ptr_nonnull(strstr(m.data, "transactions     :       10"));
    ck_assert_int_eq(th_req(d0, XSW_CONTROL, 0,
                            "quota\0set\0nodes\0"
                            "42",
                            19, &m),
                     0);
    ck_assert_int_eq(th_errno(&m), 0);
    ck_assert_int_eq(xsd->quota.nodes, 42);
    ck_assert_int_eq(th_req(d0, XSW_CONTROL, 0,
                            "quota\0set\0bogus\0"
                            "1",
                            18, &m),
                     0);
    ck_assert_int_eq(th_errno(&m), EINVAL);
    ck_assert_int_eq(th_req(d0, XSW_CONTROL, 0,
                            "quota\0"
                            "0",
                            8, &m),
                     0);
    ck_assert_ptr_nonnull(strstr(m.data, "nodes       : 3"));
    ck_assert_int_eq(th_req(d0, XSW_CONTROL, 0, "log\0debug", 10, &m), 0);
    ck_assert_int_eq(th_errno(&m), 0);
    ck_assert_int_eq(xsd_log_get_level(), XSD_LOG_DEBUG);
    ck_assert_int_eq(th_req(d0, XSW_CONTROL, 0, "log\0loud", 9, &m), 0);
    ck_assert_int_eq(th_errno(&m), EINVAL);
    ck_assert_int_eq(th_req(d0, XSW_CONTROL, 0, "help", 5, &m), 0);
    ck_assert_ptr_nonnull(strstr(m.data, "quota"));
    xsd_log_set_level(XSD_LOG_ERR);
}
END_TEST

START_TEST(proto_backpressure)
{
    struct xsd_conn *u = th_conn(xsd, 5);
    struct xsw_msg h = {XSW_GET_DOMAIN_PATH, 1, 0, 2};
    int i;

    for ( i = 0; i < 20; i++ )
    {
        ck_assert(xsd_conn_wants_input(u));
        th_feed(u, &h, sizeof(h));
        th_feed(u, "5", 2);
    }
    ck_assert(!xsd_conn_wants_input(u));
    xsd_conn_consume(u, sizeof(h) + 16);
    ck_assert(xsd_conn_wants_input(u));
}
END_TEST

START_TEST(proto_event_flood_cuts_off)
{
    struct xsd_conn *u = th_conn(xsd, 0);
    char path[64];
    int i;

    xsd->quota.memory = 1024;
    ck_assert_int_eq(th_watch(u, "/storm", "t"), 0);
    for ( i = 0; i < 400 && !u->dead; i++ )
    {
        snprintf(path, sizeof(path), "/storm/%d", i);
        ck_assert_int_eq(th_write(d0, 0, path, "x"), 0);
    }
    ck_assert(u->dead);
    ck_assert_int_eq(th_write(d0, 0, "/storm/after", "x"), 0);
}
END_TEST

START_TEST(proto_quota_denial_logged)
{
    char file[] = "/tmp/xsd-log-XXXXXX", text[4096];
    struct xsd_conn *u = th_conn(xsd, 5);
    int fd = mkstemp(file), i;
    FILE *f;
    size_t n;

    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(xsd_log_open(file), 0);
    xsd_log_set_level(XSD_LOG_WARN);
    for ( i = 0; i < 10; i++ )
        th_txn_start(u);
    ck_assert_int_eq(th_do(u, XSW_TRANSACTION_START, 0, "", NULL, NULL),
                     ENOSPC);
    f = fopen(file, "r");
    n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = '\0';
    fclose(f);
    unlink(file);
    xsd_log_open("/dev/null");
    xsd_log_set_level(XSD_LOG_ERR);
    ck_assert_ptr_nonnull(
        strstr(text, "quota: domain 5 hit transactions (limit 10)"));
}
END_TEST

START_TEST(domain_requests)
{
    struct th_msg m;
    struct xsd_conn *dm, *guest;

    ck_assert_int_eq(th_do(d0, XSW_IS_DOMAIN_INTRODUCED, 0, "0", NULL, &m), 0);
    ck_assert_str_eq(m.data, "T");
    ck_assert_int_eq(th_do(d0, XSW_IS_DOMAIN_INTRODUCED, 0, "7", NULL, &m), 0);
    ck_assert_str_eq(m.data, "F");
    ck_assert_int_eq(th_req(d0, XSW_INTRODUCE, 0,
                            "7\0"
                            "123\0"
                            "4",
                            8, &m),
                     0);
    ck_assert_int_eq(th_errno(&m), 0);
    ck_assert_int_eq(th_req(d0, XSW_INTRODUCE, 0,
                            "7\0"
                            "123\0"
                            "5",
                            8, &m),
                     0);
    ck_assert_int_eq(th_errno(&m), 0);
    ck_assert_int_eq(th_req(d0, XSW_INTRODUCE, 0,
                            "8\0"
                            "1\0"
                            "0",
                            6, &m),
                     0);
    ck_assert_int_eq(th_errno(&m), EINVAL);
    ck_assert_int_eq(th_do(d0, XSW_IS_DOMAIN_INTRODUCED, 0, "7", NULL, &m), 0);
    ck_assert_str_eq(m.data, "T");
    ck_assert_int_eq(th_do(d0, XSW_RESUME, 0, "7", NULL, NULL), 0);
    ck_assert_int_eq(th_do(d0, XSW_RESUME, 0, "0", NULL, NULL), EINVAL);
    ck_assert_int_eq(th_do(d0, XSW_RESUME, 0, "8", NULL, NULL), ENOENT);
    ck_assert_int_eq(th_do(d0, XSW_RELEASE, 0, "0", NULL, NULL), EINVAL);
    ck_assert_int_eq(th_do(d0, XSW_RELEASE, 0, "8", NULL, NULL), ENOENT);
    /* SET_TARGET: a device model acts for its target. */
    ck_assert_int_eq(th_req(d0, XSW_INTRODUCE, 0,
                            "8\0"
                            "1\0"
                            "2",
                            6, &m),
                     0);
    dm = xsd_domain_find(xsd, 8)->conn;
    guest = xsd_domain_find(xsd, 7)->conn;
    ck_assert_int_eq(th_write(d0, 0, "/local/domain/7/d", "x"), 0);
    ck_assert_int_eq(th_chmod(d0, 0, "/local/domain/7/d", "n7"), 0);
    ck_assert_int_eq(th_read(guest, 0, "d", NULL), 0);
    ck_assert_int_eq(th_read(dm, 0, "/local/domain/7/d", NULL), EACCES);
    ck_assert_int_eq(th_req(d0, XSW_SET_TARGET, 0,
                            "8\0"
                            "7",
                            4, &m),
                     0);
    ck_assert_int_eq(th_errno(&m), 0);
    ck_assert_int_eq(th_read(dm, 0, "/local/domain/7/d", NULL), 0);
    ck_assert_int_eq(th_req(d0, XSW_SET_TARGET, 0,
                            "8\0"
                            "99",
                            5, &m),
                     0);
    ck_assert_int_eq(th_errno(&m), ENOENT);
}
END_TEST

START_TEST(domain_release_cleans_up)
{
    struct th_msg m;

    ck_assert_int_eq(th_req(d0, XSW_INTRODUCE, 0,
                            "7\0"
                            "1\0"
                            "4",
                            6, &m),
                     0);
    ck_assert_int_eq(th_write(d0, 0, "/local/domain/7/own/x", "1"), 0);
    ck_assert_int_eq(th_chmod(d0, 0, "/local/domain/7/own", "b7"), 0);
    ck_assert_int_eq(th_chmod(d0, 0, "/local/domain/7/own/x", "n7"), 0);
    ck_assert_int_eq(th_write(d0, 0, "/shared", "1"), 0);
    ck_assert_int_eq(th_chmod(d0, 0, "/shared", "n0 r7 r8"), 0);
    ck_assert_uint_eq(xsd->owned[7], 2);
    ck_assert_int_eq(th_do(d0, XSW_RELEASE, 0, "7", NULL, NULL), 0);
    ck_assert_uint_eq(xsd->owned[7], 0);
    ck_assert_int_eq(th_read(d0, 0, "/local/domain/7/own", NULL), ENOENT);
    ck_assert_int_eq(th_read(d0, 0, "/local/domain/7", NULL), 0);
    ck_assert_int_eq(th_do(d0, XSW_GET_PERMS, 0, "/shared", NULL, &m), 0);
    ck_assert_uint_eq(m.hdr.len, 6);
    ck_assert_int_eq(memcmp(m.data, "n0\0r8", 6), 0);
    ck_assert_int_eq(th_do(d0, XSW_IS_DOMAIN_INTRODUCED, 0, "7", NULL, &m), 0);
    ck_assert_str_eq(m.data, "F");
}
END_TEST

/* Put bytes into the guest->daemon ring as a guest would. */
static void guest_send(struct xsw_ring *r, const void *p, size_t len)
{
    size_t i;

    for ( i = 0; i < len; i++ )
        r->req[XSW_RING_MASK(r->req_prod + i)] = ((const char *)p)[i];
    r->req_prod += len;
}

static size_t guest_recv(struct xsw_ring *r, void *p, size_t max)
{
    size_t n = 0;

    while ( r->rsp_cons != r->rsp_prod && n < max )
        ((char *)p)[n++] = r->rsp[XSW_RING_MASK(r->rsp_cons++)];
    return n;
}

START_TEST(ring_roundtrip_wrapping)
{
    struct xsw_ring *r = calloc(1, sizeof(*r));
    struct xsd_conn *g = th_conn(xsd, 3);
    struct xsw_msg h = {XSW_GET_DOMAIN_PATH, 9, 0, 2}, rh;
    char out[256];
    int i;

    xsd_ring_init(r);
    ck_assert_uint_eq(r->server_features, XSW_FEATURE_ERROR);
    r->req_cons = r->req_prod = 0xfffffff0U;
    r->rsp_cons = r->rsp_prod = 0xffffffe0U;
    for ( i = 0; i < 200; i++ )
    {
        guest_send(r, &h, sizeof(h));
        guest_send(r, "3", 2);
        ck_assert_int_eq(xsd_ring_service(r, g), XSD_RING_NOTIFY);
        ck_assert_uint_eq(guest_recv(r, out, sizeof(out)), 16 + 16);
        memcpy(&rh, out, sizeof(rh));
        ck_assert_uint_eq(rh.req_id, 9);
        ck_assert_str_eq(out + 16, "/local/domain/3");
    }
    ck_assert_int_eq(xsd_ring_service(r, g), 0);
    free(r);
}
END_TEST

START_TEST(ring_full_response_ring)
{
    struct xsw_ring *r = calloc(1, sizeof(*r));
    struct xsd_conn *g = th_conn(xsd, 3);
    struct xsw_msg h = {XSW_GET_DOMAIN_PATH, 9, 0, 2};
    char out[2048];
    int i;

    /* 40 requests, 32 bytes of reply each: more than the ring holds. */
    xsd->quota.outstanding = 0;
    for ( i = 0; i < 40; i++ )
    {
        guest_send(r, &h, sizeof(h));
        guest_send(r, "3", 2);
        if ( r->req_prod - r->req_cons > 900 )
            xsd_ring_service(r, g);
    }
    xsd_ring_service(r, g);
    ck_assert_uint_eq(r->rsp_prod - r->rsp_cons, XSW_RING_SIZE);
    ck_assert_uint_eq(guest_recv(r, out, sizeof(out)), XSW_RING_SIZE);
    xsd_ring_service(r, g);
    ck_assert_uint_eq(guest_recv(r, out, sizeof(out)), 40 * 32 - 1024);
    free(r);
}
END_TEST

START_TEST(ring_garbage)
{
    struct xsw_ring *r = calloc(1, sizeof(*r));
    struct xsd_conn *g = th_conn(xsd, 3);
    struct xsw_msg h = {XSW_READ, 1, 0, 9000};

    r->req_prod = 2000;
    ck_assert_int_eq(xsd_ring_service(r, g), -EPROTO);
    ck_assert_uint_eq(r->error, XSW_RING_ERR_RINGIDX);
    ck_assert_int_eq(xsd_ring_service(r, g), -EPROTO);
    memset(r, 0, sizeof(*r));
    r->rsp_cons = 5000;
    ck_assert_int_eq(xsd_ring_service(r, g), -EPROTO);
    memset(r, 0, sizeof(*r));
    guest_send(r, &h, sizeof(h));
    ck_assert_int_eq(xsd_ring_service(r, g), -EPROTO);
    ck_assert_uint_eq(r->error, XSW_RING_ERR_PROTO);
    free(r);
}
END_TEST

Suite *suite_proto(void)
{
    TH_SUITE("proto", setup, teardown, proto_unknown_types, proto_bad_payloads,
             proto_oversized_is_fatal, proto_max_payload_ok,
             proto_split_and_pipelined, proto_privileged_ops, proto_error_names,
             proto_control, proto_backpressure, proto_event_flood_cuts_off,
             proto_quota_denial_logged);
}

Suite *suite_domain(void)
{
    TH_SUITE("domain", setup, teardown, domain_requests,
             domain_release_cleans_up);
}

Suite *suite_ring(void)
{
    TH_SUITE("ring", setup, teardown, ring_roundtrip_wrapping,
             ring_full_response_ring, ring_garbage);
}
