/*
 * The log-dirty bitmap: one bit per pseudo-physical frame, a count of set
 * bits so a reader learns how much to send without scanning, and an
 * overflow count for frames whose pfn the bitmap does not cover (the
 * guest chooses its pfns through MMU_MACHPHYS_UPDATE). A reader that sees
 * overflow must assume everything changed: nothing is ever lost silently.
 */
#include <mica/logdirty.h>

size_t ld_bytes(uint32_t nr_bits)
{
    return ((size_t)nr_bits + 63) / 64 * 8;
}

void ld_init(struct ld_bitmap *b, uint64_t *words, uint32_t nr_bits)
{
    b->words = words;
    b->nr_bits = nr_bits;
    ld_clear(b);
}

void ld_mark(struct ld_bitmap *b, uint64_t pfn)
{
    uint64_t bit;

    if ( pfn >= b->nr_bits )
    {
        if ( b->overflow != UINT32_MAX )
            b->overflow++;
        return;
    }
    bit = 1ULL << (pfn % 64);
    if ( b->words[pfn / 64] & bit )
        return;
    b->words[pfn / 64] |= bit;
    b->dirty++;
}

bool ld_test(const struct ld_bitmap *b, uint64_t pfn)
{
    return pfn < b->nr_bits && (b->words[pfn / 64] >> (pfn % 64)) & 1;
}

void ld_clear(struct ld_bitmap *b)
{
    memset(b->words, 0, ld_bytes(b->nr_bits));
    b->dirty = 0;
    b->overflow = 0;
}

size_t ld_copy_bytes(const struct ld_bitmap *b, uint32_t nr_bits)
{
    size_t want = ((size_t)nr_bits + 7) / 8;

    return MIN(want, ld_bytes(b->nr_bits));
}
