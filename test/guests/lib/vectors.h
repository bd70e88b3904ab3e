/*
 * Exception vector numbers, and the pseudo-vectors the runtime uses for
 * callbacks.  Shared by C and assembly, so only #defines.
 */
#ifndef GUEST_VECTORS_H
#define GUEST_VECTORS_H

#define X86_EXC_DE   0      /* divide error */
#define X86_EXC_DB   1      /* debug */
#define X86_EXC_NMI  2
#define X86_EXC_BP   3      /* breakpoint (int3) */
#define X86_EXC_OF   4
#define X86_EXC_BR   5
#define X86_EXC_UD   6      /* invalid opcode */
#define X86_EXC_NM   7      /* device not available */
#define X86_EXC_DF   8
#define X86_EXC_TS  10
#define X86_EXC_NP  11
#define X86_EXC_SS  12
#define X86_EXC_GP  13
#define X86_EXC_PF  14
#define X86_EXC_MF  16
#define X86_EXC_AC  17
#define X86_EXC_MC  18
#define X86_EXC_XM  19      /* SIMD floating point */

/* Exceptions the runtime registers a handler for at boot: 0 .. 19. */
#define NR_BOOT_VECTORS 20

/* Pseudo-vectors for the callbacks registered with callback_op. */
#define VEC_EVENT     0x100
#define VEC_EVENT_ALT 0x101
#define VEC_SYSCALL   0x102

#endif /* GUEST_VECTORS_H */
