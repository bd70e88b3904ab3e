/*
 * libmicastore internals.  The handle owns the connection fd, a buffer
 * for the message being received, a FIFO of watch events that arrived
 * while waiting for replies, and the readiness machinery behind
 * mstore_watch_fd(): an epoll fd watching both the connection and an
 * eventfd that counts queued events.
 */
#ifndef MSTORE_PRIVATE_H
#define MSTORE_PRIVATE_H

#include "micastore.h"
#include "xenstore_wire.h"

struct mstore_event
{
    struct mstore_event *next;
    char *path;
    char *token;
};

struct mstore
{
    int fd;     /* socket or xenbus device */
    int evfd;   /* eventfd: nonzero while events are queued */
    int pollfd; /* epoll set of fd and evfd */
    uint32_t next_req;
    /* Receive state of the current message. */
    struct xsw_msg hdr;
    size_t got; /* bytes of header + payload received */
    char buf[XSW_PAYLOAD_MAX + 1];
    struct mstore_event *events, **events_tail;
};

/* micastore.c: one request and its reply (payload = the parts). */
struct mstore_part
{
    const void *p;
    size_t len;
};
int mstore_i_request(struct mstore *h, uint32_t type, mstore_txn_t t,
                     const struct mstore_part *parts, unsigned int nparts,
                     char **reply, size_t *rlen);
/* The same with a payload of one or two strings (b may be NULL). */
int mstore_i_simple(struct mstore *h, uint32_t type, mstore_txn_t t,
                    const char *a, const char *b, char **reply);
/* 1 when a whole message is in h->hdr/h->buf, 0 if not yet, or -EIO. */
int mstore_i_read_msg(struct mstore *h, bool block);
/* Queue the watch event in h->buf. */
void mstore_i_queue_event(struct mstore *h);

/* os_linux.c: connect, plain I/O, readiness. */
int mstore_os_connect(struct mstore *h, const char *path, unsigned int flags);
int mstore_os_readiness(struct mstore *h);
void mstore_os_close(struct mstore *h);
int mstore_os_write(struct mstore *h, const void *p, size_t len);
/* Read what is there; 0 if nothing (non-blocking) or -errno. */
long mstore_os_read(struct mstore *h, void *p, size_t len, bool block);
void mstore_os_signal(struct mstore *h, bool pending);

#endif /* MSTORE_PRIVATE_H */
