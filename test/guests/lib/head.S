/*
 * Entry point, Xen ELF notes and the hypercall page of a test kernel.
 *
 * The builder enters at _start in guest-kernel mode with RSI = virtual
 * address of start_info, RSP at the top of a boot stack page, events masked
 * and no trap table.  We keep nothing from the builder but start_info: the
 * stack moves into our own .bss, which is cleared first (no stack is in use
 * while it is cleared, so clearing our own future stack is harmless).
 */
#include <public/elfnote.h>
#include <public/features.h>

#define BOOT_STACK_SIZE (16 * 4096)

/* One note: owner "Xen", given type, descriptor emitted by the caller. */
.macro xen_note type
    .pushsection .note.Xen, "a", @note
    .balign 4
    .long 4                     /* namesz: "Xen\0" */
    .long 9f - 8f               /* descsz */
    .long \type
    .asciz "Xen"
    .balign 4
8:
.endm

.macro xen_note_end
9:
    .balign 4
    .popsection
.endm

xen_note XEN_ELFNOTE_GUEST_OS
    .asciz "Mica-test"
xen_note_end

xen_note XEN_ELFNOTE_XEN_VERSION
    .asciz "xen-3.0"
xen_note_end

xen_note XEN_ELFNOTE_LOADER
    .asciz "generic"
xen_note_end

xen_note XEN_ELFNOTE_VIRT_BASE
    .quad 0xffffffff80000000
xen_note_end

xen_note XEN_ELFNOTE_PADDR_OFFSET
    .quad 0
xen_note_end

xen_note XEN_ELFNOTE_ENTRY
    .quad _start
xen_note_end

xen_note XEN_ELFNOTE_HYPERCALL_PAGE
    .quad hypercall_page
xen_note_end

xen_note XEN_ELFNOTE_FEATURES
    .asciz "!writable_page_tables"
xen_note_end

/* The dom0 builder refuses a kernel whose supported set lacks dom0. */
xen_note XEN_ELFNOTE_SUPPORTED_FEATURES
    .long (1 << XENFEAT_writable_page_tables) | (1 << XENFEAT_dom0)
xen_note_end

    .section .text.head, "ax", @progbits
    .code64
    .globl _start
_start:
    cld
    mov   %rsi, %r12                /* start_info, kept across the clear */

    lea   __bss_start(%rip), %rdi
    lea   __bss_end(%rip), %rcx
    sub   %rdi, %rcx
    shr   $3, %rcx
    xor   %eax, %eax
    rep stosq

    lea   boot_stack_top(%rip), %rsp
    xor   %ebp, %ebp
    mov   %r12, %rdi
    call  runtime_start
    ud2                             /* runtime_start never returns */

/*
 * The hypervisor writes 128 stubs of 32 bytes here at build time.  Until
 * then every byte is int3, so a call into an unfilled page traps visibly
 * instead of running into whatever follows.
 */
    .section .text.hypercall_page, "ax", @progbits
    .balign 4096
    .globl hypercall_page
hypercall_page:
    .fill 4096, 1, 0xcc

    .section .bss.page_aligned, "aw", @nobits
    .balign 4096
boot_stack:
    .skip BOOT_STACK_SIZE
    .globl boot_stack_top
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
