/*
 * Planning a separately mapped p2m list (see mica/p2m_layout.h).
 *
 * A 4-level table maps with L1 pages covering 2 MiB each, L2 pages 1 GiB
 * and L3 pages 512 GiB, all hanging off the one bootstrap L4. For each
 * level we count the distinct aligned blocks the p2m range touches and
 * take away those the initial region already has a table for: two
 * disjoint intervals can share a block only at their facing ends, so
 * the intersection of the two block ranges is the whole story.
 */
#include <asm/page.h>
#include <mica/env.h>
#include <mica/p2m_layout.h>
#include <public/arch-x86_64.h>

#define PAGE_BYTES  4096ULL

int p2m_check_range(uint64_t va, unsigned long nr_pages, uint64_t v_start,
                    uint64_t v_end, const char **why)
{
    uint64_t bytes = ((uint64_t)nr_pages * 8 + PAGE_BYTES - 1) &
                     ~(PAGE_BYTES - 1);
    uint64_t last = va + bytes - 1;

    if ( va & (PAGE_BYTES - 1) )
        *why = "INIT_P2M is not page aligned";
    else if ( !nr_pages || last < va || !is_canonical(va) ||
              !is_canonical(last) || (va >> 47) != (last >> 47) )
        *why = "the p2m list at INIT_P2M is not canonical";
    else if ( va < HYPERVISOR_VIRT_END && last >= HYPERVISOR_VIRT_START )
        *why = "the p2m list at INIT_P2M overlaps the hypervisor";
    else if ( va < v_end && last >= v_start )
        *why = "the p2m list at INIT_P2M overlaps the initial region";
    else
        return 0;
    return -EINVAL;
}

/* Blocks of 1 << shift bytes touched by both [a, b) and [c, d). */
static uint64_t shared_blocks(uint64_t a, uint64_t b, uint64_t c,
                              uint64_t d, unsigned int shift)
{
    uint64_t lo = (a >> shift) > (c >> shift) ? a >> shift : c >> shift;
    uint64_t hi = ((b - 1) >> shift) < ((d - 1) >> shift) ? (b - 1) >> shift
                                                          : (d - 1) >> shift;

    return hi >= lo ? hi - lo + 1 : 0;
}

unsigned long p2m_table_frames(uint64_t va, uint64_t end, uint64_t v_start,
                               uint64_t v_end)
{
    static const unsigned int shift[] = { 21, 30, 39 };     /* L1, L2, L3 */
    unsigned long frames = 0;

    for ( unsigned int i = 0; i < 3; i++ )
    {
        uint64_t blocks = ((end - 1) >> shift[i]) - (va >> shift[i]) + 1;

        frames += blocks - shared_blocks(va, end, v_start, v_end, shift[i]);
    }
    return frames;
}
