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
#include <asm/page_type.h>
#include <asm/processor.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
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

/* The page-type code validates a frame that becomes a descriptor table. */
int pt_env_validate_desc(unsigned long mfn)
{
    uint64_t *d = mfn_to_virt(mfn);

    for ( unsigned int i = 0; i < PAGE_SIZE / 8; i++ )
    {
        uint64_t tmp = d[i];

        if ( !check_descriptor(&tmp) )
            return -EINVAL;
        d[i] = tmp;
    }
    return 0;
}

static void release_gdt(struct vcpu *v)
{
    for ( unsigned int i = 0; i < GDT_GUEST_FRAMES; i++ )
    {
        if ( v->arch.gdt_frames[i] )
            put_page_and_type(v->arch.gdt_frames[i]);
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
        if ( get_page_and_type(frames[i], v->domain->domain_id,
                               PGT_seg_desc) )
            goto undo;

    release_gdt(v);
    for ( i = 0; i < nr; i++ )
        v->arch.gdt_frames[i] = frames[i];
    v->arch.gdt_ents = entries;
    gdt_window_map(v->arch.gdt_frames, GDT_GUEST_FRAMES);
    return 0;

 undo:
    while ( i-- )
        put_page_and_type(frames[i]);
    return -EINVAL;
}

long do_update_descriptor(unsigned long maddr, unsigned long desc,
                          unsigned long a3, unsigned long a4,
                          unsigned long a5)
{
    unsigned long mfn = maddr >> PAGE_SHIFT;
    uint64_t d = desc, *slot;
    int rc = 0;

    if ( (maddr & 7) || !check_descriptor(&d) )
        return -EINVAL;
    if ( !get_page(mfn, current->domain->domain_id) )
        return -EINVAL;
    /* A descriptor table stays one; anything else must be plain memory. */
    if ( (mfn_to_page(mfn)->type_info & PGT_type_mask) != PGT_seg_desc ||
         !(mfn_to_page(mfn)->type_info & PGT_count_mask) )
        rc = get_page_type(mfn, PGT_writable);
    if ( rc == 0 )
    {
        slot = (uint64_t *)((char *)mfn_to_virt(mfn) + (maddr & ~PAGE_MASK));
        *slot = d;
        pt_env_mark_dirty(mfn);
        if ( (mfn_to_page(mfn)->type_info & PGT_type_mask) == PGT_writable )
            put_page_type(mfn);
    }
    put_page(mfn);
    return rc;
}
