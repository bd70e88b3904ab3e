/*
 * Payload helpers.  A payload is a run of NUL-terminated strings; a
 * payload that does not end in NUL where one is required is EINVAL, never
 * read past, because conn.c always adds a NUL of its own beyond len.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

/* The payload is exactly one string: one NUL, at the very end. */
const char *xsd_req_onearg(const struct xsd_req *req)
{
    if ( !req->len ||
         memchr(req->buf, '\0', req->len) != req->buf + req->len - 1 )
        return NULL;
    return req->buf;
}

/* Fill vec with up to max strings; returns how many complete ones exist. */
unsigned int xsd_req_strings(const struct xsd_req *req, const char **vec,
                             unsigned int max)
{
    uint32_t off = 0;
    unsigned int n = 0;

    while ( off < req->len )
    {
        const char *nul = memchr(req->buf + off, '\0', req->len - off);

        if ( !nul )
            break;
        if ( n < max )
            vec[n] = req->buf + off;
        n++;
        off = nul - req->buf + 1;
    }
    return n;
}

/* A decimal domid, nothing else around it. */
int xsd_parse_domid(const char *s, unsigned int *domid)
{
    char *end;
    unsigned long v;

    if ( *s < '0' || *s > '9' )
        return -EINVAL;
    v = strtoul(s, &end, 10);
    if ( *end || v > 0xffff )
        return -EINVAL;
    *domid = v;
    return 0;
}
