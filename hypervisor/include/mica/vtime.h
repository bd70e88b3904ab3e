/*
 * Guest time: the pvclock record in each vcpu_info, the wall clock in
 * shared_info, and the per-vCPU single-shot and periodic timers that
 * raise VIRQ_TIMER.
 */
#ifndef MICA_VTIME_H
#define MICA_VTIME_H

#include <mica/domain.h>

/* Set up a vCPU's timers; its time record is published by _update. */
void vtime_vcpu_init(struct vcpu *v);
/* Publish system time for `v` (version odd while writing). */
void vtime_vcpu_update(struct vcpu *v);
/*
 * VCPUOP_register_vcpu_time_memory_area: keep a copy of v's time record
 * at guest address `va` (0: none) from now on.
 */
void vtime_set_time_area(struct vcpu *v, uint64_t va);
/* Write a copy that waits for guest kernel mode; v is current. */
void vtime_flush_time_area(struct vcpu *v);
/* Stop its timers (the domain stopped). */
void vtime_vcpu_stop(struct vcpu *v);
/* Write the wall clock of system time 0 into d's shared_info. */
void vtime_domain_init(struct domain *d);
/* Set every domain's wall clock from `wall_ns` now (dom0 sets time). */
void vtime_set_wallclock(uint64_t wall_ns_at_boot);

/* Arm or stop the single-shot timer (set_timer_op, VCPUOP_*). */
void vtime_set_singleshot(struct vcpu *v, uint64_t deadline);
void vtime_stop_singleshot(struct vcpu *v);
/* Periodic timer; period 0 stops it. */
void vtime_set_periodic(struct vcpu *v, uint64_t period);

long do_set_timer_op(unsigned long timeout, unsigned long a2,
                     unsigned long a3, unsigned long a4, unsigned long a5);
long do_vcpu_op(unsigned long cmd, unsigned long vcpuid, unsigned long arg,
                unsigned long a4, unsigned long a5);
long do_platform_op(unsigned long arg, unsigned long a2, unsigned long a3,
                    unsigned long a4, unsigned long a5);

#endif /* MICA_VTIME_H */
