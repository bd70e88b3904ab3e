/*
 * The buddy allocator for machine frames.
 *
 * Free memory is kept as blocks of 2^order frames whose first mfn is a
 * multiple of 2^order. A block's buddy is the block of the same order it
 * would merge with: the one at mfn ^ 2^order. The invariants, which
 * page_alloc_check() verifies, are:
 *
 *  1. Every free frame (PGF_free) lies in exactly one free block, and
 *     every frame of a free block is free and allocator RAM (PGF_ram).
 *  2. A free block's first frame alone carries PGF_head and the block's
 *     order, and sits on free_head[order]'s doubly linked list; the links
 *     are mfns, INVALID_MFN32 ending the list.
 *  3. Buddies are merged: no free block of order < MAX_ORDER has a buddy
 *     that is also a free block of the same order.
 *  4. free_frames is the number of PGF_free frames; total_frames the
 *     number of PGF_ram ones. Frame 0 is never RAM, so never allocated.
 *
 * Invariant 3 is what makes merging cheap: when a block is freed, its
 * buddy is either a whole free block of the same order (merge, and try
 * again one order up) or not (stop). Because blocks nest, a free buddy
 * frame cannot be in the middle of a larger free block: that block would
 * contain the block being freed. Allocation takes the smallest non-empty
 * order that fits and splits it, returning the upper halves to the lists.
 *
 * All the state is below; heap_lock() is the one place to add locking.
 */
#include <mica/env.h>
#include <mica/page_alloc.h>

struct page_info *frame_table;
unsigned long max_frame;

static uint32_t free_head[MAX_ORDER + 1];
static unsigned long nr_free_blocks[MAX_ORDER + 1];
static unsigned long free_frames;
static unsigned long total_frames;

/*
 * With one CPU there is nothing to exclude. When SMP arrives these take a
 * spinlock with interrupts off; every public entry point already brackets
 * its work with them, and nothing else touches the state above.
 */
static void heap_lock(void)
{
}

static void heap_unlock(void)
{
}

static unsigned long block_frames(unsigned int order)
{
    return 1UL << order;
}

/* Does the block of 2^order frames at mfn lie inside the table, aligned? */
static bool block_ok(unsigned long mfn, unsigned int order)
{
    return order <= MAX_ORDER && (mfn & (block_frames(order) - 1)) == 0 &&
           mfn < max_frame && block_frames(order) <= max_frame - mfn;
}

static void list_add(unsigned long mfn, unsigned int order)
{
    struct page_info *pg = &frame_table[mfn];
    uint32_t head = free_head[order];

    pg->flags |= PGF_head;
    pg->order = order;
    pg->prev = INVALID_MFN32;
    pg->next = head;
    if ( head != INVALID_MFN32 )
        frame_table[head].prev = mfn;
    free_head[order] = mfn;
    nr_free_blocks[order]++;
}

static void list_del(unsigned long mfn, unsigned int order)
{
    struct page_info *pg = &frame_table[mfn];

    if ( pg->prev != INVALID_MFN32 )
        frame_table[pg->prev].next = pg->next;
    else
        free_head[order] = pg->next;
    if ( pg->next != INVALID_MFN32 )
        frame_table[pg->next].prev = pg->prev;

    pg->flags &= ~PGF_head;
    pg->next = INVALID_MFN32;
    pg->prev = INVALID_MFN32;
    nr_free_blocks[order]--;
}

static void set_block(unsigned long mfn, unsigned int order, uint16_t owner,
                      bool free)
{
    unsigned long i;

    for ( i = mfn; i < mfn + block_frames(order); i++ )
    {
        struct page_info *pg = &frame_table[i];

        pg->owner = owner;
        pg->count = 0;
        pg->type_info = PGT_none;
        pg->linear_pt = 0;
        pg->flags &= ~(PGF_allocated | PGF_xenheap);
        if ( free )
            pg->flags |= PGF_free;
        else
            pg->flags &= ~PGF_free;
    }
}

static bool is_free_block(unsigned long mfn, unsigned int order)
{
    const struct page_info *pg = &frame_table[mfn];

    return (pg->flags & PGF_head) && pg->order == order;
}

/* Put an allocated, validated block back, merging it with its buddies. */
static void free_block(unsigned long mfn, unsigned int order)
{
    set_block(mfn, order, PAGE_OWNER_NONE, true);
    free_frames += block_frames(order);

    while ( order < MAX_ORDER )
    {
        unsigned long buddy = mfn ^ block_frames(order);

        if ( !block_ok(buddy, order) || !is_free_block(buddy, order) )
            break;
        list_del(buddy, order);
        mfn = MIN(mfn, buddy);
        order++;
    }

    list_add(mfn, order);
}

void page_alloc_init(struct page_info *table, unsigned long nr_frames)
{
    unsigned long i;

    if ( nr_frames > CONFIG_MAX_FRAMES )
    {
        printk(LOG_WARN "page_alloc: only %lu of %lu frames used "
               "(CONFIG_MAX_FRAMES)\n", (unsigned long)CONFIG_MAX_FRAMES,
               nr_frames);
        nr_frames = CONFIG_MAX_FRAMES;
    }

    heap_lock();
    frame_table = table;
    max_frame = nr_frames;
    free_frames = 0;
    total_frames = 0;
    for ( i = 0; i <= MAX_ORDER; i++ )
    {
        free_head[i] = INVALID_MFN32;
        nr_free_blocks[i] = 0;
    }

    memset(table, 0, nr_frames * sizeof(*table));
    for ( i = 0; i < nr_frames; i++ )
    {
        table[i].owner = PAGE_OWNER_XEN;
        table[i].flags = PGF_reserved;
        table[i].next = INVALID_MFN32;
        table[i].prev = INVALID_MFN32;
    }
    heap_unlock();
}

/* The largest block that starts at mfn and fits in count frames. */
static unsigned int largest_order(unsigned long mfn, unsigned long count)
{
    unsigned int order = MAX_ORDER;

    while ( order > 0 && ((mfn & (block_frames(order) - 1)) != 0 ||
                          block_frames(order) > count) )
        order--;

    return order;
}

int page_alloc_add_free_range(unsigned long mfn, unsigned long count)
{
    unsigned long i;
    unsigned int order;

    if ( mfn == 0 && count > 0 )
    {
        mfn++;
        count--;
    }
    if ( count == 0 )
        return 0;

    heap_lock();
    if ( mfn >= max_frame || count > max_frame - mfn )
        goto bad;
    for ( i = mfn; i < mfn + count; i++ )
        if ( frame_table[i].flags & PGF_ram )
            goto bad;

    for ( i = mfn; i < mfn + count; i++ )
        frame_table[i].flags = PGF_ram;
    total_frames += count;

    while ( count > 0 )
    {
        order = largest_order(mfn, count);
        free_block(mfn, order);
        mfn += block_frames(order);
        count -= block_frames(order);
    }
    heap_unlock();
    return 0;

 bad:
    heap_unlock();
    printk(LOG_ERR "page_alloc: bad RAM range %#lx+%#lx\n", mfn, count);
    return -EINVAL;
}

long page_alloc(unsigned int order, uint16_t owner)
{
    unsigned int o;
    unsigned long mfn;

    if ( order > MAX_ORDER || owner == PAGE_OWNER_NONE )
        return -EINVAL;

    heap_lock();
    for ( o = order; o <= MAX_ORDER; o++ )
        if ( free_head[o] != INVALID_MFN32 )
            break;
    if ( o > MAX_ORDER )
    {
        heap_unlock();
        return -ENOMEM;
    }

    mfn = free_head[o];
    list_del(mfn, o);
    while ( o > order )
    {
        o--;
        list_add(mfn + block_frames(o), o);
    }

    set_block(mfn, order, owner, false);
    free_frames -= block_frames(order);
    heap_unlock();

    return mfn;
}

/* Can the block at mfn be freed? Logs why not. */
static int free_ok(unsigned long mfn, unsigned int order)
{
    unsigned long i;

    if ( !block_ok(mfn, order) )
    {
        printk(LOG_ERR "page_alloc: free of bad block %#lx order %u\n",
               mfn, order);
        return -EINVAL;
    }

    for ( i = mfn; i < mfn + block_frames(order); i++ )
    {
        if ( !(frame_table[i].flags & PGF_ram) )
        {
            printk(LOG_ERR "page_alloc: free of non-RAM frame %#lx\n", i);
            return -EINVAL;
        }
        if ( frame_table[i].flags & PGF_free )
        {
            printk(LOG_ERR "page_alloc: double free of frame %#lx "
                   "(block %#lx order %u) refused\n", i, mfn, order);
            return -EINVAL;
        }
    }

    return 0;
}

int page_free(unsigned long mfn, unsigned int order)
{
    int rc;

    heap_lock();
    rc = free_ok(mfn, order);
    if ( rc == 0 )
        free_block(mfn, order);
    heap_unlock();

    return rc;
}

unsigned long page_alloc_free_count(void)
{
    return free_frames;
}

unsigned long page_alloc_total_count(void)
{
    return total_frames;
}

unsigned long page_alloc_free_blocks(unsigned int order)
{
    return order <= MAX_ORDER ? nr_free_blocks[order] : 0;
}

static bool check_failed(const char *what, unsigned long val)
{
    printk(LOG_ERR "page_alloc: check failed: %s (%#lx)\n", what, val);
    return false;
}

/* Walk one free list, marking each head PGF_scratch (invariant 2). */
static bool check_list(unsigned int order, unsigned long *frames)
{
    uint32_t prev = INVALID_MFN32, mfn = free_head[order];
    unsigned long n = 0;

    for ( ; mfn != INVALID_MFN32; prev = mfn, mfn = frame_table[mfn].next )
    {
        struct page_info *pg;

        if ( !block_ok(mfn, order) || n >= max_frame )
            return check_failed("bad list entry", mfn);
        pg = &frame_table[mfn];
        if ( pg->flags & PGF_scratch )
            return check_failed("block listed twice", mfn);
        if ( !(pg->flags & PGF_head) || !(pg->flags & PGF_free) ||
             pg->order != order || pg->prev != prev )
            return check_failed("bad list head", mfn);
        pg->flags |= PGF_scratch;
        n++;
    }

    if ( n != nr_free_blocks[order] )
        return check_failed("block count differs from list", order);
    *frames += n * block_frames(order);
    return true;
}

/* The free block at mfn, already listed: whole, and merged (1, 3). */
static bool check_block(unsigned long mfn)
{
    unsigned int order = frame_table[mfn].order;
    unsigned long i, buddy = mfn ^ block_frames(order);

    if ( !(frame_table[mfn].flags & PGF_scratch) )
        return check_failed("free frame outside any listed block", mfn);

    for ( i = mfn; i < mfn + block_frames(order); i++ )
    {
        uint8_t f = frame_table[i].flags;

        if ( !(f & PGF_free) || !(f & PGF_ram) ||
             (i != mfn && (f & (PGF_head | PGF_scratch))) )
            return check_failed("bad frame in free block", i);
    }

    if ( order < MAX_ORDER && block_ok(buddy, order) &&
         is_free_block(buddy, order) )
        return check_failed("free buddies not merged", mfn);
    return true;
}

/* Every frame in address order (invariants 1, 3 and 4). */
static bool check_frames(unsigned long listed)
{
    unsigned long mfn = 0, nfree = 0, nram = 0;

    while ( mfn < max_frame )
    {
        const struct page_info *pg = &frame_table[mfn];

        if ( pg->flags & PGF_free )
        {
            if ( !(pg->flags & PGF_head) )
                return check_failed("free frame outside a block", mfn);
            if ( !check_block(mfn) )
                return false;
            nfree += block_frames(pg->order);
            nram += block_frames(pg->order);
            mfn += block_frames(pg->order);
            continue;
        }
        if ( pg->flags & (PGF_head | PGF_scratch) )
            return check_failed("allocated frame marked as free head", mfn);
        nram += !!(pg->flags & PGF_ram);
        mfn++;
    }

    if ( nfree != listed || nfree != free_frames )
        return check_failed("free frame count mismatch", nfree);
    if ( nram != total_frames )
        return check_failed("RAM frame count mismatch", nram);
    if ( max_frame > 0 && (frame_table[0].flags & PGF_ram) )
        return check_failed("frame 0 given to the allocator", 0);
    return true;
}

bool page_alloc_check(void)
{
    unsigned long i, listed = 0;
    unsigned int order;
    bool ok = true;

    heap_lock();
    for ( order = 0; order <= MAX_ORDER && ok; order++ )
        ok = check_list(order, &listed);
    if ( ok )
        ok = check_frames(listed);

    for ( i = 0; i < max_frame; i++ )
        frame_table[i].flags &= ~PGF_scratch;
    heap_unlock();

    return ok;
}
