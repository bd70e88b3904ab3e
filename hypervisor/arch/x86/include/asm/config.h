/*
 * Mica's virtual memory layout on x86-64 (shared with assembly).
 *
 * Guests own every L4 slot except 256-271 (0xffff800000000000 up to
 * 0xffff880000000000), the range Xen reserves for itself and which Linux
 * leaves alone. Mica keeps all of its own mappings there:
 *
 *   slot 256  0xffff800000000000  machine-to-phys table (read-only to guests)
 *   slot 260  0xffff820000000000  per-CPU area: GDT window for the running vCPU
 *   slot 261  0xffff82d040000000  the hypervisor image (physical 2 MiB up)
 *   slot 262  0xffff830000000000  direct map of all RAM
 *
 * The image is linked at MICA_VIRT_START + physical address, so the same
 * 2 MiB-page mapping serves both the image and, at boot, identity-mapped
 * low memory.
 */
#ifndef ASM_CONFIG_H
#define ASM_CONFIG_H

#define MICA_VIRT_START   0xffff82d040000000
#define MICA_LOAD_PADDR   0x200000
#define DIRECTMAP_START   0xffff830000000000
#define PERCPU_VIRT_START 0xffff820000000000
#define M2P_VIRT_START    0xffff800000000000

#define HYPERVISOR_SLOT_FIRST 256
#define HYPERVISOR_SLOT_LAST  271

/* Hypervisor stack: 8 pages per CPU, struct cpu_info at its top. */
#define STACK_ORDER 3
#define STACK_SIZE  (4096 << STACK_ORDER)
#define CPU_INFO_SIZE 208       /* sizeof(struct cpu_info), asserted in C */

/* Selectors in the reserved top of every GDT (entries >= 7168). */
#define HYPERVISOR_CS   0xe008
#define HYPERVISOR_DS   0xe010
#define HYPERVISOR_CS32 0xe018
#define GUEST_CS32      0xe023
#define GUEST_DS        0xe02b
#define GUEST_CS64      0xe033
#define TSS_SELECTOR    0xe040
#define LDT_SELECTOR    0xe050
#define GDT_RESERVED_FIRST_BYTE 0xe000
#define GDT_LAST_BYTE   0xe05f

/* Interrupt Stack Table slots for exceptions that may hit a bad stack. */
#define IST_DF  1
#define IST_NMI 2
#define IST_MCE 3
#define IST_MAX 3

#endif /* ASM_CONFIG_H */
