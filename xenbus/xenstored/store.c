/*
 * The view: every handler reads and changes the store through it, so one
 * handler serves both plain requests and requests inside a transaction.
 *
 * Without a transaction the view is the live table.  With one, the first
 * touch of a path copies the live node (or records that it is absent) into
 * the transaction's overlay together with the live generation seen then;
 * later reads and writes use the copy.  Commit (txn.c) fails with EAGAIN
 * if any touched path has changed generation since, so a transaction
 * commits only if it would have produced the same result run alone.
 *
 * Node counts per owner are kept for the live table only; a transaction
 * counts what it adds for its own domain in node_delta, so the nodes quota
 * holds inside transactions and again at commit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

static bool unprivileged(const struct xsd_view *v)
{
    return v->conn && !v->conn->privileged;
}

void xsd_owner_adjust(struct xsd *xsd, const struct xsd_node *old,
                      const struct xsd_node *new)
{
    if ( old && !old->absent && old->nperms )
        xsd->owned[old->perms[0].id & 0xffff]--;
    if ( new && !new->absent &&new->nperms )
        xsd->owned[new->perms[0].id & 0xffff]++;
}

/* Bring path into the transaction's overlay; NULL with *err on failure. */
static struct xsd_node *overlay_touch(const struct xsd_view *v,
                                      const char *path, int *err)
{
    struct xsd_txn *t = v->txn;
    struct xsd_node *o = xsd_table_get(&t->overlay, path), *g;
    int limit = v->xsd->quota.txn_nodes;

    if ( o )
        return o;
    if ( unprivileged(v) && limit && t->touched >= (unsigned int)limit )
    {
        xsd_quota_denied(v->conn, "transaction-nodes", limit, path);
        *err = -ENOSPC;
        return NULL;
    }
    g = xsd_table_get(&v->xsd->nodes, path);
    o = g ? xsd_node_dup(g) : xsd_node_new(path);
    if ( !o )
    {
        *err = -ENOMEM;
        return NULL;
    }
    o->base_gen = g ? g->gen : 0;
    o->absent = !g;
    o->dirty = false;
    xsd_table_put(&t->overlay, o);
    t->touched++;
    return o;
}

int xsd_view_get(const struct xsd_view *v, const char *path,
                 const struct xsd_node **out)
{
    const struct xsd_node *n;
    int err = 0;

    if ( !v->txn )
        n = xsd_table_get(&v->xsd->nodes, path);
    else
    {
        n = overlay_touch(v, path, &err);
        if ( !n )
            return err;
        if ( n->absent )
            n = NULL;
    }
    if ( out )
        *out = n;
    return n ? 0 : -ENOENT;
}

static bool owned_by_conn(const struct xsd_view *v, const struct xsd_node *n)
{
    return n && !n->absent && n->nperms && n->perms[0].id == v->conn->domid;
}

/* Takes ownership of n, which replaces whatever is at n->path. */
int xsd_view_put(const struct xsd_view *v, struct xsd_node *n)
{
    struct xsd_node *old;
    int err = 0;

    n->absent = false;
    if ( !v->txn )
    {
        old = xsd_table_get(&v->xsd->nodes, n->path);
        xsd_owner_adjust(v->xsd, old, n);
        n->gen = ++v->xsd->gen;
        return xsd_table_put(&v->xsd->nodes, n);
    }
    old = overlay_touch(v, n->path, &err);
    if ( !old )
    {
        xsd_node_free(n);
        return err;
    }
    if ( v->conn )
        v->txn->node_delta += owned_by_conn(v, n) - owned_by_conn(v, old);
    n->base_gen = old->base_gen;
    n->dirty = true;
    return xsd_table_put(&v->txn->overlay, n);
}

int xsd_view_del(const struct xsd_view *v, const char *path)
{
    struct xsd_node *n;
    int err = 0;

    if ( !v->txn )
    {
        n = xsd_table_take(&v->xsd->nodes, path);
        xsd_owner_adjust(v->xsd, n, NULL);
        xsd_node_free(n);
        v->xsd->gen++;
        return 0;
    }
    n = overlay_touch(v, path, &err);
    if ( !n )
        return err;
    if ( v->conn )
        v->txn->node_delta -= owned_by_conn(v, n);
    n->absent = true;
    n->dirty = true;
    free(n->data);
    free(n->children);
    n->data = n->children = NULL;
    n->datalen = n->childlen = 0;
    return 0;
}

/*
 * Look path up for an access needing `want`.  A missing node reports
 * ENOENT only if the nearest existing ancestor would allow the access, so
 * an unprivileged domain cannot probe what exists where it may not look.
 */
int xsd_access(const struct xsd_view *v, const char *path, unsigned int want,
               const struct xsd_node **out)
{
    const struct xsd_node *n;
    char *up;
    int rc;

    if ( !xsd_path_valid(v->xsd, path) )
        return -EINVAL;
    rc = xsd_view_get(v, path, &n);
    if ( rc == 0 )
    {
        if ( (xsd_perm_for(v->conn, n->perms, n->nperms) & want) != want )
            return -EACCES;
        *out = n;
        return 0;
    }
    if ( rc != -ENOENT )
        return rc;
    up = strdup(path);
    if ( !up )
        return -ENOMEM;
    do
    {
        xsd_parent(up, up);
        rc = xsd_view_get(v, up, &n);
    } while ( rc == -ENOENT && strcmp(up, "/") );
    free(up);
    if ( rc && rc != -ENOENT )
        return rc;
    if ( rc == 0 && (xsd_perm_for(v->conn, n->perms, n->nperms) & want) )
        return -ENOENT;
    return -EACCES;
}

int xsd_quota_node_room(const struct xsd_view *v, unsigned int more)
{
    int limit = v->xsd->quota.nodes;
    long have;

    if ( !unprivileged(v) || !limit )
        return 0;
    have = v->xsd->owned[v->conn->domid & 0xffff];
    if ( v->txn )
        have += v->txn->node_delta;
    if ( have + more > limit )
    {
        xsd_quota_denied(v->conn, "nodes", limit, "node creation");
        return -ENOSPC;
    }
    return 0;
}

static int add_node(struct xsd *xsd, const char *path, const char *child)
{
    struct xsd_node *n = xsd_node_new(path);
    struct xsd_perm p = {0, XSD_PERM_NONE};

    if ( !n || xsd_node_set_perms(n, &p, 1) ||
         (child && xsd_node_add_child(n, child)) )
    {
        xsd_node_free(n);
        return -ENOMEM;
    }
    xsd_owner_adjust(xsd, NULL, n);
    n->gen = ++xsd->gen;
    return xsd_table_put(&xsd->nodes, n);
}

/* A fresh store: the root and /tool/xenstored, all owned by dom0. */
int xsd_store_init(struct xsd *xsd)
{
    int rc = xsd_table_init(&xsd->nodes, 1024);

    if ( rc )
        return rc;
    if ( add_node(xsd, "/", "tool") || add_node(xsd, "/tool", "xenstored") ||
         add_node(xsd, "/tool/xenstored", NULL) )
        return -ENOMEM;
    return 0;
}
