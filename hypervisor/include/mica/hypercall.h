/*
 * Hypercall dispatch. Each family lives in its own file; the table in
 * arch/x86/pv/hypercall.c maps numbers to handlers and says which need a
 * privileged caller. Handlers take the guest's arguments as plain
 * integers (guest virtual addresses for pointers) and return 0 or a
 * negative Xen errno; a few (iret) rewrite the guest frame instead.
 */
#ifndef MICA_HYPERCALL_H
#define MICA_HYPERCALL_H

#include <asm/regs.h>
#include <mica/env.h>

typedef long hypercall_fn_t(unsigned long, unsigned long, unsigned long,
                            unsigned long, unsigned long);

void do_hypercall(struct cpu_regs *regs);
/* One call from a multicall batch; returns its result. */
long hypercall_dispatch_one(unsigned long nr, const unsigned long args[5],
                            bool in_multicall);

/*
 * For long batches: true when the caller should stop at the current item
 * and resume later through hypercall_create_continuation(), which
 * arranges for the guest to re-issue hypercall nr with the four given
 * arguments (the fifth is left as it was) and returns a value that the
 * dispatcher does not pass to the guest.
 */
bool hypercall_preempt_check(void);
long hypercall_create_continuation(unsigned long nr, unsigned long a0,
                                   unsigned long a1, unsigned long a2,
                                   unsigned long a3);

long do_mmu_update(unsigned long, unsigned long, unsigned long,
                   unsigned long, unsigned long);
long do_update_va_mapping_otherdomain(unsigned long, unsigned long,
                                      unsigned long, unsigned long,
                                      unsigned long);
long do_set_trap_table(unsigned long, unsigned long, unsigned long,
                       unsigned long, unsigned long);
long do_set_gdt(unsigned long, unsigned long, unsigned long, unsigned long,
                unsigned long);
long do_stack_switch(unsigned long, unsigned long, unsigned long,
                     unsigned long, unsigned long);
long do_set_callbacks(unsigned long, unsigned long, unsigned long,
                      unsigned long, unsigned long);
long do_fpu_taskswitch(unsigned long, unsigned long, unsigned long,
                       unsigned long, unsigned long);
long do_set_debugreg(unsigned long, unsigned long, unsigned long,
                     unsigned long, unsigned long);
long do_get_debugreg(unsigned long, unsigned long, unsigned long,
                     unsigned long, unsigned long);
long do_update_descriptor(unsigned long, unsigned long, unsigned long,
                          unsigned long, unsigned long);
long do_multicall(unsigned long, unsigned long, unsigned long, unsigned long,
                  unsigned long);
long do_xen_version(unsigned long, unsigned long, unsigned long,
                    unsigned long, unsigned long);
long do_physdev_op(unsigned long, unsigned long, unsigned long,
                   unsigned long, unsigned long);
long do_xenpmu_op(unsigned long, unsigned long, unsigned long,
                  unsigned long, unsigned long);
long do_console_io(unsigned long, unsigned long, unsigned long,
                   unsigned long, unsigned long);
long do_vm_assist(unsigned long, unsigned long, unsigned long, unsigned long,
                  unsigned long);
long do_iret(unsigned long, unsigned long, unsigned long, unsigned long,
             unsigned long);
long do_set_segment_base(unsigned long, unsigned long, unsigned long,
                         unsigned long, unsigned long);
long do_mmuext_op(unsigned long, unsigned long, unsigned long, unsigned long,
                  unsigned long);
long do_update_va_mapping(unsigned long, unsigned long, unsigned long,
                          unsigned long, unsigned long);
long do_sched_op(unsigned long, unsigned long, unsigned long, unsigned long,
                 unsigned long);
long do_callback_op(unsigned long, unsigned long, unsigned long,
                    unsigned long, unsigned long);
long do_memory_op(unsigned long, unsigned long, unsigned long,
                  unsigned long, unsigned long);
/* memory_op's parts: x86 sub-ops (whole cmd), exchange, for memory.c. */
long arch_memory_op(unsigned long cmd, unsigned long arg);
long memory_exchange(unsigned long arg);
/* The control interface (Mica's own ABI, public/domctl.h, sysctl.h). */
long do_domctl(unsigned long, unsigned long, unsigned long, unsigned long,
               unsigned long);
long do_sysctl(unsigned long, unsigned long, unsigned long, unsigned long,
               unsigned long);

#endif /* MICA_HYPERCALL_H */
