/*
 * The generic half of the event-channel library: checks every argument,
 * tracks which ports a handle has bound and which are masked, and passes
 * the rest to the handle's backend. Keeping that bookkeeping here is what
 * makes the two backends answer the same calls with the same errors.
 */
#include <errno.h>
#include <stdlib.h>

#include "private.h"

bool port_bit_test(const uint64_t *map, uint32_t port)
{
    return map[port / 64] & (1ull << (port % 64));
}

void port_bit_set(uint64_t *map, uint32_t port, bool on)
{
    if ( on )
        map[port / 64] |= 1ull << (port % 64);
    else
        map[port / 64] &= ~(1ull << (port % 64));
}

bool evtchn_port_masked(const struct mica_evtchn *h, uint32_t port)
{
    return port < MICA_EVTCHN_NR_PORTS && port_bit_test(h->masked, port);
}

struct mica_evtchn *evtchn_alloc(const struct evtchn_ops *ops)
{
    struct mica_evtchn *h = calloc(1, sizeof(*h));

    if ( h )
    {
        h->ops = ops;
        h->fd = -1;
    }
    return h;
}

void evtchn_free(struct mica_evtchn *h)
{
    free(h);
}

int mica_evtchn_open(struct mica_evtchn **out)
{
    struct mica_evtchn *h = evtchn_alloc(&evtchn_linux_ops);
    int rc;

    if ( !h )
        return -ENOMEM;
    rc = evtchn_linux_init(h);
    if ( rc )
    {
        evtchn_free(h);
        return rc;
    }
    *out = h;
    return 0;
}

int mica_evtchn_open_host(struct mica_evtchn_host *host, uint16_t domid,
                          struct mica_evtchn **out)
{
    struct mica_evtchn *h;
    int rc;

    if ( !host )
        return -EINVAL;
    h = evtchn_alloc(&evtchn_eventfd_ops);
    if ( !h )
        return -ENOMEM;
    rc = evtchn_eventfd_init(h, host, domid);
    if ( rc )
    {
        evtchn_free(h);
        return rc;
    }
    *out = h;
    return 0;
}

void mica_evtchn_close(struct mica_evtchn *h)
{
    uint32_t port;

    if ( !h )
        return;
    for ( port = 0; port < MICA_EVTCHN_NR_PORTS; port++ )
        if ( port_bit_test(h->bound, port) )
            h->ops->unbind(h, port);
    h->ops->close(h);
    evtchn_free(h);
}

int mica_evtchn_fd(const struct mica_evtchn *h)
{
    return h->fd;
}

/*
 * Record a port a backend just bound. A port outside what the bitmaps
 * cover (a kernel using another event-channel ABI) is given back.
 */
static int bound_port(struct mica_evtchn *h, int port)
{
    if ( port < 0 )
        return port;
    if ( (uint32_t)port >= MICA_EVTCHN_NR_PORTS )
    {
        h->ops->unbind(h, (uint32_t)port);
        return -ENOSPC;
    }
    port_bit_set(h->bound, (uint32_t)port, true);
    port_bit_set(h->masked, (uint32_t)port, false);
    return port;
}

int mica_evtchn_bind_unbound(struct mica_evtchn *h, uint16_t remote_domid)
{
    return bound_port(h, h->ops->bind_unbound(h, remote_domid));
}

int mica_evtchn_bind_interdomain(struct mica_evtchn *h, uint16_t remote_domid,
                                 uint32_t remote_port)
{
    if ( remote_port >= MICA_EVTCHN_NR_PORTS )
        return -EINVAL;
    return bound_port(h,
                      h->ops->bind_interdomain(h, remote_domid, remote_port));
}

int mica_evtchn_bind_virq(struct mica_evtchn *h, unsigned int virq)
{
    if ( virq >= MICA_EVTCHN_NR_VIRQS )
        return -EINVAL;
    return bound_port(h, h->ops->bind_virq(h, virq));
}

/* 0 if `port` is one this handle bound, else the error every call gives. */
static int check_port(const struct mica_evtchn *h, uint32_t port)
{
    if ( port >= MICA_EVTCHN_NR_PORTS )
        return -EINVAL;
    if ( !port_bit_test(h->bound, port) )
        return -ENOTCONN;
    return 0;
}

int mica_evtchn_unbind(struct mica_evtchn *h, uint32_t port)
{
    int rc = check_port(h, port);

    if ( rc )
        return rc;
    rc = h->ops->unbind(h, port);
    if ( rc == 0 )
        port_bit_set(h->bound, port, false);
    return rc;
}

int mica_evtchn_notify(struct mica_evtchn *h, uint32_t port)
{
    int rc = check_port(h, port);

    return rc ? rc : h->ops->notify(h, port);
}

int mica_evtchn_pending(struct mica_evtchn *h)
{
    int port = h->ops->pending(h);

    if ( port >= 0 && (uint32_t)port < MICA_EVTCHN_NR_PORTS )
        port_bit_set(h->masked, (uint32_t)port, true);
    return port;
}

int mica_evtchn_unmask(struct mica_evtchn *h, uint32_t port)
{
    int rc = check_port(h, port);

    if ( rc || !port_bit_test(h->masked, port) )
        return rc;
    rc = h->ops->unmask(h, port);
    if ( rc == 0 )
        port_bit_set(h->masked, port, false);
    return rc;
}
