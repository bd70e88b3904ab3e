/*
 * The machine memory map dom0 is given (XENMEM_machine_memory_map).
 *
 * Xen hands dom0 the boot loader's map with one addition: any stretch of
 * a gap between entries that dom0 has no right to map is reported as
 * E820_RESERVED. Without that, Linux would take such a hole for unused
 * address space and might put a PCI BAR or its own remapped RAM there.
 * Holes dom0 may map (MMIO it owns) stay holes, as on bare metal.
 */
#include <asm/page.h>
#include <mica/memop.h>

struct map_out
{
    struct xen_e820_entry *out;     /* NULL: count only */
    unsigned int room, n;
};

static void put_entry(struct map_out *m, uint64_t addr, uint64_t len,
                      uint32_t type)
{
    if ( m->out )
        m->out[m->n] = (struct xen_e820_entry){
            .addr_lo = (uint32_t)addr, .addr_hi = addr >> 32,
            .size_lo = (uint32_t)len, .size_hi = len >> 32, .type = type };
    m->n++;
}

/* Reserved entries for the runs of unmappable frames in [s, e). */
static int report_gap(struct map_out *m, unsigned long s, unsigned long e,
                      bool (*io_ok)(unsigned long), unsigned long io_limit)
{
    e = MIN(e, io_limit);
    while ( s < e )
    {
        unsigned long run = s;

        if ( io_ok(s) )
        {
            s++;
            continue;
        }
        while ( s < e && !io_ok(s) )
            s++;
        /* Xen keeps one entry spare for this. */
        if ( m->out && m->n + 1 >= m->room )
            return -EINVAL;
        put_entry(m, (uint64_t)run << PAGE_SHIFT,
                  (uint64_t)(s - run) << PAGE_SHIFT, E820_RESERVED);
    }
    return 0;
}

long e820_machine_map(const struct e820_range *map, unsigned int nr,
                      bool (*io_ok)(unsigned long mfn),
                      unsigned long io_limit, struct xen_e820_entry *out,
                      unsigned int room)
{
    struct map_out m = { out, room, 0 };
    unsigned long cur = 0;

    if ( out && room < nr + 1 )
        return -EINVAL;
    for ( unsigned int i = 0; i < nr; i++ )
    {
        unsigned long s = map[i].addr >> PAGE_SHIFT;

        if ( s > cur && report_gap(&m, cur, s, io_ok, io_limit) )
            return -EINVAL;
        if ( out && room <= m.n + (nr - i) )
            return -EINVAL;
        put_entry(&m, map[i].addr, map[i].len, map[i].type);
        cur = (map[i].addr + map[i].len + PAGE_SIZE - 1) >> PAGE_SHIFT;
    }
    /* Past the last entry: runs that a mappable frame ends. */
    if ( report_gap(&m, cur, io_limit, io_ok, io_limit) )
        return -EINVAL;
    return m.n;
}
