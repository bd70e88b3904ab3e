/*
 * The frame table: one struct page_info per machine frame, indexed by
 * machine frame number (mfn). It records who owns each frame, the
 * allocator's free-list links, and the reference and type counts that
 * the page-type system uses to decide what a guest may map and how.
 */
#ifndef MICA_PAGE_H
#define MICA_PAGE_H

#include <mica/env.h>

/* Owners that are not domains; the values are Xen's DOMID_IO/DOMID_XEN. */
#define PAGE_OWNER_IO       0x7ff1  /* MMIO, firmware-reserved */
#define PAGE_OWNER_XEN      0x7ff2  /* the hypervisor's own frames */
#define PAGE_OWNER_NONE     0xffff  /* free */

/* page_info.flags */
#define PGF_free            (1u << 0)   /* in the allocator's free pool */
#define PGF_head            (1u << 1)   /* first frame of a free block */
#define PGF_ram             (1u << 2)   /* RAM handed to the allocator */
#define PGF_reserved        (1u << 3)   /* not RAM, or kept back */
#define PGF_allocated       (1u << 4)   /* owner holds its allocation ref */
#define PGF_xenheap         (1u << 5)   /* hypervisor's, shared with owner */
#define PGF_scratch         (1u << 7)   /* private to page_alloc_check() */

/*
 * page_info.type_info: what a frame is currently used as, so that no
 * frame is ever both a page table and writable by a guest. The type sits
 * in the top bits, flags below it, and the number of uses of the frame as
 * that type in the low bits. Bits 48-58 are spare.
 */
#define PGT_TYPE_SHIFT      61
#define PGT_type_mask       (7UL << PGT_TYPE_SHIFT)
#define PGT_none            (0UL << PGT_TYPE_SHIFT)
#define PGT_l1              (1UL << PGT_TYPE_SHIFT)
#define PGT_l2              (2UL << PGT_TYPE_SHIFT)
#define PGT_l3              (3UL << PGT_TYPE_SHIFT)
#define PGT_l4              (4UL << PGT_TYPE_SHIFT)
#define PGT_seg_desc        (5UL << PGT_TYPE_SHIFT)
#define PGT_writable        (7UL << PGT_TYPE_SHIFT)
#define PGT_pinned          (1UL << 60) /* the guest pinned the type */
#define PGT_validated       (1UL << 59) /* contents checked for the type */
#define PGT_count_mask      ((1UL << 48) - 1)

/* "No frame" in the 32-bit links below. */
#define INVALID_MFN32       (~0u)

struct page_info
{
    uint64_t type_info;     /* PGT_* */
    uint32_t count;         /* general references; takers check overflow */
    uint32_t next;          /* free-list links while PGF_head */
    uint32_t prev;
    uint16_t owner;         /* domain id or PAGE_OWNER_* */
    uint8_t order;          /* while PGF_head: the free block's order */
    uint8_t flags;          /* PGF_* */
    int16_t linear_pt;      /* >0: linear entries this table holds;
                               <0: linear entries pointing at it */
    uint16_t pad16;
    uint32_t pad32;         /* keeps the record at 32 bytes */
};
_Static_assert(sizeof(struct page_info) == 32, "page_info is 32 bytes");
_Static_assert(CONFIG_MAX_FRAMES < INVALID_MFN32, "mfns fit the links");

/* Set by page_alloc_init(). */
extern struct page_info *frame_table;
extern unsigned long max_frame;         /* frames in the table */

static inline bool mfn_valid(unsigned long mfn)
{
    return mfn < max_frame;
}

static inline struct page_info *mfn_to_page(unsigned long mfn)
{
    ASSERT(mfn_valid(mfn));
    return frame_table + mfn;
}

static inline unsigned long page_to_mfn(const struct page_info *pg)
{
    return pg - frame_table;
}

#endif /* MICA_PAGE_H */
