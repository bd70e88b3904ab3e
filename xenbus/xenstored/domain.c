/*
 * Domains: INTRODUCE, RELEASE, GET_DOMAIN_PATH, IS_DOMAIN_INTRODUCED,
 * RESUME, SET_TARGET.  dom0 is always present (its tools come over the
 * socket); other domains exist from INTRODUCE to RELEASE.  Introducing
 * asks the OS part to map the guest's store page and bind its event
 * channel, then fires @introduceDomain.  Releasing fires @releaseDomain,
 * drops the guest's connection, deletes the nodes it owns and strips it
 * from other nodes' permission lists, so a later domain reusing the id
 * inherits nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

#define PATHBUF (XSW_PAYLOAD_MAX + 64)

struct xsd_domain *xsd_domain_find(struct xsd *xsd, unsigned int domid)
{
    struct xsd_domain *d;

    for ( d = xsd->domains; d; d = d->next )
        if ( d->domid == domid )
            return d;
    return NULL;
}

void xsd_domain_conn_gone(struct xsd *xsd, struct xsd_conn *conn)
{
    struct xsd_domain *d;

    for ( d = xsd->domains; d; d = d->next )
        if ( d->conn == conn )
            d->conn = NULL;
}

static int one_domid(struct xsd_req *req, unsigned int *domid)
{
    const char *arg = xsd_req_onearg(req);

    return arg ? xsd_parse_domid(arg, domid) : -EINVAL;
}

int xsd_op_introduce(struct xsd_req *req)
{
    struct xsd *xsd = req->conn->xsd;
    const char *vec[3];
    struct xsd_domain *d;
    unsigned int domid, port;
    long long gfn;

    if ( xsd_req_strings(req, vec, 3) < 3 || xsd_parse_domid(vec[0], &domid) ||
         domid >= XSD_DOMID_MAX || xsd_parse_domid(vec[2], &port) || !port )
        return -EINVAL;
    gfn = strtoll(vec[1], NULL, 10);
    d = xsd_domain_find(xsd, domid);
    if ( d )
    {
        /* Again for a known domain: a new event channel, nothing else. */
        d->port = port;
        return xsd_ack(req);
    }
    d = calloc(1, sizeof(*d));
    if ( !d )
        return -ENOMEM;
    d->domid = domid;
    d->port = port;
    d->gfn = gfn;
    if ( xsd->env.attach_domain )
        d->conn = xsd->env.attach_domain(xsd->env.opaque, domid, gfn, port);
    else
        d->conn = xsd_conn_new(xsd, domid);
    if ( !d->conn )
    {
        xsd_log(XSD_LOG_ERR,
                "introduce: cannot attach domain %u (gfn %lld, "
                "port %u)",
                domid, gfn, port);
        free(d);
        return -EINVAL;
    }
    d->next = xsd->domains;
    xsd->domains = d;
    xsd_log(XSD_LOG_INFO, "domain %u introduced (port %u)", domid, port);
    xsd_fire_now(xsd, "@introduceDomain", true, NULL, 0);
    return xsd_ack(req);
}

static void strip_domid(struct xsd *xsd, unsigned int domid)
{
    size_t i;
    struct xsd_node *n;
    uint32_t j, k;

    for ( i = 0; i < xsd->nodes.nbuckets; i++ )
        for ( n = xsd->nodes.bucket[i]; n; n = n->hnext )
        {
            for ( j = k = 1; j < n->nperms; j++ )
                if ( n->perms[j].id != domid )
                    n->perms[k++] = n->perms[j];
            if ( k != n->nperms && n->nperms )
            {
                n->nperms = k;
                n->gen = ++xsd->gen;
            }
        }
}

/* Remove every subtree whose top node the domain owns. */
static void remove_owned(struct xsd *xsd, unsigned int domid)
{
    struct xsd_conn tools = {.xsd = xsd, .privileged = true};
    struct xsd_req req = {&tools, {XSW_RM, 0, 0, 0}, NULL, 0, NULL};
    size_t i;
    struct xsd_node *n;
    char path[PATHBUF];

    tools.out_tail = &tools.out;
    while ( xsd->owned[domid] )
    {
        for ( i = 0, n = NULL; !n && i < xsd->nodes.nbuckets; i++ )
            for ( n = xsd->nodes.bucket[i]; n; n = n->hnext )
                if ( n->nperms && n->perms[0].id == domid &&
                     strcmp(n->path, "/") )
                    break;
        if ( !n )
            break;
        snprintf(path, sizeof(path), "%s", n->path);
        req.buf = path;
        req.len = strlen(path) + 1;
        if ( xsd_op_rm(&req) )
            break;
        xsd_conn_consume(&tools, tools.out_bytes);
    }
}

int xsd_op_release(struct xsd_req *req)
{
    struct xsd *xsd = req->conn->xsd;
    struct xsd_domain **pp, *d;
    unsigned int domid;
    int rc = one_domid(req, &domid);

    if ( rc || !domid )
        return -EINVAL;
    for ( pp = &xsd->domains; *pp && (*pp)->domid != domid; )
        pp = &(*pp)->next;
    d = *pp;
    if ( !d )
        return -ENOENT;
    *pp = d->next;
    if ( d->conn && d->conn != req->conn )
        xsd_conn_free(d->conn);
    free(d);
    remove_owned(xsd, domid);
    strip_domid(xsd, domid);
    xsd_log(XSD_LOG_INFO, "domain %u released", domid);
    xsd_fire_now(xsd, "@releaseDomain", true, NULL, 0);
    return xsd_ack(req);
}

void xsd_domain_release_all(struct xsd *xsd)
{
    while ( xsd->domains )
    {
        struct xsd_domain *d = xsd->domains;

        xsd->domains = d->next;
        if ( d->conn )
            xsd_conn_free(d->conn);
        free(d);
    }
}

int xsd_op_get_domain_path(struct xsd_req *req)
{
    char path[32];
    unsigned int domid;
    int rc = one_domid(req, &domid);

    if ( rc )
        return rc;
    snprintf(path, sizeof(path), "/local/domain/%u", domid);
    return xsd_reply(req, XSW_GET_DOMAIN_PATH, path, strlen(path) + 1);
}

int xsd_op_is_introduced(struct xsd_req *req)
{
    unsigned int domid;
    int rc = one_domid(req, &domid);
    bool yes;

    if ( rc )
        return rc;
    yes = domid == 0 || domid == XSW_DOMID_SELF ||
          xsd_domain_find(req->conn->xsd, domid);
    return xsd_reply(req, XSW_IS_DOMAIN_INTRODUCED, yes ? "T" : "F", 2);
}

int xsd_op_resume(struct xsd_req *req)
{
    struct xsd_domain *d;
    unsigned int domid;
    int rc = one_domid(req, &domid);

    if ( rc || !domid )
        return -EINVAL;
    d = xsd_domain_find(req->conn->xsd, domid);
    if ( !d )
        return -ENOENT;
    d->shutdown = false;
    return xsd_ack(req);
}

int xsd_op_set_target(struct xsd_req *req)
{
    const char *vec[2];
    struct xsd_domain *d, *t;
    unsigned int domid, tdomid;

    if ( xsd_req_strings(req, vec, 2) < 2 || xsd_parse_domid(vec[0], &domid) ||
         xsd_parse_domid(vec[1], &tdomid) )
        return -EINVAL;
    d = xsd_domain_find(req->conn->xsd, domid);
    t = xsd_domain_find(req->conn->xsd, tdomid);
    if ( !d || !t )
        return -ENOENT;
    if ( !d->conn )
        return -EINVAL;
    d->conn->target = tdomid;
    d->conn->has_target = true;
    return xsd_ack(req);
}
