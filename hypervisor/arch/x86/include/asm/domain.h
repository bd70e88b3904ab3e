/* The x86 PV part of a domain and of a vCPU. */
#ifndef ASM_DOMAIN_H
#define ASM_DOMAIN_H

#include <stdbool.h>
#include <asm/desc.h>
#include <asm/regs.h>
#include <public/memory.h>

/* One guest trap-table entry as we keep it (already validated). */
struct pv_trap
{
    uint64_t address;   /* 0: no handler */
    uint16_t cs;
    uint8_t flags;      /* TI_DPL_MASK | TI_IF */
};

struct pv_callback
{
    uint64_t address;
    bool mask_events;
};

struct arch_vcpu
{
    struct cpu_regs user_regs;      /* registers while not running */
    struct pv_trap traps[256];
    struct pv_callback event_cb, failsafe_cb, syscall_cb;
    uint64_t kernel_ss, kernel_sp;
    uint64_t fs_base, gs_base_kernel, gs_base_user;
    uint16_t gs_sel_user;
    uint16_t seg_sel[4];            /* DS ES FS GS while switched out */
    bool kernel_mode;               /* guest kernel (vs. guest user) mode */
    bool virt_ts;                   /* the guest's virtual CR0.TS */
    uint64_t cr2;                   /* the guest's CR2: its last #PF */
    unsigned long guest_table;      /* MFN of the kernel L4 */
    unsigned long guest_table_user; /* MFN of the user L4, 0 if none */
    unsigned long gdt_frames[GDT_GUEST_FRAMES];
    unsigned int gdt_ents;
    uint64_t ldt_base;              /* guest linear address of the LDT */
    unsigned int ldt_ents;          /* 0: no LDT */
    unsigned long ldt_frames[16];   /* mapped on demand; 0: not yet */
    uint64_t debugreg[8];
    uint8_t fpu_ctxt[512] __attribute__((aligned(16)));
    bool fpu_initialised;
    unsigned int iopl;              /* virtual IOPL (physdev set_iopl) */
    uint64_t iobmp;                 /* guest VA of its I/O bitmap */
    unsigned int iobmp_limit;       /* ports the bitmap covers */
};

struct arch_domain
{
    unsigned long vm_assist;
    unsigned int nr_e820;           /* 0: no map set (memory_map: ENOSYS) */
    struct xen_e820_entry e820[E820MAX];    /* XENMEM_set_memory_map's */
    uint32_t pci_cf8;               /* last dword written to port 0xcf8 */
    unsigned long pirq_eoi_mfn;     /* physdev pirq_eoi_gmfn; 0: none */
    bool pirq_auto_unmask;          /* registered with the v1 call */
    /* A kill's progress (mm/relinquish.c): its step, the next frame. */
    unsigned int rel_step;
    unsigned long rel_mfn;
};

#endif /* ASM_DOMAIN_H */
