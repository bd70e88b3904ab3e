/*
 * The register frame every entry into the hypervisor builds on its stack.
 * For an entry from a guest it sits at the very top of the per-CPU stack
 * (TSS.rsp0 points just above it), inside struct cpu_info, and holds the
 * interrupted vCPU's registers until we return to it. entry.S depends on
 * this exact order (see the offsets asserted in traps.c).
 */
#ifndef ASM_REGS_H
#define ASM_REGS_H

#include <stdint.h>

struct cpu_regs
{
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint64_t vector;     /* exception vector, or ENTRY_SYSCALL / ENTRY_IRQ */
    uint64_t error_code;
    /* The hardware interrupt frame. */
    uint64_t rip, cs, rflags, rsp, ss;
};

#define ENTRY_SYSCALL 0x100

static inline int regs_from_guest(const struct cpu_regs *r)
{
    return (r->cs & 3) != 0;
}

#endif /* ASM_REGS_H */
