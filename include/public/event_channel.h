/*
 * HYPERVISOR_event_channel_op(cmd, arg): event channels, the 2-level ABI.
 *
 * A port is a number in [1, EVTCHN_2L_NR_CHANNELS) local to one domain;
 * port 0 is reserved and never valid for a guest. Each sub-op takes one
 * structure: fields marked IN are read, fields marked OUT written back on
 * success only. DOMID_SELF may be used wherever a domain is named. The
 * pending and mask bitmaps themselves live in shared_info (xen.h).
 */
#ifndef MICA_PUBLIC_EVENT_CHANNEL_H
#define MICA_PUBLIC_EVENT_CHANNEL_H

#include <stdint.h>
#include "abi-check.h"
#include "xen.h"

#ifndef MICA_EVTCHN_PORT_T
#define MICA_EVTCHN_PORT_T
typedef uint32_t evtchn_port_t;
#endif

#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq        1
#define EVTCHNOP_bind_pirq        2
#define EVTCHNOP_close            3
#define EVTCHNOP_send             4
#define EVTCHNOP_status           5
#define EVTCHNOP_alloc_unbound    6
#define EVTCHNOP_bind_ipi         7
#define EVTCHNOP_bind_vcpu        8
#define EVTCHNOP_unmask           9
#define EVTCHNOP_reset           10
#define EVTCHNOP_init_control    11
#define EVTCHNOP_expand_array    12
#define EVTCHNOP_set_priority    13

/*
 * alloc_unbound: a fresh port in `dom` (IN; only the caller itself unless
 * privileged) that `remote_dom` (IN) may later bind to. OUT: port.
 */
struct evtchn_alloc_unbound {
    domid_t dom;
    domid_t remote_dom;
    evtchn_port_t port;
};
typedef struct evtchn_alloc_unbound evtchn_alloc_unbound_t;
MICA_ABI_SIZE(struct evtchn_alloc_unbound, 8);
MICA_ABI_OFFSET(struct evtchn_alloc_unbound, port, 4);

/*
 * bind_interdomain: connect a fresh local port to `remote_port` of
 * `remote_dom` (IN), which must be unbound and allocated for the caller.
 * OUT: local_port.
 */
struct evtchn_bind_interdomain {
    domid_t remote_dom;
    uint16_t _pad0;
    evtchn_port_t remote_port;
    evtchn_port_t local_port;
};
typedef struct evtchn_bind_interdomain evtchn_bind_interdomain_t;
MICA_ABI_SIZE(struct evtchn_bind_interdomain, 12);
MICA_ABI_OFFSET(struct evtchn_bind_interdomain, remote_port, 4);
MICA_ABI_OFFSET(struct evtchn_bind_interdomain, local_port, 8);

/* bind_virq: `virq` (IN, VIRQ_*) on `vcpu` (IN). OUT: port. */
struct evtchn_bind_virq {
    uint32_t virq;
    uint32_t vcpu;
    evtchn_port_t port;
};
typedef struct evtchn_bind_virq evtchn_bind_virq_t;
MICA_ABI_SIZE(struct evtchn_bind_virq, 12);
MICA_ABI_OFFSET(struct evtchn_bind_virq, port, 8);

#define BIND_PIRQ__WILL_SHARE 1
struct evtchn_bind_pirq {
    uint32_t pirq;
    uint32_t flags;
    evtchn_port_t port;
};
typedef struct evtchn_bind_pirq evtchn_bind_pirq_t;
MICA_ABI_SIZE(struct evtchn_bind_pirq, 12);

/* bind_ipi: a port that signals `vcpu` (IN) of the caller. OUT: port. */
struct evtchn_bind_ipi {
    uint32_t vcpu;
    evtchn_port_t port;
};
typedef struct evtchn_bind_ipi evtchn_bind_ipi_t;
MICA_ABI_SIZE(struct evtchn_bind_ipi, 8);

/* close, send, unmask: one port (IN). */
struct evtchn_close {
    evtchn_port_t port;
};
typedef struct evtchn_close evtchn_close_t;
MICA_ABI_SIZE(struct evtchn_close, 4);

struct evtchn_send {
    evtchn_port_t port;
};
typedef struct evtchn_send evtchn_send_t;
MICA_ABI_SIZE(struct evtchn_send, 4);

struct evtchn_unmask {
    evtchn_port_t port;
};
typedef struct evtchn_unmask evtchn_unmask_t;
MICA_ABI_SIZE(struct evtchn_unmask, 4);

/*
 * status: what `port` of `dom` (IN) is. OUT: status, vcpu, and for
 * unbound ports the domain allowed to bind, for interdomain ones the
 * peer, for virq/pirq ports the number.
 */
#define EVTCHNSTAT_closed      0
#define EVTCHNSTAT_unbound     1
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_pirq        3
#define EVTCHNSTAT_virq        4
#define EVTCHNSTAT_ipi         5

struct evtchn_status {
    domid_t dom;
    uint16_t _pad0;
    evtchn_port_t port;
    uint32_t status;
    uint32_t vcpu;
    union {
        struct {
            domid_t dom;
        } unbound;
        struct {
            domid_t dom;
            uint16_t _pad0;
            evtchn_port_t port;
        } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;
};
typedef struct evtchn_status evtchn_status_t;
MICA_ABI_SIZE(struct evtchn_status, 24);
MICA_ABI_OFFSET(struct evtchn_status, port, 4);
MICA_ABI_OFFSET(struct evtchn_status, status, 8);
MICA_ABI_OFFSET(struct evtchn_status, vcpu, 12);
MICA_ABI_OFFSET(struct evtchn_status, u, 16);

/* bind_vcpu: deliver `port` (IN) to `vcpu` (IN) from now on. */
struct evtchn_bind_vcpu {
    evtchn_port_t port;
    uint32_t vcpu;
};
typedef struct evtchn_bind_vcpu evtchn_bind_vcpu_t;
MICA_ABI_SIZE(struct evtchn_bind_vcpu, 8);

/* reset: close every port of `dom` (IN). */
struct evtchn_reset {
    domid_t dom;
};
typedef struct evtchn_reset evtchn_reset_t;
MICA_ABI_SIZE(struct evtchn_reset, 2);

/* The FIFO ABI's sub-ops; Mica offers 2-level only (see the docs). */
struct evtchn_init_control {
    uint64_t control_gfn;
    uint32_t offset;
    uint32_t vcpu;
    uint8_t link_bits;
    uint8_t _pad[7];
};
typedef struct evtchn_init_control evtchn_init_control_t;
MICA_ABI_SIZE(struct evtchn_init_control, 24);
MICA_ABI_OFFSET(struct evtchn_init_control, link_bits, 16);

struct evtchn_expand_array {
    uint64_t array_gfn;
};
typedef struct evtchn_expand_array evtchn_expand_array_t;
MICA_ABI_SIZE(struct evtchn_expand_array, 8);

struct evtchn_set_priority {
    evtchn_port_t port;
    uint32_t priority;
};
typedef struct evtchn_set_priority evtchn_set_priority_t;
MICA_ABI_SIZE(struct evtchn_set_priority, 8);

#endif /* MICA_PUBLIC_EVENT_CHANNEL_H */
