/*
 * A connection: bytes in, requests out to handlers, replies and watch
 * events queued back.  Each incoming message is copied into a buffer of
 * our own (header first, then exactly len payload bytes, plus a NUL we
 * add) before anything looks at it, so a guest that keeps scribbling on
 * its ring cannot change a request while it is being checked.
 *
 * A payload longer than XSW_PAYLOAD_MAX is a protocol violation: the
 * connection is marked dead and the transport drops it.  Output is bounded
 * per connection: a connection stops being read while too many replies
 * are waiting (outstanding quota, or a byte cap for dom0's tools), and one
 * that lets its watch events pile up past the memory quota is cut off,
 * so a client that never reads can only hurt itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

#define PRIV  1U /* dom0 only */
#define NOTID 2U /* the header's tx_id is ignored */

/* Stop reading a privileged client while this much output waits. */
#define PRIV_BACKLOG (256U * 1024)

static const struct
{
    const char *name;
    xsd_handler *fn;
    unsigned int flags;
} ops[XSW_TYPE_COUNT] = {
    [XSW_CONTROL] = {"CONTROL", xsd_op_control, PRIV},
    [XSW_DIRECTORY] = {"DIRECTORY", xsd_op_directory, 0},
    [XSW_READ] = {"READ", xsd_op_read, 0},
    [XSW_GET_PERMS] = {"GET_PERMS", xsd_op_get_perms, 0},
    [XSW_WATCH] = {"WATCH", xsd_op_watch, NOTID},
    [XSW_UNWATCH] = {"UNWATCH", xsd_op_unwatch, NOTID},
    [XSW_TRANSACTION_START] = {"TRANSACTION_START", xsd_op_txn_start, 0},
    [XSW_TRANSACTION_END] = {"TRANSACTION_END", xsd_op_txn_end, 0},
    [XSW_INTRODUCE] = {"INTRODUCE", xsd_op_introduce, PRIV},
    [XSW_RELEASE] = {"RELEASE", xsd_op_release, PRIV},
    [XSW_GET_DOMAIN_PATH] = {"GET_DOMAIN_PATH", xsd_op_get_domain_path, 0},
    [XSW_WRITE] = {"WRITE", xsd_op_write, 0},
    [XSW_MKDIR] = {"MKDIR", xsd_op_mkdir, 0},
    [XSW_RM] = {"RM", xsd_op_rm, 0},
    [XSW_SET_PERMS] = {"SET_PERMS", xsd_op_set_perms, 0},
    [XSW_WATCH_EVENT] = {"WATCH_EVENT", NULL, 0},
    [XSW_ERROR] = {"ERROR", NULL, 0},
    [XSW_IS_DOMAIN_INTRODUCED] = {"IS_DOMAIN_INTRODUCED", xsd_op_is_introduced,
                                  PRIV},
    [XSW_RESUME] = {"RESUME", xsd_op_resume, PRIV},
    [XSW_SET_TARGET] = {"SET_TARGET", xsd_op_set_target, PRIV},
    [XSW_RESET_WATCHES] = {"RESET_WATCHES", xsd_op_reset_watches, NOTID},
    [XSW_DIRECTORY_PART] = {"DIRECTORY_PART", xsd_op_directory_part, 0},
};

static const struct
{
    int err;
    const char *name;
} errnames[] = {
    {EINVAL, "EINVAL"}, {EACCES, "EACCES"},   {EEXIST, "EEXIST"},
    {EISDIR, "EISDIR"}, {ENOENT, "ENOENT"},   {ENOMEM, "ENOMEM"},
    {ENOSPC, "ENOSPC"}, {EIO, "EIO"},         {ENOTEMPTY, "ENOTEMPTY"},
    {ENOSYS, "ENOSYS"}, {EROFS, "EROFS"},     {EBUSY, "EBUSY"},
    {EAGAIN, "EAGAIN"}, {EISCONN, "EISCONN"}, {E2BIG, "E2BIG"},
    {EPERM, "EPERM"},
};

const char *xsd_errno_name(int err)
{
    size_t i;

    if ( err < 0 )
        err = -err;
    for ( i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++ )
        if ( errnames[i].err == err )
            return errnames[i].name;
    return "EINVAL";
}

const char *xsd_type_name(uint32_t type)
{
    if ( type < XSW_TYPE_COUNT && ops[type].name )
        return ops[type].name;
    return "UNKNOWN";
}

struct xsd_conn *xsd_conn_new(struct xsd *xsd, unsigned int domid)
{
    struct xsd_conn *c = calloc(1, sizeof(*c));

    if ( !c )
        return NULL;
    c->xsd = xsd;
    c->domid = domid;
    c->privileged = domid == 0;
    c->next_txid = 1;
    c->out_tail = &c->out;
    snprintf(c->home, sizeof(c->home), "/local/domain/%u", domid);
    c->next = xsd->conns;
    xsd->conns = c;
    return c;
}

void xsd_conn_free(struct xsd_conn *conn)
{
    struct xsd_conn **pp = &conn->xsd->conns;
    struct xsd *xsd = conn->xsd;

    while ( *pp && *pp != conn )
        pp = &(*pp)->next;
    if ( *pp )
        *pp = conn->next;
    xsd_domain_conn_gone(xsd, conn);
    if ( conn->detach )
        conn->detach(conn);
    xsd_watch_free_all(conn);
    xsd_txn_free_all(conn);
    while ( conn->out )
    {
        struct xsd_out *o = conn->out;

        conn->out = o->next;
        free(o);
    }
    free(conn->inbuf);
    free(conn);
}

static size_t out_cap(const struct xsd_conn *conn)
{
    size_t mem = conn->xsd->quota.memory;

    if ( !mem )
        mem = 64U << 20;
    return conn->privileged ? 8 * mem : mem;
}

bool xsd_conn_wants_input(const struct xsd_conn *conn)
{
    int lim = conn->xsd->quota.outstanding;

    if ( conn->dead )
        return false;
    if ( conn->privileged )
        return conn->out_bytes < PRIV_BACKLOG;
    if ( lim && conn->outstanding >= (unsigned int)lim )
        return false;
    return conn->out_bytes < out_cap(conn);
}

static int enqueue(struct xsd_conn *conn, const struct xsw_msg *hdr,
                   const void *a, size_t alen, const void *b, size_t blen)
{
    struct xsd_out *o = malloc(sizeof(*o) + sizeof(*hdr) + alen + blen);

    if ( !o )
        return -ENOMEM;
    o->next = NULL;
    o->is_event = hdr->type == XSW_WATCH_EVENT;
    o->len = sizeof(*hdr) + alen + blen;
    memcpy(o->bytes, hdr, sizeof(*hdr));
    if ( alen )
        memcpy(o->bytes + sizeof(*hdr), a, alen);
    if ( blen )
        memcpy(o->bytes + sizeof(*hdr) + alen, b, blen);
    *conn->out_tail = o;
    conn->out_tail = &o->next;
    conn->out_bytes += o->len;
    if ( !o->is_event )
        conn->outstanding++;
    if ( conn->xsd->env.kick )
        conn->xsd->env.kick(conn->xsd->env.opaque, conn);
    return 0;
}

int xsd_reply(struct xsd_req *req, uint32_t type, const void *data, size_t len)
{
    struct xsw_msg h = req->hdr;

    if ( len > XSW_PAYLOAD_MAX )
        return -E2BIG;
    h.type = type;
    h.len = len;
    return enqueue(req->conn, &h, data, len, NULL, 0);
}

int xsd_ack(struct xsd_req *req)
{
    return xsd_reply(req, req->hdr.type, "OK", 3);
}

void xsd_error(struct xsd_conn *conn, const struct xsw_msg *hdr, int err)
{
    const char *name = xsd_errno_name(err);
    struct xsw_msg h = *hdr;

    h.type = XSW_ERROR;
    h.len = strlen(name) + 1;
    if ( enqueue(conn, &h, name, h.len, NULL, 0) )
        conn->dead = true; /* cannot even say no: drop it */
}

int xsd_queue_event(struct xsd_conn *conn, const char *path, const char *token)
{
    size_t plen = strlen(path) + 1, tlen = strlen(token) + 1;
    struct xsw_msg h = {XSW_WATCH_EVENT, 0, 0, plen + tlen};

    if ( plen + tlen > XSW_PAYLOAD_MAX || conn->dead )
        return 0;
    if ( conn->out_bytes + sizeof(h) + h.len > out_cap(conn) )
    {
        xsd_log(XSD_LOG_WARN,
                "quota: domain %u left %zu bytes of watch events unread "
                "(limit %zu, quota memory); disconnecting it",
                conn->domid, conn->out_bytes, out_cap(conn));
        conn->dead = true;
        return -ENOSPC;
    }
    return enqueue(conn, &h, path, plen, token, tlen);
}

static void dispatch(struct xsd_conn *conn)
{
    struct xsd_req req = {conn, conn->hdr, conn->inbuf, conn->hdr.len, NULL};
    uint32_t type = conn->hdr.type;
    int rc;

    xsd_log(XSD_LOG_DEBUG, "domain %u: %s len %u tx %u", conn->domid,
            xsd_type_name(type), req.len, req.hdr.tx_id);
    if ( type >= XSW_TYPE_COUNT || !ops[type].fn )
        rc = -ENOSYS;
    else if ( (ops[type].flags & PRIV) && !conn->privileged )
        rc = -EACCES;
    else if ( !(ops[type].flags & NOTID) && req.hdr.tx_id &&
              !(req.txn = xsd_txn_find(conn, req.hdr.tx_id)) )
        rc = -ENOENT;
    else
        rc = ops[type].fn(&req);
    if ( rc )
        xsd_error(conn, &req.hdr, rc);
}

/* Consume all of buf; returns len, or -EPROTO once the peer is dropped. */
long xsd_conn_input(struct xsd_conn *conn, const void *buf, size_t len)
{
    const unsigned char *p = buf;
    size_t left = len, n;

    while ( left && !conn->dead )
    {
        if ( conn->hdrused < sizeof(conn->hdr) )
        {
            n = sizeof(conn->hdr) - conn->hdrused;
            n = n < left ? n : left;
            memcpy(conn->hdrbuf + conn->hdrused, p, n);
            conn->hdrused += n;
            p += n;
            left -= n;
            if ( conn->hdrused < sizeof(conn->hdr) )
                break;
            memcpy(&conn->hdr, conn->hdrbuf, sizeof(conn->hdr));
            if ( conn->hdr.len > XSW_PAYLOAD_MAX )
            {
                xsd_log(XSD_LOG_WARN,
                        "domain %u sent a %u-byte payload (max %u); "
                        "dropping the connection",
                        conn->domid, conn->hdr.len, XSW_PAYLOAD_MAX);
                conn->dead = true;
                break;
            }
            conn->inbuf = malloc(conn->hdr.len + 1);
            if ( !conn->inbuf )
            {
                conn->dead = true;
                break;
            }
            conn->inused = 0;
        }
        n = conn->hdr.len - conn->inused;
        n = n < left ? n : left;
        memcpy(conn->inbuf + conn->inused, p, n);
        conn->inused += n;
        p += n;
        left -= n;
        if ( conn->inused < conn->hdr.len )
            break;
        conn->inbuf[conn->hdr.len] = '\0';
        dispatch(conn);
        free(conn->inbuf);
        conn->inbuf = NULL;
        conn->hdrused = 0;
    }
    return conn->dead ? -EPROTO : (long)len;
}

size_t xsd_conn_output(const struct xsd_conn *conn, const void **buf)
{
    if ( !conn->out )
        return 0;
    *buf = conn->out->bytes + conn->out_off;
    return conn->out->len - conn->out_off;
}

void xsd_conn_consume(struct xsd_conn *conn, size_t n)
{
    while ( n && conn->out )
    {
        struct xsd_out *o = conn->out;
        size_t left = o->len - conn->out_off;
        size_t k = n < left ? n : left;

        conn->out_off += k;
        n -= k;
        if ( conn->out_off < o->len )
            break;
        conn->out = o->next;
        if ( !conn->out )
            conn->out_tail = &conn->out;
        conn->out_off = 0;
        conn->out_bytes -= o->len;
        if ( !o->is_event )
            conn->outstanding--;
        free(o);
    }
}
