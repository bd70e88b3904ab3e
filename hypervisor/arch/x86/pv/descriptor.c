/*
 * Guest descriptor tables: set_gdt and update_descriptor.
 *
 * A guest's GDT frames are shown to the CPU through the per-CPU GDT
 * window, so every descriptor in them must be safe for ring 3 code: code
 * and data segments get DPL 3, call gates must target a guest code
 * selector, and every other system descriptor (TSS, LDT, interrupt gates)
 * is refused. A frame in use as a GDT has the seg_desc type, which it
 * can only take while nothing maps it writable, so the guest can change
 * its descriptors only through update_descriptor, which validates them.
 */
#include <asm/current.h>
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <mica/page.h>
#include <public/arch-x86_64.h>

#define SEG_S       (1u << 12)
#define SEG_P       (1u << 15)
#define SEG_DPL     (3u << 13)
#define SEG_TYPE    (0xfu << 8)
#define SEG_CALLGATE (0xcu << 8)

static bool guest_code_selector(uint16_t sel)
{
    if ( sel == FLAT_KERNEL_CS || sel == FLAT_USER_CS32 )
        return true;
    /* A selector in the guest's own GDT (not the LDT). */
    return !(sel & 4) && (sel >> 3) < FIRST_RESERVED_GDT_ENTRY;
}

/* Validate (and fix up) one descriptor; false if it is not allowed. */
static bool check_descriptor(uint64_t *desc)
{
    uint32_t a = *desc, b = *desc >> 32;

    if ( !(b & SEG_P) )
        return true;
    if ( b & SEG_S )
    {
        b |= SEG_DPL;           /* the guest kernel runs in ring 3 */
        goto good;
    }
    if ( (b & SEG_TYPE) == 0 )
        return true;            /* the upper half of a 16-byte gate */
    if ( (b & SEG_TYPE) != SEG_CALLGATE )
        return false;
    if ( !guest_code_selector(a >> 16) )
        return false;
    b &= ~SEG_DPL;              /* gates are emulated: DPL 0 */
 good:
    *desc = ((uint64_t)b << 32) | a;
    return true;
}

static bool owned_by_current(unsigned long mfn)
{
    return mfn_valid(mfn) &&
           mfn_to_page(mfn)->owner == current->domain->domain_id;
}

static bool validate_desc_page(unsigned long mfn)
{
    uint64_t *d = mfn_to_virt(mfn);

    for ( unsigned int i = 0; i < PAGE_SIZE / 8; i++ )
    {
        uint64_t tmp = d[i];

        if ( !check_descriptor(&tmp) )
            return false;
        d[i] = tmp;
    }
    return true;
}

/* Take a seg_desc type reference; 0 or -EINVAL. */
static int get_seg_desc_type(unsigned long mfn)
{
    struct page_info *pg = mfn_to_page(mfn);
    uint64_t t = pg->type_info;

    if ( (t & PGT_count_mask) && (t & PGT_type_mask) != PGT_seg_desc )
        return -EINVAL;
    if ( !(t & PGT_count_mask) )
    {
        if ( !validate_desc_page(mfn) )
            return -EINVAL;
        t = PGT_seg_desc | PGT_validated;
    }
    pg->type_info = t + 1;
    return 0;
}

static void put_seg_desc_type(unsigned long mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    if ( (pg->type_info & PGT_count_mask) &&
         !(--pg->type_info & PGT_count_mask) )
        pg->type_info = PGT_none;
}

static void release_gdt(struct vcpu *v)
{
    for ( unsigned int i = 0; i < GDT_GUEST_FRAMES; i++ )
    {
        if ( v->arch.gdt_frames[i] )
            put_seg_desc_type(v->arch.gdt_frames[i]);
        v->arch.gdt_frames[i] = 0;
    }
    v->arch.gdt_ents = 0;
}

long do_set_gdt(unsigned long frame_list, unsigned long entries,
                unsigned long a3, unsigned long a4, unsigned long a5)
{
    struct vcpu *v = current;
    unsigned long frames[GDT_GUEST_FRAMES];
    unsigned int nr = (entries + 511) / 512, i;

    if ( entries > FIRST_RESERVED_GDT_ENTRY )
        return -EINVAL;
    if ( copy_from_guest(frames, frame_list, nr * sizeof(frames[0])) )
        return -EFAULT;
    for ( i = 0; i < nr; i++ )
        if ( !owned_by_current(frames[i]) || get_seg_desc_type(frames[i]) )
            goto undo;

    release_gdt(v);
    for ( i = 0; i < nr; i++ )
        v->arch.gdt_frames[i] = frames[i];
    v->arch.gdt_ents = entries;
    gdt_window_map(v->arch.gdt_frames, GDT_GUEST_FRAMES);
    return 0;

 undo:
    while ( i-- )
        put_seg_desc_type(frames[i]);
    return -EINVAL;
}

long do_update_descriptor(unsigned long maddr, unsigned long desc,
                          unsigned long a3, unsigned long a4,
                          unsigned long a5)
{
    unsigned long mfn = maddr >> PAGE_SHIFT;
    uint64_t d = desc;
    uint64_t type;

    if ( (maddr & 7) || !check_descriptor(&d) )
        return -EINVAL;
    if ( !owned_by_current(mfn) )
        return -EINVAL;
    type = mfn_to_page(mfn)->type_info & PGT_type_mask;
    /* Never write into a frame the hardware walks as a page table. */
    if ( (mfn_to_page(mfn)->type_info & PGT_count_mask) &&
         type != PGT_seg_desc && type != PGT_writable )
        return -EINVAL;
    *(uint64_t *)((char *)mfn_to_virt(mfn) + (maddr & ~PAGE_MASK)) = d;
    return 0;
}
