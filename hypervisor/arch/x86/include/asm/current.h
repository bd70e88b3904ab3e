/*
 * Per-CPU data lives at the top of each CPU's hypervisor stack (the stack
 * is STACK_SIZE-aligned), so any code can find it from %rsp without a
 * segment register: the guest owns %gs and %fs completely.
 */
#ifndef ASM_CURRENT_H
#define ASM_CURRENT_H

#include <asm/config.h>
#include <asm/regs.h>
#include <mica/domain.h>

struct cpu_info
{
    struct cpu_regs guest_regs;  /* must be first: TSS.rsp0 ends it */
    struct vcpu *current_vcpu;
    unsigned int cpu_id;
    unsigned int pad;
    uint64_t syscall_rsp;        /* guest %rsp saved by the SYSCALL entry */
    uint64_t pad2;               /* keeps guest_regs' end 16-byte aligned */
};

_Static_assert(sizeof(struct cpu_info) % 16 == 0, "rsp0 alignment");

static inline struct cpu_info *get_cpu_info(void)
{
    unsigned long sp;

    asm ( "mov %%rsp, %0" : "=r" (sp) );
    return (struct cpu_info *)((sp | (STACK_SIZE - 1)) + 1 -
                               sizeof(struct cpu_info));
}

#define current (get_cpu_info()->current_vcpu)
#define guest_cpu_regs() (&get_cpu_info()->guest_regs)

#endif /* ASM_CURRENT_H */
