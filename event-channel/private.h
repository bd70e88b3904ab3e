/*
 * Inside the event-channel library: the handle, and the contract between
 * the generic half (core.c) and each backend (evtchn-linux.c,
 * evtchn-eventfd.c).
 *
 * core.c validates every argument and keeps, per handle, which ports are
 * bound and which are masked, so both backends refuse the same calls with
 * the same errors. A backend sees only calls on ports the handle has bound
 * and only unmask() of a masked port.
 */
#ifndef MICA_EVTCHN_PRIVATE_H
#define MICA_EVTCHN_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include <mica/evtchn.h>

#define PORT_WORDS (MICA_EVTCHN_NR_PORTS / 64)

/* Each returns what its public counterpart does; `h` is already checked. */
struct evtchn_ops
{
    int (*bind_unbound)(struct mica_evtchn *h, uint16_t remote_domid);
    int (*bind_interdomain)(struct mica_evtchn *h, uint16_t remote_domid,
                            uint32_t remote_port);
    int (*bind_virq)(struct mica_evtchn *h, unsigned int virq);
    int (*unbind)(struct mica_evtchn *h, uint32_t port);
    int (*notify)(struct mica_evtchn *h, uint32_t port);
    int (*pending)(struct mica_evtchn *h);
    int (*unmask)(struct mica_evtchn *h, uint32_t port);
    /* Free the backend's state; core.c has unbound every port first. */
    void (*close)(struct mica_evtchn *h);
};

struct mica_evtchn
{
    const struct evtchn_ops *ops;
    int fd;        /* what mica_evtchn_fd() returns */
    void *backend; /* the backend's own state */
    uint64_t bound[PORT_WORDS];
    uint64_t masked[PORT_WORDS];
};

/* Bit `port` of a PORT_WORDS bitmap. */
bool port_bit_test(const uint64_t *map, uint32_t port);
void port_bit_set(uint64_t *map, uint32_t port, bool on);

/* Has pending() returned `port` with no unmask() since? */
bool evtchn_port_masked(const struct mica_evtchn *h, uint32_t port);

/* A handle with `ops` and no ports, or NULL when out of memory. */
struct mica_evtchn *evtchn_alloc(const struct evtchn_ops *ops);

/* Free a handle whose backend state is gone. */
void evtchn_free(struct mica_evtchn *h);

extern const struct evtchn_ops evtchn_linux_ops;
extern const struct evtchn_ops evtchn_eventfd_ops;

/* Backend constructors: fill h->fd and h->backend, or return -errno. */
int evtchn_linux_init(struct mica_evtchn *h);
int evtchn_eventfd_init(struct mica_evtchn *h, struct mica_evtchn_host *host,
                        uint16_t domid);

#endif /* MICA_EVTCHN_PRIVATE_H */
