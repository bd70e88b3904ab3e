/*
 * Requests that only read: READ, DIRECTORY, DIRECTORY_PART, GET_PERMS.
 * Each needs read permission on the node itself.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

#define PATHBUF (XSW_PAYLOAD_MAX + 64)

static int lookup(struct xsd_req *req, const char *arg,
                  const struct xsd_node **n)
{
    struct xsd_view v = {req->conn->xsd, req->conn, req->txn};
    char path[PATHBUF];
    int rc;

    if ( !arg )
        return -EINVAL;
    rc = xsd_canonical(req->conn, arg, path, sizeof(path));
    if ( rc )
        return rc;
    return xsd_access(&v, path, XSD_PERM_READ, n);
}

int xsd_op_read(struct xsd_req *req)
{
    const struct xsd_node *n;
    int rc = lookup(req, xsd_req_onearg(req), &n);

    return rc ? rc : xsd_reply(req, XSW_READ, n->data, n->datalen);
}

int xsd_op_directory(struct xsd_req *req)
{
    const struct xsd_node *n;
    int rc = lookup(req, xsd_req_onearg(req), &n);

    return rc ? rc : xsd_reply(req, XSW_DIRECTORY, n->children, n->childlen);
}

int xsd_op_get_perms(struct xsd_req *req)
{
    const struct xsd_node *n;
    char buf[XSW_PAYLOAD_MAX];
    int rc = lookup(req, xsd_req_onearg(req), &n);

    if ( rc )
        return rc;
    return xsd_reply(req, XSW_GET_PERMS, buf,
                     xsd_perms_format(n->perms, n->nperms, buf, sizeof(buf)));
}

/*
 * DIRECTORY_PART <path> <offset>: the node's generation, then as many
 * whole child names from byte offset on as fit in one payload.  An extra
 * empty string marks the end of the list, so a client knows to stop; it
 * compares generations between calls to notice a change under it.
 */
int xsd_op_directory_part(struct xsd_req *req)
{
    const char *vec[2];
    const struct xsd_node *n;
    char out[XSW_PAYLOAD_MAX];
    uint32_t off, len = 0, glen;
    int rc;

    if ( xsd_req_strings(req, vec, 2) != 2 || req->buf[req->len - 1] != '\0' )
        return -EINVAL;
    rc = lookup(req, vec[0], &n);
    if ( rc )
        return rc;
    off = strtoul(vec[1], NULL, 10);
    glen = snprintf(out, sizeof(out), "%" PRIu64, n->gen) + 1;
    if ( off >= n->childlen )
    {
        out[glen] = '\0';
        return xsd_reply(req, XSW_DIRECTORY_PART, out, glen + 1);
    }
    while ( off + len < n->childlen )
    {
        uint32_t c = strlen(n->children + off + len) + 1;

        if ( glen + len + c + 1 > sizeof(out) )
            break;
        len += c;
    }
    memcpy(out + glen, n->children + off, len);
    if ( off + len == n->childlen )
        out[glen + len++] = '\0';
    return xsd_reply(req, XSW_DIRECTORY_PART, out, glen + len);
}
