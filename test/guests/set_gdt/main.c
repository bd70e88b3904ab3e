/*
 * set_gdt(frames, entries): hostile cases only.  (A working GDT needs a
 * read-only mapping of the frame first; the positive path is exercised by
 * Linux itself.)
 *
 * Expected behaviour is Xen 4.17's do_set_gdt() and pv_set_gdt()
 * (xen/arch/x86/pv/descriptor-tables.c):
 *   - more than FIRST_RESERVED_GDT_ENTRY (7168) entries -> -EINVAL,
 *     checked before anything is read;
 *   - a frame list that cannot be read -> -EFAULT;
 *   - every frame must be a valid frame of ours that can take the
 *     "segment descriptor page" type; a frame still mapped writable (or
 *     not ours, or not a frame at all) -> -EINVAL, and the old GDT stays.
 */
#include "test.h"

const char test_title[] = "set_gdt";

static uint8_t rw_page[4096] __page_aligned_bss;

static long sgdt(uint64_t frames, uint64_t entries)
{
    return hypercall2(__HYPERVISOR_set_gdt, frames, entries);
}

void test_main(void)
{
    static uint64_t frames[16];

    frames[0] = virt_to_mfn(rw_page);

    CHECK_RC(sgdt(GADDR(frames), FIRST_RESERVED_GDT_ENTRY + 1), -XEN_EINVAL);
    CHECK_RC(sgdt(BAD_NONCANONICAL, FIRST_RESERVED_GDT_ENTRY + 1),
             -XEN_EINVAL);
    CHECK_RC(sgdt(GADDR(frames), 0xffffffff), -XEN_EINVAL);

    CHECK_RC(sgdt(BAD_NONCANONICAL, 512), -XEN_EFAULT);
    CHECK_RC(sgdt(BAD_HYPERVISOR, 512), -XEN_EFAULT);
    CHECK_RC(sgdt(BAD_UNMAPPED, 512), -XEN_EFAULT);

    /* Still mapped writable by the initial mapping. */
    CHECK_RC(sgdt(GADDR(frames), 512), -XEN_EINVAL);
    CHECK_RC(sgdt(GADDR(frames), 1), -XEN_EINVAL);

    /* A page-table frame, a non-existent frame. */
    frames[0] = virt_to_mfn((void *)(uintptr_t)start_info->pt_base);
    CHECK_RC(sgdt(GADDR(frames), 512), -XEN_EINVAL);
    frames[0] = 0xfffffffffULL;
    CHECK_RC(sgdt(GADDR(frames), 512), -XEN_EINVAL);

    /* A good first frame does not excuse a bad second one. */
    frames[0] = virt_to_mfn(rw_page);
    frames[1] = 0xfffffffffULL;
    CHECK_RC(sgdt(GADDR(frames), 1024), -XEN_EINVAL);

    /* The flat selectors still work: the old GDT survived. */
    {
        uint16_t ss;

        asm volatile ( "mov %%ss, %0; mov %0, %%ds" : "=r" (ss) );
        if ( ss != FLAT_KERNEL_SS )
            test_fail("%%ss is %#x, expected %#x", ss, FLAT_KERNEL_SS);
    }
    test_success();
}
