/*
 * Nodes and the hash table that maps a full path to its node.  The same
 * table type holds the live store and each transaction's overlay, so a
 * node is a self-contained heap object that can be copied between them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

static size_t hash_path(const char *s)
{
    /* FNV-1a: cheap and spreads short, similar paths well. */
    size_t h = 1469598103934665603ULL;

    while ( *s )
    {
        h ^= (unsigned char)*s++;
        h *= 1099511628211ULL;
    }
    return h;
}

int xsd_table_init(struct xsd_table *t, size_t nbuckets)
{
    t->bucket = calloc(nbuckets, sizeof(*t->bucket));
    if ( !t->bucket )
        return -ENOMEM;
    t->nbuckets = nbuckets;
    t->count = 0;
    return 0;
}

void xsd_table_fini(struct xsd_table *t)
{
    size_t i;

    for ( i = 0; i < t->nbuckets; i++ )
    {
        while ( t->bucket[i] )
        {
            struct xsd_node *n = t->bucket[i];

            t->bucket[i] = n->hnext;
            xsd_node_free(n);
        }
    }
    free(t->bucket);
    t->bucket = NULL;
    t->nbuckets = t->count = 0;
}

static struct xsd_node **slot(const struct xsd_table *t, const char *path)
{
    struct xsd_node **pp = &t->bucket[hash_path(path) & (t->nbuckets - 1)];

    while ( *pp && strcmp((*pp)->path, path) )
        pp = &(*pp)->hnext;
    return pp;
}

struct xsd_node *xsd_table_get(const struct xsd_table *t, const char *path)
{
    return *slot(t, path);
}

struct xsd_node *xsd_table_take(struct xsd_table *t, const char *path)
{
    struct xsd_node **pp = slot(t, path);
    struct xsd_node *n = *pp;

    if ( n )
    {
        *pp = n->hnext;
        n->hnext = NULL;
        t->count--;
    }
    return n;
}

/* Doubling keeps chains short; a failed grow just leaves them longer. */
static void maybe_grow(struct xsd_table *t)
{
    size_t i, nb = t->nbuckets * 2;
    struct xsd_node **b;

    if ( t->count < t->nbuckets * 2 )
        return;
    b = calloc(nb, sizeof(*b));
    if ( !b )
        return;
    for ( i = 0; i < t->nbuckets; i++ )
    {
        while ( t->bucket[i] )
        {
            struct xsd_node *n = t->bucket[i];
            size_t h = hash_path(n->path) & (nb - 1);

            t->bucket[i] = n->hnext;
            n->hnext = b[h];
            b[h] = n;
        }
    }
    free(t->bucket);
    t->bucket = b;
    t->nbuckets = nb;
}

/* Insert n, replacing and freeing any node of the same path. */
int xsd_table_put(struct xsd_table *t, struct xsd_node *n)
{
    struct xsd_node **pp = slot(t, n->path);

    if ( *pp )
    {
        n->hnext = (*pp)->hnext;
        xsd_node_free(*pp);
        *pp = n;
        return 0;
    }
    n->hnext = NULL;
    *pp = n;
    t->count++;
    maybe_grow(t);
    return 0;
}

struct xsd_node *xsd_node_new(const char *path)
{
    struct xsd_node *n = calloc(1, sizeof(*n));

    if ( !n )
        return NULL;
    n->path = strdup(path);
    if ( !n->path )
    {
        free(n);
        return NULL;
    }
    return n;
}

void xsd_node_free(struct xsd_node *n)
{
    if ( !n )
        return;
    free(n->path);
    free(n->data);
    free(n->perms);
    free(n->children);
    free(n);
}

static void *memdup(const void *p, size_t len)
{
    void *q;

    if ( !len )
        return NULL;
    q = malloc(len);
    if ( q )
        memcpy(q, p, len);
    return q;
}

struct xsd_node *xsd_node_dup(const struct xsd_node *src)
{
    struct xsd_node *n = xsd_node_new(src->path);

    if ( !n )
        return NULL;
    n->datalen = src->datalen;
    n->nperms = src->nperms;
    n->childlen = src->childlen;
    n->gen = src->gen;
    n->base_gen = src->base_gen;
    n->absent = src->absent;
    n->dirty = src->dirty;
    n->data = memdup(src->data, src->datalen);
    n->perms = memdup(src->perms, src->nperms * sizeof(*src->perms));
    n->children = memdup(src->children, src->childlen);
    if ( (src->datalen && !n->data) || (src->nperms && !n->perms) ||
         (src->childlen && !n->children) )
    {
        xsd_node_free(n);
        return NULL;
    }
    return n;
}

int xsd_node_set_data(struct xsd_node *n, const void *data, uint32_t len)
{
    void *d = memdup(data, len);

    if ( len && !d )
        return -ENOMEM;
    free(n->data);
    n->data = d;
    n->datalen = len;
    return 0;
}

int xsd_node_set_perms(struct xsd_node *n, const struct xsd_perm *p,
                       uint32_t num)
{
    void *d = memdup(p, num * sizeof(*p));

    if ( num && !d )
        return -ENOMEM;
    free(n->perms);
    n->perms = d;
    n->nperms = num;
    return 0;
}

int xsd_node_add_child(struct xsd_node *n, const char *name)
{
    size_t len = strlen(name) + 1;
    char *c = realloc(n->children, n->childlen + len);

    if ( !c )
        return -ENOMEM;
    memcpy(c + n->childlen, name, len);
    n->children = c;
    n->childlen += len;
    return 0;
}

void xsd_node_del_child(struct xsd_node *n, const char *name)
{
    uint32_t off = 0;

    while ( off < n->childlen )
    {
        size_t len = strlen(n->children + off) + 1;

        if ( !strcmp(n->children + off, name) )
        {
            memmove(n->children + off, n->children + off + len,
                    n->childlen - off - len);
            n->childlen -= len;
            return;
        }
        off += len;
    }
}

/* What node-size limits: the value, the children's names, the perms. */
size_t xsd_node_size(const struct xsd_node *n)
{
    return n->datalen + n->childlen + n->nperms * sizeof(struct xsd_perm);
}
