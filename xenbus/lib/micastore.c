/*
 * libmicastore's core: framing requests, matching replies by request id,
 * queueing watch events that arrive in between, and the calls built on
 * that.  Messages are read into the handle's buffer, so a reply can be
 * assembled across several reads and a half-read message survives a
 * non-blocking mstore_read_watch() that finds nothing more.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

static const struct
{
    const char *name;
    int err;
} errnames[] = {
    {"EINVAL", EINVAL}, {"EACCES", EACCES},   {"EEXIST", EEXIST},
    {"EISDIR", EISDIR}, {"ENOENT", ENOENT},   {"ENOMEM", ENOMEM},
    {"ENOSPC", ENOSPC}, {"EIO", EIO},         {"ENOTEMPTY", ENOTEMPTY},
    {"ENOSYS", ENOSYS}, {"EROFS", EROFS},     {"EBUSY", EBUSY},
    {"EAGAIN", EAGAIN}, {"EISCONN", EISCONN}, {"E2BIG", E2BIG},
    {"EPERM", EPERM},
};

static int errno_of(const char *name)
{
    size_t i;

    for ( i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++ )
        if ( !strcmp(name, errnames[i].name) )
            return -errnames[i].err;
    return -EINVAL;
}

struct mstore *mstore_open(const char *path, unsigned int flags)
{
    struct mstore *h = calloc(1, sizeof(*h));
    int rc;

    if ( !h )
        return NULL;
    h->fd = h->evfd = h->pollfd = -1;
    h->events_tail = &h->events;
    h->next_req = 1;
    rc = mstore_os_connect(h, path, flags);
    if ( !rc )
        rc = mstore_os_readiness(h);
    if ( rc )
    {
        mstore_close(h);
        errno = -rc;
        return NULL;
    }
    return h;
}

void mstore_close(struct mstore *h)
{
    if ( !h )
        return;
    while ( h->events )
    {
        struct mstore_event *e = h->events;

        h->events = e->next;
        free(e->path);
        free(e->token);
        free(e);
    }
    mstore_os_close(h);
    free(h);
}

/* 1 when a whole message is in h->hdr/h->buf, 0 if not yet, or -EIO. */
int mstore_i_read_msg(struct mstore *h, bool block)
{
    const size_t hl = sizeof(h->hdr);

    for ( ;; )
    {
        size_t want = h->got < hl ? hl - h->got : hl + h->hdr.len - h->got;
        char *dst =
            h->got < hl ? (char *)&h->hdr + h->got : h->buf + (h->got - hl);
        long n;

        if ( h->got >= hl && h->got == hl + h->hdr.len )
        {
            h->buf[h->hdr.len] = '\0';
            h->got = 0;
            return 1;
        }
        n = mstore_os_read(h, dst, want, block);
        if ( n <= 0 )
            return n;
        h->got += n;
        if ( h->got == hl && h->hdr.len > XSW_PAYLOAD_MAX )
            return -EIO;
    }
}

void mstore_i_queue_event(struct mstore *h)
{
    struct mstore_event *e = calloc(1, sizeof(*e));
    size_t plen = strnlen(h->buf, h->hdr.len);

    if ( !e || plen >= h->hdr.len )
    {
        free(e);
        return;
    }
    e->path = strdup(h->buf);
    e->token = strndup(h->buf + plen + 1, h->hdr.len - plen - 1);
    if ( !e->path || !e->token )
    {
        free(e->path);
        free(e->token);
        free(e);
        return;
    }
    if ( !h->events )
        mstore_os_signal(h, true);
    *h->events_tail = e;
    h->events_tail = &e->next;
}

/* Send one request and wait for its reply, queueing events meanwhile. */
int mstore_i_request(struct mstore *h, uint32_t type, mstore_txn_t t,
                     const struct mstore_part *parts, unsigned int nparts,
                     char **reply, size_t *rlen)
{
    char msg[sizeof(struct xsw_msg) + XSW_PAYLOAD_MAX];
    struct xsw_msg hdr = {type, h->next_req++, t, 0};
    unsigned int i;
    int rc;

    for ( i = 0; i < nparts; i++ )
    {
        if ( hdr.len + parts[i].len > XSW_PAYLOAD_MAX )
            return -E2BIG;
        memcpy(msg + sizeof(hdr) + hdr.len, parts[i].p, parts[i].len);
        hdr.len += parts[i].len;
    }
    memcpy(msg, &hdr, sizeof(hdr));
    rc = mstore_os_write(h, msg, sizeof(hdr) + hdr.len);
    while ( !rc )
    {
        rc = mstore_i_read_msg(h, true);
        if ( rc < 0 )
            return rc;
        rc = 0;
        if ( h->hdr.type == XSW_WATCH_EVENT )
            mstore_i_queue_event(h);
        else if ( h->hdr.req_id != hdr.req_id )
            continue; /* a stray reply: not ours */
        else if ( h->hdr.type == XSW_ERROR )
            return errno_of(h->buf);
        else
            break;
    }
    if ( !rc && reply )
    {
        *reply = malloc(h->hdr.len + 1);
        if ( !*reply )
            return -ENOMEM;
        memcpy(*reply, h->buf, h->hdr.len + 1);
        if ( rlen )
            *rlen = h->hdr.len;
    }
    return rc;
}

int mstore_i_simple(struct mstore *h, uint32_t type, mstore_txn_t t,
                    const char *a, const char *b, char **reply)
{
    struct mstore_part p[2] = {{a, strlen(a) + 1}, {b, b ? strlen(b) + 1 : 0}};

    return mstore_i_request(h, type, t, p, b ? 2 : 1, reply, NULL);
}

int mstore_read(struct mstore *h, mstore_txn_t t, const char *path,
                char **value, size_t *len)
{
    struct mstore_part p = {path, strlen(path) + 1};

    return mstore_i_request(h, XSW_READ, t, &p, 1, value, len);
}

int mstore_write(struct mstore *h, mstore_txn_t t, const char *path,
                 const void *value, size_t len)
{
    struct mstore_part p[2] = {{path, strlen(path) + 1}, {value, len}};

    return mstore_i_request(h, XSW_WRITE, t, p, 2, NULL, NULL);
}

int mstore_mkdir(struct mstore *h, mstore_txn_t t, const char *path)
{
    return mstore_i_simple(h, XSW_MKDIR, t, path, NULL, NULL);
}

int mstore_rm(struct mstore *h, mstore_txn_t t, const char *path)
{
    return mstore_i_simple(h, XSW_RM, t, path, NULL, NULL);
}

int mstore_directory(struct mstore *h, mstore_txn_t t, const char *path,
                     char ***names, unsigned int *count)
{
    struct mstore_part p = {path, strlen(path) + 1};
    char *r, *s, **v;
    size_t len, i;
    unsigned int n = 0;
    int rc = mstore_i_request(h, XSW_DIRECTORY, t, &p, 1, &r, &len);

    if ( rc )
        return rc;
    for ( i = 0; i < len; i++ )
        n += r[i] == '\0';
    v = malloc((n + 1) * sizeof(*v) + len + 1);
    if ( !v )
    {
        free(r);
        return -ENOMEM;
    }
    s = (char *)(v + n + 1);
    memcpy(s, r, len + 1);
    for ( i = 0; i < n; i++ )
    {
        v[i] = s;
        s += strlen(s) + 1;
    }
    v[n] = NULL;
    free(r);
    *names = v;
    *count = n;
    return 0;
}
