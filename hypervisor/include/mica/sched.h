/*
 * The scheduler's contract with the rest of the hypervisor.
 *
 * vCPUs block (SCHEDOP_block, SCHEDOP_poll) and are woken by events; the
 * actual switch happens only on the way out to a guest (schedule_softirq
 * from prepare_return_to_guest), so a hypercall that blocks simply marks
 * the vCPU and returns: its result is already in the saved frame.
 */
#ifndef MICA_SCHED_H
#define MICA_SCHED_H

#include <asm/regs.h>
#include <mica/domain.h>

/* Bring a vCPU under the scheduler (runnable from now on unless paused). */
int sched_add_vcpu(struct vcpu *v);
/* Take a stopped vCPU off the CPU for good. */
void sched_remove_vcpu(struct vcpu *v);

/* Mark the running vCPU blocked until an event (or its poll) wakes it. */
void vcpu_block(struct vcpu *v);
/* Wake a blocked vCPU (an upcall became pending, a poll matched). */
void vcpu_unblock(struct vcpu *v);
/* A port became pending: wake `v` if it polls for it. */
void vcpu_poll_check(struct vcpu *v, uint32_t port);
/*
 * Keep a vCPU off the CPU until as many unpauses as pauses (a toolstack
 * pause, or "down" until it has a context). Pauses nest; a blocked vCPU
 * that is woken while paused runs once unpaused.
 */
void vcpu_pause(struct vcpu *v);
void vcpu_unpause(struct vcpu *v);
/*
 * Take a vCPU offline (VCPUOP_down) or back online (VCPUOP_up); each
 * does nothing if the vCPU is already so. Down holds one pause and shows
 * as RUNSTATE_offline; a down vCPU that is current stops at the next
 * exit. Up needs a context (the caller checks `initialised`).
 */
void vcpu_down(struct vcpu *v);
void vcpu_up(struct vcpu *v);
/* Let the others run first (SCHEDOP_yield). */
void vcpu_yield(struct vcpu *v);

/* Write the runstate copy that waited for the vCPU's kernel mode. */
void sched_flush_runstate(struct vcpu *v);

/* Run softirqs (timers, scheduling) with `regs` the guest frame. */
void do_softirqs(struct cpu_regs *regs);

/* Start the first vCPU; never returns. */
void scheduler_start(void) __attribute__((noreturn));

/* Scheduler parameters of a domain (weight > 0, cap 0-100). */
int sched_set_params(struct domain *d, uint32_t weight, uint32_t cap);

#endif /* MICA_SCHED_H */
