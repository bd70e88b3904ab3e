/*
 * The physical CPU's descriptor tables.
 *
 * The GDT is a 15-page window at a fixed per-CPU virtual address: pages
 * 0-13 show the running vCPU's own GDT frames (or a zero page), page 14 is
 * the hypervisor's reserved page with the flat selectors every PV guest
 * uses and our TSS. Swapping vCPUs only rewrites 14 L1 entries; the GDTR
 * never changes. The LDT window (16 pages from page 16) shows the running
 * vCPU's LDT frames as the LDT code maps them in, on demand. The TSS supplies rsp0 (the top of the per-CPU stack, where
 * a guest's registers land on every entry) and IST stacks for #DF, NMI and
 * #MC, which may arrive on a stack we cannot trust.
 */
#include <asm/current.h>
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <mica/lib.h>

struct idt_gate
{
    uint16_t off_lo;
    uint16_t sel;
    uint8_t ist;
    uint8_t type;
    uint16_t off_mid;
    uint32_t off_hi;
    uint32_t reserved;
};
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate layout");

static struct idt_gate idt[256] __attribute__((aligned(4096)));
static struct tss64 tss __attribute__((aligned(128)));
static uint8_t ist_stacks[IST_MAX][4096] __attribute__((aligned(4096)));
static uint8_t zero_page[4096] __attribute__((aligned(4096)));

static pte_t percpu_l3[512] __attribute__((aligned(4096)));
static pte_t percpu_l2[512] __attribute__((aligned(4096)));
static pte_t percpu_l1[512] __attribute__((aligned(4096)));

extern pte_t idle_l4[512];
extern char cpu0_stack[];

struct pseudo_desc
{
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

unsigned long gdt_window_va(void)
{
    return PERCPU_VIRT_START;
}

void idt_set_gate(unsigned int vec, void *handler, unsigned int dpl,
                  unsigned int ist)
{
    unsigned long a = (unsigned long)handler;
    struct idt_gate *g = &idt[vec];

    g->off_lo = a & 0xffff;
    g->sel = HYPERVISOR_CS;
    g->ist = ist;
    g->type = 0x8e | (dpl << 5);  /* present, 64-bit interrupt gate */
    g->off_mid = (a >> 16) & 0xffff;
    g->off_hi = a >> 32;
    g->reserved = 0;
}

void gdt_window_map(const unsigned long *mfns, unsigned int nr)
{
    unsigned long va = gdt_window_va();

    for ( unsigned int i = 0; i < GDT_GUEST_FRAMES; i++ )
    {
        if ( i < nr && mfns[i] )
            percpu_l1[i] = mfn_pte(mfns[i], _PAGE_PRESENT | _PAGE_RW |
                                   _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX);
        else
            percpu_l1[i] = mfn_pte(virt_to_mfn(zero_page), _PAGE_PRESENT |
                                   _PAGE_ACCESSED | _PAGE_NX);
        invlpg(va + i * PAGE_SIZE);
    }
}

unsigned long ldt_window_va(void)
{
    return PERCPU_VIRT_START + LDT_WINDOW_FIRST * PAGE_SIZE;
}

void ldt_window_map(const unsigned long *mfns)
{
    unsigned long va = ldt_window_va();

    for ( unsigned int i = 0; i < LDT_WINDOW_PAGES; i++ )
    {
        /* The CPU sets accessed bits in descriptors: writable. */
        percpu_l1[LDT_WINDOW_FIRST + i] =
            mfns[i] ? mfn_pte(mfns[i], _PAGE_PRESENT | _PAGE_RW |
                              _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX)
                    : 0;
        invlpg(va + i * PAGE_SIZE);
    }
}

void ldt_load(unsigned int ents)
{
    unsigned long base = ldt_window_va(), limit = ents * 8 - 1;
    unsigned int slot = (LDT_SELECTOR - GDT_RESERVED_FIRST_BYTE) / 8;

    if ( !ents )
    {
        asm volatile ( "lldt %w0" :: "r" (0) );
        return;
    }
    /* A 16-byte system descriptor: present, type 2 (LDT). */
    gdt_reserved[slot] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
                         (0x82UL << 40) | (((limit >> 16) & 0xf) << 48) |
                         (((base >> 24) & 0xff) << 56);
    gdt_reserved[slot + 1] = base >> 32;
    asm volatile ( "lldt %w0" :: "r" (LDT_SELECTOR) );
}

static void map_gdt_window(void)
{
    unsigned long va = gdt_window_va();

    percpu_l1[GDT_GUEST_FRAMES] = mfn_pte(virt_to_mfn(gdt_reserved),
                                          _PAGE_PRESENT | _PAGE_RW |
                                          _PAGE_ACCESSED | _PAGE_DIRTY |
                                          _PAGE_NX);
    percpu_l2[l2_index(va)] = mfn_pte(virt_to_mfn(percpu_l1),
                                      _PAGE_PRESENT | _PAGE_RW);
    percpu_l3[l3_index(va)] = mfn_pte(virt_to_mfn(percpu_l2),
                                      _PAGE_PRESENT | _PAGE_RW);
    idle_l4[l4_index(va)] = mfn_pte(virt_to_mfn(percpu_l3),
                                    _PAGE_PRESENT | _PAGE_RW);
    gdt_window_map(NULL, 0);
}

static void load_tss(void)
{
    unsigned long base = (unsigned long)&tss;
    uint64_t lo, hi;

    lo = (sizeof(tss) - 1) | ((base & 0xffffff) << 16) |
         (0x89UL << 40) | (((base >> 24) & 0xff) << 56);
    hi = base >> 32;
    gdt_reserved[(TSS_SELECTOR - GDT_RESERVED_FIRST_BYTE) / 8] = lo;
    gdt_reserved[(TSS_SELECTOR - GDT_RESERVED_FIRST_BYTE) / 8 + 1] = hi;
    asm volatile ( "ltr %w0" :: "r" (TSS_SELECTOR) );
}

void desc_init(void)
{
    struct pseudo_desc gdtr = { GDT_LAST_BYTE, gdt_window_va() };
    struct pseudo_desc idtr = { sizeof(idt) - 1, (unsigned long)idt };
    struct cpu_info *ci = (struct cpu_info *)(cpu0_stack + STACK_SIZE) - 1;

    map_gdt_window();
    asm volatile ( "lgdt %0" :: "m" (gdtr) );

    tss.rsp[0] = (unsigned long)(&ci->guest_regs + 1);
    for ( unsigned int i = 0; i < IST_MAX; i++ )
        tss.ist[i] = (unsigned long)ist_stacks[i] + sizeof(ist_stacks[i]);
    tss.iomap_base = sizeof(tss); /* no I/O bitmap: all ports trap */
    load_tss();

    asm volatile ( "lidt %0" :: "m" (idtr) );
    asm volatile ( "lldt %w0" :: "r" (0) );
}
