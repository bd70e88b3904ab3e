/*
 * HYPERVISOR_vcpu_op(cmd, vcpuid, arg): per-vCPU bring-up, timers and
 * shared-memory areas.  Addresses in the *_memory_area structures are guest
 * virtual addresses; register_vcpu_info takes a machine frame and offset.
 */
#ifndef MICA_PUBLIC_VCPU_H
#define MICA_PUBLIC_VCPU_H

#include <stdint.h>
#include "abi-check.h"
#include "xen.h"

#define VCPUOP_initialise                     0   /* vcpu_guest_context */
#define VCPUOP_up                             1
#define VCPUOP_down                           2
#define VCPUOP_is_up                          3
#define VCPUOP_get_runstate_info              4
#define VCPUOP_register_runstate_memory_area  5
#define VCPUOP_set_periodic_timer             6
#define VCPUOP_stop_periodic_timer            7
#define VCPUOP_set_singleshot_timer           8
#define VCPUOP_stop_singleshot_timer          9
#define VCPUOP_register_vcpu_info            10
#define VCPUOP_send_nmi                      11
#define VCPUOP_get_physid                    12
#define VCPUOP_register_vcpu_time_memory_area 13

#define RUNSTATE_running  0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked  2
#define RUNSTATE_offline  3

/* Set in state_entry_time while an update is in progress (vm_assist). */
#define XEN_RUNSTATE_UPDATE (1ULL << 63)

struct vcpu_runstate_info {
    int32_t  state;             /* RUNSTATE_* */
    uint32_t _pad0;
    uint64_t state_entry_time;  /* system time (ns) of the last change */
    uint64_t time[4];           /* ns spent in each RUNSTATE_* */
};
typedef struct vcpu_runstate_info vcpu_runstate_info_t;
MICA_ABI_SIZE(struct vcpu_runstate_info, 48);
MICA_ABI_OFFSET(struct vcpu_runstate_info, state_entry_time, 8);
MICA_ABI_OFFSET(struct vcpu_runstate_info, time, 16);

struct vcpu_register_runstate_memory_area {
    uint64_t addr;              /* guest address of a vcpu_runstate_info */
};
typedef struct vcpu_register_runstate_memory_area
    vcpu_register_runstate_memory_area_t;
MICA_ABI_SIZE(struct vcpu_register_runstate_memory_area, 8);

struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};
typedef struct vcpu_set_periodic_timer vcpu_set_periodic_timer_t;
MICA_ABI_SIZE(struct vcpu_set_periodic_timer, 8);

/* With VCPU_SSHOTTMR_future a deadline in the past may fail with -ETIME. */
#define _VCPU_SSHOTTMR_future 0
#define VCPU_SSHOTTMR_future  (1U << _VCPU_SSHOTTMR_future)

struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;    /* absolute system time */
    uint32_t flags;             /* VCPU_SSHOTTMR_* */
    uint32_t _pad0;
};
typedef struct vcpu_set_singleshot_timer vcpu_set_singleshot_timer_t;
MICA_ABI_SIZE(struct vcpu_set_singleshot_timer, 16);
MICA_ABI_OFFSET(struct vcpu_set_singleshot_timer, flags, 8);

/* The area must not cross a page boundary. */
struct vcpu_register_vcpu_info {
    uint64_t mfn;
    uint32_t offset;
    uint32_t rsvd;
};
typedef struct vcpu_register_vcpu_info vcpu_register_vcpu_info_t;
MICA_ABI_SIZE(struct vcpu_register_vcpu_info, 16);
MICA_ABI_OFFSET(struct vcpu_register_vcpu_info, offset, 8);

struct vcpu_get_physid {
    uint64_t phys_id;
};
typedef struct vcpu_get_physid vcpu_get_physid_t;
MICA_ABI_SIZE(struct vcpu_get_physid, 8);

struct vcpu_register_time_memory_area {
    uint64_t addr;              /* guest address of a vcpu_time_info */
};
typedef struct vcpu_register_time_memory_area
    vcpu_register_time_memory_area_t;
MICA_ABI_SIZE(struct vcpu_register_time_memory_area, 8);

#endif /* MICA_PUBLIC_VCPU_H */
