/*
 * The machine-frame allocator: a buddy allocator over the frame table.
 * Blocks are 2^order frames, aligned to their size, order 0 to MAX_ORDER.
 */
#ifndef MICA_PAGE_ALLOC_H
#define MICA_PAGE_ALLOC_H

#include <mica/env.h>
#include <mica/page.h>

#define MAX_ORDER 18            /* 2^18 frames: 1 GiB */

/*
 * Take over `table`, nr_frames records (at most CONFIG_MAX_FRAMES are
 * used), as the frame table. Every frame starts reserved, owned by
 * PAGE_OWNER_XEN, and nothing is free until added.
 */
void page_alloc_init(struct page_info *table, unsigned long nr_frames);

/*
 * Hand the RAM frames [mfn, mfn + count) to the allocator, merging them
 * with free neighbours into the largest aligned blocks. The caller leaves
 * out frames already in use (the hypervisor, the frame table, boot
 * modules). Frame 0 is kept back if included, so that no allocation ever
 * returns it. Returns 0, or -EINVAL (logged, nothing changed) if the
 * range leaves the table or overlaps frames already added.
 */
int page_alloc_add_free_range(unsigned long mfn, unsigned long count);

/*
 * Allocate 2^order contiguous frames, aligned to their size, for `owner`
 * (not PAGE_OWNER_NONE), taking the smallest free block that fits. Each
 * frame's owner is set and its counts are zeroed. Returns the first mfn
 * (never 0), -ENOMEM if no block is large enough, or -EINVAL for an order
 * above MAX_ORDER or a bad owner.
 */
long page_alloc(unsigned int order, uint16_t owner);

/*
 * Return the 2^order frames at `mfn` to the allocator. Returns 0, or
 * -EINVAL (logged, nothing changed) if the block is misaligned, leaves
 * the table, includes frames that are not allocator RAM, or includes a
 * frame that is already free: a double free is refused rather than left
 * to corrupt the free lists, since a guest may be able to provoke one.
 */
int page_free(unsigned long mfn, unsigned int order);

/* Frames free now, and frames ever handed to the allocator. */
unsigned long page_alloc_free_count(void);
unsigned long page_alloc_total_count(void);

/* Free blocks of exactly `order` (0 if order > MAX_ORDER). */
unsigned long page_alloc_free_blocks(unsigned int order);

/*
 * Check every invariant of the allocator (see page_alloc.c): well-formed
 * lists, every free frame in exactly one listed block, buddies merged,
 * counts consistent. Logs the first problem and returns false if any.
 * Takes time proportional to the frame table: for tests and debugging.
 */
bool page_alloc_check(void);

#endif /* MICA_PAGE_ALLOC_H */
