/*
 * libFuzzer target over the parser and every request handler.  The input
 * is a list of chunks, each aimed at one of four connections (two of
 * dom0's tools, two unprivileged guests):
 *
 *   [sel][len lo][len hi][len bytes]
 *
 * sel bit 5 wraps the bytes in a well-formed header (type, tx id from the
 * first two bytes) so the fuzzer reaches the handlers quickly; bit 6
 * sends them through a shared ring with indices taken from the input;
 * bit 7 lets the connection take its output.  Otherwise the bytes go in
 * raw.  A connection the daemon drops is replaced.  Small quotas make
 * every limit reachable.  Sanitizers catch the rest; leaks are found at
 * xsd_destroy() time.
 */
#include <stdlib.h>
#include <string.h>

#include "xsd.h"
#include "xsd_ring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned int domids[4] = {0, 0, 5, 7};

static struct xsd_conn *fresh(struct xsd *xsd, int i)
{
    return xsd_conn_new(xsd, domids[i]);
}

static void drain(struct xsd_conn *c)
{
    const void *p;
    size_t n;

    while ( (n = xsd_conn_output(c, &p)) )
        xsd_conn_consume(c, n);
}

static void framed(struct xsd_conn *c, const uint8_t *p, size_t len)
{
    struct xsw_msg h = {0, 1, 0, 0};

    if ( len < 2 )
        return;
    h.type = p[0] % (XSW_TYPE_COUNT + 1);
    h.tx_id = p[1] & 3;
    h.len = len - 2;
    xsd_conn_input(c, &h, sizeof(h));
    xsd_conn_input(c, p + 2, len - 2);
}

static void through_ring(struct xsd_conn *c, const uint8_t *p, size_t len)
{
    static struct xsw_ring r;
    size_t i;

    memset(&r, 0, sizeof(r));
    if ( len >= 8 )
    {
        memcpy(&r.req_cons, p, 4);
        memcpy(&r.rsp_cons, p + 4, 4);
        r.rsp_prod = r.rsp_cons + (p[0] & 0xff);
        p += 8;
        len -= 8;
    }
    if ( len > XSW_RING_SIZE )
        len = XSW_RING_SIZE;
    r.req_prod = r.req_cons + len;
    for ( i = 0; i < len; i++ )
        r.req[XSW_RING_MASK(r.req_cons + i)] = p[i];
    xsd_ring_service(&r, c);
}

static void setup(struct xsd *xsd, struct xsd_conn **c)
{
    static const char home[] = "/local/domain/5\0n5";
    struct xsw_msg h = {XSW_MKDIR, 1, 0, 16};

    xsd->quota.nodes = 40;
    xsd->quota.watches = 8;
    xsd->quota.transactions = 3;
    xsd->quota.txn_nodes = 30;
    xsd->quota.memory = 16384;
    xsd->quota.node_size = 512;
    xsd_conn_input(c[0], &h, sizeof(h));
    xsd_conn_input(c[0], home, 16);
    h.type = XSW_SET_PERMS;
    h.len = sizeof(home);
    xsd_conn_input(c[0], &h, sizeof(h));
    xsd_conn_input(c[0], home, sizeof(home));
    drain(c[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xsd *xsd = xsd_create(NULL);
    struct xsd_conn *c[4];
    int i;

    if ( !xsd )
        return 0;
    xsd_log_set_level(-1);
    for ( i = 0; i < 4; i++ )
        c[i] = fresh(xsd, i);
    setup(xsd, c);
    while ( size >= 3 )
    {
        uint8_t sel = data[0];
        size_t len = data[1] | (size_t)data[2] << 8;
        struct xsd_conn *t = c[sel & 3];

        data += 3;
        size -= 3;
        len = len < size ? len : size;
        if ( sel & 0x20 )
            framed(t, data, len);
        else if ( sel & 0x40 )
            through_ring(t, data, len);
        else
            xsd_conn_input(t, data, len);
        if ( sel & 0x80 )
            drain(t);
        if ( t->dead )
        {
            xsd_conn_free(t);
            c[sel & 3] = fresh(xsd, sel & 3);
        }
        data += len;
        size -= len;
    }
    xsd_destroy(xsd);
    return 0;
}
