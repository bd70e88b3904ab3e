/*
 * Exception and callback entry stubs, and the way back via HYPERVISOR_iret.
 *
 * Xen's 64-bit PV bounce frame, lowest address first, is
 *     RCX, R11, [error code], RIP, CS, RFLAGS, RSP, SS
 * where the error code is present only for vectors that have one.  Each
 * stub pops RCX and R11 (restoring the interrupted values), pushes a zero
 * error code if the hypervisor did not, pushes its vector number and joins
 * trap_common, which saves the other registers as a struct cpu_regs (see
 * traps.h) and calls trap_dispatch().  The C side may edit the saved state;
 * whatever it leaves is what the interrupted code resumes with.
 *
 * Returning: HYPERVISOR_iret expects struct iret_context at RSP, i.e. the
 * frame's RIP..SS with, below them, flags (0: restore RCX/R11 and return with
 * IRET), RCX, R11 and RAX.  We push those four and issue the hypercall with
 * a bare SYSCALL; it does not return here.
 *
 * Pseudo-vectors 0x100 and up name the callbacks registered with
 * callback_op, whose frames carry no error code.
 */
#include "vectors.h"

#define STUB_SIZE 16

    .text
    .code64

/* Stubs for all 256 vectors, STUB_SIZE bytes apart: trap_stubs + v * 16. */
    .balign STUB_SIZE
    .globl trap_stubs
trap_stubs:
    vec = 0
    .rept 256
    .balign STUB_SIZE
    pop   %rcx
    pop   %r11
    .if !((vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || \
          (vec == 21) || (vec == 29) || (vec == 30))
    push  $0
    .endif
    push  $vec
    jmp   trap_common
    vec = vec + 1
    .endr

/* Callback entry points: same frame as an exception without error code. */
.macro callback_stub name, vector
    .balign STUB_SIZE
    .globl \name
\name:
    pop   %rcx
    pop   %r11
    push  $0
    push  $\vector
    jmp   trap_common
.endm

    callback_stub event_callback_entry, VEC_EVENT
    callback_stub event_callback_alt_entry, VEC_EVENT_ALT
    callback_stub syscall_callback_entry, VEC_SYSCALL

/*
 * The failsafe frame also holds DS, ES, FS, GS after R11.  Nothing here
 * loads segment selectors, so reaching it is always a test error: hand the
 * raw frame to C, which reports and ends the test.
 */
    .balign STUB_SIZE
    .globl failsafe_callback_entry
failsafe_callback_entry:
    mov   %rsp, %rdi
    and   $~15, %rsp
    call  failsafe_dispatch
    ud2

trap_common:
    cld
    push  %rax
    push  %rbx
    push  %rcx
    push  %rdx
    push  %rsi
    push  %rdi
    push  %rbp
    push  %r8
    push  %r9
    push  %r10
    push  %r11
    push  %r12
    push  %r13
    push  %r14
    push  %r15

    mov   %rsp, %rdi
    mov   %rsp, %rbx                /* callee-saved: survives the call */
    and   $~15, %rsp
    call  trap_dispatch
    mov   %rbx, %rsp

    pop   %r15
    pop   %r14
    pop   %r13
    pop   %r12
    pop   %r11
    pop   %r10
    pop   %r9
    pop   %r8
    pop   %rbp
    pop   %rdi
    pop   %rsi
    pop   %rdx
    pop   %rcx
    pop   %rbx
    pop   %rax
    add   $16, %rsp                 /* vector and error code */
    /* Fall through with RSP at the frame's RIP. */

    .globl hypercall_iret_frame
hypercall_iret_frame:
    push  $0                        /* flags: not VGCF_in_syscall */
    push  %rcx
    push  %r11
    push  %rax
    mov   $23, %eax                 /* __HYPERVISOR_iret */
    syscall
    ud2                             /* the iret hypercall never returns */

    .section .note.GNU-stack, "", @progbits
