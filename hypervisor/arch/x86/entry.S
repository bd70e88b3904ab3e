/*
 * Every way into and out of the hypervisor.
 *
 * Entries from a guest (exceptions, interrupts, SYSCALL) all build the same
 * struct cpu_regs at the top of the per-CPU stack and leave through
 * return_to_guest, which first lets C deliver pending events (it may
 * rewrite the frame to bounce into the guest), then restores every
 * register and IRETs. SYSCALL does not switch stacks, so its entry saves
 * the guest %rsp in the per-CPU cpu_info and builds the hardware frame by
 * hand; the guest's %rcx/%r11 were already consumed by the instruction
 * (the PV ABI has the guest stub save them), so the frame's RIP and
 * RFLAGS come from them.
 *
 * An IRET to the guest can still fault (a selector or address the guest
 * could set up): do_trap recognises a fault at guest_iret and kills the
 * guest instead of returning here.
 */
#include <asm/config.h>

#define REGS_SIZE (22 * 8)
#define CPU_INFO_SYSCALL_RSP (REGS_SIZE + 16)

.macro SAVE_ALL
        push    %rdi
        push    %rsi
        push    %rdx
        push    %rcx
        push    %rax
        push    %r8
        push    %r9
        push    %r10
        push    %r11
        push    %rbx
        push    %rbp
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        cld
.endm

.macro RESTORE_ALL
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbp
        pop     %rbx
        pop     %r11
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rax
        pop     %rcx
        pop     %rdx
        pop     %rsi
        pop     %rdi
.endm

        .text
/* Exception stubs: push a zero error code where the CPU pushes none. */
.macro EXC_NOEC vec
        .globl  exc_\vec
exc_\vec:
        pushq   $0
        pushq   $\vec
        jmp     handle_exception
.endm
.macro EXC_EC vec
        .globl  exc_\vec
exc_\vec:
        pushq   $\vec
        jmp     handle_exception
.endm

EXC_NOEC 0
EXC_NOEC 1
EXC_NOEC 2
EXC_NOEC 3
EXC_NOEC 4
EXC_NOEC 5
EXC_NOEC 6
EXC_NOEC 7
EXC_EC   8
EXC_NOEC 9
EXC_EC   10
EXC_EC   11
EXC_EC   12
EXC_EC   13
EXC_EC   14
EXC_NOEC 15
EXC_NOEC 16
EXC_EC   17
EXC_NOEC 18
EXC_NOEC 19
EXC_NOEC 20
EXC_EC   21

/* Interrupt stubs for vectors 0x20-0x2f (the legacy PIC). */
.macro IRQ vec
        .globl  irq_\vec
irq_\vec:
        pushq   $0
        pushq   $\vec
        jmp     handle_exception
.endm
IRQ 32
IRQ 33
IRQ 34
IRQ 35
IRQ 36
IRQ 37
IRQ 38
IRQ 39
IRQ 40
IRQ 41
IRQ 42
IRQ 43
IRQ 44
IRQ 45
IRQ 46
IRQ 47
IRQ 255

handle_exception:
        SAVE_ALL
        mov     %rsp, %rdi
        call    do_trap
        testb   $3, REGS_SIZE - 5*8 + 8(%rsp)   /* saved CS: from a guest? */
        jnz     return_to_guest
        RESTORE_ALL
        add     $16, %rsp
        iretq

/*
 * SYSCALL from ring 3: either a hypercall (guest kernel mode) or a guest
 * user's system call to bounce into the guest kernel. Interrupts are off
 * (SYSCALL_MASK clears IF) until we are on our own stack.
 */
        .globl  syscall_entry
syscall_entry:
        /* Until SMP brings per-CPU entry stubs, CPU 0's stack is the one. */
        movq    %rsp, cpu0_stack + STACK_SIZE - CPU_INFO_SIZE + CPU_INFO_SYSCALL_RSP(%rip)
        leaq    cpu0_stack + STACK_SIZE - CPU_INFO_SIZE + REGS_SIZE(%rip), %rsp
        pushq   $GUEST_DS
        pushq   cpu0_stack + STACK_SIZE - CPU_INFO_SIZE + CPU_INFO_SYSCALL_RSP(%rip)
        pushq   %r11
        pushq   $GUEST_CS64
        pushq   %rcx
        pushq   $0
        pushq   $0x100
        SAVE_ALL
        sti
        mov     %rsp, %rdi
        call    do_syscall
        /* fall through */

        .globl  return_to_guest
return_to_guest:
        cli
        mov     %rsp, %rdi
        call    prepare_return_to_guest
        RESTORE_ALL
        add     $16, %rsp
        .globl  guest_iret
guest_iret:
        iretq

/*
 * Start running a guest from a frame already prepared at the top of the
 * stack (used once per vCPU start and after a context switch).
 */
        .globl  enter_guest
enter_guest:
        leaq    cpu0_stack + STACK_SIZE - CPU_INFO_SIZE(%rip), %rsp
        jmp     return_to_guest
