/*
 * The control interface's internal contract (public ABI: public/domctl.h
 * and public/sysctl.h). common/domctl.c decodes a call and handles the
 * generic sub-ops; the arch half (arch/x86/domctl.c) handles the ones
 * that touch frames and vCPU state.
 */
#ifndef MICA_DOMCTL_H
#define MICA_DOMCTL_H

#include <mica/domain.h>
#include <public/domctl.h>
#include <public/sysctl.h>

/* Fill *info for d (dying domains included). */
void domain_getinfo(const struct domain *d, struct mica_domaininfo *info);

/* An arch sub-op on a validated target; -ENOSYS if not one of ours. */
long arch_do_domctl(struct mica_domctl *op, struct domain *d);

/* Load a checked context into v, taking its page references; -EINVAL. */
int arch_set_vcpu_context(struct vcpu *v, const struct mica_vcpu_context *c);
void arch_get_vcpu_context(const struct vcpu *v, struct mica_vcpu_context *c);
/*
 * VCPUOP_initialise: load the Xen vcpu_guest_context at guest address
 * `arg` into a vCPU that has none (-EEXIST if it has, -EFAULT, -EINVAL).
 * Leaves the vCPU down and answers 1 if the context says VGCF_online
 * (the caller brings it up), else 0.
 */
int arch_initialise_vcpu(struct vcpu *v, unsigned long arg);

#endif /* MICA_DOMCTL_H */
