/*
 * HYPERVISOR_sched_op(cmd, arg): yield, block, shut down, poll.
 *
 * SCHEDOP_block clears the event mask and sleeps until an event is pending;
 * SCHEDOP_shutdown and SCHEDOP_shutdown_code take a sched_shutdown;
 * SCHEDOP_poll sleeps until one of the listed ports is pending or the
 * absolute timeout (system time, ns; 0 = none) passes.
 */
#ifndef MICA_PUBLIC_SCHED_H
#define MICA_PUBLIC_SCHED_H

#include <stdint.h>
#include "abi-check.h"
#include "xen.h"

#ifndef MICA_EVTCHN_PORT_T
#define MICA_EVTCHN_PORT_T
typedef uint32_t evtchn_port_t;
#endif

#define SCHEDOP_yield            0
#define SCHEDOP_block            1
#define SCHEDOP_shutdown         2
#define SCHEDOP_poll             3
#define SCHEDOP_remote_shutdown  4
#define SCHEDOP_shutdown_code    5
#define SCHEDOP_watchdog         6
#define SCHEDOP_pin_override     7

#define SHUTDOWN_poweroff   0
#define SHUTDOWN_reboot     1
#define SHUTDOWN_suspend    2
#define SHUTDOWN_crash      3
#define SHUTDOWN_watchdog   4
#define SHUTDOWN_soft_reset 5
#define SHUTDOWN_MAX        5

struct sched_shutdown {
    uint32_t reason;            /* SHUTDOWN_* */
};
typedef struct sched_shutdown sched_shutdown_t;
MICA_ABI_SIZE(struct sched_shutdown, 4);

struct sched_poll {
    uint64_t ports;             /* guest address of evtchn_port_t[] */
    uint32_t nr_ports;
    uint32_t _pad0;
    uint64_t timeout;
};
typedef struct sched_poll sched_poll_t;
MICA_ABI_SIZE(struct sched_poll, 24);
MICA_ABI_OFFSET(struct sched_poll, nr_ports, 8);
MICA_ABI_OFFSET(struct sched_poll, timeout, 16);

struct sched_remote_shutdown {
    domid_t domain_id;
    uint16_t _pad0;
    uint32_t reason;            /* SHUTDOWN_* */
};
typedef struct sched_remote_shutdown sched_remote_shutdown_t;
MICA_ABI_SIZE(struct sched_remote_shutdown, 8);

struct sched_watchdog {
    uint32_t id;
    uint32_t timeout;
};
typedef struct sched_watchdog sched_watchdog_t;
MICA_ABI_SIZE(struct sched_watchdog, 8);

struct sched_pin_override {
    int32_t pcpu;
};
typedef struct sched_pin_override sched_pin_override_t;
MICA_ABI_SIZE(struct sched_pin_override, 4);

#endif /* MICA_PUBLIC_SCHED_H */
