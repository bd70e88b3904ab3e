/*
 * Event channels from userland: the doorbells that go with shared rings.
 *
 * A handle (struct mica_evtchn) owns the ports it binds and offers one file
 * descriptor to poll() for all of them. Two backends sit behind the same
 * functions:
 *  - mica_evtchn_open(): Linux's /dev/xen/evtchn, in a Xen (or Mica) domain;
 *  - mica_evtchn_open_host(): eventfds between processes of one host, for
 *    tests and benchmarks. A struct mica_evtchn_host, created before fork(),
 *    plays the hypervisor: it holds the shared port table, and each process
 *    opens its handle on it as a "domain" with an id of its choice.
 *
 * Semantics, identical for both backends (Xen's, as Linux's driver shows
 * them to userland):
 *  - notify() on a connected port makes the peer's port pending; on a port
 *    whose peer has not bound yet (or has unbound) it is dropped, and the
 *    call still succeeds.
 *  - Events are edge-triggered and coalescing: however many notifications
 *    arrive, a pending port is reported once by pending().
 *  - A port pending() returns is masked: later notifications are remembered
 *    (as one) but not reported until unmask(). The usual loop is
 *    poll(fd) -> pending() -> unmask() -> drain the ring -> final check.
 *  - poll() may wake with nothing for pending() to report (the eventfd
 *    backend does so once for a port notified while masked); callers treat
 *    -EAGAIN after a wake-up as nothing to do.
 *  - bind_interdomain() leaves the new local port pending, since the peer may
 *    have notified its unbound end before we connected.
 *  - Unbinding one end of a connection leaves the other end unbound, ready
 *    for the same peer domain to bind it again.
 *
 * Errors (negative errno values): -EINVAL for a port beyond
 * MICA_EVTCHN_NR_PORTS, a remote port that is not unbound and offered to us,
 * or a bad virq; -ENOTCONN for a port this handle has not bound; -ENOSPC
 * when no port is free; -EEXIST for a virq already bound; -EAGAIN from
 * pending() when nothing is pending. The Linux backend may also pass on
 * what the driver says (-ENOENT on open if xen-evtchn is not loaded).
 *
 * A handle is not thread-safe: use one per thread, or lock around it. A
 * handle does not survive fork(); open it in the process that uses it.
 */
#ifndef MICA_EVTCHN_H
#define MICA_EVTCHN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C"
{
#endif

/* Ports per domain with Xen's 2-level event channels on 64-bit guests. */
#define MICA_EVTCHN_NR_PORTS 4096u

/* Xen's NR_VIRQS: virtual interrupt lines a domain may bind. */
#define MICA_EVTCHN_NR_VIRQS 24u

    struct mica_evtchn;
    struct mica_evtchn_host;

    /* Open /dev/xen/evtchn. Returns 0, or -errno (-ENOENT without xen-evtchn).
     */
    int mica_evtchn_open(struct mica_evtchn **out);

    /*
     * Create the shared port table and `nr_ports` eventfds (2 to
     * MICA_EVTCHN_NR_PORTS; port 0 is never handed out, as in Xen) for
     * processes forked from the caller afterwards. Returns 0, -EINVAL for a bad
     * count, or -errno (-EMFILE when out of file descriptors).
     */
    int mica_evtchn_host_create(unsigned int nr_ports,
                                struct mica_evtchn_host **out);

    /*
     * Release this process's view of a host (its eventfds and mapping). Other
     * processes keep theirs. Close the handles opened on it first.
     */
    void mica_evtchn_host_destroy(struct mica_evtchn_host *host);

    /*
     * Raise virtual interrupt `virq` for domain `domid` of an eventfd host:
     * makes pending the port that domain bound to it, if any. Returns 0, or
     * -EINVAL for a bad virq. (In Xen the hypervisor raises virqs.)
     */
    int mica_evtchn_host_raise_virq(struct mica_evtchn_host *host,
                                    uint16_t domid, unsigned int virq);

    /*
     * Open a handle on an eventfd host as domain `domid`. Returns 0 or -errno.
     */
    int mica_evtchn_open_host(struct mica_evtchn_host *host, uint16_t domid,
                              struct mica_evtchn **out);

    /* Unbind every port of the handle and free it. NULL is allowed. */
    void mica_evtchn_close(struct mica_evtchn *h);

    /* The descriptor to poll() for POLLIN: readable while a port is pending. */
    int mica_evtchn_fd(const struct mica_evtchn *h);

    /*
     * Allocate a port that domain `remote_domid` may connect to with
     * bind_interdomain(). Returns the local port, or -errno.
     */
    int mica_evtchn_bind_unbound(struct mica_evtchn *h, uint16_t remote_domid);

    /*
     * Connect a new local port to `remote_port` of `remote_domid`, which must
     * be unbound and offered to our domain. Returns the local port (left
     * pending), or -errno.
     */
    int mica_evtchn_bind_interdomain(struct mica_evtchn *h,
                                     uint16_t remote_domid,
                                     uint32_t remote_port);

    /* Bind a new local port to virtual interrupt `virq`. Returns it, or -errno.
     */
    int mica_evtchn_bind_virq(struct mica_evtchn *h, unsigned int virq);

    /* Release `port`; the peer's end, if any, becomes unbound. 0 or -errno. */
    int mica_evtchn_unbind(struct mica_evtchn *h, uint32_t port);

    /* Make the peer of `port` pending. 0 or -errno. */
    int mica_evtchn_notify(struct mica_evtchn *h, uint32_t port);

    /*
     * Take one pending port, which stays masked until unmask(). Never blocks.
     * Returns the port, -EAGAIN if none is pending, or -errno.
     */
    int mica_evtchn_pending(struct mica_evtchn *h);

    /*
     * Let `port` be reported again; a notification that arrived while it was
     * masked is reported now. Unmasking an unmasked port does nothing.
     * 0 or -errno.
     */
    int mica_evtchn_unmask(struct mica_evtchn *h, uint32_t port);

#ifdef __cplusplus
}
#endif

#endif /* MICA_EVTCHN_H */
