/*
 * libmicastore: permissions, transactions, watches, domains and control.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

int mstore_get_perms(struct mstore *h, mstore_txn_t t, const char *path,
                     struct mstore_perm **perms, unsigned int *num)
{
    static const char letters[] = "nrwb";
    char *r, *s;
    size_t len, i;
    unsigned int n = 0;
    struct mstore_perm *p;
    struct mstore_part part = {path, strlen(path) + 1};
    int rc = mstore_i_request(h, XSW_GET_PERMS, t, &part, 1, &r, &len);

    if ( rc )
        return rc;
    for ( i = 0; i < len; i++ )
        n += r[i] == '\0';
    p = calloc(n ? n : 1, sizeof(*p));
    for ( s = r, i = 0; p && i < n; i++, s += strlen(s) + 1 )
    {
        const char *l = strchr(letters, s[0]);

        if ( !s[0] || !l )
        {
            free(p);
            p = NULL;
            break;
        }
        p[i].perm = l - letters;
        p[i].domid = strtoul(s + 1, NULL, 10);
    }
    free(r);
    if ( !p )
        return -EIO;
    *perms = p;
    *num = n;
    return 0;
}

int mstore_set_perms(struct mstore *h, mstore_txn_t t, const char *path,
                     const struct mstore_perm *perms, unsigned int num)
{
    static const char letters[] = "nrwb";
    char buf[XSW_PAYLOAD_MAX];
    size_t used = 0;
    unsigned int i;
    struct mstore_part p[2];

    for ( i = 0; i < num; i++ )
    {
        int n;

        if ( perms[i].perm > MSTORE_PERM_BOTH )
            return -EINVAL;
        n = snprintf(buf + used, sizeof(buf) - used, "%c%u",
                     letters[perms[i].perm], perms[i].domid);
        if ( n < 0 || used + n + 1 >= sizeof(buf) )
            return -E2BIG;
        used += n + 1;
    }
    if ( !num )
        return -EINVAL;
    p[0] = (struct mstore_part){path, strlen(path) + 1};
    p[1] = (struct mstore_part){buf, used};
    return mstore_i_request(h, XSW_SET_PERMS, t, p, 2, NULL, NULL);
}

int mstore_txn_start(struct mstore *h, mstore_txn_t *t)
{
    char *r;
    int rc =
        mstore_i_simple(h, XSW_TRANSACTION_START, MSTORE_NO_TXN, "", NULL, &r);

    if ( rc )
        return rc;
    *t = strtoul(r, NULL, 10);
    free(r);
    return *t ? 0 : -EIO;
}

int mstore_txn_end(struct mstore *h, mstore_txn_t t, bool commit)
{
    return mstore_i_simple(h, XSW_TRANSACTION_END, t, commit ? "T" : "F", NULL,
                           NULL);
}

int mstore_transact(struct mstore *h,
                    int (*fn)(struct mstore *h, mstore_txn_t t, void *arg),
                    void *arg, unsigned int max_tries)
{
    unsigned int i;
    mstore_txn_t t;
    int rc = -EAGAIN;

    for ( i = 0; i < max_tries && rc == -EAGAIN; i++ )
    {
        rc = mstore_txn_start(h, &t);
        if ( rc )
            return rc;
        rc = fn(h, t, arg);
        if ( rc )
            mstore_txn_end(h, t, false);
        else
            rc = mstore_txn_end(h, t, true);
    }
    return rc;
}

int mstore_watch(struct mstore *h, const char *path, const char *token)
{
    return mstore_i_simple(h, XSW_WATCH, MSTORE_NO_TXN, path, token, NULL);
}

int mstore_unwatch(struct mstore *h, const char *path, const char *token)
{
    return mstore_i_simple(h, XSW_UNWATCH, MSTORE_NO_TXN, path, token, NULL);
}

int mstore_watch_fd(struct mstore *h)
{
    return h->pollfd;
}

int mstore_read_watch(struct mstore *h, char **path, char **token)
{
    struct mstore_event *e;
    int rc = 0;

    while ( !h->events && (rc = mstore_i_read_msg(h, false)) == 1 )
        if ( h->hdr.type == XSW_WATCH_EVENT )
            mstore_i_queue_event(h);
    if ( !h->events )
        return rc < 0 ? rc : -EAGAIN;
    e = h->events;
    h->events = e->next;
    if ( !h->events )
    {
        h->events_tail = &h->events;
        mstore_os_signal(h, false);
    }
    *path = e->path;
    *token = e->token;
    free(e);
    return 0;
}

int mstore_get_domain_path(struct mstore *h, unsigned int domid, char **path)
{
    char id[16];

    snprintf(id, sizeof(id), "%u", domid);
    return mstore_i_simple(h, XSW_GET_DOMAIN_PATH, MSTORE_NO_TXN, id, NULL,
                           path);
}

int mstore_control(struct mstore *h, const char *const *argv, unsigned int argc,
                   char **reply)
{
    struct mstore_part p[16];
    unsigned int i;
    char *r = NULL;
    int rc;

    if ( !argc || argc > 16 )
        return -EINVAL;
    for ( i = 0; i < argc; i++ )
        p[i] = (struct mstore_part){argv[i], strlen(argv[i]) + 1};
    rc = mstore_i_request(h, XSW_CONTROL, MSTORE_NO_TXN, p, argc, &r, NULL);
    if ( reply )
        *reply = r;
    else
        free(r);
    return rc;
}
