/*
 * The argument rules of memory_op's reservation sub-ops (Xen 4.17's
 * do_memory_op and construct_memop_from_reservation). Every refusal here
 * is silent in Xen's sense: the call returns the number of extents done
 * so far, never an error code, which is why these are booleans.
 */
#include <mica/memop.h>

/* Xen's "no NUMA node asked for" after XENMEMF_get_node. */
#define NUMA_NO_NODE 0xffU

unsigned int memop_max_order(const struct memop_caller *c)
{
    unsigned int order = MEMOP_DOMU_MAX_ORDER;

    if ( c->control && order < MEMOP_CTLDOM_MAX_ORDER )
        order = MEMOP_CTLDOM_MAX_ORDER;
    if ( c->hardware && order < MEMOP_HWDOM_MAX_ORDER )
        order = MEMOP_HWDOM_MAX_ORDER;
    return order;
}

/* The smallest order whose block covers `pages` frames. */
static unsigned int order_of_pages(unsigned long pages)
{
    unsigned int order = 0;

    while ( order < 63 && (1UL << order) < pages )
        order++;
    return order;
}

/*
 * A node in mem_flags: only the control and hardware domains may place
 * memory, and only on nodes that can exist; anyone else's plain request
 * is ignored, an exact one refused. One node here, so nothing to place.
 */
bool memop_node_ok(uint32_t flags, const struct memop_caller *c)
{
    unsigned int node = XENMEMF_get_node(flags);

    if ( node == NUMA_NO_NODE )
        return true;
    if ( c->control || c->hardware )
        return node < MEMOP_MAX_NUMNODES;
    return !(flags & XENMEMF_exact_node_request);
}

bool memop_decode(unsigned int op, const struct xen_memory_reservation *r,
                  unsigned long start,
                  const struct memop_caller *c, unsigned long max_page,
                  struct memop_args *a)
{
    unsigned int bits = XENMEMF_get_address_bits(r->mem_flags);

    /* nr_done must fit in cmd above MEMOP_EXTENT_SHIFT for a restart. */
    if ( r->nr_extents > (UINT32_MAX >> MEMOP_EXTENT_SHIFT) ||
         start >= r->nr_extents )
        return false;
    /* A limit at or above all RAM restricts nothing. */
    if ( bits >= order_of_pages(max_page) + PAGE_SHIFT )
        bits = 0;
    if ( bits && bits <= PAGE_SHIFT )
        return false;
    /* A virtual node needs vNUMA, which no domain has: flag ignored. */
    if ( !(r->mem_flags & XENMEMF_vnode) && !memop_node_ok(r->mem_flags, c) )
        return false;

    a->list = r->extent_start;
    a->nr_extents = r->nr_extents;
    a->extent_order = r->extent_order;
    a->address_bits = bits;
    a->populate_on_demand = op == XENMEM_populate_physmap &&
                            (r->mem_flags & XENMEMF_populate_on_demand);
    a->nr_done = start;
    a->preempted = false;
    return true;
}

bool memop_order_ok(unsigned int op, const struct memop_args *a,
                    const struct memop_caller *c)
{
    /* Populate-on-demand is bounded by the allocator alone. */
    if ( op == XENMEM_populate_physmap && a->populate_on_demand )
        return a->extent_order <= MEMOP_ALLOC_MAX_ORDER;
    return a->extent_order <= memop_max_order(c);
}
