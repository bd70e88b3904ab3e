/*
 * Transactions.  Start hands out an id unique on the connection; requests
 * carrying that id see the transaction's overlay (see store.c).  End with
 * "T" commits: if any node the transaction touched has a different live
 * generation than when it was first touched, nothing is applied and the
 * client gets EAGAIN and must run the whole transaction again.  Otherwise
 * every changed overlay node replaces the live one, owners' node counts
 * follow, and the watch events the transaction collected fire.  "F", or
 * a failed commit, drops the overlay with no trace.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

struct xsd_txn *xsd_txn_find(struct xsd_conn *conn, uint32_t id)
{
    struct xsd_txn *t;

    for ( t = conn->txns; t; t = t->next )
        if ( t->id == id )
            return t;
    return NULL;
}

void xsd_txn_free(struct xsd_txn *t)
{
    while ( t->events )
    {
        struct xsd_event *e = t->events;

        t->events = e->next;
        free(e->perms);
        free(e);
    }
    xsd_table_fini(&t->overlay);
    free(t);
}

static void unlink_txn(struct xsd_conn *conn, struct xsd_txn *t)
{
    struct xsd_txn **pp = &conn->txns;

    while ( *pp && *pp != t )
        pp = &(*pp)->next;
    if ( *pp )
    {
        *pp = t->next;
        conn->ntxns--;
    }
}

void xsd_txn_free_all(struct xsd_conn *conn)
{
    while ( conn->txns )
    {
        struct xsd_txn *t = conn->txns;

        unlink_txn(conn, t);
        xsd_txn_free(t);
    }
}

int xsd_txn_start(struct xsd_conn *conn, uint32_t *id)
{
    int lim = conn->xsd->quota.transactions;
    struct xsd_txn *t;

    if ( !conn->privileged && lim && conn->ntxns >= (unsigned int)lim )
    {
        xsd_quota_denied(conn, "transactions", lim, "transaction start");
        return -ENOSPC;
    }
    t = calloc(1, sizeof(*t));
    if ( !t || xsd_table_init(&t->overlay, 16) )
    {
        free(t);
        return -ENOMEM;
    }
    t->events_tail = &t->events;
    do
    {
        t->id = conn->next_txid++;
    } while ( !t->id || xsd_txn_find(conn, t->id) );
    t->next = conn->txns;
    conn->txns = t;
    conn->ntxns++;
    *id = t->id;
    return 0;
}

static bool conflicts(struct xsd *xsd, const struct xsd_txn *t)
{
    size_t i;
    const struct xsd_node *o, *g;

    for ( i = 0; i < t->overlay.nbuckets; i++ )
        for ( o = t->overlay.bucket[i]; o; o = o->hnext )
        {
            g = xsd_table_get(&xsd->nodes, o->path);
            if ( (g ? g->gen : 0) != o->base_gen )
                return true;
        }
    return false;
}

static void apply(struct xsd *xsd, struct xsd_txn *t)
{
    size_t i;

    for ( i = 0; i < t->overlay.nbuckets; i++ )
        while ( t->overlay.bucket[i] )
        {
            struct xsd_node *o = t->overlay.bucket[i];
            struct xsd_node *g = xsd_table_get(&xsd->nodes, o->path);

            t->overlay.bucket[i] = o->hnext;
            t->overlay.count--;
            if ( !o->dirty )
            {
                xsd_node_free(o);
                continue;
            }
            xsd_owner_adjust(xsd, g, o);
            xsd->gen++;
            if ( o->absent )
            {
                xsd_node_free(xsd_table_take(&xsd->nodes, o->path));
                xsd_node_free(o);
                continue;
            }
            o->gen = xsd->gen;
            o->dirty = false;
            o->base_gen = 0;
            xsd_table_put(&xsd->nodes, o);
        }
}

int xsd_txn_end(struct xsd_conn *conn, struct xsd_txn *t, bool commit)
{
    struct xsd *xsd = conn->xsd;
    int lim = xsd->quota.nodes;
    struct xsd_event *e;
    int rc = 0;

    unlink_txn(conn, t);
    if ( !commit )
        goto out;
    if ( conflicts(xsd, t) )
    {
        xsd_log(XSD_LOG_DEBUG, "domain %u: transaction %u conflicts",
                conn->domid, t->id);
        rc = -EAGAIN;
        goto out;
    }
    if ( !conn->privileged && lim && t->node_delta > 0 &&
         xsd->owned[conn->domid & 0xffff] + t->node_delta > (long)lim )
    {
        xsd_quota_denied(conn, "nodes", lim, "transaction commit");
        rc = -ENOSPC;
        goto out;
    }
    apply(xsd, t);
    for ( e = t->events; e; e = e->next )
        xsd_fire_now(xsd, e->path, e->exact, e->perms, e->nperms);
out:
    xsd_txn_free(t);
    return rc;
}

int xsd_op_txn_start(struct xsd_req *req)
{
    char id[16];
    uint32_t tid;
    int rc;

    if ( req->txn )
        return -EBUSY;
    rc = xsd_txn_start(req->conn, &tid);
    if ( rc )
        return rc;
    snprintf(id, sizeof(id), "%u", tid);
    return xsd_reply(req, XSW_TRANSACTION_START, id, strlen(id) + 1);
}

int xsd_op_txn_end(struct xsd_req *req)
{
    const char *arg = xsd_req_onearg(req);
    int rc;

    if ( !arg || (strcmp(arg, "T") && strcmp(arg, "F")) )
        return -EINVAL;
    if ( !req->txn )
        return -ENOENT;
    rc = xsd_txn_end(req->conn, req->txn, arg[0] == 'T');
    req->txn = NULL;
    return rc ? rc : xsd_ack(req);
}
