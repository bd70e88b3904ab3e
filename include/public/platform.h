/*
 * HYPERVISOR_platform_op(op): host-wide operations for the control
 * domain only. Mica implements XENPF_settime64 (dom0 tells the hypervisor
 * the time of day) and answers -ENOSYS for the rest.
 */
#ifndef MICA_PUBLIC_PLATFORM_H
#define MICA_PUBLIC_PLATFORM_H

#include <stdint.h>
#include "abi-check.h"

#define XENPF_INTERFACE_VERSION 0x03000001

/* The clock reads secs.nsecs since 1970 when system time is system_time. */
#define XENPF_settime64 62
struct xenpf_settime64 {
    uint64_t secs;
    uint32_t nsecs;
    uint32_t mbz;
    uint64_t system_time;
};
typedef struct xenpf_settime64 xenpf_settime64_t;
MICA_ABI_SIZE(struct xenpf_settime64, 24);

struct xen_platform_op {
    uint32_t cmd;
    uint32_t interface_version;     /* XENPF_INTERFACE_VERSION */
    union {
        struct xenpf_settime64 settime64;
        uint8_t pad[128];
    } u;
};
typedef struct xen_platform_op xen_platform_op_t;
MICA_ABI_SIZE(struct xen_platform_op, 136);
MICA_ABI_OFFSET(struct xen_platform_op, u, 8);

#endif /* MICA_PUBLIC_PLATFORM_H */
