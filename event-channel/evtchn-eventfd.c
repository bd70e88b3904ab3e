/*
 * The eventfd backend: event channels between processes of one host.
 *
 * A host stands in for the hypervisor. It holds a port table in anonymous
 * shared memory and one eventfd per port, both made before fork() so that
 * every process forked afterwards shares them. A table entry says who owns
 * the port (a domain id the process chose) and what it is bound to; Xen's
 * states are kept: FREE, UNBOUND (offered to one remote domain),
 * INTERDOMAIN (connected to a remote port) and VIRQ.
 *
 * Binding and unbinding change two entries at once and take the table's
 * spin lock; notify() only reads, so a notification racing with an unbind
 * may land on a port just freed. That is a spurious event, which event
 * channels allow anyway: receivers always look at the ring to see why.
 *
 * Each handle polls its ports' eventfds through its own epoll instance,
 * whose descriptor is the handle's fd. An eventfd's counter is the port's
 * pending bit: notify adds to it, pending() reads it back to zero. That
 * gives the edge-triggered, coalescing behaviour of Linux's
 * /dev/xen/evtchn; its mask-on-delivery is kept lazily, to save two
 * epoll_ctl() calls per event: a delivered port stays in the epoll set,
 * and only if it fires again while still masked does pending() "park" it
 * (interest cleared, events 0) until unmask() restores it. The counter
 * keeps what arrived meanwhile, so it is reported after unmask(); the cost
 * is that poll() may wake once for a port that pending() then holds back.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "private.h"

enum port_state
{
    PORT_FREE,
    PORT_UNBOUND,
    PORT_INTERDOMAIN,
    PORT_VIRQ,
};

/* One port, in shared memory. Written under the table lock. */
struct host_port
{
    uint32_t state;
    uint16_t owner;       /* the domain that bound it */
    uint16_t remote_dom;  /* UNBOUND, INTERDOMAIN: the other domain */
    uint32_t remote_port; /* INTERDOMAIN: the other end */
    uint32_t virq;        /* VIRQ */
};

struct host_table
{
    uint32_t lock;
    uint32_t nr_ports;
    struct host_port ports[];
};

struct mica_evtchn_host
{
    struct host_table *table;
    size_t table_size;
    int *efds; /* one per port, shared across fork */
};

/* A handle's backend state. */
struct efd_handle
{
    struct mica_evtchn_host *host;
    uint16_t domid;
    uint64_t parked[PORT_WORDS]; /* masked ports taken out of the epoll set */
};

static void table_lock(struct host_table *t)
{
    while ( __atomic_exchange_n(&t->lock, 1, __ATOMIC_ACQUIRE) )
        while ( __atomic_load_n(&t->lock, __ATOMIC_RELAXED) )
            __builtin_ia32_pause();
}

static void table_unlock(struct host_table *t)
{
    __atomic_store_n(&t->lock, 0, __ATOMIC_RELEASE);
}

static void host_free(struct mica_evtchn_host *host, unsigned int nr_efds)
{
    unsigned int i;

    for ( i = 0; i < nr_efds; i++ )
        close(host->efds[i]);
    if ( host->table )
        munmap(host->table, host->table_size);
    free(host->efds);
    free(host);
}

int mica_evtchn_host_create(unsigned int nr_ports,
                            struct mica_evtchn_host **out)
{
    struct mica_evtchn_host *host;
    void *table;
    unsigned int i;
    int rc;

    if ( nr_ports < 2 || nr_ports > MICA_EVTCHN_NR_PORTS )
        return -EINVAL;
    host = calloc(1, sizeof(*host));
    if ( !host || !(host->efds = calloc(nr_ports, sizeof(int))) )
    {
        free(host);
        return -ENOMEM;
    }
    host->table_size =
        sizeof(struct host_table) + nr_ports * sizeof(struct host_port);
    table = mmap(NULL, host->table_size, PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if ( table == MAP_FAILED )
    {
        rc = -errno;
        host_free(host, 0);
        return rc;
    }
    host->table = table;
    host->table->nr_ports = nr_ports;
    for ( i = 0; i < nr_ports; i++ )
    {
        host->efds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if ( host->efds[i] < 0 )
        {
            rc = -errno;
            host_free(host, i);
            return rc;
        }
    }
    *out = host;
    return 0;
}

void mica_evtchn_host_destroy(struct mica_evtchn_host *host)
{
    if ( host )
        host_free(host, host->table->nr_ports);
}

static void efd_kick(struct mica_evtchn_host *host, uint32_t port)
{
    uint64_t one = 1;

    /* Only fails if the counter would overflow: it is pending anyway. */
    (void)!write(host->efds[port], &one, sizeof(one));
}

static void efd_drain(struct mica_evtchn_host *host, uint32_t port)
{
    uint64_t count;

    (void)!read(host->efds[port], &count, sizeof(count));
}

int mica_evtchn_host_raise_virq(struct mica_evtchn_host *host, uint16_t domid,
                                unsigned int virq)
{
    struct host_table *t = host->table;
    uint32_t port;

    if ( virq >= MICA_EVTCHN_NR_VIRQS )
        return -EINVAL;
    table_lock(t);
    for ( port = 1; port < t->nr_ports; port++ )
        if ( t->ports[port].state == PORT_VIRQ &&
             t->ports[port].owner == domid && t->ports[port].virq == virq )
            efd_kick(host, port);
    table_unlock(t);
    return 0;
}

static struct efd_handle *efd(const struct mica_evtchn *h)
{
    return h->backend;
}

/* Set (events EPOLLIN) or clear (0) the epoll interest in `port`. */
static int efd_watch(struct mica_evtchn *h, int op, uint32_t port,
                     uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.u32 = port};

    if ( epoll_ctl(h->fd, op, efd(h)->host->efds[port], &ev) < 0 )
        return -errno;
    return 0;
}

/* A free port, marked with `state` for us; -ENOSPC. Table locked. */
static int port_claim(struct efd_handle *e, uint32_t state)
{
    struct host_table *t = e->host->table;
    uint32_t port;

    for ( port = 1; port < t->nr_ports; port++ )
        if ( t->ports[port].state == PORT_FREE )
        {
            t->ports[port].owner = e->domid;
            __atomic_store_n(&t->ports[port].state, state, __ATOMIC_RELEASE);
            return (int)port;
        }
    return -ENOSPC;
}

/*
 * Watch a port claimed under the lock, with no stale count from an
 * earlier owner. On failure the port is released again.
 */
static int port_publish(struct mica_evtchn *h, int port)
{
    int rc;

    if ( port < 0 )
        return port;
    efd_drain(efd(h)->host, (uint32_t)port);
    rc = efd_watch(h, EPOLL_CTL_ADD, (uint32_t)port, EPOLLIN);
    if ( rc == 0 )
        return port;
    h->ops->unbind(h, (uint32_t)port);
    return rc;
}

static int efd_bind_unbound(struct mica_evtchn *h, uint16_t remote_domid)
{
    struct host_table *t = efd(h)->host->table;
    int port;

    table_lock(t);
    port = port_claim(efd(h), PORT_UNBOUND);
    if ( port > 0 )
        t->ports[port].remote_dom = remote_domid;
    table_unlock(t);
    return port_publish(h, port);
}

/* Connect a new port to `rport`, which must be offered to us. Locked. */
static int connect_locked(struct efd_handle *e, uint16_t remote_domid,
                          uint32_t rport)
{
    struct host_table *t = e->host->table;
    struct host_port *remote;
    int port;

    if ( rport >= t->nr_ports )
        return -EINVAL;
    remote = &t->ports[rport];
    if ( remote->state != PORT_UNBOUND || remote->owner != remote_domid ||
         remote->remote_dom != e->domid )
        return -EINVAL;
    port = port_claim(e, PORT_INTERDOMAIN);
    if ( port < 0 )
        return port;
    t->ports[port].remote_dom = remote_domid;
    t->ports[port].remote_port = rport;
    remote->remote_port = (uint32_t)port;
    __atomic_store_n(&remote->state, PORT_INTERDOMAIN, __ATOMIC_RELEASE);
    return port;
}

static int efd_bind_interdomain(struct mica_evtchn *h, uint16_t remote_domid,
                                uint32_t remote_port)
{
    struct host_table *t = efd(h)->host->table;
    int port;

    table_lock(t);
    port = connect_locked(efd(h), remote_domid, remote_port);
    table_unlock(t);
    port = port_publish(h, port);
    /* The peer may have notified before we connected: report it now. */
    if ( port > 0 )
        efd_kick(efd(h)->host, (uint32_t)port);
    return port;
}

static int efd_bind_virq(struct mica_evtchn *h, unsigned int virq)
{
    struct host_table *t = efd(h)->host->table;
    uint32_t p;
    int port;

    table_lock(t);
    for ( p = 1; p < t->nr_ports; p++ )
        if ( t->ports[p].state == PORT_VIRQ &&
             t->ports[p].owner == efd(h)->domid && t->ports[p].virq == virq )
            break;
    port = p < t->nr_ports ? -EEXIST : port_claim(efd(h), PORT_VIRQ);
    if ( port > 0 )
        t->ports[port].virq = virq;
    table_unlock(t);
    return port_publish(h, port);
}

static int efd_unbind(struct mica_evtchn *h, uint32_t port)
{
    struct host_table *t = efd(h)->host->table;
    struct host_port *p = &t->ports[port];

    table_lock(t);
    if ( p->state == PORT_INTERDOMAIN )
    {
        /* The other end waits, unbound, for our domain to come back. */
        t->ports[p->remote_port].remote_dom = efd(h)->domid;
        __atomic_store_n(&t->ports[p->remote_port].state, PORT_UNBOUND,
                         __ATOMIC_RELEASE);
    }
    __atomic_store_n(&p->state, PORT_FREE, __ATOMIC_RELEASE);
    table_unlock(t);
    port_bit_set(efd(h)->parked, port, false);
    efd_watch(h, EPOLL_CTL_DEL, port, 0);
    efd_drain(efd(h)->host, port);
    return 0;
}

static int efd_notify(struct mica_evtchn *h, uint32_t port)
{
    struct host_port *p = &efd(h)->host->table->ports[port];

    /* Pairs with the release stores of state under the table lock. */
    if ( __atomic_load_n(&p->state, __ATOMIC_ACQUIRE) == PORT_INTERDOMAIN )
        efd_kick(efd(h)->host, p->remote_port);
    return 0;
}

static int efd_pending(struct mica_evtchn *h)
{
    struct epoll_event ev;
    uint32_t port;
    int n;

    for ( ;; )
    {
        n = epoll_wait(h->fd, &ev, 1, 0);
        if ( n < 0 )
            return errno == EINTR ? -EAGAIN : -errno;
        if ( n == 0 )
            return -EAGAIN;
        port = ev.data.u32;
        if ( !evtchn_port_masked(h, port) )
            break;
        /* Fired again while masked: hold it back until unmask(). */
        efd_watch(h, EPOLL_CTL_MOD, port, 0);
        port_bit_set(efd(h)->parked, port, true);
    }
    efd_drain(efd(h)->host, port);
    return (int)port;
}

static int efd_unmask(struct mica_evtchn *h, uint32_t port)
{
    int rc = 0;

    if ( port_bit_test(efd(h)->parked, port) )
        rc = efd_watch(h, EPOLL_CTL_MOD, port, EPOLLIN);
    if ( rc == 0 )
        port_bit_set(efd(h)->parked, port, false);
    return rc;
}

static void efd_close(struct mica_evtchn *h)
{
    close(h->fd);
    free(h->backend);
}

const struct evtchn_ops evtchn_eventfd_ops = {
    .bind_unbound = efd_bind_unbound,
    .bind_interdomain = efd_bind_interdomain,
    .bind_virq = efd_bind_virq,
    .unbind = efd_unbind,
    .notify = efd_notify,
    .pending = efd_pending,
    .unmask = efd_unmask,
    .close = efd_close,
};

int evtchn_eventfd_init(struct mica_evtchn *h, struct mica_evtchn_host *host,
                        uint16_t domid)
{
    struct efd_handle *e = calloc(1, sizeof(*e));

    if ( !e )
        return -ENOMEM;
    h->fd = epoll_create1(EPOLL_CLOEXEC);
    if ( h->fd < 0 )
    {
        free(e);
        return -errno;
    }
    e->host = host;
    e->domid = domid;
    h->backend = e;
    return 0;
}
