/* Exception and interrupt handling shared by the x86 code. */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#include <asm/regs.h>

#define X86_EXC_DE 0
#define X86_EXC_DB 1
#define X86_EXC_NMI 2
#define X86_EXC_BP 3
#define X86_EXC_OF 4
#define X86_EXC_BR 5
#define X86_EXC_UD 6
#define X86_EXC_NM 7
#define X86_EXC_DF 8
#define X86_EXC_TS 10
#define X86_EXC_NP 11
#define X86_EXC_SS 12
#define X86_EXC_GP 13
#define X86_EXC_PF 14
#define X86_EXC_MF 16
#define X86_EXC_AC 17
#define X86_EXC_MC 18
#define X86_EXC_XM 19
#define X86_EXC_VE 20
#define X86_EXC_CP 21

/* Vectors whose exception frame carries an error code. */
#define X86_EXC_HAVE_EC ((1u << 8) | (1u << 10) | (1u << 11) | (1u << 12) | \
                         (1u << 13) | (1u << 14) | (1u << 17) | (1u << 21))

#define PFEC_PRESENT 0x01
#define PFEC_WRITE   0x02
#define PFEC_USER    0x04
#define PFEC_RSVD    0x08
#define PFEC_FETCH   0x10
#define PFEC_PK      0x20    /* a protection key refused it */

void traps_init(void);
void show_registers(const struct cpu_regs *regs);
void do_trap(struct cpu_regs *regs);

/* Called from the timer interrupt. */
void timer_interrupt(void);

#endif /* ASM_TRAPS_H */
