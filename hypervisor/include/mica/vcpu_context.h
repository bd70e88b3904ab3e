/*
 * Checking a vCPU context a toolstack hands in (MICA_DOMCTL_setvcpucontext)
 * before any of it is applied. Pure logic (arch/x86/pv/vcpu_context_check.c),
 * unit-tested on the host; the glue that takes page references and loads
 * the vCPU is arch/x86/pv/vcpu_context.c.
 */
#ifndef MICA_VCPU_CONTEXT_H
#define MICA_VCPU_CONTEXT_H

#include <mica/env.h>
#include <public/domctl.h>

/*
 * 0 if every field without a side effect is acceptable, else -EINVAL:
 * canonical RIP, callbacks, trap handlers and segment bases; RSP and the
 * kernel stack canonical and outside the hypervisor's range; the flat
 * kernel CS and SS; gdt_ents within the guest part of the GDT with the
 * frames it needs non-zero and the rest zero; an LDT of at most 8192
 * entries at a page-aligned guest address; no unknown cb_flags.
 * The page-table and GDT frames are checked by the type system later.
 */
int vcpu_context_check(const struct mica_vcpu_context *c);

/*
 * VCPUOP_initialise: turn the guest's Xen vcpu_guest_context into ours
 * and check it, with no side effects: Xen's arch_set_info_guest rules
 * (LDT base page-aligned, outside the hypervisor, <= 8192 entries even
 * when unused; gdt_ents within the guest's GDT; a user-mode start needs
 * ctrlreg[1]), then vcpu_context_check's, except that any code or stack
 * selector is accepted with its RPL raised to 3, as Xen does. The L4s
 * come from ctrlreg[3] (kernel) and ctrlreg[1] (user, 0: none).
 * event_mask is what the vCPU's vcpu_info says now (Xen leaves it
 * alone). 0 or -EINVAL.
 */
struct vcpu_guest_context;
int vcpu_context_from_xen(const struct vcpu_guest_context *g,
                          uint8_t event_mask, struct mica_vcpu_context *c);

/*
 * MMUEXT_SET_LDT's argument rules (Xen's): none, or at most 8192
 * descriptors at a page-aligned guest address; only the base is checked,
 * not the end of the table.
 */
bool vcpu_ldt_args_ok(uint64_t base, unsigned int ents);

/* The RFLAGS a vCPU gets: arithmetic flags and DF kept, IF forced on. */
uint64_t vcpu_context_rflags(uint64_t rflags);

/* How many GDT frames gdt_ents descriptors need. */
unsigned int vcpu_context_gdt_frames(uint32_t gdt_ents);

#endif /* MICA_VCPU_CONTEXT_H */
