/*
 * xenstored internals.  The daemon is pure logic around four objects:
 *
 *   struct xsd         one store, the quotas, every connection and domain;
 *   struct xsd_conn    one client: a socket (always dom0) or a guest ring;
 *   struct xsd_txn     an open transaction of a connection;
 *   struct xsd_node    one node: value, permissions, children, generation.
 *
 * Transports only move bytes: they hand received bytes to xsd_conn_input()
 * and send what xsd_conn_output() shows them.  Everything else (parsing,
 * permissions, quotas, watches, transactions) happens here, so the Check
 * suites and the fuzzer drive the very same code the daemon runs, with no
 * sockets and no hypervisor.
 *
 * Errors are negative errno values; handlers either queue a reply and
 * return 0 or return an error that the dispatcher turns into Xen's error
 * string.  A handler validates everything before it changes the store.
 */
#ifndef XSD_H
#define XSD_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xenstore_wire.h"

#define XSD_PERM_NONE  0U
#define XSD_PERM_READ  1U
#define XSD_PERM_WRITE 2U
#define XSD_PERM_OWNER 4U

#define XSD_DOMID_MAX 0x7ff0U /* ids at and above are reserved */

enum xsd_log_level
{
    XSD_LOG_ERR,
    XSD_LOG_WARN,
    XSD_LOG_INFO,
    XSD_LOG_DEBUG,
};

/* Quotas for unprivileged domains; 0 disables one. */
struct xsd_quota
{
    int nodes;        /* nodes owned per domain */
    int watches;      /* watches per connection */
    int transactions; /* open transactions per connection */
    int outstanding;  /* replies not yet taken by the guest */
    int node_size;    /* value + permissions + children names, bytes */
    int path_max;     /* path length below /local/domain/<id>/ */
    int permissions;  /* permission entries per node */
    int txn_nodes;    /* nodes a transaction may touch */
    int memory;       /* bytes queued for one connection before it is cut */
};

struct xsd_perm
{
    uint32_t id;
    uint32_t mode; /* XSD_PERM_READ | XSD_PERM_WRITE */
};

struct xsd_node
{
    struct xsd_node *hnext; /* hash chain */
    char *path;
    char *data;
    uint32_t datalen;
    uint32_t nperms;
    struct xsd_perm *perms;
    char *children; /* names, each NUL-terminated, in creation order */
    uint32_t childlen;
    uint64_t gen;      /* generation of the last change */
    uint64_t base_gen; /* overlay only: global generation when first seen */
    bool absent;       /* overlay only: the node does not exist here */
    bool dirty;        /* overlay only: changed in the transaction */
};

struct xsd_table
{
    struct xsd_node **bucket;
    size_t nbuckets;
    size_t count;
};

struct xsd_conn;
struct xsd_txn;

/* What the OS part does for the state machine; may be NULL in tests. */
struct xsd_env
{
    /* Map domid's store page and bind its event channel; return a conn. */
    struct xsd_conn *(*attach_domain)(void *opaque, unsigned int domid,
                                      uint64_t gfn, unsigned int port);
    /* New output is queued on conn. */
    void (*kick)(void *opaque, struct xsd_conn *conn);
    void *opaque;
};

struct xsd_domain
{
    struct xsd_domain *next;
    unsigned int domid;
    unsigned int port;
    uint64_t gfn;
    bool shutdown;
    struct xsd_conn *conn;
};

struct xsd_watch
{
    struct xsd_watch *next;
    char *path; /* canonical */
    char *token;
    size_t strip; /* bytes to cut from event paths for relative watches */
};

struct xsd_out
{
    struct xsd_out *next;
    bool is_event;
    size_t len; /* header + payload */
    unsigned char bytes[];
};

struct xsd_event
{
    struct xsd_event *next;
    bool exact;
    uint32_t nperms;
    struct xsd_perm *perms; /* the node's permissions before the change */
    char path[];
};

struct xsd_txn
{
    struct xsd_txn *next;
    uint32_t id;
    struct xsd_table overlay;
    unsigned int touched;
    long node_delta; /* nodes the owner conn gains at commit */
    struct xsd_event *events, **events_tail;
};

struct xsd_conn
{
    struct xsd_conn *next;
    struct xsd *xsd;
    unsigned int domid;
    unsigned int target; /* set_target: acts for this domid too */
    bool has_target;
    bool privileged;
    bool dead;     /* protocol violation: the transport must drop it */
    char home[32]; /* /local/domain/<domid> */

    /* Input: header, then payload. */
    unsigned char hdrbuf[sizeof(struct xsw_msg)];
    size_t hdrused;
    struct xsw_msg hdr;
    char *inbuf;
    size_t inused;

    /* Output queue. */
    struct xsd_out *out, **out_tail;
    size_t out_off; /* bytes of the head already taken */
    size_t out_bytes;
    unsigned int outstanding; /* replies (not events) queued */

    struct xsd_watch *watches;
    unsigned int nwatches;
    struct xsd_txn *txns;
    unsigned int ntxns;
    uint32_t next_txid;

    void *transport; /* owned by the transport */
    /* Called as the connection is freed: close, unmap, unbind. */
    void (*detach)(struct xsd_conn *conn);
};

struct xsd
{
    struct xsd_table nodes;
    uint64_t gen;
    struct xsd_quota quota;
    struct xsd_conn *conns;
    struct xsd_domain *domains;
    struct xsd_perm *intro_perms, *release_perms;
    uint32_t intro_nperms, release_nperms;
    unsigned int *owned; /* nodes owned, indexed by domid */
    struct xsd_env env;
    int log_level;
};

/* A request being served. */
struct xsd_req
{
    struct xsd_conn *conn;
    struct xsw_msg hdr;
    char *buf;
    uint32_t len;
    struct xsd_txn *txn;
};

/* Store access through a connection and maybe a transaction. */
struct xsd_view
{
    struct xsd *xsd;
    struct xsd_conn *conn;
    struct xsd_txn *txn;
};

/* xsd.c: lifetime and configuration. */
void xsd_quota_defaults(struct xsd_quota *q);
struct xsd *xsd_create(const struct xsd_env *env);
void xsd_destroy(struct xsd *xsd);

/* log.c */
void xsd_log(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void xsd_log_set_level(int level);
int xsd_log_get_level(void);
int xsd_log_open(const char *file);
const char *xsd_log_level_name(int level);
int xsd_log_level_parse(const char *name);
void xsd_quota_denied(const struct xsd_conn *conn, const char *quota, int limit,
                      const char *what);

/* table.c: path -> node hash table. */
int xsd_table_init(struct xsd_table *t, size_t nbuckets);
void xsd_table_fini(struct xsd_table *t);
struct xsd_node *xsd_table_get(const struct xsd_table *t, const char *path);
struct xsd_node *xsd_table_take(struct xsd_table *t, const char *path);
int xsd_table_put(struct xsd_table *t, struct xsd_node *n);
struct xsd_node *xsd_node_new(const char *path);
struct xsd_node *xsd_node_dup(const struct xsd_node *n);
void xsd_node_free(struct xsd_node *n);
int xsd_node_set_data(struct xsd_node *n, const void *data, uint32_t len);
int xsd_node_set_perms(struct xsd_node *n, const struct xsd_perm *p,
                       uint32_t num);
int xsd_node_add_child(struct xsd_node *n, const char *name);
void xsd_node_del_child(struct xsd_node *n, const char *name);
size_t xsd_node_size(const struct xsd_node *n);

/* path.c */
int xsd_canonical(const struct xsd_conn *conn, const char *in, char *out,
                  size_t outlen);
bool xsd_path_valid(const struct xsd *xsd, const char *path);
void xsd_parent(const char *path, char *out);
const char *xsd_basename(const char *path);
bool xsd_path_within(const char *path, const char *ancestor);

/* perms.c */
unsigned int xsd_perm_for(const struct xsd_conn *conn, const struct xsd_perm *p,
                          uint32_t num);
int xsd_perms_parse(const char *s, size_t len, struct xsd_perm *out,
                    uint32_t max);
size_t xsd_perms_format(const struct xsd_perm *p, uint32_t num, char *out,
                        size_t outlen);

/* store.c: the view every handler goes through. */
int xsd_view_get(const struct xsd_view *v, const char *path,
                 const struct xsd_node **out);
int xsd_view_put(const struct xsd_view *v, struct xsd_node *n);
int xsd_view_del(const struct xsd_view *v, const char *path);
int xsd_access(const struct xsd_view *v, const char *path, unsigned int want,
               const struct xsd_node **out);
int xsd_quota_node_room(const struct xsd_view *v, unsigned int more);
void xsd_owner_adjust(struct xsd *xsd, const struct xsd_node *old,
                      const struct xsd_node *new);
int xsd_store_init(struct xsd *xsd);

/* txn.c */
struct xsd_txn *xsd_txn_find(struct xsd_conn *conn, uint32_t id);
int xsd_txn_start(struct xsd_conn *conn, uint32_t *id);
int xsd_txn_end(struct xsd_conn *conn, struct xsd_txn *txn, bool commit);
void xsd_txn_free(struct xsd_txn *txn);
void xsd_txn_free_all(struct xsd_conn *conn);

/* watch.c */
int xsd_watch_add(struct xsd_conn *conn, const char *path, const char *token,
                  size_t strip);
int xsd_watch_del(struct xsd_conn *conn, const char *path, const char *token);
void xsd_watch_free_all(struct xsd_conn *conn);
void xsd_fire(const struct xsd_view *v, const char *path, bool exact,
              const struct xsd_perm *oldp, uint32_t oldn);
void xsd_fire_now(struct xsd *xsd, const char *path, bool exact,
                  const struct xsd_perm *oldp, uint32_t oldn);
bool xsd_special_path(const char *path);

/* conn.c: framing, output queue, dispatch. */
struct xsd_conn *xsd_conn_new(struct xsd *xsd, unsigned int domid);
void xsd_conn_free(struct xsd_conn *conn);
long xsd_conn_input(struct xsd_conn *conn, const void *buf, size_t len);
bool xsd_conn_wants_input(const struct xsd_conn *conn);
size_t xsd_conn_output(const struct xsd_conn *conn, const void **buf);
void xsd_conn_consume(struct xsd_conn *conn, size_t n);
int xsd_reply(struct xsd_req *req, uint32_t type, const void *data, size_t len);
int xsd_ack(struct xsd_req *req);
void xsd_error(struct xsd_conn *conn, const struct xsw_msg *hdr, int err);
int xsd_queue_event(struct xsd_conn *conn, const char *path, const char *token);
const char *xsd_errno_name(int err);
const char *xsd_type_name(uint32_t type);

/* req.c: payload helpers. */
const char *xsd_req_onearg(const struct xsd_req *req);
unsigned int xsd_req_strings(const struct xsd_req *req, const char **vec,
                             unsigned int max);
int xsd_parse_domid(const char *s, unsigned int *domid);

/* Handlers, one file per family.  Each returns 0 or a negative errno. */
typedef int xsd_handler(struct xsd_req *req);
xsd_handler xsd_op_directory, xsd_op_directory_part, xsd_op_read,
    xsd_op_get_perms;
xsd_handler xsd_op_write, xsd_op_mkdir, xsd_op_rm, xsd_op_set_perms;
xsd_handler xsd_op_watch, xsd_op_unwatch, xsd_op_reset_watches;
xsd_handler xsd_op_txn_start, xsd_op_txn_end;
xsd_handler xsd_op_introduce, xsd_op_release, xsd_op_get_domain_path,
    xsd_op_is_introduced, xsd_op_resume, xsd_op_set_target;
xsd_handler xsd_op_control;

/* domain.c */
struct xsd_domain *xsd_domain_find(struct xsd *xsd, unsigned int domid);
void xsd_domain_release_all(struct xsd *xsd);
void xsd_domain_conn_gone(struct xsd *xsd, struct xsd_conn *conn);

/* control.c */
int xsd_quota_set(struct xsd *xsd, const char *name, const char *value);
size_t xsd_quota_show(const struct xsd *xsd, char *out, size_t outlen);

#endif /* XSD_H */
