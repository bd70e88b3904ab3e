/*
 * Creating and destroying a daemon state.  Quota defaults are those of
 * Xen 4.17's C xenstored, so guests meet the limits they were tested
 * against.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

void xsd_quota_defaults(struct xsd_quota *q)
{
    q->nodes = 1000;
    q->watches = 128;
    q->transactions = 10;
    q->outstanding = 20;
    q->node_size = 2048;
    q->path_max = XSW_REL_PATH_MAX;
    q->permissions = 5;
    q->txn_nodes = 1024;
    q->memory = 2 * 1024 * 1024 + 512 * 1024;
}

static int special_perms(struct xsd_perm **p, uint32_t *n)
{
    *p = calloc(1, sizeof(**p));
    if ( !*p )
        return -ENOMEM;
    (*p)->id = 0;
    (*p)->mode = XSD_PERM_NONE;
    *n = 1;
    return 0;
}

struct xsd *xsd_create(const struct xsd_env *env)
{
    struct xsd *xsd = calloc(1, sizeof(*xsd));

    if ( !xsd )
        return NULL;
    if ( env )
        xsd->env = *env;
    xsd_quota_defaults(&xsd->quota);
    xsd->owned = calloc(0x10000, sizeof(*xsd->owned));
    if ( !xsd->owned || xsd_store_init(xsd) ||
         special_perms(&xsd->intro_perms, &xsd->intro_nperms) ||
         special_perms(&xsd->release_perms, &xsd->release_nperms) )
    {
        xsd_destroy(xsd);
        return NULL;
    }
    return xsd;
}

void xsd_destroy(struct xsd *xsd)
{
    if ( !xsd )
        return;
    xsd_domain_release_all(xsd);
    while ( xsd->conns )
        xsd_conn_free(xsd->conns);
    if ( xsd->nodes.bucket )
        xsd_table_fini(&xsd->nodes);
    free(xsd->intro_perms);
    free(xsd->release_perms);
    free(xsd->owned);
    free(xsd);
}
