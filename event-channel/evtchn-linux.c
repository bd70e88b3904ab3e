/*
 * The backend over Linux's /dev/xen/evtchn. The driver already behaves as
 * the library promises: a port it reports through read() stays masked
 * until written back, and closing the file unbinds what is left. The
 * descriptor is non-blocking so that pending() never sleeps.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "linux-abi.h"
#include "private.h"

#define EVTCHN_PATH "/dev/xen/evtchn"

/* An ioctl whose result is a port or nothing: that, or -errno. */
static int evtchn_ioctl(struct mica_evtchn *h, unsigned long req, void *arg)
{
    int rc = ioctl(h->fd, req, arg);

    return rc < 0 ? -errno : rc;
}

static int linux_bind_unbound(struct mica_evtchn *h, uint16_t remote_domid)
{
    struct evtchn_op_unbound op = {.remote_domain = remote_domid};

    return evtchn_ioctl(h, IOCTL_EVTCHN_OP_BIND_UNBOUND, &op);
}

static int linux_bind_interdomain(struct mica_evtchn *h, uint16_t remote_domid,
                                  uint32_t remote_port)
{
    struct evtchn_op_interdomain op = {
        .remote_domain = remote_domid,
        .remote_port = remote_port,
    };

    return evtchn_ioctl(h, IOCTL_EVTCHN_OP_BIND_INTERDOMAIN, &op);
}

static int linux_bind_virq(struct mica_evtchn *h, unsigned int virq)
{
    struct evtchn_op_virq op = {.virq = virq};

    return evtchn_ioctl(h, IOCTL_EVTCHN_OP_BIND_VIRQ, &op);
}

static int linux_unbind(struct mica_evtchn *h, uint32_t port)
{
    struct evtchn_op_port op = {.port = port};

    return evtchn_ioctl(h, IOCTL_EVTCHN_OP_UNBIND, &op);
}

static int linux_notify(struct mica_evtchn *h, uint32_t port)
{
    struct evtchn_op_port op = {.port = port};

    return evtchn_ioctl(h, IOCTL_EVTCHN_OP_NOTIFY, &op);
}

static int linux_pending(struct mica_evtchn *h)
{
    uint32_t port;
    ssize_t n = read(h->fd, &port, sizeof(port));

    if ( n == sizeof(port) )
        return (int)port;
    if ( n < 0 && errno != EINTR )
        return -errno;
    return -EAGAIN;
}

static int linux_unmask(struct mica_evtchn *h, uint32_t port)
{
    ssize_t n = write(h->fd, &port, sizeof(port));

    if ( n == sizeof(port) )
        return 0;
    return n < 0 ? -errno : -EIO;
}

static void linux_close(struct mica_evtchn *h)
{
    close(h->fd);
}

const struct evtchn_ops evtchn_linux_ops = {
    .bind_unbound = linux_bind_unbound,
    .bind_interdomain = linux_bind_interdomain,
    .bind_virq = linux_bind_virq,
    .unbind = linux_unbind,
    .notify = linux_notify,
    .pending = linux_pending,
    .unmask = linux_unmask,
    .close = linux_close,
};

int evtchn_linux_init(struct mica_evtchn *h)
{
    h->fd = open(EVTCHN_PATH, O_RDWR | O_CLOEXEC | O_NONBLOCK);
    return h->fd < 0 ? -errno : 0;
}
