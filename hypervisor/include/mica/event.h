/*
 * Event channels (2-level ABI): ports, their state machine, and delivery
 * into the shared_info bitmaps.
 *
 * This is pure logic: it sees a domain only as a struct evtchn_domain and
 * reaches the rest of the hypervisor through the few evtchn_env_* hooks
 * below, which the hypervisor (common/event_env.c) and the unit tests
 * (test/unit/) each provide. Every function runs with the event state of
 * the domains involved stable: on one CPU, never from an interrupt handler
 * (timers fire as softirqs on the way back to a guest).
 */
#ifndef MICA_EVENT_H
#define MICA_EVENT_H

#include <mica/env.h>
#include <public/event_channel.h>
#include <public/xen.h>

#define EVTCHN_MAX_VCPUS 32     /* XEN_LEGACY_MAX_VCPUS */

/* Port states (Xen's ECS_* names). */
#define ECS_FREE        0
#define ECS_RESERVED    1       /* port 0 */
#define ECS_UNBOUND     2       /* waiting for remote_dom to bind */
#define ECS_INTERDOMAIN 3       /* connected to remote_dom:remote_port */
#define ECS_PIRQ        4       /* never entered: no physical IRQs yet */
#define ECS_VIRQ        5
#define ECS_IPI         6

struct evtchn
{
    uint8_t state;              /* ECS_* */
    uint8_t pad;
    uint16_t notify_vcpu;       /* vCPU that gets the upcall */
    domid_t remote_dom;         /* UNBOUND, INTERDOMAIN; DOMID_XEN: us */
    uint16_t pad2;
    uint32_t remote_port;       /* INTERDOMAIN; VIRQ: the virq number */
};

struct evtchn_domain
{
    domid_t domid;
    bool privileged;
    struct shared_info *shared;             /* pending and mask bitmaps */
    uint32_t max_port;                      /* highest port it may allocate */
    uint32_t virq_to_port[EVTCHN_MAX_VCPUS][NR_VIRQS];
    struct evtchn port[NR_EVENT_CHANNELS];
};

/* Reset `d` to "every port free but port 0" for domain `domid`. */
void evtchn_domain_init(struct evtchn_domain *d, domid_t domid,
                        bool privileged, struct shared_info *shared);

/* The hypercall: copy in, validate, act, copy out. */
long do_event_channel_op(unsigned long cmd, unsigned long arg,
                         unsigned long a3, unsigned long a4,
                         unsigned long a5);

/* The sub-ops on already copied arguments, for callers inside Mica. */
int evtchn_alloc_unbound(struct evtchn_domain *cur,
                         struct evtchn_alloc_unbound *a);
int evtchn_bind_interdomain(struct evtchn_domain *cur,
                            struct evtchn_bind_interdomain *b);
int evtchn_bind_virq(struct evtchn_domain *cur, struct evtchn_bind_virq *b);
int evtchn_bind_ipi(struct evtchn_domain *cur, struct evtchn_bind_ipi *b);
int evtchn_close(struct evtchn_domain *d, uint32_t port);
int evtchn_send(struct evtchn_domain *d, uint32_t port);
int evtchn_status(struct evtchn_domain *cur, struct evtchn_status *s);
int evtchn_bind_vcpu(struct evtchn_domain *d, uint32_t port, uint32_t vcpu);
int evtchn_unmask(struct evtchn_domain *d, uint32_t port);
int evtchn_reset(struct evtchn_domain *cur, domid_t dom);

/* A port of `d` whose other end is the hypervisor (console backend). */
int evtchn_alloc_xen_bound(struct evtchn_domain *d, uint32_t vcpu);

/* Raise a per-vCPU virq (VIRQ_TIMER) or a global one (to vCPU 0). */
void evtchn_send_virq(struct evtchn_domain *d, uint32_t vcpu, uint32_t virq);
bool evtchn_virq_is_global(uint32_t virq);

/* Is `port` of `d` pending right now (for SCHEDOP_poll)? */
bool evtchn_is_pending(const struct evtchn_domain *d, uint32_t port);

/* ---- Provided by the environment. ---- */

/* The calling domain. */
struct evtchn_domain *evtchn_env_current(void);
/* A live domain by id (DOMID_SELF already resolved), or NULL. */
struct evtchn_domain *evtchn_env_domain(domid_t id);
/* The vcpu_info of an existing vCPU, or NULL when there is no such vCPU. */
struct vcpu_info *evtchn_env_vcpu_info(struct evtchn_domain *d,
                                       uint32_t vcpu);
/* An upcall just became pending on `vcpu`: wake it if it is blocked. */
void evtchn_env_kick(struct evtchn_domain *d, uint32_t vcpu);
/* `port` just became pending: wake vCPUs of `d` polling for it. */
void evtchn_env_check_pollers(struct evtchn_domain *d, uint32_t port);
/* The guest signalled a port whose peer is the hypervisor. */
void evtchn_env_xen_notify(struct evtchn_domain *d, uint32_t port);

#endif /* MICA_EVENT_H */
