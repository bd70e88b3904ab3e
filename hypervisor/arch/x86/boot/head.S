/*
 * First instructions: the multiboot (v1) header and the 32-bit entry that
 * takes the CPU to long mode and into C.
 *
 * QEMU's -kernel and GRUB load us with the a.out kludge fields below (the
 * loader then needs no ELF64 support): the image is copied to physical
 * MICA_LOAD_PADDR, bss is zeroed, and we are entered in 32-bit protected
 * mode with paging off, eax = multiboot magic and ebx = the info block.
 *
 * Until C runs we address everything physically (symbol - MICA_VIRT_START).
 * The boot page tables map the first 4 GiB three times with 2 MiB pages:
 * identity (slot 0, needed for the jump into long mode), the direct map
 * (slot 262) and the image window (slot 261). C code later extends the
 * direct map to all of RAM; the identity slot is never copied into a
 * guest's L4.
 */
#include <asm/config.h>

#define PHYS(x) ((x) - MICA_VIRT_START)

#define MB_MAGIC   0x1badb002
#define MB_FLAGS   0x00010003 /* page-aligned modules, memory map, a.out kludge */

#define CR0_PE 0x00000001
#define CR0_WP 0x00010000
#define CR0_PG 0x80000000
#define CR4_PAE 0x00000020
#define MSR_EFER 0xc0000080
#define EFER_SCE 0x001
#define EFER_LME 0x100
#define EFER_NXE 0x800

        .section .text.head, "ax", @progbits
        .code32
        .globl start
start:
        jmp     multiboot_entry

        .balign 4
multiboot_header:
        .long   MB_MAGIC
        .long   MB_FLAGS
        .long   -(MB_MAGIC + MB_FLAGS)
        .long   PHYS(multiboot_header)      /* header_addr */
        .long   PHYS(__image_start)         /* load_addr */
        .long   PHYS(__load_end)            /* load_end_addr */
        .long   PHYS(__bss_end)             /* bss_end_addr */
        .long   PHYS(start)                 /* entry_addr */

multiboot_entry:
        cld
        cli
        mov     $PHYS(boot_stack_top), %esp
        mov     %eax, PHYS(multiboot_magic)
        mov     %ebx, PHYS(multiboot_info)

        /* Fill the four L2 tables: 2048 entries of 2 MiB = 4 GiB. */
        mov     $PHYS(boot_l2), %edi
        xor     %ecx, %ecx
1:      mov     %ecx, %eax
        shl     $21, %eax
        or      $0x83, %eax             /* present, writable, 2 MiB page */
        mov     %eax, (%edi,%ecx,8)
        mov     %ecx, %eax
        shr     $11, %eax               /* bits 32+ of the physical address */
        mov     %eax, 4(%edi,%ecx,8)
        inc     %ecx
        cmp     $2048, %ecx
        jne     1b

        /* L3: four 1 GiB slots, each pointing at one L2. */
        mov     $PHYS(boot_l3), %edi
        mov     $PHYS(boot_l2) + 3, %eax
        mov     %eax, 0(%edi)
        add     $4096, %eax
        mov     %eax, 8(%edi)
        add     $4096, %eax
        mov     %eax, 16(%edi)
        add     $4096, %eax
        mov     %eax, 24(%edi)

        /* Image window: 0xffff82d040000000 is L3 index 321, L2 index 0. */
        mov     $PHYS(boot_l3_image), %edi
        movl    $PHYS(boot_l2) + 3, 321*8(%edi)

        mov     $PHYS(idle_l4), %edi
        movl    $PHYS(boot_l3) + 3, 0(%edi)
        movl    $PHYS(boot_l3) + 3, 262*8(%edi)
        movl    $PHYS(boot_l3_image) + 3, 261*8(%edi)

        /* Long mode: PAE, EFER.LME (+NX, +SYSCALL), then paging. */
        mov     %cr4, %eax
        or      $CR4_PAE, %eax
        mov     %eax, %cr4
        mov     $PHYS(idle_l4), %eax
        mov     %eax, %cr3
        mov     $MSR_EFER, %ecx
        rdmsr
        or      $(EFER_LME | EFER_SCE), %eax
        /* NX only if the CPU has it (CPUID 0x80000001 EDX bit 20). */
        push    %eax
        mov     $0x80000001, %eax
        cpuid
        pop     %eax
        bt      $20, %edx
        jnc     2f
        or      $EFER_NXE, %eax
2:      mov     $MSR_EFER, %ecx
        wrmsr
        mov     $(CR0_PE | CR0_WP | CR0_PG), %eax
        mov     %eax, %cr0

        lgdt    PHYS(boot_gdtr)
        ljmp    $HYPERVISOR_CS, $PHYS(long_mode_entry)

        .code64
long_mode_entry:
        mov     $HYPERVISOR_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        xor     %eax, %eax
        mov     %eax, %fs
        mov     %eax, %gs
        /* Jump from the identity map to the image's linked address. */
        movabs  $high_entry, %rax
        jmp     *%rax

high_entry:
        /* Below struct cpu_info: C code overwrites its guest_regs. */
        movabs  $cpu0_stack + STACK_SIZE - CPU_INFO_SIZE, %rsp
        /* Reload the GDT through its virtual address. */
        movabs  $boot_gdtr_high, %rax
        lgdt    (%rax)
        mov     multiboot_magic(%rip), %edi
        mov     multiboot_info(%rip), %esi
        call    start_mica
        ud2

        .section .data.head, "aw", @progbits
        .balign 4
multiboot_magic: .long 0
multiboot_info:  .long 0

/*
 * The boot GDT: only the reserved entries matter. It is laid out exactly
 * like the reserved page of a vCPU's GDT so the selectors never change.
 */
        .balign 16
boot_gdtr:
        .word   GDT_LAST_BYTE
        .long   PHYS(boot_gdt_base)
        .balign 16
boot_gdtr_high:
        .word   GDT_LAST_BYTE
        .quad   boot_gdt_base

        .section .bss.page_aligned, "aw", @nobits
        .balign 4096
        .globl idle_l4
idle_l4:        .skip 4096
        .globl boot_l3
boot_l3:        .skip 4096
boot_l3_image:  .skip 4096
        .globl boot_l2
boot_l2:        .skip 4 * 4096
boot_stack:     .skip 4096
boot_stack_top:

        /* STACK_SIZE-aligned by the linker script (see mica.lds). */
        .section .bss.stack, "aw", @nobits
        .balign 4096
        .globl cpu0_stack
cpu0_stack:     .skip STACK_SIZE

/*
 * The reserved page of the GDT (selectors 0xe000 and up). Every vCPU's GDT
 * window ends with this page; the boot GDT points just below it so that the
 * selectors are the same before and after guests exist.
 */
        .section .data.page_aligned, "aw", @progbits
        .balign 4096
        .globl gdt_reserved
gdt_reserved:
        .quad   0                       /* 0xe000 */
        .quad   0x00af9b000000ffff      /* 0xe008 ring 0 code, 64-bit */
        .quad   0x00cf93000000ffff      /* 0xe010 ring 0 data */
        .quad   0x00cf9b000000ffff      /* 0xe018 ring 0 code, 32-bit */
        .quad   0x00cffb000000ffff      /* 0xe020 ring 3 code, 32-bit */
        .quad   0x00cff3000000ffff      /* 0xe028 ring 3 data */
        .quad   0x00affb000000ffff      /* 0xe030 ring 3 code, 64-bit */
        .quad   0                       /* 0xe038 */
        .quad   0, 0                    /* 0xe040 TSS, filled in by C */
        .quad   0, 0                    /* 0xe050 LDT, filled in by C */
        .fill   512 - 12, 8, 0
        .globl  boot_gdt_base
        .set    boot_gdt_base, gdt_reserved - GDT_RESERVED_FIRST_BYTE
