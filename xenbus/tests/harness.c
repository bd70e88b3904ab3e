/*
 * Test harness (see harness.h).  Events are kept per connection in a
 * small FIFO here, so tests can look at replies and events separately.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MAXEV 4096

struct ev
{
    struct xsd_conn *c;
    char path[XSW_PAYLOAD_MAX];
    char token[XSW_PAYLOAD_MAX];
};

static struct ev *evq;
static int nev;

struct xsd *th_new(void)
{
    struct xsd *xsd = xsd_create(NULL);

    ck_assert_ptr_nonnull(xsd);
    if ( !evq )
        evq = calloc(MAXEV, sizeof(*evq));
    nev = 0;
    xsd_log_set_level(XSD_LOG_ERR);
    xsd_log_open("/dev/null"); /* tests raise the level on purpose */
    return xsd;
}

struct xsd_conn *th_conn(struct xsd *xsd, unsigned int domid)
{
    struct xsd_conn *c = xsd_conn_new(xsd, domid);

    ck_assert_ptr_nonnull(c);
    return c;
}

long th_feed(struct xsd_conn *c, const void *bytes, size_t len)
{
    return xsd_conn_input(c, bytes, len);
}

/* Move everything c has queued: events to evq, the first reply to r. */
static int drain(struct xsd_conn *c, struct th_msg *r)
{
    int got = -1;
    const void *p;
    struct th_msg m;

    while ( xsd_conn_output(c, &p) )
    {
        size_t len;

        memcpy(&m.hdr, p, sizeof(m.hdr));
        len = sizeof(m.hdr) + m.hdr.len;
        ck_assert_uint_eq(xsd_conn_output(c, &p), len);
        memcpy(m.data, (const char *)p + sizeof(m.hdr), m.hdr.len);
        m.data[m.hdr.len] = '\0';
        xsd_conn_consume(c, len);
        if ( m.hdr.type == XSW_WATCH_EVENT )
        {
            ck_assert_int_lt(nev, MAXEV);
            evq[nev].c = c;
            strcpy(evq[nev].path, m.data);
            strcpy(evq[nev].token, m.data + strlen(m.data) + 1);
            nev++;
        }
        else if ( got < 0 )
        {
            *r = m;
            got = 0;
        }
    }
    return got;
}

int th_req(struct xsd_conn *c, uint32_t type, uint32_t tx, const void *payload,
           size_t len, struct th_msg *reply)
{
    struct xsw_msg h = {type, 77, tx, len};
    struct th_msg tmp;
    int rc;

    xsd_conn_input(c, &h, sizeof(h));
    xsd_conn_input(c, payload, len);
    rc = drain(c, reply ? reply : &tmp);
    if ( rc == 0 )
        ck_assert_uint_eq((reply ? reply : &tmp)->hdr.req_id, 77);
    return rc;
}

int th_errno(const struct th_msg *m)
{
    static const struct
    {
        const char *n;
        int e;
    } t[] = {
        {"EINVAL", EINVAL}, {"EACCES", EACCES}, {"EEXIST", EEXIST},
        {"ENOENT", ENOENT}, {"ENOSPC", ENOSPC}, {"EAGAIN", EAGAIN},
        {"EBUSY", EBUSY},   {"E2BIG", E2BIG},   {"EPERM", EPERM},
        {"ENOSYS", ENOSYS}, {"ENOMEM", ENOMEM}, {"EIO", EIO},
    };
    size_t i;

    if ( m->hdr.type != XSW_ERROR )
        return 0;
    for ( i = 0; i < sizeof(t) / sizeof(t[0]); i++ )
        if ( !strcmp(m->data, t[i].n) )
            return t[i].e;
    ck_abort_msg("unknown error string %s", m->data);
    return -1;
}

int th_do(struct xsd_conn *c, uint32_t type, uint32_t tx, const char *a,
          const char *b, struct th_msg *reply)
{
    char buf[2 * XSW_PAYLOAD_MAX];
    size_t len = strlen(a) + 1;
    struct th_msg tmp;

    if ( !reply )
        reply = &tmp;
    memcpy(buf, a, len);
    if ( b )
    {
        memcpy(buf + len, b, strlen(b));
        len += strlen(b);
    }
    ck_assert_int_eq(th_req(c, type, tx, buf, len, reply), 0);
    return th_errno(reply);
}

int th_write(struct xsd_conn *c, uint32_t tx, const char *path,
             const char *value)
{
    return th_do(c, XSW_WRITE, tx, path, value, NULL);
}

int th_read(struct xsd_conn *c, uint32_t tx, const char *path, char *buf)
{
    struct th_msg m;
    int e = th_do(c, XSW_READ, tx, path, NULL, &m);

    if ( !e && buf )
        strcpy(buf, m.data);
    return e;
}

int th_rm(struct xsd_conn *c, uint32_t tx, const char *path)
{
    return th_do(c, XSW_RM, tx, path, NULL, NULL);
}

int th_mkdir(struct xsd_conn *c, uint32_t tx, const char *path)
{
    return th_do(c, XSW_MKDIR, tx, path, NULL, NULL);
}

int th_chmod(struct xsd_conn *c, uint32_t tx, const char *path,
             const char *perms)
{
    char buf[XSW_PAYLOAD_MAX];
    size_t len = strlen(path) + 1, i;
    struct th_msg m;

    memcpy(buf, path, len);
    for ( i = 0; perms[i]; i++ )
        buf[len + i] = perms[i] == ' ' ? '\0' : perms[i];
    buf[len + i] = '\0';
    ck_assert_int_eq(th_req(c, XSW_SET_PERMS, 0, buf, len + i + 1, &m), 0);
    (void)tx;
    return th_errno(&m);
}

int th_watch(struct xsd_conn *c, const char *path, const char *token)
{
    char buf[XSW_PAYLOAD_MAX];
    size_t a = strlen(path) + 1, b = strlen(token) + 1;
    struct th_msg m;

    memcpy(buf, path, a);
    memcpy(buf + a, token, b);
    ck_assert_int_eq(th_req(c, XSW_WATCH, 0, buf, a + b, &m), 0);
    return th_errno(&m);
}

uint32_t th_txn_start(struct xsd_conn *c)
{
    struct th_msg m;

    ck_assert_int_eq(th_do(c, XSW_TRANSACTION_START, 0, "", NULL, &m), 0);
    return strtoul(m.data, NULL, 10);
}

int th_txn_end(struct xsd_conn *c, uint32_t tx, bool commit)
{
    return th_do(c, XSW_TRANSACTION_END, tx, commit ? "T" : "F", NULL, NULL);
}

int th_event(struct xsd_conn *c, char *path, char *token)
{
    int i;
    struct th_msg m;

    drain(c, &m);
    for ( i = 0; i < nev; i++ )
        if ( evq[i].c == c )
        {
            strcpy(path, evq[i].path);
            if ( token )
                strcpy(token, evq[i].token);
            memmove(&evq[i], &evq[i + 1], (nev - i - 1) * sizeof(*evq));
            nev--;
            return 1;
        }
    return 0;
}

int th_event_count(struct xsd_conn *c)
{
    int i, n = 0;
    struct th_msg m;

    drain(c, &m);
    for ( i = 0; i < nev; i++ )
        n += evq[i].c == c;
    return n;
}

void th_drop_events(struct xsd_conn *c)
{
    char p[XSW_PAYLOAD_MAX];

    while ( th_event(c, p, NULL) )
        ;
}

Suite *th_suite(const char *name, const TTest *const *tests, size_t n,
                void (*setup)(void), void (*teardown)(void))
{
    Suite *s = suite_create(name);
    TCase *t = tcase_create(name);
    size_t i;

    tcase_add_checked_fixture(t, setup, teardown);
    for ( i = 0; i < n; i++ )
        tcase_add_test(t, tests[i]);
    suite_add_tcase(s, t);
    return s;
}
