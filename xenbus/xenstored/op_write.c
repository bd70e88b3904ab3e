/*
 * Requests that change nodes: WRITE, MKDIR, RM, SET_PERMS.
 *
 * Creating a node creates its missing ancestors too.  Each new node copies
 * its parent's permissions; if an unprivileged domain creates it, that
 * domain becomes the owner (entry 0), keeping the rest of the list.  The
 * nearest existing ancestor must grant write.  Every check (path, access,
 * quotas, sizes) happens before the first change, and in a transaction
 * every path involved is already in the overlay by then, so the changes
 * themselves can only fail for lack of memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

#define PATHBUF   (XSW_PAYLOAD_MAX + 64)
#define MAX_DEPTH (XSW_ABS_PATH_MAX / 2 + 1)

static bool too_big(const struct xsd_view *v, const struct xsd_node *n)
{
    int lim = v->xsd->quota.node_size;

    if ( v->conn->privileged || !lim || xsd_node_size(n) <= (size_t)lim )
        return false;
    xsd_quota_denied(v->conn, "node-size", lim, n->path);
    return true;
}

static struct xsd_node *child_of(const struct xsd_view *v,
                                 const struct xsd_node *parent,
                                 const char *path)
{
    struct xsd_node *n = xsd_node_new(path);

    if ( !n || xsd_node_set_perms(n, parent->perms, parent->nperms) )
    {
        xsd_node_free(n);
        return NULL;
    }
    if ( !v->conn->privileged && n->nperms )
        n->perms[0].id = v->conn->domid;
    return n;
}

/* Build path and its missing ancestors; ancestor exists and allows it. */
static int create(const struct xsd_view *v, char *path, const void *data,
                  uint32_t len)
{
    struct xsd_node *chain[MAX_DEPTH], *top;
    const struct xsd_node *anc;
    unsigned int depth = 0, i;
    char up[PATHBUF];
    int rc = -ENOMEM;

    strcpy(up, path);
    do
        xsd_parent(up, up);
    while ( ++depth < MAX_DEPTH && xsd_view_get(v, up, &anc) == -ENOENT );
    if ( depth == MAX_DEPTH || xsd_view_get(v, up, &anc) )
        return -EIO;
    rc = xsd_quota_node_room(v, depth);
    if ( rc )
        return rc;
    top = xsd_node_dup(anc);
    memset(chain, 0, sizeof(chain));
    for ( i = 0; top && i < depth; i++ )
    {
        const struct xsd_node *parent = i ? chain[i - 1] : anc;
        size_t plen = strlen(parent->path);
        const char *end = strchr(path + plen + (plen > 1), '/');
        size_t seg = end ? (size_t)(end - path) : strlen(path);

        memcpy(up, path, seg);
        up[seg] = '\0';
        chain[i] = child_of(v, parent, up);
        if ( !chain[i] ||
             xsd_node_add_child(i ? chain[i - 1] : top, xsd_basename(up)) )
            goto fail;
    }
    if ( !top || xsd_node_set_data(chain[depth - 1], data, len) )
        goto fail;
    rc = -ENOSPC;
    if ( too_big(v, top) || too_big(v, chain[depth - 1]) )
        goto fail;
    rc = xsd_view_put(v, top);
    for ( i = 0; i < depth; i++ )
        if ( !rc )
            rc = xsd_view_put(v, chain[i]);
        else
            xsd_node_free(chain[i]);
    return rc;

fail:
    xsd_node_free(top);
    for ( i = 0; i < depth; i++ )
        xsd_node_free(chain[i]);
    return rc;
}

static int prepare(struct xsd_req *req, const char *arg, char *path,
                   struct xsd_view *v)
{
    v->xsd = req->conn->xsd;
    v->conn = req->conn;
    v->txn = req->txn;
    if ( !arg )
        return -EINVAL;
    return xsd_canonical(req->conn, arg, path, PATHBUF);
}

int xsd_op_write(struct xsd_req *req)
{
    const char *vec[1];
    const struct xsd_node *n;
    struct xsd_node *c;
    struct xsd_view v;
    char path[PATHBUF];
    uint32_t off;
    int rc;

    if ( !xsd_req_strings(req, vec, 1) )
        return -EINVAL;
    off = strlen(req->buf) + 1;
    rc = prepare(req, req->buf, path, &v);
    if ( !rc )
        rc = xsd_access(&v, path, XSD_PERM_WRITE, &n);
    if ( rc == -ENOENT )
        rc = create(&v, path, req->buf + off, req->len - off);
    else if ( rc == 0 )
    {
        c = xsd_node_dup(n);
        if ( !c || xsd_node_set_data(c, req->buf + off, req->len - off) )
            rc = -ENOMEM;
        else if ( too_big(&v, c) )
            rc = -ENOSPC;
        if ( rc )
            xsd_node_free(c);
        else
            rc = xsd_view_put(&v, c);
    }
    if ( rc )
        return rc;
    xsd_fire(&v, path, false, NULL, 0);
    return xsd_ack(req);
}

int xsd_op_mkdir(struct xsd_req *req)
{
    const struct xsd_node *n;
    struct xsd_view v;
    char path[PATHBUF];
    int rc = prepare(req, xsd_req_onearg(req), path, &v);

    if ( !rc )
        rc = xsd_access(&v, path, XSD_PERM_WRITE, &n);
    if ( rc == -ENOENT )
    {
        rc = create(&v, path, NULL, 0);
        if ( !rc )
            xsd_fire(&v, path, false, NULL, 0);
    }
    return rc ? rc : xsd_ack(req);
}
