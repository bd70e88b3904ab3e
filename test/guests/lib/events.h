/*
 * Event channels, time and several domains, for test kernels.
 *
 * Events: thin wrappers around event_channel_op, the pending/mask bits
 * in shared_info, a 2-level upcall dispatcher that counts events per
 * port, and SCHEDOP_poll with a relative timeout.
 *
 * Time: system time read from the pvclock record in vcpu_info, exactly
 * as Linux reads it.
 *
 * Several domains: the runner passes "id=N" to domain N and "domus=N" to
 * dom0. multi_init() connects each domU to dom0 over a control channel:
 * dom0 allocates, in order, one unbound port per domU (so domU N finds
 * its port at N on dom0's side) and the domU binds it, retrying until
 * dom0 got that far. A domU signals it on finishing, after its result
 * line; dom0's multi_wait_done() waits for that.
 */
#ifndef GUEST_EVENTS_H
#define GUEST_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <public/event_channel.h>

#define MAX_TEST_DOMUS 4
#define MS 1000000UL

static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_event_channel_op, cmd, GADDR(arg));
}

/* Each returns the new port, or a negative XEN_E*. */
long evtchn_alloc_unbound(domid_t dom, domid_t remote);
long evtchn_bind_interdomain(domid_t remote, uint32_t remote_port);
/*
 * Bind to remote_port of domain remote, retrying every millisecond up to
 * `tries` times while the other side has not allocated it yet; clears the
 * event the bind itself raises. The local port, or the last error.
 */
long evtchn_bind_retry(domid_t remote, uint32_t remote_port,
                       unsigned int tries);
long evtchn_bind_virq(uint32_t virq, uint32_t vcpu);
long evtchn_bind_ipi(uint32_t vcpu);
/* 0 or a negative XEN_E*. */
long evtchn_send(uint32_t port);
long evtchn_close(uint32_t port);
long evtchn_unmask(uint32_t port);
long evtchn_status(domid_t dom, uint32_t port, struct evtchn_status *st);

/* The shared_info bits (map_shared_info() first). */
bool evtchn_pending(uint32_t port);
bool evtchn_test_and_clear(uint32_t port);
void evtchn_set_mask(uint32_t port, bool masked);

/* Upcalls: install the counting dispatcher and unmask events. */
void events_enable(void);
extern volatile unsigned int port_events[NR_EVENT_CHANNELS];

/* SCHEDOP_poll on `n` ports, waking at the latest `timeout` ns from now. */
long poll_ports(const uint32_t *ports, unsigned int n, uint64_t timeout);
/* Poll one port until it is pending (then clear it) or `timeout` passes. */
bool wait_port(uint32_t port, uint64_t timeout);

/* System time in ns from the pvclock in vcpu_info (needs shared_info). */
uint64_t system_time(void);
/* TSC cycles per millisecond, from the pvclock scale (needs vcpu0_info). */
uint64_t tsc_khz(void);

/* The value of `key=` in our command line, or `def`. */
unsigned long cmdline_uint(const char *key, unsigned long def);
bool cmdline_has(const char *word);

/* Several domains. */
extern unsigned int my_domid, nr_domus;
extern uint32_t ctl_port[MAX_TEST_DOMUS + 1];
bool multi_init(void);
bool multi_wait_done(unsigned int domid, uint64_t timeout);

#endif /* GUEST_EVENTS_H */
