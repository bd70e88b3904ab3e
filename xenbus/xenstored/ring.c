/*
 * Moving bytes between a guest's shared ring page and its connection.
 * Pure logic over a struct xsw_ring in memory, so tests run it over a
 * plain buffer; ring_linux.c maps the real page and rings the doorbell.
 *
 * The guest owns req_prod and rsp_cons and may write anything there at
 * any time.  Each index is read exactly once per pass; a producer more
 * than a ring ahead of its consumer is a broken guest: the error field is
 * set and the connection is given up, never trusted further.  Request
 * bytes are copied out of the shared page before the consumer index moves
 * and before any parsing (conn.c), so later scribbling changes nothing.
 *
 * Barriers: the acquire load of req_prod pairs with the guest's write
 * barrier before it publishes requests; the release store of req_cons
 * makes sure our copy is complete before the guest may reuse the space.
 * The same holds mirrored for responses.
 */
#include <errno.h>
#include <string.h>

#include "xsd_ring.h"

static uint32_t load_idx(const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_idx(uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static int fail(struct xsw_ring *r, uint32_t why)
{
    store_idx(&r->error, why);
    return -EPROTO;
}

/* Take requests; XSD_RING_NOTIFY if space was freed for the guest. */
static int take(struct xsw_ring *r, struct xsd_conn *conn)
{
    char buf[XSW_RING_SIZE];
    uint32_t cons = load_idx(&r->req_cons), prod = load_idx(&r->req_prod);
    uint32_t avail = prod - cons, n, first;
    int flags = 0;

    if ( avail > XSW_RING_SIZE )
        return fail(r, XSW_RING_ERR_RINGIDX);
    while ( avail && xsd_conn_wants_input(conn) )
    {
        n = avail;
        first = XSW_RING_SIZE - XSW_RING_MASK(cons);
        if ( n > first )
        {
            memcpy(buf, r->req + XSW_RING_MASK(cons), first);
            memcpy(buf + first, r->req, n - first);
        }
        else
            memcpy(buf, r->req + XSW_RING_MASK(cons), n);
        cons += n;
        store_idx(&r->req_cons, cons);
        flags |= XSD_RING_NOTIFY;
        if ( xsd_conn_input(conn, buf, n) < 0 )
            return fail(r, XSW_RING_ERR_PROTO);
        prod = load_idx(&r->req_prod);
        avail = prod - cons;
        if ( avail > XSW_RING_SIZE )
            return fail(r, XSW_RING_ERR_RINGIDX);
    }
    return flags;
}

/* Give responses; XSD_RING_NOTIFY if any were written. */
static int give(struct xsw_ring *r, struct xsd_conn *conn)
{
    uint32_t cons = load_idx(&r->rsp_cons), prod = r->rsp_prod;
    uint32_t used = prod - cons, space, n, first;
    const void *out;
    size_t len;
    int flags = 0;

    if ( used > XSW_RING_SIZE )
        return fail(r, XSW_RING_ERR_RINGIDX);
    space = XSW_RING_SIZE - used;
    while ( space && (len = xsd_conn_output(conn, &out)) )
    {
        n = len < space ? len : space;
        first = XSW_RING_SIZE - XSW_RING_MASK(prod);
        if ( n > first )
        {
            memcpy(r->rsp + XSW_RING_MASK(prod), out, first);
            memcpy(r->rsp, (const char *)out + first, n - first);
        }
        else
            memcpy(r->rsp + XSW_RING_MASK(prod), out, n);
        prod += n;
        space -= n;
        xsd_conn_consume(conn, n);
        flags |= XSD_RING_NOTIFY;
    }
    if ( flags )
        store_idx(&r->rsp_prod, prod);
    return flags;
}

int xsd_ring_service(struct xsw_ring *r, struct xsd_conn *conn)
{
    int a, b;

    if ( conn->dead || load_idx(&r->error) != XSW_RING_ERR_NONE )
        return -EPROTO;
    a = take(r, conn);
    if ( a < 0 )
        return a;
    b = give(r, conn);
    if ( b < 0 )
        return b;
    return a | b;
}

void xsd_ring_init(struct xsw_ring *r)
{
    store_idx(&r->server_features, XSW_FEATURE_ERROR);
    store_idx(&r->error, XSW_RING_ERR_NONE);
    store_idx(&r->connection, XSW_CONNECTED);
}
