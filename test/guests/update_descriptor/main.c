/*
 * update_descriptor(maddr, desc): write one descriptor into one of our own
 * pages by machine address.
 *
 * Expected behaviour is Xen 4.17's do_update_descriptor() and
 * check_descriptor() (xen/arch/x86/pv/descriptor-tables.c):
 *   - the address must be 8-byte aligned, else -EINVAL;
 *   - a not-present descriptor is written unchecked;
 *   - code and data descriptors are accepted, with the DPL raised to 3
 *     (the guest kernel runs in ring 3);
 *   - system descriptors other than call gates (TSS, LDT, interrupt
 *     gates...) -> -EINVAL;
 *   - the frame must belong to the caller (get_page_from_gfn fails for
 *     anyone else's or a non-existent frame -> -EINVAL) and be usable as
 *     writable or be a descriptor page: a frame in use as a page table
 *     -> -EINVAL.
 */
#include "test.h"

const char test_title[] = "update_descriptor";

static uint64_t desc_page[512] __page_aligned_bss;

#define CODE64_DPL0 0x00af9a000000ffffULL
#define CODE64_DPL3 0x00affa000000ffffULL
#define DATA_DPL0   0x00cf92000000ffffULL
#define DATA_DPL3   0x00cff2000000ffffULL
#define TSS64_DPL0  0x0000890000000067ULL
#define LDT_DPL0    0x0000820000000fffULL
#define INTGATE     0x00008e0000100000ULL
#define NOT_PRESENT 0x00007c00deadbeefULL

static long upd(uint64_t maddr, uint64_t desc)
{
    return HYPERVISOR_update_descriptor(maddr, desc);
}

static void check_slot(unsigned int i, uint64_t expected)
{
    if ( desc_page[i] != expected )
        test_fail("slot %u holds %#lx, expected %#lx", i, desc_page[i],
                  expected);
}

static void test_valid(void)
{
    uint64_t base = virt_to_maddr(desc_page);

    printk("desc page va %p maddr %#lx\n", (void *)desc_page, base);

    if ( CHECK_RC(upd(base + 8, CODE64_DPL0), 0) )
        check_slot(1, CODE64_DPL3);
    if ( CHECK_RC(upd(base + 16, DATA_DPL0), 0) )
        check_slot(2, DATA_DPL3);
    if ( CHECK_RC(upd(base + 24, CODE64_DPL3), 0) )
        check_slot(3, CODE64_DPL3);
    if ( CHECK_RC(upd(base + 4088, NOT_PRESENT), 0) )
        check_slot(511, NOT_PRESENT);
    if ( CHECK_RC(upd(base + 8, 0), 0) )
        check_slot(1, 0);
}

static void test_bad_descriptors(void)
{
    uint64_t base = virt_to_maddr(desc_page);

    desc_page[4] = 0x1234;
    CHECK_RC(upd(base + 32, TSS64_DPL0), -XEN_EINVAL);
    CHECK_RC(upd(base + 32, LDT_DPL0), -XEN_EINVAL);
    CHECK_RC(upd(base + 32, INTGATE), -XEN_EINVAL);
    check_slot(4, 0x1234);
}

static void test_bad_addresses(void)
{
    uint64_t base = virt_to_maddr(desc_page);
    uint64_t l4 = virt_to_maddr((void *)(uintptr_t)start_info->pt_base);

    CHECK_RC(upd(base + 4, CODE64_DPL0), -XEN_EINVAL);
    CHECK_RC(upd(base + 1, CODE64_DPL0), -XEN_EINVAL);
    CHECK_RC(upd(base + 7, 0), -XEN_EINVAL);
    check_slot(0, 0);

    /* A frame that does not exist, and frame 0 (never dom0 RAM). */
    CHECK_RC(upd(0xfffffffff000ULL, CODE64_DPL0), -XEN_EINVAL);
    CHECK_RC(upd(0, CODE64_DPL0), -XEN_EINVAL);
    /* Our own L4: a page table cannot take a writable reference. */
    CHECK_RC(upd(l4 + 8, CODE64_DPL0), -XEN_EINVAL);
}

void test_main(void)
{
    test_valid();
    test_bad_descriptors();
    test_bad_addresses();
    test_success();
}
