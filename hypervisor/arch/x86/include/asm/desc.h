/* GDT, TSS and IDT of the physical CPU. */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <stdint.h>
#include <asm/config.h>

struct tss64
{
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss64) == 104, "TSS layout");

/* Number of pages in a vCPU's GDT window: 14 guest pages + 1 reserved. */
#define GDT_GUEST_FRAMES 14
#define GDT_WINDOW_PAGES (GDT_GUEST_FRAMES + 1)

/* The LDT window: 16 pages (8192 descriptors) after the GDT window. */
#define LDT_WINDOW_PAGES 16
#define LDT_WINDOW_FIRST 16     /* its first page in the per-CPU L1 */

extern uint64_t gdt_reserved[512];

void desc_init(void);
void idt_set_gate(unsigned int vec, void *handler, unsigned int dpl,
                  unsigned int ist);
/* Point the GDT window's 14 guest pages at these frames (0 = none). */
void gdt_window_map(const unsigned long *mfns, unsigned int nr);
unsigned long gdt_window_va(void);
/* Point the LDT window at these 16 frames (0 = not present). */
void ldt_window_map(const unsigned long *mfns);
unsigned long ldt_window_va(void);
/* Load an LDT of `ents` descriptors from the window (0: none). */
void ldt_load(unsigned int ents);

#endif /* ASM_DESC_H */
