/*
 * HYPERVISOR_callback_op(cmd, arg): register the guest entry points the
 * hypervisor bounces to for events, failed segment loads and system calls
 * from guest user mode.  With CALLBACKF_mask_events the hypervisor masks
 * events (sets evtchn_upcall_mask) on entry.
 */
#ifndef MICA_PUBLIC_CALLBACK_H
#define MICA_PUBLIC_CALLBACK_H

#include <stdint.h>
#include "abi-check.h"
#include "xen.h"

#define CALLBACKTYPE_event               0
#define CALLBACKTYPE_failsafe            1
#define CALLBACKTYPE_syscall             2
#define CALLBACKTYPE_sysenter_deprecated 3
#define CALLBACKTYPE_nmi                 4
#define CALLBACKTYPE_sysenter            5
#define CALLBACKTYPE_syscall32           7

#define _CALLBACKF_mask_events 0
#define CALLBACKF_mask_events  (1U << _CALLBACKF_mask_events)

#define CALLBACKOP_register    0
struct callback_register {
    uint16_t type;              /* CALLBACKTYPE_* */
    uint16_t flags;             /* CALLBACKF_* */
    uint32_t _pad0;
    xen_callback_t address;
};
typedef struct callback_register callback_register_t;
MICA_ABI_SIZE(struct callback_register, 16);
MICA_ABI_OFFSET(struct callback_register, flags, 2);
MICA_ABI_OFFSET(struct callback_register, address, 8);

#define CALLBACKOP_unregister  1
struct callback_unregister {
    uint16_t type;
    uint16_t _unused;
};
typedef struct callback_unregister callback_unregister_t;
MICA_ABI_SIZE(struct callback_unregister, 4);

#endif /* MICA_PUBLIC_CALLBACK_H */
