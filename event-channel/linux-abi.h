/*
 * The request numbers and argument layouts of Linux's /dev/xen/evtchn
 * (include/uapi/xen/evtchn.h), restated for what we use. Each binding
 * request returns the new local port as the ioctl's result. read() yields
 * pending ports as 32-bit values, and write() of ports unmasks them.
 * The unit tests compare these with the system's header where installed.
 */
#ifndef MICA_EVTCHN_LINUX_ABI_H
#define MICA_EVTCHN_LINUX_ABI_H

#include <stdint.h>
#include <sys/ioctl.h>

struct evtchn_op_virq
{
    uint32_t virq;
};

struct evtchn_op_interdomain
{
    uint32_t remote_domain;
    uint32_t remote_port;
};

struct evtchn_op_unbound
{
    uint32_t remote_domain;
};

/* For unbind and notify alike. */
struct evtchn_op_port
{
    uint32_t port;
};

#define IOCTL_EVTCHN_OP_BIND_VIRQ                                              \
    _IOC(_IOC_NONE, 'E', 0, sizeof(struct evtchn_op_virq))
#define IOCTL_EVTCHN_OP_BIND_INTERDOMAIN                                       \
    _IOC(_IOC_NONE, 'E', 1, sizeof(struct evtchn_op_interdomain))
#define IOCTL_EVTCHN_OP_BIND_UNBOUND                                           \
    _IOC(_IOC_NONE, 'E', 2, sizeof(struct evtchn_op_unbound))
#define IOCTL_EVTCHN_OP_UNBIND                                                 \
    _IOC(_IOC_NONE, 'E', 3, sizeof(struct evtchn_op_port))
#define IOCTL_EVTCHN_OP_NOTIFY                                                 \
    _IOC(_IOC_NONE, 'E', 4, sizeof(struct evtchn_op_port))

_Static_assert(IOCTL_EVTCHN_OP_BIND_VIRQ == 0x00044500 &&
                   IOCTL_EVTCHN_OP_BIND_INTERDOMAIN == 0x00084501 &&
                   IOCTL_EVTCHN_OP_BIND_UNBOUND == 0x00044502 &&
                   IOCTL_EVTCHN_OP_UNBIND == 0x00044503 &&
                   IOCTL_EVTCHN_OP_NOTIFY == 0x00044504,
               "Linux's evtchn request numbers");

#endif /* MICA_EVTCHN_LINUX_ABI_H */
