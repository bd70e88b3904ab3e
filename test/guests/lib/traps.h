/*
 * Exceptions and callbacks in a test kernel.
 *
 * At boot the runtime installs handlers for vectors 0-19 and registers the
 * event, failsafe and syscall callbacks.  Any trap nobody expects ends the
 * test with "Test result: ERROR", naming the vector and RIP.
 *
 * To provoke a trap on purpose, arm an expectation and run the instruction
 * between TRAP_ASM_BEGIN and TRAP_ASM_END; when the trap arrives the
 * handler records it and resumes at the end of the asm block:
 *
 *     const struct trap_record *t = expect_trap_insn(X86_EXC_UD, "ud2");
 *     if ( !t ) test_fail("no #UD");
 *
 * or, for instructions that need operands,
 *
 *     trap_expect(X86_EXC_DE);
 *     asm volatile ( TRAP_ASM_BEGIN "divl %[d]" TRAP_ASM_END
 *                    : TRAP_ASM_OUTPUTS, "+a" (lo), "+d" (hi)
 *                    : [d] "r" (0) );
 *     t = trap_done();
 *
 * The asm labels 0 and 1 are taken by these macros.  trap_expect_insn
 * holds the address of the first instruction after TRAP_ASM_BEGIN, so a
 * test can compare it with the reported RIP.
 */
#ifndef GUEST_TRAPS_H
#define GUEST_TRAPS_H

#include <stdbool.h>
#include <stdint.h>
#include "vectors.h"

/* What trap_common saved, lowest address first. */
struct cpu_regs {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error_code;
    uint64_t rip;
    uint64_t cs;            /* bits 32-39: event mask saved by the bounce */
    uint64_t rflags;
    uint64_t rsp;
    uint64_t ss;
};

/* What the handler saw for the last expected trap. */
struct trap_record {
    unsigned int vector;
    uint64_t error_code;
    uint64_t rip;
    uint64_t cs;
    uint64_t rflags;
    uint64_t rsp;
    uint64_t ss;
    uint64_t cr2;           /* vcpu_info arch.cr2, if shared_info is mapped */
    int upcall_mask;        /* vcpu_info mask in the handler, or -1 */
};

extern uint64_t trap_expect_insn;
extern uint64_t trap_expect_resume;

#define TRAP_ASM_BEGIN \
    "movq $0f, %[trap_insn]\n\tmovq $1f, %[trap_resume]\n0:\t"
#define TRAP_ASM_END "\n1:\n"
#define TRAP_ASM_OUTPUTS \
    [trap_insn] "=m" (trap_expect_insn), [trap_resume] "=m" (trap_expect_resume)

/* Arm: the next trap on `vector` is expected (resume address from asm). */
void trap_expect(unsigned int vector);
/* Disarm; the record if the expected trap happened, else NULL. */
const struct trap_record *trap_done(void);

#define expect_trap_insn(vector, insn) ({                                  \
    trap_expect(vector);                                                   \
    asm volatile ( TRAP_ASM_BEGIN insn TRAP_ASM_END                        \
                   : TRAP_ASM_OUTPUTS : : "memory" );                      \
    trap_done();                                                           \
})

/* Address of the entry stub for a vector (for trap_info.address). */
uint64_t trap_stub(unsigned int vector);

/* (Re)install the boot trap table: vectors 0-19.  0 or -XEN_E*. */
long traps_install_boot_table(void);
/* Add or replace one trap-table entry pointing at the vector's stub. */
long trap_set_entry(unsigned int vector, unsigned int flags);

/*
 * A hook sees every trap on its vector before the expectation logic and
 * returns true if it dealt with it.  One hook per vector, NULL removes.
 */
typedef bool (*trap_hook_t)(struct cpu_regs *regs);
void trap_set_hook(unsigned int vector, trap_hook_t hook);
/* The same for the syscall callback (a system call from guest user mode). */
void trap_set_syscall_hook(trap_hook_t hook);

/* Callbacks (event, failsafe, syscall) as registered at boot. */
long callbacks_register_boot(void);
extern const char event_callback_entry[];
extern const char event_callback_alt_entry[];
extern const char failsafe_callback_entry[];
extern const char syscall_callback_entry[];

/*
 * Event upcalls: the default handler counts them, clears
 * evtchn_upcall_pending (when shared_info is mapped) and returns with
 * events masked.  events_alt counts deliveries to the alternate entry.
 */
extern volatile unsigned int events_seen;
extern volatile unsigned int events_alt;
extern volatile int event_saved_mask;   /* from the last frame's CS slot */
/* Called from the upcall handler after it cleared upcall_pending. */
extern void (*event_hook)(void);
/*
 * Called before event_hook with the interrupted frame, which it may
 * change (e.g. to see whether the upcall came in a rewound hypercall).
 */
extern void (*event_frame_hook)(struct cpu_regs *regs);

void traps_init(void);

#endif /* GUEST_TRAPS_H */
