/*
 * libmicastore: a client library for xenstore.
 *
 * One handle is one connection, to xenstored's unix socket or to the
 * kernel's xenbus device (/dev/xen/xenbus).  Calls are synchronous and
 * the handle is not thread-safe: use one handle per thread.  Watch events
 * that arrive are queued inside the handle; mstore_watch_fd() gives a file
 * descriptor that polls readable whenever an event may be waiting, so a
 * program can put it in its own poll loop.
 *
 * Every function returns 0 or a negative errno: -ENOENT, -EACCES, ...
 * exactly as xenstored answered, -EIO if the connection broke, -EINVAL
 * for bad arguments.  Memory handed back is the caller's to free().
 */
#ifndef MICASTORE_H
#define MICASTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C"
{
#endif

    struct mstore;

    /* A transaction id; MSTORE_NO_TXN outside any transaction. */
    typedef uint32_t mstore_txn_t;
#define MSTORE_NO_TXN 0U

/* Open flags. */
#define MSTORE_SOCKET_ONLY 1U /* do not fall back to the xenbus device */
#define MSTORE_DEVICE_ONLY 2U /* use the xenbus device, not the socket */

#define MSTORE_PERM_NONE  0U
#define MSTORE_PERM_READ  1U
#define MSTORE_PERM_WRITE 2U
#define MSTORE_PERM_BOTH  3U

    struct mstore_perm
    {
        uint32_t domid;
        uint32_t perm; /* MSTORE_PERM_* */
    };

    /*
     * Connect.  path NULL means: $XENSTORED_PATH, else
     * $XENSTORED_RUNDIR/socket, else /var/run/xenstored/socket; if that fails
     * and flags allow it, the xenbus device.  Returns NULL with errno set on
     * failure.
     */
    struct mstore *mstore_open(const char *path, unsigned int flags);

    /* Close and free; open transactions are abandoned.  NULL is fine. */
    void mstore_close(struct mstore *h);

    /* Read a value: *value is malloc()ed, NUL-terminated beyond *len. */
    int mstore_read(struct mstore *h, mstore_txn_t t, const char *path,
                    char **value, size_t *len);

    /* Write len bytes (creating missing parents). */
    int mstore_write(struct mstore *h, mstore_txn_t t, const char *path,
                     const void *value, size_t len);

    /* Create a node with an empty value if it does not exist. */
    int mstore_mkdir(struct mstore *h, mstore_txn_t t, const char *path);

    /* Remove a node and everything below it; absent is fine. */
    int mstore_rm(struct mstore *h, mstore_txn_t t, const char *path);

    /*
     * List children: *names is one malloc()ed block holding the pointer array
     * and the strings; free(*names) releases all.  *count may be 0.
     */
    int mstore_directory(struct mstore *h, mstore_txn_t t, const char *path,
                         char ***names, unsigned int *count);

    /* Permissions: entry 0 is the owner and the default for other domains. */
    int mstore_get_perms(struct mstore *h, mstore_txn_t t, const char *path,
                         struct mstore_perm **perms, unsigned int *num);
    int mstore_set_perms(struct mstore *h, mstore_txn_t t, const char *path,
                         const struct mstore_perm *perms, unsigned int num);

    /* Start a transaction; *t receives its id. */
    int mstore_txn_start(struct mstore *h, mstore_txn_t *t);

    /*
     * End a transaction: commit or abort.  -EAGAIN means another change
     * interfered; nothing was applied and the whole transaction must be
     * run again (mstore_transact() does that).
     */
    int mstore_txn_end(struct mstore *h, mstore_txn_t t, bool commit);

    /*
     * Run fn inside a transaction and commit, retrying up to max_tries times
     * while the commit reports -EAGAIN (fn may return -EAGAIN too, to ask for
     * a retry).  fn returning any other error aborts.  Returns fn's error,
     * the commit's, or -EAGAIN once the tries are used up.
     */
    int mstore_transact(struct mstore *h,
                        int (*fn)(struct mstore *h, mstore_txn_t t, void *arg),
                        void *arg, unsigned int max_tries);

    /*
     * Watch path and below; the daemon sends one event at once.  token comes
     * back with every event of this watch.
     */
    int mstore_watch(struct mstore *h, const char *path, const char *token);
    int mstore_unwatch(struct mstore *h, const char *path, const char *token);

    /* Readable (for poll) when mstore_read_watch() may have an event. */
    int mstore_watch_fd(struct mstore *h);

    /*
     * Take one event without blocking: *path and *token are malloc()ed.
     * -EAGAIN if none is pending (yet).
     */
    int mstore_read_watch(struct mstore *h, char **path, char **token);

    /* /local/domain/<domid>, malloc()ed. */
    int mstore_get_domain_path(struct mstore *h, unsigned int domid,
                               char **path);

    /* Send a CONTROL command (argv strings); *reply malloc()ed or NULL. */
    int mstore_control(struct mstore *h, const char *const *argv,
                       unsigned int argc, char **reply);

#ifdef __cplusplus
}
#endif

#endif /* MICASTORE_H */
