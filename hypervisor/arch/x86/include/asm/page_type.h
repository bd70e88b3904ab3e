/*
 * Page types and reference counts: the rules that let PV guests own their
 * page tables while only the hypervisor can change them.
 *
 * Every frame has a general reference count (page_info.count: the owner's
 * allocation, every mapping and every table entry that points at it) and
 * a type with its own count (page_info.type_info: none, writable, L1-L4,
 * seg_desc). See docs/memory.md for the invariants and why each exists.
 *
 * The code behind this header (arch/x86/mm/page_type.c, pt_entry.c) is
 * pure logic: it reaches frame contents and the rest of the hypervisor
 * only through the pt_env_* hooks below, so the unit tests run it against
 * a simulated frame table. It assumes one CPU and no preemption inside a
 * call; SMP needs a per-domain lock around every entry point.
 */
#ifndef ASM_PAGE_TYPE_H
#define ASM_PAGE_TYPE_H

#include <asm/page.h>
#include <mica/env.h>
#include <mica/page.h>

typedef uint16_t pt_domid_t;

/* Who is acting on a page table, and on whose behalf. */
struct pt_ctx
{
    pt_domid_t owner;       /* owns the tables being changed */
    pt_domid_t pg_owner;    /* owns the frames new L1 entries may map */
};

/* Guest-controlled entry bits, Xen's rules for 64-bit PV. */
#define PTE_AVAIL_HIGH  (0x7ffUL << 52)     /* bits 52-62 */
#define PTE_GNTTAB      (1UL << 62)         /* reserved for grant maps */
#define PTE_CACHE_ATTRS (_PAGE_PWT | _PAGE_PCD | _PAGE_PAT)
#define PTE_BASE_ALLOWED (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
                          _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_AVAIL | \
                          PTE_AVAIL_HIGH | _PAGE_NX)

static inline bool is_xen_l4_slot(unsigned int slot)
{
    return slot >= HYPERVISOR_SLOT_FIRST && slot <= HYPERVISOR_SLOT_LAST;
}

static inline unsigned int pgt_level(uint64_t type_info)
{
    uint64_t t = type_info & PGT_type_mask;

    return t >= PGT_l1 && t <= PGT_l4 ? t >> PGT_TYPE_SHIFT : 0;
}

static inline uint64_t pgt_of_level(unsigned int level)
{
    return (uint64_t)level << PGT_TYPE_SHIFT;
}

/*
 * General references. get_page takes one if the frame is allocated to
 * `owner` (and the count cannot overflow); put_page drops one, and the
 * last one hands the frame to pt_env_free().
 */
bool get_page(unsigned long mfn, pt_domid_t owner);
void put_page(unsigned long mfn);

/*
 * Type references. The first reference of a page-table or descriptor
 * type validates the frame's contents (taking the references its entries
 * need); the last one releases them. A frame whose type count is non-zero
 * cannot take another type. 0, or -EINVAL on a type conflict, overflow or
 * contents that fail validation (nothing changed then).
 */
int get_page_type(unsigned long mfn, uint64_t type);
void put_page_type(unsigned long mfn);
int get_page_and_type(unsigned long mfn, pt_domid_t owner, uint64_t type);
void put_page_and_type(unsigned long mfn);

/* MMUEXT_PIN_Ln_TABLE and MMUEXT_UNPIN_TABLE; Xen's error codes. */
int pt_pin(unsigned long mfn, pt_domid_t owner, unsigned int level);
int pt_unpin(unsigned long mfn, pt_domid_t owner);

/*
 * One MMU_NORMAL_PT_UPDATE (or PRESERVE_AD) of entry `slot` of frame
 * `table`, which ctx->owner owns: validated according to the frame's
 * current type, or written as plain data if the frame is not a page
 * table. 0 or a negative errno; on error nothing changed.
 */
int pt_update_entry(unsigned long table, unsigned int slot, pte_t val,
                    const struct pt_ctx *ctx, bool preserve_ad);

/*
 * Entry-level rules (pt_entry.c), used by validation and by updates.
 * pt_get_entry returns the cache-attribute bits to add (>= 0) or an error.
 */
int pt_check_flags(unsigned int level, pte_t e, unsigned long table);
int pt_get_entry(unsigned int level, pte_t e, unsigned long table,
                 const struct pt_ctx *ctx);
void pt_put_entry(unsigned int level, pte_t e, unsigned long table);
pte_t pt_adjust_entry(unsigned int level, pte_t e);

/* MICA_PAGEINFO_* of frame mfn as domain `owner` holds it (pageinfo.c). */
uint32_t pageinfo_classify(unsigned long mfn, pt_domid_t owner);

/* Hooks the environment provides. */
pte_t *pt_env_map(unsigned long mfn);           /* the frame's contents */
void pt_env_free(unsigned long mfn);            /* last reference gone */
void pt_env_flush(void);    /* flush TLBs before the guest runs again */
bool pt_env_io_ok(pt_domid_t d);    /* may map I/O frames, cache attrs */
bool pt_env_mmio_frame(unsigned long mfn);  /* inside the physical space */
int pt_env_validate_desc(unsigned long mfn);    /* seg_desc contents */
void pt_env_xen_l4_slots(pte_t *l4);    /* install the hypervisor's */
void pt_env_desc_unmapped(pt_domid_t d);    /* drop d's mapped LDTs */
/*
 * The frame's contents changed or may change from now on (it was
 * validated, had an entry rewritten, or is mapped writable by a domain
 * other than its owner): log-dirty mode records it.
 */
void pt_env_mark_dirty(unsigned long mfn);
/*
 * The frame took its first writable type reference: log-dirty mode
 * records it unless it sees the stores themselves (logdirty.c).
 */
void pt_env_writable_first(unsigned long mfn);
/* A present L1 entry of `owner`'s table as log-dirty mode wants it. */
pte_t pt_env_track_l1(pt_domid_t owner, pte_t e);

#endif /* ASM_PAGE_TYPE_H */
