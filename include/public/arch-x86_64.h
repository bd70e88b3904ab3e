/*
 * x86-64 part of the PV guest ABI: selectors, the reserved address range,
 * the trap table, the iret frame, register and vCPU context layouts.
 *
 * A 64-bit PV guest runs its kernel and its user space in ring 3, so the
 * flat selectors below are ring-3 descriptors that live in the hypervisor's
 * reserved part of every GDT (entries from FIRST_RESERVED_GDT_ENTRY up).
 * Kernel and user share them; which one is running is tracked by the
 * hypervisor, not by the selector.
 */
#ifndef MICA_PUBLIC_ARCH_X86_64_H
#define MICA_PUBLIC_ARCH_X86_64_H

#include <stdint.h>
#include "abi-check.h"

typedef uint64_t xen_ulong_t;
typedef uint64_t xen_pfn_t;
typedef uint64_t xen_callback_t;

/* Flat selectors in the reserved GDT area (GDT indices 260-262). */
#define FLAT_RING3_CS32 0xe023
#define FLAT_RING3_CS64 0xe033
#define FLAT_RING3_DS32 0xe02b
#define FLAT_RING3_DS64 0x0000      /* the NULL selector */
#define FLAT_RING3_SS32 0xe02b
#define FLAT_RING3_SS64 0xe02b

#define FLAT_KERNEL_DS64 FLAT_RING3_DS64
#define FLAT_KERNEL_DS32 FLAT_RING3_DS32
#define FLAT_KERNEL_DS   FLAT_KERNEL_DS64
#define FLAT_KERNEL_CS64 FLAT_RING3_CS64
#define FLAT_KERNEL_CS32 FLAT_RING3_CS32
#define FLAT_KERNEL_CS   FLAT_KERNEL_CS64
#define FLAT_KERNEL_SS64 FLAT_RING3_SS64
#define FLAT_KERNEL_SS32 FLAT_RING3_SS32
#define FLAT_KERNEL_SS   FLAT_KERNEL_SS64

#define FLAT_USER_DS64 FLAT_RING3_DS64
#define FLAT_USER_DS32 FLAT_RING3_DS32
#define FLAT_USER_DS   FLAT_USER_DS64
#define FLAT_USER_CS64 FLAT_RING3_CS64
#define FLAT_USER_CS32 FLAT_RING3_CS32
#define FLAT_USER_CS   FLAT_USER_CS64
#define FLAT_USER_SS64 FLAT_RING3_SS64
#define FLAT_USER_SS32 FLAT_RING3_SS32
#define FLAT_USER_SS   FLAT_USER_SS64

/*
 * The hypervisor owns L4 slots 256-271 of every guest address space.  The
 * read-only machine-to-phys table (one 8-byte pfn per machine frame) sits
 * at the start of that range, where guests index it directly.
 */
#define HYPERVISOR_VIRT_START 0xffff800000000000ULL
#define HYPERVISOR_VIRT_END   0xffff880000000000ULL
#define MACH2PHYS_VIRT_START  0xffff800000000000ULL
#define MACH2PHYS_VIRT_END    0xffff804000000000ULL
#define MACH2PHYS_NR_ENTRIES  ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3)

/*
 * Guest GDT frames cover the first 14 pages (7168 descriptors); the rest
 * of the GDT belongs to the hypervisor.
 */
#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

/* shared_info carries vcpu_info slots for this many vCPUs. */
#define XEN_LEGACY_MAX_VCPUS 32

/* HYPERVISOR_set_segment_base(which, base). */
#define SEGBASE_FS          0
#define SEGBASE_GS_USER     1
#define SEGBASE_GS_KERNEL   2
#define SEGBASE_GS_USER_SEL 3   /* load user %gs from the selector in base */

/*
 * HYPERVISOR_iret flags: with VGCF_in_syscall the hypervisor may return
 * with SYSRET, so RCX and R11 from the frame are not restored.
 */
#define _VGCF_in_syscall 8
#define VGCF_in_syscall  (1U << _VGCF_in_syscall)
#define VGCF_IN_SYSCALL  VGCF_in_syscall

/*
 * What the guest pushes before HYPERVISOR_iret; rax is at the lowest
 * address (the guest's RSP at the SYSCALL).
 */
struct iret_context {
    uint64_t rax;
    uint64_t r11;
    uint64_t rcx;
    uint64_t flags;             /* VGCF_in_syscall or 0 */
    uint64_t rip;
    uint64_t cs;
    uint64_t rflags;
    uint64_t rsp;
    uint64_t ss;
};
MICA_ABI_SIZE(struct iret_context, 72);
MICA_ABI_OFFSET(struct iret_context, flags, 24);
MICA_ABI_OFFSET(struct iret_context, rip, 32);
MICA_ABI_OFFSET(struct iret_context, ss, 64);

/*
 * One trap-table entry for HYPERVISOR_set_trap_table.  A list ends at the
 * first entry whose address is 0.  flags bits 0-1 give the DPL that an
 * `int $vector` needs; bit 2 masks events on delivery (an interrupt gate).
 */
#define TI_DPL_MASK 0x3
#define TI_IF       0x4
struct trap_info {
    uint8_t  vector;
    uint8_t  flags;
    uint16_t cs;
    uint32_t _pad0;
    uint64_t address;
};
typedef struct trap_info trap_info_t;
MICA_ABI_SIZE(struct trap_info, 16);
MICA_ABI_OFFSET(struct trap_info, cs, 2);
MICA_ABI_OFFSET(struct trap_info, address, 8);

/*
 * Guest register file as the hypervisor exchanges it with tools and
 * VCPUOP_initialise.  error_code and entry_vector are hypervisor-private.
 * The byte after cs holds the saved event mask; rflags.IF mirrors it.
 */
struct cpu_user_regs {
    uint64_t r15;
    uint64_t r14;
    uint64_t r13;
    uint64_t r12;
    uint64_t rbp;
    uint64_t rbx;
    uint64_t r11;
    uint64_t r10;
    uint64_t r9;
    uint64_t r8;
    uint64_t rax;
    uint64_t rcx;
    uint64_t rdx;
    uint64_t rsi;
    uint64_t rdi;
    uint32_t error_code;
    uint32_t entry_vector;
    uint64_t rip;
    uint16_t cs;
    uint16_t _pad0;
    uint8_t  saved_upcall_mask;
    uint8_t  _pad1[3];
    uint64_t rflags;
    uint64_t rsp;
    uint16_t ss, _pad2[3];
    uint16_t es, _pad3[3];
    uint16_t ds, _pad4[3];
    uint16_t fs, _pad5[3];
    uint16_t gs, _pad6[3];
};
typedef struct cpu_user_regs cpu_user_regs_t;
MICA_ABI_SIZE(struct cpu_user_regs, 200);
MICA_ABI_OFFSET(struct cpu_user_regs, rax, 80);
MICA_ABI_OFFSET(struct cpu_user_regs, rdi, 112);
MICA_ABI_OFFSET(struct cpu_user_regs, error_code, 120);
MICA_ABI_OFFSET(struct cpu_user_regs, rip, 128);
MICA_ABI_OFFSET(struct cpu_user_regs, cs, 136);
MICA_ABI_OFFSET(struct cpu_user_regs, saved_upcall_mask, 140);
MICA_ABI_OFFSET(struct cpu_user_regs, rflags, 144);
MICA_ABI_OFFSET(struct cpu_user_regs, rsp, 152);
MICA_ABI_OFFSET(struct cpu_user_regs, ss, 160);
MICA_ABI_OFFSET(struct cpu_user_regs, gs, 192);

/* Per-vCPU architecture part of vcpu_info: the #PF address lives here. */
struct arch_vcpu_info {
    uint64_t cr2;
    uint64_t pad;
};
typedef struct arch_vcpu_info arch_vcpu_info_t;
MICA_ABI_SIZE(struct arch_vcpu_info, 16);

/*
 * Architecture part of shared_info, written by the guest for the
 * toolstack (p2m location for save/restore); the hypervisor ignores it.
 */
struct arch_shared_info {
    uint64_t max_pfn;
    xen_pfn_t pfn_to_mfn_frame_list_list;
    uint64_t nmi_reason;
    uint64_t p2m_cr3;
    uint64_t p2m_vaddr;
    uint64_t p2m_generation;
};
typedef struct arch_shared_info arch_shared_info_t;
MICA_ABI_SIZE(struct arch_shared_info, 48);
MICA_ABI_OFFSET(struct arch_shared_info, p2m_generation, 40);

/* vcpu_guest_context.flags */
#define _VGCF_i387_valid               0
#define VGCF_i387_valid                (1U << _VGCF_i387_valid)
#define VGCF_I387_VALID                VGCF_i387_valid
#define _VGCF_in_kernel                2
#define VGCF_in_kernel                 (1U << _VGCF_in_kernel)
#define VGCF_IN_KERNEL                 VGCF_in_kernel
#define _VGCF_failsafe_disables_events 3
#define VGCF_failsafe_disables_events  (1U << _VGCF_failsafe_disables_events)
#define _VGCF_syscall_disables_events  4
#define VGCF_syscall_disables_events   (1U << _VGCF_syscall_disables_events)
#define _VGCF_online                   5
#define VGCF_online                    (1U << _VGCF_online)

/*
 * Full vCPU state for VCPUOP_initialise and the toolstack.  The user page
 * table goes in ctrlreg[1]; gdt_frames are machine frame numbers.
 */
struct vcpu_guest_context {
    uint8_t  fpu_ctxt[512];             /* FXSAVE image, first to align */
    uint64_t flags;                     /* VGCF_* */
    struct cpu_user_regs user_regs;
    struct trap_info trap_ctxt[256];
    uint64_t ldt_base, ldt_ents;
    uint64_t gdt_frames[16], gdt_ents;
    uint64_t kernel_ss, kernel_sp;
    uint64_t ctrlreg[8];
    uint64_t debugreg[8];
    uint64_t event_callback_eip;
    uint64_t failsafe_callback_eip;
    uint64_t syscall_callback_eip;
    uint64_t vm_assist;                 /* bitmap of VMASST_TYPE_* */
    uint64_t fs_base;
    uint64_t gs_base_kernel;
    uint64_t gs_base_user;
};
typedef struct vcpu_guest_context vcpu_guest_context_t;
MICA_ABI_SIZE(struct vcpu_guest_context, 5168);
MICA_ABI_OFFSET(struct vcpu_guest_context, flags, 512);
MICA_ABI_OFFSET(struct vcpu_guest_context, user_regs, 520);
MICA_ABI_OFFSET(struct vcpu_guest_context, trap_ctxt, 720);
MICA_ABI_OFFSET(struct vcpu_guest_context, ldt_base, 4816);
MICA_ABI_OFFSET(struct vcpu_guest_context, gdt_frames, 4832);
MICA_ABI_OFFSET(struct vcpu_guest_context, kernel_ss, 4968);
MICA_ABI_OFFSET(struct vcpu_guest_context, ctrlreg, 4984);
MICA_ABI_OFFSET(struct vcpu_guest_context, event_callback_eip, 5112);
MICA_ABI_OFFSET(struct vcpu_guest_context, vm_assist, 5136);
MICA_ABI_OFFSET(struct vcpu_guest_context, gs_base_user, 5160);

#endif /* MICA_PUBLIC_ARCH_X86_64_H */
