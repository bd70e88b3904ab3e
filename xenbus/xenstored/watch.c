/*
 * Watches.  A watch on P fires for a change of P or of anything below it,
 * once per changed node, with the changed path and the watch's token.  A
 * new watch fires once at once, so a client needs no separate read to
 * learn the starting state.  Watches set with a relative path get event
 * paths relative to the connection's home.
 *
 * Whether a connection hears of a change depends on its permissions: it
 * must be able to read the node (before or after the change) or its
 * parent; for the special paths "@introduceDomain" and "@releaseDomain",
 * read rights in their own permission lists, by default dom0's only.
 * Inside a transaction events are kept and fired at commit, never on
 * abort.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

#define PATHBUF (XSW_PAYLOAD_MAX + 64)

bool xsd_special_path(const char *path)
{
    return path[0] == '@';
}

int xsd_watch_add(struct xsd_conn *conn, const char *path, const char *token,
                  size_t strip)
{
    int lim = conn->xsd->quota.watches;
    struct xsd_watch *w;

    for ( w = conn->watches; w; w = w->next )
        if ( !strcmp(w->path, path) && !strcmp(w->token, token) )
            return -EEXIST;
    if ( !conn->privileged && lim && conn->nwatches >= (unsigned int)lim )
    {
        xsd_quota_denied(conn, "watches", lim, path);
        return -E2BIG;
    }
    w = calloc(1, sizeof(*w));
    if ( !w )
        return -ENOMEM;
    w->path = strdup(path);
    w->token = strdup(token);
    if ( !w->path || !w->token )
    {
        free(w->path);
        free(w->token);
        free(w);
        return -ENOMEM;
    }
    w->strip = strip;
    w->next = conn->watches;
    conn->watches = w;
    conn->nwatches++;
    return 0;
}

static void watch_free(struct xsd_watch *w)
{
    free(w->path);
    free(w->token);
    free(w);
}

int xsd_watch_del(struct xsd_conn *conn, const char *path, const char *token)
{
    struct xsd_watch **pp;

    for ( pp = &conn->watches; *pp; pp = &(*pp)->next )
    {
        struct xsd_watch *w = *pp;

        if ( !strcmp(w->path, path) && !strcmp(w->token, token) )
        {
            *pp = w->next;
            watch_free(w);
            conn->nwatches--;
            return 0;
        }
    }
    return -ENOENT;
}

void xsd_watch_free_all(struct xsd_conn *conn)
{
    while ( conn->watches )
    {
        struct xsd_watch *w = conn->watches;

        conn->watches = w->next;
        watch_free(w);
    }
    conn->nwatches = 0;
}

static const char *event_path(const struct xsd_watch *w, const char *path)
{
    if ( !w->strip )
        return path;
    path += w->strip;
    return *path == '/' ? path + 1 : path;
}

static bool may_see(struct xsd *xsd, struct xsd_conn *c, const char *path,
                    const struct xsd_perm *oldp, uint32_t oldn)
{
    const struct xsd_node *n;
    char parent[PATHBUF];

    if ( !strcmp(path, "@introduceDomain") )
        return xsd_perm_for(c, xsd->intro_perms, xsd->intro_nperms) &
               XSD_PERM_READ;
    if ( !strcmp(path, "@releaseDomain") )
        return xsd_perm_for(c, xsd->release_perms, xsd->release_nperms) &
               XSD_PERM_READ;
    if ( c->privileged ||
         (oldp && (xsd_perm_for(c, oldp, oldn) & XSD_PERM_READ)) )
        return true;
    n = xsd_table_get(&xsd->nodes, path);
    if ( n && (xsd_perm_for(c, n->perms, n->nperms) & XSD_PERM_READ) )
        return true;
    if ( strlen(path) >= sizeof(parent) )
        return false;
    xsd_parent(path, parent);
    n = xsd_table_get(&xsd->nodes, parent);
    return n && (xsd_perm_for(c, n->perms, n->nperms) & XSD_PERM_READ);
}

void xsd_fire_now(struct xsd *xsd, const char *path, bool exact,
                  const struct xsd_perm *oldp, uint32_t oldn)
{
    struct xsd_conn *c;
    struct xsd_watch *w;

    for ( c = xsd->conns; c; c = c->next )
    {
        if ( c->dead || !c->watches || !may_see(xsd, c, path, oldp, oldn) )
            continue;
        for ( w = c->watches; w; w = w->next )
        {
            bool hit = exact || xsd_special_path(path)
                           ? !strcmp(path, w->path)
                           : xsd_path_within(path, w->path);

            if ( hit && xsd_queue_event(c, event_path(w, path), w->token) )
                break;
        }
    }
}

void xsd_fire(const struct xsd_view *v, const char *path, bool exact,
              const struct xsd_perm *oldp, uint32_t oldn)
{
    size_t len = strlen(path) + 1;
    struct xsd_event *e;

    if ( !v->txn )
    {
        xsd_fire_now(v->xsd, path, exact, oldp, oldn);
        return;
    }
    /* Lost events are allowed to be lost only on ENOMEM: spurious is ok. */
    e = malloc(sizeof(*e) + len);
    if ( !e )
        return;
    e->next = NULL;
    e->exact = exact;
    e->nperms = oldp ? oldn : 0;
    e->perms = NULL;
    if ( oldp && oldn )
    {
        e->perms = malloc(oldn * sizeof(*oldp));
        if ( e->perms )
            memcpy(e->perms, oldp, oldn * sizeof(*oldp));
        else
            e->nperms = 0;
    }
    memcpy(e->path, path, len);
    *v->txn->events_tail = e;
    v->txn->events_tail = &e->next;
}
