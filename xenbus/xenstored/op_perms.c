/*
 * RM and SET_PERMS.
 *
 * RM removes a whole subtree.  Watches fire before the nodes go, while
 * their permissions can still be checked: the removed node fires watches
 * on itself and its ancestors, each node below it fires only watches set
 * exactly on it, so a watch on a child notices its parent's removal.
 * Removing a missing node is fine if its parent exists.
 *
 * SET_PERMS needs owner rights; only a privileged caller may give a node
 * to another owner.  "@introduceDomain" and "@releaseDomain" have
 * permissions of their own that decide who may watch them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

#define PATHBUF (XSW_PAYLOAD_MAX + 64)

struct subtree
{
    char **path;
    size_t n, cap;
};

static int push(struct subtree *s, const char *path)
{
    if ( s->n == s->cap )
    {
        size_t cap = s->cap ? s->cap * 2 : 16;
        char **p = realloc(s->path, cap * sizeof(*p));

        if ( !p )
            return -ENOMEM;
        s->path = p;
        s->cap = cap;
    }
    s->path[s->n] = strdup(path);
    return s->path[s->n++] ? 0 : -ENOMEM;
}

/* Breadth-first list of root and everything below it. */
static int collect(const struct xsd_view *v, const char *root,
                   struct subtree *s)
{
    size_t i;
    int rc = push(s, root);

    for ( i = 0; !rc && i < s->n; i++ )
    {
        const struct xsd_node *n;
        char child[PATHBUF + XSW_PAYLOAD_MAX];
        uint32_t off = 0;

        if ( xsd_view_get(v, s->path[i], &n) )
            continue;
        while ( !rc && off < n->childlen )
        {
            const char *name = n->children + off;

            snprintf(child, sizeof(child), "%s/%s",
                     strcmp(s->path[i], "/") ? s->path[i] : "", name);
            off += strlen(name) + 1;
            rc = push(s, child);
            /* The push may have grown the overlay: look the node up again. */
            if ( !rc )
                rc = xsd_view_get(v, s->path[i], &n);
        }
    }
    return rc;
}

static void subtree_free(struct subtree *s)
{
    while ( s->n )
        free(s->path[--s->n]);
    free(s->path);
}

static int remove_tree(const struct xsd_view *v, const char *path)
{
    struct subtree s = {NULL, 0, 0};
    const struct xsd_node *n, *p;
    struct xsd_node *pc;
    char parent[PATHBUF];
    size_t i;
    int rc;

    xsd_parent(path, parent);
    rc = xsd_view_get(v, parent, &p);
    if ( !rc )
        rc = collect(v, path, &s);
    pc = rc ? NULL : xsd_node_dup(p);
    if ( !rc && !pc )
        rc = -ENOMEM;
    for ( i = s.n; !rc && i-- > 0; )
    {
        if ( xsd_view_get(v, s.path[i], &n) )
            continue;
        xsd_fire(v, s.path[i], i != 0, n->perms, n->nperms);
        rc = xsd_view_del(v, s.path[i]);
    }
    if ( pc && !rc )
    {
        xsd_node_del_child(pc, xsd_basename(path));
        rc = xsd_view_put(v, pc);
    }
    else
        xsd_node_free(pc);
    subtree_free(&s);
    return rc;
}

int xsd_op_rm(struct xsd_req *req)
{
    struct xsd_view v = {req->conn->xsd, req->conn, req->txn};
    const char *arg = xsd_req_onearg(req);
    const struct xsd_node *n;
    char path[PATHBUF], parent[PATHBUF];
    int rc;

    if ( !arg )
        return -EINVAL;
    rc = xsd_canonical(req->conn, arg, path, sizeof(path));
    if ( !rc )
        rc = xsd_access(&v, path, XSD_PERM_WRITE, &n);
    if ( rc == -ENOENT )
    {
        xsd_parent(path, parent);
        return xsd_view_get(&v, parent, NULL) ? -ENOENT : xsd_ack(req);
    }
    if ( rc )
        return rc;
    if ( !strcmp(path, "/") )
        return -EINVAL;
    rc = remove_tree(&v, path);
    return rc ? rc : xsd_ack(req);
}

static int set_special(struct xsd_req *req, const char *name,
                       const struct xsd_perm *p, uint32_t num)
{
    struct xsd *xsd = req->conn->xsd;
    struct xsd_perm **pp;
    uint32_t *np;
    struct xsd_perm *copy;
    unsigned int want = XSD_PERM_WRITE | XSD_PERM_OWNER;

    if ( !strcmp(name, "@introduceDomain") )
        pp = &xsd->intro_perms, np = &xsd->intro_nperms;
    else if ( !strcmp(name, "@releaseDomain") )
        pp = &xsd->release_perms, np = &xsd->release_nperms;
    else
        return -EINVAL;
    if ( (xsd_perm_for(req->conn, *pp, *np) & want) != want )
        return -EACCES;
    copy = malloc(num * sizeof(*p));
    if ( !copy )
        return -ENOMEM;
    memcpy(copy, p, num * sizeof(*p));
    free(*pp);
    *pp = copy;
    *np = num;
    return xsd_ack(req);
}

static int apply_perms(struct xsd_req *req, const char *arg,
                       const struct xsd_perm *p, uint32_t num)
{
    struct xsd_view v = {req->conn->xsd, req->conn, req->txn};
    const struct xsd_node *n;
    struct xsd_node *c;
    char path[PATHBUF];
    int rc = xsd_canonical(req->conn, arg, path, sizeof(path));
    int lim = v.xsd->quota.node_size;

    if ( !rc )
        rc = xsd_access(&v, path, XSD_PERM_WRITE | XSD_PERM_OWNER, &n);
    if ( rc )
        return rc;
    if ( !req->conn->privileged && p[0].id != n->perms[0].id )
        return -EPERM;
    c = xsd_node_dup(n);
    if ( !c || xsd_node_set_perms(c, p, num) )
    {
        xsd_node_free(c);
        return -ENOMEM;
    }
    if ( !req->conn->privileged && lim && xsd_node_size(c) > (size_t)lim )
    {
        xsd_quota_denied(req->conn, "node-size", lim, path);
        xsd_node_free(c);
        return -ENOSPC;
    }
    xsd_fire(&v, path, false, n->perms, n->nperms);
    rc = xsd_view_put(&v, c);
    return rc ? rc : xsd_ack(req);
}

int xsd_op_set_perms(struct xsd_req *req)
{
    int lim = req->conn->xsd->quota.permissions;
    struct xsd_perm p[XSW_PAYLOAD_MAX / 3];
    const char *vec[1];
    unsigned int n = xsd_req_strings(req, vec, 1);
    uint32_t off;
    int num;

    if ( n < 2 || req->buf[req->len - 1] != '\0' )
        return -EINVAL;
    if ( !req->conn->privileged && lim && n - 1 > (unsigned int)lim )
    {
        xsd_quota_denied(req->conn, "permissions", lim, req->buf);
        return -ENOSPC;
    }
    off = strlen(req->buf) + 1;
    num = xsd_perms_parse(req->buf + off, req->len - off, p,
                          sizeof(p) / sizeof(p[0]));
    if ( num < 1 )
        return num < 0 ? num : -EINVAL;
    if ( req->buf[0] == '@' )
        return set_special(req, req->buf, p, num);
    return apply_perms(req, req->buf, p, num);
}
