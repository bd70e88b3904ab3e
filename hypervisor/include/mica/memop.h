/*
 * memory_op's pure parts (common/memop.c, arch/x86/mm/reservation.c and
 * arch/x86/mm/e820.c): the argument rules of the reservation sub-ops, the
 * release of one frame of a PV guest, and the machine memory map dom0
 * sees. They reach the rest of the hypervisor only through page_type.h
 * and their arguments, so test/unit runs them on the host.
 */
#ifndef MICA_MEMOP_H
#define MICA_MEMOP_H

#include <mica/env.h>
#include <mica/page.h>
#include <public/memory.h>

/* Xen 4.17's defaults on x86 (memop-max-order): domU, control, hardware. */
#define MEMOP_DOMU_MAX_ORDER   9
#define MEMOP_CTLDOM_MAX_ORDER 18
#define MEMOP_HWDOM_MAX_ORDER  12
#define MEMOP_ALLOC_MAX_ORDER  18   /* the allocator's; bounds them all */
/* The NUMA nodes a privileged caller may name (Xen's MAX_NUMNODES). */
#define MEMOP_MAX_NUMNODES     64

/* A reservation request, decoded and checked (Xen's memop_args). */
struct memop_args
{
    uint64_t list;              /* guest address of the extent list */
    unsigned int nr_extents;
    unsigned int extent_order;
    unsigned int address_bits;  /* 0: anywhere; else below 2^bits */
    bool populate_on_demand;
    unsigned int nr_done;       /* extents handled, IN and OUT */
    bool preempted;             /* OUT: stopped early, to be resumed */
};

/* Who is calling: the largest extent it may ask for depends on it. */
struct memop_caller
{
    bool control;               /* a privileged (control) domain */
    bool hardware;              /* dom0 */
};

unsigned int memop_max_order(const struct memop_caller *c);

/*
 * Decode a reservation request (sub-op `op`) for the piece of the call
 * that starts at extent `start` (cmd's upper bits). False if Xen would
 * answer "start" at once without doing anything: a count too large to encode a continuation, a
 * start at or past the end, address bits of a page or less that would
 * restrict the allocation, or a NUMA request the caller may not make.
 * max_page is one more than the highest RAM frame. The extent order is
 * checked by the sub-ops themselves (memop_order_ok).
 */
bool memop_decode(unsigned int op, const struct xen_memory_reservation *r,
                  unsigned long start, const struct memop_caller *c,
                  unsigned long max_page, struct memop_args *a);

/* May the caller ask for the NUMA node that mem_flags names, if any? */
bool memop_node_ok(uint32_t mem_flags, const struct memop_caller *c);

/* May the sub-op (XENMEM_*) work on extents of a->extent_order? */
bool memop_order_ok(unsigned int op, const struct memop_args *a,
                    const struct memop_caller *c);

/*
 * decrease_reservation for one frame of a PV guest (Xen's
 * guest_remove_page): drop the owner's allocation reference. The frame
 * goes back to the allocator only when its last reference goes, so one
 * still mapped, used as a page table, pinned or held by the hypervisor
 * stays the owner's (and counted in its tot_pages) until then. A pin is
 * not undone (Xen stopped doing that with XSA-252). 0, -EINVAL for a
 * frame outside the frame table, -ENXIO for one `owner` does not own.
 */
int memop_remove_frame(unsigned long mfn, uint16_t owner);

/*
 * Frames XENMEM_exchange is working on, in order, chained through
 * page_info.next: a free-list link, unused while a frame is allocated,
 * so a chunk of any size needs no memory of its own.
 */
struct frame_chain
{
    uint32_t head, tail;        /* INVALID_MFN32 when empty */
    unsigned long n;
};

void frame_chain_init(struct frame_chain *c);
void frame_chain_add(struct frame_chain *c, unsigned long mfn);
/* Take the first frame off the chain; INVALID_MFN32 if empty. */
unsigned long frame_chain_take(struct frame_chain *c);

/*
 * XENMEM_exchange's taking of an input frame (Xen's steal_page): only a
 * frame `owner` owns whose sole reference is the allocation and that has
 * no type in use, so nothing anywhere can reach it. Its counts drop to
 * zero (no reference can be taken) and it joins `stolen`, still marked
 * with its owner, until memop_free_stolen() frees every frame there
 * (through put_page, like any frame that goes) or memop_unsteal() hands
 * them all back as they were. 0 or -EINVAL.
 */
int memop_steal_frame(unsigned long mfn, uint16_t owner,
                      struct frame_chain *stolen);
void memop_unsteal(struct frame_chain *stolen);
void memop_free_stolen(struct frame_chain *stolen);

/* A machine memory map entry as the boot loader gave it. */
struct e820_range
{
    uint64_t addr, len;
    uint32_t type;
};

/*
 * XENMEM_machine_memory_map: the boot map, plus an E820_RESERVED entry
 * for every run of frames in a gap between entries (or after the last)
 * that the caller may not map, so that it never mistakes such a hole for
 * free address space. io_ok answers for frames below io_limit; frames
 * from io_limit up are all mappable. With out == NULL only counts;
 * otherwise out has room for 2 * nr + 1 entries and Xen's rules apply:
 * `room` (the guest's buffer) must leave one spare entry beyond the boot
 * map, and running out of room is -EINVAL. Returns the number of
 * entries, or -EINVAL.
 */
long e820_machine_map(const struct e820_range *map, unsigned int nr,
                      bool (*io_ok)(unsigned long mfn),
                      unsigned long io_limit, struct xen_e820_entry *out,
                      unsigned int room);

#endif /* MICA_MEMOP_H */
