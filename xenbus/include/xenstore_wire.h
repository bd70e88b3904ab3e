/*
 * The xenstore wire protocol, as facts: message type numbers, the order of
 * the error-name table, the 16-byte header and the shared ring page that a
 * guest and the daemon exchange messages through.  All numbers here are ABI
 * fixed by Xen (xs_wire.h); the names and comments are Mica's own.
 *
 * Freestanding: fixed-width types only, no pointers, explicit layout.
 */
#ifndef MICA_XENSTORE_WIRE_H
#define MICA_XENSTORE_WIRE_H

#include <stdint.h>

#ifdef __cplusplus
#define XSW_ASSERT(c, m) static_assert(c, m)
#else
#define XSW_ASSERT(c, m) _Static_assert(c, m)
#endif

/* Message types.  20 (the old RESTRICT) is a hole and must stay invalid. */
#define XSW_CONTROL              0
#define XSW_DIRECTORY            1
#define XSW_READ                 2
#define XSW_GET_PERMS            3
#define XSW_WATCH                4
#define XSW_UNWATCH              5
#define XSW_TRANSACTION_START    6
#define XSW_TRANSACTION_END      7
#define XSW_INTRODUCE            8
#define XSW_RELEASE              9
#define XSW_GET_DOMAIN_PATH      10
#define XSW_WRITE                11
#define XSW_MKDIR                12
#define XSW_RM                   13
#define XSW_SET_PERMS            14
#define XSW_WATCH_EVENT          15
#define XSW_ERROR                16
#define XSW_IS_DOMAIN_INTRODUCED 17
#define XSW_RESUME               18
#define XSW_SET_TARGET           19
#define XSW_RESET_WATCHES        21
#define XSW_DIRECTORY_PART       22
#define XSW_GET_FEATURE          23
#define XSW_SET_FEATURE          24
#define XSW_GET_QUOTA            25
#define XSW_SET_QUOTA            26
#define XSW_TYPE_COUNT           27
#define XSW_INVALID              0xffff

/*
 * Errors travel as the errno's name followed by a NUL.  The set and its
 * order are append-only ABI; a daemon that meets an errno outside the set
 * answers "EINVAL".
 */
#define XSW_ERROR_NAMES                                                        \
    "EINVAL", "EACCES", "EEXIST", "EISDIR", "ENOENT", "ENOMEM", "ENOSPC",      \
        "EIO", "ENOTEMPTY", "ENOSYS", "EROFS", "EBUSY", "EAGAIN", "EISCONN",   \
        "E2BIG", "EPERM"

/* Header in front of every message, native byte order, both directions. */
struct xsw_msg
{
    uint32_t type;   /* XSW_* */
    uint32_t req_id; /* chosen by the client, echoed in the reply */
    uint32_t tx_id;  /* transaction, 0 for none; echoed in the reply */
    uint32_t len;    /* payload bytes that follow */
};
XSW_ASSERT(sizeof(struct xsw_msg) == 16, "xsw_msg is 16 bytes");

/* A payload above this size makes the daemon drop the connection. */
#define XSW_PAYLOAD_MAX 4096
/* Paths longer than these get EINVAL back. */
#define XSW_ABS_PATH_MAX 3072
#define XSW_REL_PATH_MAX 2048

/* Transaction id meaning "none"; DOMID_SELF for IS_DOMAIN_INTRODUCED. */
#define XSW_DOMID_SELF 0x7ff0U

/*
 * The ring page shared with a guest.  Indices run freely over 32 bits and
 * are reduced with XSW_RING_MASK; prod - cons is the amount of data.  The
 * guest produces requests and consumes responses; the daemon the reverse.
 */
#define XSW_RING_SIZE    1024
#define XSW_RING_MASK(i) ((i) & (XSW_RING_SIZE - 1))

struct xsw_ring
{
    char req[XSW_RING_SIZE]; /* guest -> daemon */
    char rsp[XSW_RING_SIZE]; /* daemon -> guest, replies and watch events */
    uint32_t req_cons, req_prod;
    uint32_t rsp_cons, rsp_prod;
    uint32_t server_features; /* XSW_FEATURE_* the daemon offers */
    uint32_t connection;      /* XSW_CONNECTED or XSW_RECONNECT */
    uint32_t error;           /* XSW_RING_ERR_* once the daemon gives up */
    uint32_t evtchn_port;     /* set by the hypervisor for boot-time domains */
};
XSW_ASSERT(sizeof(struct xsw_ring) == 2080, "xsw_ring layout");
XSW_ASSERT(__builtin_offsetof(struct xsw_ring, req_cons) == 2048,
           "req_cons offset");
XSW_ASSERT(__builtin_offsetof(struct xsw_ring, evtchn_port) == 2076,
           "evtchn_port offset");

#define XSW_FEATURE_RECONNECTION 1
#define XSW_FEATURE_ERROR        2
#define XSW_FEATURE_WATCHDEPTH   4
#define XSW_FEATURE_DOMID_ANY    8

#define XSW_CONNECTED 0
#define XSW_RECONNECT 1

#define XSW_RING_ERR_NONE    0
#define XSW_RING_ERR_COMM    1
#define XSW_RING_ERR_RINGIDX 2
#define XSW_RING_ERR_PROTO   3

#endif /* MICA_XENSTORE_WIRE_H */
